import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { isStandingDown, tabStates, updateMerchantSession } from '../../utils/background-stores';
import { bannerViewFor } from '../../utils/banner-view';
import {
  handleCommittedNavigation,
  handleSameDocumentNavigation,
  navigationChain,
  recordNavigationRequest,
} from '../../utils/visit';
import { fakeDeps, PORTAL_URL } from './helpers/fake-background';

beforeEach(() => {
  fakeBrowser.reset();
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
  const { state } = await handleCommittedNavigation(deps, {
    tabId,
    url: hops.at(-1)!,
    clientRedirect: false,
  });
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

  it('offers on a product page', async () => {
    const { deps } = fakeDeps();
    const state = await visit(deps, 1, ['https://www.fnac.com/livre/123']);
    expect(await bannerViewFor(deps, 1, state)).toMatchObject({
      variant: 'offer',
      merchant: { id: 'fnac', name: 'Fnac' },
    });
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
    await updateMerchantSession('fnac', (s) => ({
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
    await updateMerchantSession('fnac', (s) => ({
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

describe('same-document navigations', () => {
  it('a single-page shop moving to its cart gets the checkout reminder', async () => {
    const { deps } = fakeDeps();
    await visit(deps, 1, ['https://www.fnac.com/']);
    const state = await handleSameDocumentNavigation(deps, 1, 'https://www.fnac.com/panier');
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
