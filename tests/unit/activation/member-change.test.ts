/**
 * A second member on the same browser: what the first one activated, or asked to activate, is
 * theirs. Once the session ends (sign-out, or a 401 from the portal), the next member sees the
 * offer and activates for themselves; their purchase never rides on the first member's click.
 * A whole background over fake storage (tests/unit/helpers/fake-background.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { getMerchantSession, signInActivations, tabStates } from '../../../utils/background/stores';
import { deliverBanner } from '../../../utils/banner/delivery';
import { bannerViewFor } from '../../../utils/banner/view';
import { tabOffer } from '../../../utils/visit/tab-offer';
import { handleCommittedNavigation, recordNavigationRequest } from '../../../utils/visit/flow';
import {
  createWorld,
  MEMBER,
  PORTAL_URL,
  startWorker,
  type FakePortalState,
  type TestWorker,
} from '../helpers/fake-background';

const LIST: FakePortalState['list'] = {
  version: 'v1',
  merchants: [
    {
      id: 'atelier',
      name: 'Atelier',
      domains: ['atelier.fr'],
      cashback: { type: 'percent', value: 4 },
      checkoutPaths: ['/panier'],
    },
  ],
  standDown: { params: [], referrerHosts: [] },
};
const PAGE = 'https://www.atelier.fr/produit/1';
const FIRST = { email: MEMBER.email, password: 'secret-a' };
const SECOND = { email: 'alex@example.fr', password: 'secret-b' };

async function commit(worker: TestWorker, tabId: number, url: string): Promise<void> {
  const { merchant, landing } = await handleCommittedNavigation(worker.deps, {
    tabId,
    url,
    clientRedirect: false,
  });
  if (merchant) await deliverBanner(worker.deps, tabId, { update: false, merchant });
  if (merchant && landing !== 'plain') await worker.onMerchantChange(merchant.id);
}

async function openPage(worker: TestWorker, url = PAGE): Promise<number> {
  const tab = await browser.tabs.create({ url });
  await commit(worker, tab.id!, url);
  return tab.id!;
}

/** The member clicks "Activer" in the banner and the browser lands the tab back, tracked. */
async function activateAndLand(
  worker: TestWorker,
  tabId: number,
  world: { navigations: { tabId: number; url: string }[] },
) {
  expect(await worker.handlers['banner:activate']({}, { tabId })).toEqual({ state: 'activating' });
  const redirect = world.navigations.filter((n) => n.tabId === tabId).at(-1)!.url;
  const clickId = redirect.split('/').pop()!;
  const landing = `${PAGE}?rdclid=${clickId}`;
  for (const url of [redirect, landing]) {
    await recordNavigationRequest(tabId, { url, requestId: `r-${clickId}` }, worker.deps.now());
  }
  await commit(worker, tabId, landing);
  expect((await tabOffer(worker.deps, tabId, undefined)).kind).toBe('merchant');
}

async function activationIn(worker: TestWorker, tabId: number) {
  const offer = await tabOffer(worker.deps, tabId, undefined);
  if (offer.kind !== 'merchant') throw new Error(`tab ${tabId} shows no merchant`);
  return offer.activation;
}

async function signedInWorld() {
  const world = createWorld(LIST);
  const worker = startWorker(world);
  await worker.sync();
  await worker.account.signIn(FIRST);
  return { world, worker };
}

describe('the session ends: the next member starts without the last one’s activation', () => {
  it('after a sign-out, the popup and the banner offer the activation again, and it is the new member’s click', async () => {
    const { world, worker } = await signedInWorld();
    const tabId = await openPage(worker);
    await activateAndLand(worker, tabId, world);
    expect(await activationIn(worker, tabId)).toMatchObject({ state: 'activated' });
    expect(world.banners.get(tabId)?.variant).toBe('activated');

    await worker.handlers['account:sign-out']({}, { tabId: undefined });

    // The banner on screen follows at once; the popup offers the activation.
    expect(world.banners.get(tabId)?.variant).toBe('offer');
    expect(await activationIn(worker, tabId)).toEqual({ state: 'none' });
    expect((await getMerchantSession('atelier')).activation).toBeNull();

    await worker.handlers['account:sign-in'](SECOND, { tabId: undefined });
    const next = await openPage(worker, `${PAGE}?page=2`);
    expect(world.banners.get(next)?.variant).toBe('offer');
    expect(await activationIn(worker, next)).toEqual({ state: 'none' });
    await activateAndLand(worker, next, world);
    expect(world.portal.clicks).toHaveLength(2);
    expect(await activationIn(worker, next)).toMatchObject({ state: 'activated' });
    worker.db.close();
  });

  it('after a 401 from the portal, the activation is forgotten with the session', async () => {
    const { world, worker } = await signedInWorld();
    const tabId = await openPage(worker);
    await activateAndLand(worker, tabId, world);
    vi.spyOn(worker.deps.portal, 'cagnotte').mockResolvedValueOnce({
      ok: false,
      error: { kind: 'unauthorized', code: 'invalid_token' },
    });

    expect(await worker.handlers['account:refresh']({}, { tabId: undefined })).toEqual({
      signedIn: false,
    });

    expect(await activationIn(worker, tabId)).toEqual({ state: 'none' });
    const view = await bannerViewFor(worker.deps, tabId, await tabStates.get(tabId));
    expect(view?.variant).toBe('offer');
    worker.db.close();
  });

  it('an "Activer" left waiting for a sign-in does not resume for the member who signs in after a sign-out', async () => {
    const { world, worker } = await signedInWorld();
    const tabId = await openPage(worker);
    // Left by a worker stopped between storing the sign-in and resuming the activation: the
    // next worker found no reason to resume it before the member signed out.
    await signInActivations.set('pending', { tabId, merchantId: 'atelier', at: world.now() });

    await worker.handlers['account:sign-out']({}, { tabId: undefined });
    expect(await signInActivations.get('pending')).toBeNull();
    await worker.handlers['account:sign-in'](SECOND, { tabId: undefined });

    expect(world.portal.clicks).toEqual([]);
    expect(world.navigations.filter((n) => n.url.startsWith(`${PORTAL_URL}/go/`))).toEqual([]);
    expect(await activationIn(worker, tabId)).toEqual({ state: 'none' });
    worker.db.close();
  });

  it('a sign-out while the portal creates the click: the tab is not sent through it', async () => {
    const { world, worker } = await signedInWorld();
    const tabId = await openPage(worker);
    const createClick = worker.deps.portal.createClick.bind(worker.deps.portal);
    vi.spyOn(worker.deps.portal, 'createClick').mockImplementationOnce(async (...args) => {
      const answer = await createClick(...args);
      await worker.handlers['account:sign-out']({}, { tabId: undefined });
      return answer;
    });

    expect(await worker.handlers['banner:activate']({}, { tabId })).toEqual({ state: 'none' });

    expect(world.portal.clicks).toHaveLength(1);
    expect(world.navigations.filter((n) => n.url.startsWith(`${PORTAL_URL}/go/`))).toEqual([]);
    expect(await activationIn(worker, tabId)).toEqual({ state: 'none' });
    expect(world.banners.get(tabId)?.variant).toBe('offer');
    worker.db.close();
  });
});
