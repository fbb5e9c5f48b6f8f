import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { activateTab } from '../../../utils/activation/flow';
import { isStandingDown, tabStates } from '../../../utils/background/stores';
import { bannerViewFor } from '../../../utils/banner/view';
import {
  handleCommittedNavigation,
  handleSameDocumentNavigation,
  navigationChain,
  recordNavigationRequest,
} from '../../../utils/visit/flow';
import { HAND_OVER_MAX_MS } from '../../../utils/visit/stand-down';
import { fakeDeps, PORTAL_URL } from '../helpers/fake-background';
import { installMessages, plain } from '../helpers/i18n';
import { isBannerView } from '../../../utils/protocol/banner-update';

beforeEach(() => {
  fakeBrowser.reset();
  installMessages('fr');
});

async function visit(
  deps: ReturnType<typeof fakeDeps>['deps'],
  tabId: number,
  hops: string[],
  options: { initiator?: string; requestId?: string } = {},
) {
  for (const url of hops) {
    await recordNavigationRequest(
      tabId,
      {
        url,
        requestId: options.requestId ?? 'r1',
        ...(options.initiator ? { initiator: options.initiator } : {}),
      },
      deps.now(),
    );
  }
  const { state, merchant, facts } = await handleCommittedNavigation(deps, {
    tabId,
    url: hops.at(-1)!,
    clientRedirect: false,
  });
  // The banner leaves with what the flow read along the way (utils/visit/navigation-setup.ts): it
  // must be what the stored state says once the visit is settled (a stand-down, our landing).
  expect(await bannerViewFor(deps, tabId, state, merchant, facts)).toEqual(
    await bannerViewFor(deps, tabId, state),
  );
  return state;
}

describe('a visit to a merchant', () => {
  it('records the merchant and the page kind of the tab', async () => {
    const { deps } = fakeDeps();
    const state = await visit(deps, 1, ['https://www.fnac.com/panier']);
    expect(state).toMatchObject({ merchantId: 'fnac', pageKind: 'checkout' });
    expect(await tabStates.get(1)).toMatchObject({ merchantId: 'fnac' });
    expect(await bannerViewFor(deps, 1, state)).toMatchObject({ variant: 'checkout-reminder' });
  });

  it('records nothing for a site that is not a merchant', async () => {
    const { deps } = fakeDeps();
    const state = await visit(deps, 1, ['https://www.example.org/']);
    expect(state.merchantId).toBeNull();
    expect(await bannerViewFor(deps, 1, state)).toBeNull();
  });

  it('asks the browser the least for a page that is not a merchant’s', async () => {
    // Every page one browses goes through here: each storage call is a round trip to the browser.
    const { deps } = fakeDeps();
    await visit(deps, 1, ['https://www.fnac.com/']);
    await visit(deps, 1, ['https://www.example.org/']);
    await recordNavigationRequest(1, { url: 'https://news.example.org/', requestId: 'r9' }, 0);
    const session = fakeBrowser.storage.session;
    const calls = {
      get: vi.spyOn(session, 'get'),
      set: vi.spyOn(session, 'set'),
      remove: vi.spyOn(session, 'remove'),
    };
    await handleCommittedNavigation(deps, {
      tabId: 1,
      url: 'https://news.example.org/',
      clientRedirect: false,
    });
    expect(calls.get).toHaveBeenCalledTimes(1); // the request, the tab's page, a passage
    expect(calls.set).toHaveBeenCalledTimes(1); // the tab's page
    expect(calls.remove).toHaveBeenCalledTimes(1); // the request, now committed
  });

  it('offers on a product page', async () => {
    const { deps } = fakeDeps();
    const state = await visit(deps, 1, ['https://www.fnac.com/livre/123']);
    const view = await bannerViewFor(deps, 1, state);
    expect(view).toMatchObject({ variant: 'offer', merchant: { id: 'fnac', name: 'Fnac' } });
    // Written here for the page, which then starts neither i18n nor Intl, and of the shape the
    // page accepts (utils/protocol/banner-update.ts).
    expect(plain(view?.figure)).toBe('4,5 %');
    expect(plain(view?.text?.title)).toBe("Jusqu'à 4,5 % de cashback chez Fnac");
    expect(view?.text).toMatchObject({ canMute: true, action: { label: 'Activer' } });
    expect(isBannerView(structuredClone(view))).toBe(true);
  });
});

describe('stand-down', () => {
  it('a network parameter on the landing stands the merchant down in every tab', async () => {
    const { deps } = fakeDeps();
    await visit(deps, 1, ['https://www.fnac.com/?awc=123_456']);
    expect(await isStandingDown('fnac', deps.now())).toBe(true);
    const other = await visit(deps, 2, ['https://www.fnac.com/panier']);
    expect(await bannerViewFor(deps, 2, other)).toBeNull();
  });

  it('a network host in the redirect chain stands down', async () => {
    const { deps } = fakeDeps();
    await visit(deps, 1, [
      'https://www.awin1.com/cread.php?awinmid=1&ued=https%3A%2F%2Fwww.fnac.com%2F',
      'https://www.fnac.com/',
    ]);
    expect(await isStandingDown('fnac', deps.now())).toBe(true);
  });

  it('a competing portal as the initiator stands down', async () => {
    const { deps } = fakeDeps();
    await visit(deps, 1, ['https://www.fnac.com/'], { initiator: 'https://www.poulpeo.com' });
    expect(await isStandingDown('fnac', deps.now())).toBe(true);
  });

  it('a script redirect from a network page counts as a hop', async () => {
    const { deps } = fakeDeps();
    await handleCommittedNavigation(deps, {
      tabId: 1,
      url: 'https://go.redirectingat.com/?url=x',
      clientRedirect: false,
    });
    await handleCommittedNavigation(deps, {
      tabId: 1,
      url: 'https://www.fnac.com/',
      clientRedirect: true,
    });
    expect(await isStandingDown('fnac', deps.now())).toBe(true);
  });

  it('holds for at least 60 minutes even once the session is gone', async () => {
    const { deps, advance } = fakeDeps();
    await visit(deps, 1, ['https://www.fnac.com/?cjevent=abc']);
    await fakeBrowser.storage.session.clear();
    advance(59 * 60_000);
    expect(await isStandingDown('fnac', deps.now())).toBe(true);
    advance(2 * 60_000);
    expect(await isStandingDown('fnac', deps.now())).toBe(false);
  });

  it('gclid, utm_* and a plain visit are not affiliate signals', async () => {
    const { deps } = fakeDeps();
    await visit(deps, 1, ['https://www.fnac.com/?gclid=1&utm_medium=affiliate&fbclid=2']);
    expect(await isStandingDown('fnac', deps.now())).toBe(false);
  });

  it('our own landing is not a stand-down, even with network parameters', async () => {
    const { deps } = fakeDeps();
    const redirectUrl = `${PORTAL_URL}/go/c_1`;
    await deps.updateMerchantSession('fnac', (s) => ({
      ...s,
      activation: {
        state: 'activating',
        tabId: 1,
        startedAt: deps.now(),
        clickId: 'c_1',
        redirectUrl,
      },
    }));
    const state = await visit(deps, 1, [
      redirectUrl,
      'http://www.awin1.com/cread.php?x=1',
      'https://www.fnac.com/panier?awc=1&rdclid=c_1',
    ]);
    expect(await isStandingDown('fnac', deps.now())).toBe(false);
    expect(state.landedFromActivation).toBe(true);
    expect(await bannerViewFor(deps, 1, state)).toMatchObject({ variant: 'activated' });
  });

  it('the same landing in another tab than the activation is a stand-down', async () => {
    const { deps } = fakeDeps();
    const redirectUrl = `${PORTAL_URL}/go/c_1`;
    await deps.updateMerchantSession('fnac', (s) => ({
      ...s,
      activation: {
        state: 'activating',
        tabId: 1,
        startedAt: deps.now(),
        clickId: 'c_1',
        redirectUrl,
      },
    }));
    await visit(deps, 2, ['https://www.fnac.com/?rdclid=forged']);
    expect(await isStandingDown('fnac', deps.now())).toBe(true);
  });
});

describe('our landing after a network hop page (meta refresh, script redirect)', () => {
  const redirectUrl = `${PORTAL_URL}/go/c_1`;
  const HOP_ORIGIN = 'https://clic.reseau.example';
  const hopPage = `${HOP_ORIGIN}/clk?c=c_1`;
  const landingUrl = 'https://www.fnac.com/livre/1?rdclid=c_1';

  /** The member is on a Fnac page in tab 1 and clicked "Activer": the tab is sent to our URL. */
  async function clickActiver(deps: ReturnType<typeof fakeDeps>['deps']) {
    await visit(deps, 1, ['https://www.fnac.com/livre/1'], { requestId: 'r0' });
    await deps.updateMerchantSession('fnac', (s) => ({
      ...s,
      activation: {
        state: 'activating',
        tabId: 1,
        startedAt: deps.now(),
        clickId: 'c_1',
        redirectUrl,
      },
    }));
    // Our redirect answers 302 to the network, whose page commits (and redirects by itself).
    await visit(deps, 1, [redirectUrl, hopPage], { requestId: 'r1' });
  }

  async function commit(
    deps: ReturnType<typeof fakeDeps>['deps'],
    url: string,
    how: { clientRedirect: boolean; initiator?: string; requestId: string },
  ) {
    await recordNavigationRequest(
      1,
      { url, requestId: how.requestId, ...(how.initiator ? { initiator: how.initiator } : {}) },
      deps.now(),
    );
    return handleCommittedNavigation(deps, { tabId: 1, url, clientRedirect: how.clientRedirect });
  }

  it('a meta refresh from the hop page lands as our activation, not a stand-down', async () => {
    const { deps } = fakeDeps();
    await clickActiver(deps);
    const { state, landing } = await commit(deps, landingUrl, {
      clientRedirect: true,
      initiator: HOP_ORIGIN,
      requestId: 'r2',
    });
    expect(landing).toBe('own-activation');
    expect(state.landedFromActivation).toBe(true);
    expect(await isStandingDown('fnac', deps.now())).toBe(false);
    expect(await bannerViewFor(deps, 1, state)).toMatchObject({ variant: 'activated' });
  });

  it('a script redirect the browser does not flag still lands as ours (the hop page started it)', async () => {
    const { deps, advance } = fakeDeps();
    await clickActiver(deps);
    advance(2_000);
    const { landing } = await commit(deps, landingUrl, {
      clientRedirect: false,
      initiator: HOP_ORIGIN,
      requestId: 'r2',
    });
    expect(landing).toBe('own-activation');
  });

  it('through two hop pages, the landing is still ours', async () => {
    const { deps } = fakeDeps();
    await clickActiver(deps);
    await commit(deps, 'https://track.reseau.example/step2', {
      clientRedirect: true,
      initiator: HOP_ORIGIN,
      requestId: 'r2',
    });
    const { landing } = await commit(deps, landingUrl, {
      clientRedirect: true,
      initiator: 'https://track.reseau.example',
      requestId: 'r3',
    });
    expect(landing).toBe('own-activation');
  });

  it("the member leaving the hop page for another affiliate's link stands down", async () => {
    const { deps } = fakeDeps();
    await clickActiver(deps);
    // Typed in the address bar: no initiator, no client redirect.
    const { landing } = await commit(deps, 'https://www.fnac.com/?awc=1_2_3', {
      clientRedirect: false,
      requestId: 'r2',
    });
    expect(landing).toBe('stand-down');
    expect(await isStandingDown('fnac', deps.now())).toBe(true);
  });

  it('a hand-over later than the window is not taken for ours', async () => {
    const { deps, advance } = fakeDeps();
    await clickActiver(deps);
    advance(HAND_OVER_MAX_MS + 1);
    const { landing } = await commit(deps, landingUrl, {
      clientRedirect: true,
      initiator: HOP_ORIGIN,
      requestId: 'r2',
    });
    expect(landing).toBe('stand-down');
  });

  it('a later visit through another affiliate, after our landing, stands down', async () => {
    const { deps } = fakeDeps();
    await clickActiver(deps);
    await commit(deps, landingUrl, {
      clientRedirect: true,
      initiator: HOP_ORIGIN,
      requestId: 'r2',
    });
    const later = await commit(deps, 'https://www.fnac.com/?awc=9_9_9', {
      clientRedirect: true,
      initiator: 'https://www.fnac.com',
      requestId: 'r3',
    });
    expect(later.landing).toBe('stand-down');
    expect(await isStandingDown('fnac', deps.now())).toBe(true);
  });

  it('a hop page that another tab reached through our URL does not make this tab ours', async () => {
    const { deps } = fakeDeps();
    await clickActiver(deps);
    await recordNavigationRequest(
      2,
      { url: landingUrl, requestId: 'x', initiator: HOP_ORIGIN },
      deps.now(),
    );
    const { landing } = await handleCommittedNavigation(deps, {
      tabId: 2,
      url: landingUrl,
      clientRedirect: true,
    });
    expect(landing).toBe('stand-down');
  });
});

describe('same-document navigations', () => {
  it('a single-page shop moving to its cart gets the checkout reminder', async () => {
    const { deps } = fakeDeps();
    await visit(deps, 1, ['https://www.fnac.com/']);
    const { state, previousMerchantId } = await handleSameDocumentNavigation(
      deps,
      1,
      'https://www.fnac.com/panier',
    );
    expect(previousMerchantId).toBe('fnac');
    expect(state.pageKind).toBe('checkout');
    expect(await bannerViewFor(deps, 1, state)).toMatchObject({ variant: 'checkout-reminder' });
  });
});

describe('navigationChain', () => {
  it('ends with the committed URL and starts with a script redirect source', () => {
    expect(navigationChain({ chain: ['a', 'b'], requestId: 'r', startedAt: 0 }, 'c', 'z')).toEqual([
      'z',
      'a',
      'b',
      'c',
    ]);
    expect(navigationChain(null, 'c', undefined)).toEqual(['c']);
    expect(
      navigationChain({ chain: ['a', 'c'], requestId: 'r', startedAt: 0 }, 'c', undefined),
    ).toEqual(['a', 'c']);
  });
});

describe(
  'a redirect chain through huge URLs (a page filling storage.session)',
  { timeout: 60_000 },
  () => {
    const MB2 = 2 * 1024 * 1024;
    /** What storage.session holds, in bytes of JSON (Chrome's quota is 10 MB for the browser). */
    const sessionBytes = async () =>
      JSON.stringify(await fakeBrowser.storage.session.get(null)).length;
    const huge = (url: string, i: number) =>
      `${url}${url.includes('?') ? '&' : '?'}pad${i}=${'x'.repeat(MB2)}`;

    it('keeps a few kilobytes per tab, and still stands down on the signal among them', async () => {
      const { deps } = fakeDeps();
      const hops = [
        ...Array.from({ length: 24 }, (_, i) =>
          huge(`https://r${i}.tracker.example/${'p'.repeat(MB2)}`, i),
        ),
        huge('https://www.awin1.com/cread.php?awinmid=1', 24),
        huge('https://www.fnac.com/livre/1?awc=1_123', 25),
      ];
      for (const url of hops) {
        await recordNavigationRequest(1, { url, requestId: 'r1' }, deps.now());
        expect(await sessionBytes()).toBeLessThan(64 * 1024);
      }
      const { landing } = await handleCommittedNavigation(deps, {
        tabId: 1,
        url: hops.at(-1)!,
        clientRedirect: false,
      });
      expect(landing).toBe('stand-down');
      expect(await isStandingDown('fnac', deps.now())).toBe(true);
      expect(await sessionBytes()).toBeLessThan(64 * 1024);
      expect(await tabStates.get(1)).toMatchObject({ merchantId: 'fnac' });
    });

    it('still recognises our own landing when a network hop is huge', async () => {
      const { deps } = fakeDeps();
      const page = 'https://www.fnac.com/livre/1';
      const tabId = (await browser.tabs.create({ url: page })).id!;
      await visit(deps, tabId, [page]);
      expect(await activateTab(deps, tabId, async () => {})).toEqual({ state: 'activating' });
      const hops = [
        `${PORTAL_URL}/go/c_1?m=fnac`,
        huge('http://clic.reseau-demo.localhost/clk?c=c_1', 0),
        huge(`${page}?rdclid=c_1&awc=1_9`, 1),
      ];
      for (const url of hops) {
        await recordNavigationRequest(tabId, { url, requestId: 'r2' }, deps.now());
      }
      const { landing } = await handleCommittedNavigation(deps, {
        tabId,
        url: hops.at(-1)!,
        clientRedirect: false,
      });
      expect(landing).toBe('own-activation');
      expect(await sessionBytes()).toBeLessThan(64 * 1024);
    });
  },
);
