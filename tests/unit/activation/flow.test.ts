import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  activateTab,
  failureOf,
  handleActivationNavigationError,
  isPortalRedirect,
  resumeActivationAfterSignIn,
} from '../../../utils/activation/flow';
import { getMerchantSession, signInActivations, tabStates } from '../../../utils/background/stores';
import { handleCommittedNavigation, recordNavigationRequest } from '../../../utils/visit/flow';
import { fakeDeps, PORTAL_URL } from '../helpers/fake-background';
import { createOrderJournal } from '../../../utils/orders/journal';
import { openRistourneDb } from '../../../utils/storage/db';

const PAGE = 'https://www.fnac.com/livre/123?ref=home';

async function openMerchantTab(deps: ReturnType<typeof fakeDeps>['deps']) {
  const tab = await browser.tabs.create({ url: PAGE });
  await handleCommittedNavigation(deps, { tabId: tab.id!, url: PAGE, clientRedirect: false });
  return tab.id!;
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
});

describe('activateTab', () => {
  it('keeps the click in the member’s activation history, with where it was clicked', async () => {
    const journal = createOrderJournal(() => db);
    const db = openRistourneDb(`history-${Date.now()}`);
    let memberId: string | null = 'u_1';
    const { deps } = fakeDeps({ followUp: { journal, memberId: async () => memberId } });
    const tabId = await openMerchantTab(deps);
    await activateTab(deps, tabId, async () => {}, { source: 'banner' });
    expect(await journal.activations('u_1', deps.now())).toEqual([
      expect.objectContaining({ merchantId: 'fnac', source: 'banner', clickId: 'c_1' }),
    ]);
    // Signed out meanwhile (the click was claimed before): nobody's history gets it.
    memberId = null;
    await activateTab(deps, tabId, async () => {}, { source: 'popup' });
    expect(await journal.activations('u_1', deps.now())).toHaveLength(1);
    await db.delete();
  });

  it('creates a click for the exact page and sends the same tab through the portal', async () => {
    const { deps, portal } = fakeDeps();
    const tabId = await openMerchantTab(deps);
    const update = vi.spyOn(browser.tabs, 'update');
    const changed = vi.fn(async () => {});

    const status = await activateTab(deps, tabId, changed);

    expect(status).toEqual({ state: 'activating' });
    expect(portal.createClick).toHaveBeenCalledWith('tok', { merchantId: 'fnac', url: PAGE });
    expect(update).toHaveBeenCalledWith(tabId, { url: `${PORTAL_URL}/go/c_1?m=fnac` });
    expect(changed).toHaveBeenCalledWith('fnac');
  });

  it('lands as activated when the tab comes back through our redirect', async () => {
    const { deps } = fakeDeps();
    const tabId = await openMerchantTab(deps);
    await activateTab(deps, tabId, async () => {});
    for (const url of [
      `${PORTAL_URL}/go/c_1?m=fnac`,
      'http://clic.reseau-demo.localhost/clk?c=c_1',
    ]) {
      await recordNavigationRequest(tabId, { url, requestId: 'r9' }, deps.now());
    }
    const landingUrl = `${PAGE}&rdclid=c_1`;
    await recordNavigationRequest(tabId, { url: landingUrl, requestId: 'r9' }, deps.now());
    const { state, landing } = await handleCommittedNavigation(deps, {
      tabId,
      url: landingUrl,
      clientRedirect: false,
    });
    expect(state.landedFromActivation).toBe(true);
    expect(landing).toBe('own-activation');
    expect((await getMerchantSession('fnac')).activation).toMatchObject({ state: 'activated' });
  });

  it('two activations at once create one click', async () => {
    const { deps, portal } = fakeDeps();
    const tabId = await openMerchantTab(deps);
    const second = await openMerchantTab(deps);
    await activateTab(deps, tabId, async () => {});
    expect(await activateTab(deps, second, async () => {})).toEqual({ state: 'activating' });
    expect(portal.createClick).toHaveBeenCalledTimes(1);
  });

  it('signed out: no click, the sign-in page opens and the activation waits for it', async () => {
    const { deps, portal, signOut } = fakeDeps();
    signOut();
    const tabId = await openMerchantTab(deps);
    const create = vi.spyOn(browser.tabs, 'create');
    const status = await activateTab(deps, tabId, async () => {}, { source: 'banner' });
    expect(status).toEqual({ state: 'error', failure: { reason: 'signed-out' } });
    expect(portal.createClick).not.toHaveBeenCalled();
    expect(create).toHaveBeenCalledWith(
      expect.objectContaining({
        url: expect.stringContaining(`popup.html?tabId=${tabId}&signin=1`),
      }),
    );
    expect(await signInActivations.get('pending')).toMatchObject({ tabId, merchantId: 'fnac' });
  });

  it('after sign-in, the waiting activation completes in its tab', async () => {
    const { deps, portal } = fakeDeps();
    const tabId = await openMerchantTab(deps);
    await signInActivations.set('pending', { tabId, merchantId: 'fnac', at: deps.now() });
    await resumeActivationAfterSignIn(deps, async () => {});
    expect(portal.createClick).toHaveBeenCalledWith('tok', { merchantId: 'fnac', url: PAGE });
    expect(await signInActivations.get('pending')).toBeNull();
  });

  it.each([
    ['31 minutes ago', -31 * 60_000],
    ['written with the clock a year ahead', 365 * 24 * 3_600_000],
    ['written with the clock a minute ahead', 60_000],
  ])('an "Activer" that waited for a sign-in since %s has expired: no click', async (_, offset) => {
    const { deps, portal } = fakeDeps();
    const tabId = await openMerchantTab(deps);
    await signInActivations.set('pending', { tabId, merchantId: 'fnac', at: deps.now() + offset });
    await resumeActivationAfterSignIn(deps, async () => {});
    expect(portal.createClick).not.toHaveBeenCalled();
    expect(await signInActivations.get('pending')).toBeNull();
  });

  it('a portal outage is reported as such and does not block a retry', async () => {
    const { deps, portal } = fakeDeps();
    portal.createClick.mockResolvedValueOnce({
      ok: false,
      error: { kind: 'network', message: 'offline' },
    } as never);
    const tabId = await openMerchantTab(deps);
    expect(await activateTab(deps, tabId, async () => {})).toEqual({
      state: 'error',
      failure: { reason: 'portal-unreachable' },
    });
    expect(await activateTab(deps, tabId, async () => {})).toEqual({ state: 'activating' });
  });

  it('a 401 signs the member out', async () => {
    const { deps, portal } = fakeDeps();
    portal.createClick.mockResolvedValueOnce({
      ok: false,
      error: { kind: 'unauthorized', code: 'unauthorized' },
    } as never);
    const tabId = await openMerchantTab(deps);
    const status = await activateTab(deps, tabId, async () => {});
    expect(status).toEqual({ state: 'error', failure: { reason: 'signed-out' } });
    expect(deps.signedOut).toHaveBeenCalled();
  });

  it('refuses a redirect outside the portal', async () => {
    const { deps, portal } = fakeDeps();
    portal.createClick.mockResolvedValueOnce({
      ok: true,
      value: { clickId: 'c_2', redirectUrl: 'https://evil.example/go' },
    } as never);
    const update = vi.spyOn(browser.tabs, 'update');
    const tabId = await openMerchantTab(deps);
    const status = await activateTab(deps, tabId, async () => {});
    expect(status.state).toBe('error');
    expect(update).not.toHaveBeenCalled();
  });

  it('a page that is not a merchant cannot be activated', async () => {
    const { deps, portal } = fakeDeps();
    const tab = await browser.tabs.create({ url: 'https://example.org/' });
    await handleCommittedNavigation(deps, {
      tabId: tab.id!,
      url: 'https://example.org/',
      clientRedirect: false,
    });
    expect(await activateTab(deps, tab.id!, async () => {})).toEqual({
      state: 'error',
      failure: { reason: 'not-a-merchant' },
    });
    expect(portal.createClick).not.toHaveBeenCalled();
  });
});

describe('a blocked redirect', () => {
  it('names the host to allow and takes the member back to their page', async () => {
    const { deps } = fakeDeps();
    const tabId = await openMerchantTab(deps);
    await activateTab(deps, tabId, async () => {});
    const update = vi.spyOn(browser.tabs, 'update');
    await handleActivationNavigationError(
      deps,
      {
        tabId,
        url: 'http://clic.reseau-demo.localhost/clk?c=c_1',
        error: 'net::ERR_BLOCKED_BY_CLIENT',
      },
      async () => {},
    );
    expect((await getMerchantSession('fnac')).activation).toMatchObject({
      state: 'error',
      failure: { reason: 'blocked', host: 'clic.reseau-demo.localhost' },
    });
    expect(update).toHaveBeenCalledWith(tabId, { url: (await tabStates.get(tabId))!.url });
  });
});

describe('isPortalRedirect', () => {
  it.each([
    [`${PORTAL_URL}/go/c_1`, true],
    ['http://localhost:9999/go/c_1', false],
    ['https://evil.example/go/c_1', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isPortalRedirect(url, PORTAL_URL)).toBe(expected);
  });

  it('requires https for a portal that is not on loopback', () => {
    expect(isPortalRedirect('https://portal.example/go/1', 'https://portal.example')).toBe(true);
    expect(isPortalRedirect('http://portal.example/go/1', 'http://portal.example')).toBe(false);
  });
});

describe('failureOf', () => {
  it('sorts portal errors into what the member is told', () => {
    expect(failureOf({ kind: 'timeout' })).toEqual({ reason: 'portal-unreachable' });
    expect(failureOf({ kind: 'http', status: 404, code: 'unknown_merchant' })).toEqual({
      reason: 'unknown-merchant',
    });
    expect(failureOf({ kind: 'http', status: 503, code: 'x' })).toEqual({
      reason: 'portal-unreachable',
    });
  });
});
