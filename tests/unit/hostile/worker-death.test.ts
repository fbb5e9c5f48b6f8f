/**
 * The worker dies anywhere. Each flow (a sync, an activation, a sign-in that resumes an
 * activation, a cagnotte refresh, a dismissal, a stand-down) is run once to count its effects
 * (storage and IndexedDB writes, tab changes, banner messages, the portal's sign-in and clicks),
 * then once per effect, the worker stopped right there: effects before it done, none after. A
 * fresh background then starts over the same storage, as Chrome's next worker would, and the
 * shopper must find a whole list, an activation done or cleanly abandoned (the offer again, a
 * click that works), their sign-in whole or absent, and every acknowledged dismissal and
 * stand-down kept.
 *
 * Each STOP_POINTS constant is the number of effects of its flow plus one (the flow run to its
 * end): every stop point is tried. A flow that gains or loses a step fails its count check.
 */
import { describe, expect, it } from 'vitest';
import { browser } from 'wxt/browser';
import { StoredAccountSchema } from '../../../utils/account/store';
import { ACTIVATING_TIMEOUT_MS } from '../../../utils/activation/status';
import { getMerchantSession, isStandingDown, tabStates } from '../../../utils/background/stores';
import { deliverBanner } from '../../../utils/banner/delivery';
import { bannerViewFor } from '../../../utils/banner/view';
import type { Cagnotte } from '../../../utils/contract/schemas';
import { openRistourneDb } from '../../../utils/storage/db';
import type { ActivationStatus } from '../../../utils/protocol/messages';
import { tabOffer } from '../../../utils/visit/tab-offer';
import { handleCommittedNavigation, recordNavigationRequest } from '../../../utils/visit/flow';
import {
  createWorld,
  FIGURES,
  MEMBER,
  PORTAL_URL,
  runUntilStopped,
  startWorker,
  type FakePortalState,
  type TestWorker,
  type World,
} from '../helpers/fake-background';

/** Stop points tried, per flow (its effects + the run to the end). */
export const SYNC_STOP_POINTS = 14;
export const DELTA_SYNC_STOP_POINTS = 11;
export const ACTIVATION_STOP_POINTS = 6;
export const SIGN_IN_STOP_POINTS = 12;
export const CAGNOTTE_STOP_POINTS = 2;
export const DISMISSAL_STOP_POINTS = 3;
export const STAND_DOWN_STOP_POINTS = 5;

const SHARED = ['atelier', 'numeria', 'velo', 'maison', 'jardin'];
const shop = (id: string, value: number) => ({
  id,
  name: `Boutique ${id}`,
  domains: [`${id}.fr`],
  cashback: { type: 'percent', value },
  checkoutPaths: ['/panier'],
});
const LIST_V1: FakePortalState['list'] = {
  version: 'v1',
  merchants: [...SHARED.map((id) => shop(id, 4)), shop('ancienne', 3)],
  standDown: { params: ['awc'], referrerHosts: [] },
};
const LIST_V2: FakePortalState['list'] = {
  version: 'v2',
  merchants: [...SHARED.map((id) => shop(id, 7)), shop('nouvelle', 5), shop('derniere', 6)],
  standDown: { params: ['awc'], referrerHosts: [] },
};
/** What turns LIST_V1 into LIST_V2. */
const CHANGES_V1_V2 = {
  from: 'v1',
  to: 'v2',
  upserted: LIST_V2.merchants
    .filter((m) => !SHARED.includes((m as { id: string }).id))
    .concat(SHARED.map((id) => shop(id, 7))),
  removed: ['ancienne'],
};
const PAGE = 'https://www.atelier.fr/produit/1?taille=M';
const CREDENTIALS = { email: MEMBER.email, password: 'secret' };
const NEWER: Cagnotte = { ...FIGURES, pending: 0, confirmed: 5450 };

/** A main-frame commit as utils/visit/navigation-setup.ts handles it: tab state, then the banner. */
async function commit(worker: TestWorker, tabId: number, url: string): Promise<void> {
  const { merchant, landing } = await handleCommittedNavigation(worker.deps, {
    tabId,
    url,
    clientRedirect: false,
  });
  if (merchant) await deliverBanner(worker.deps, tabId, { update: false, merchant });
  if (merchant && landing !== 'plain') await worker.onMerchantChange(merchant.id);
}

async function openPage(worker: TestWorker, url: string): Promise<number> {
  const tab = await browser.tabs.create({ url });
  await commit(worker, tab.id!, url);
  return tab.id!;
}

/** The browser carries the tab through the portal's redirect and the network's hop. */
async function land(worker: TestWorker, tabId: number, redirectUrl: string): Promise<void> {
  const clickId = redirectUrl.split('/').pop()!;
  const landing = `${PAGE}&rdclid=${clickId}`;
  for (const url of [redirectUrl, `http://clic.reseau-demo.localhost/clk?c=${clickId}`, landing]) {
    await recordNavigationRequest(tabId, { url, requestId: `r-${clickId}` }, worker.deps.now());
  }
  await commit(worker, tabId, landing);
}

async function activationOf(worker: TestWorker, tabId: number): Promise<ActivationStatus> {
  const offer = await tabOffer(worker.deps, tabId, undefined);
  if (offer.kind !== 'merchant') throw new Error(`tab ${tabId} is not on a merchant`);
  return offer.activation;
}

const redirectsOf = (world: World, tabId: number) =>
  world.navigations.filter((n) => n.tabId === tabId && n.url.startsWith(`${PORTAL_URL}/go/`));

/**
 * After a stop: the tab either was sent through a click (the landing completes it) or offers to
 * activate again (at once, or once an activation that had its click but never sent the tab
 * expires), and a click then works. Never more than one click left unfollowed.
 */
async function expectActivatedOrOfferedAgain(
  world: World,
  worker: TestWorker,
  tabId: number,
): Promise<void> {
  const sent = redirectsOf(world, tabId).at(-1);
  if (sent) {
    await land(worker, tabId, sent.url);
  } else {
    if ((await activationOf(worker, tabId)).state === 'activating') {
      // Stopped between storing the click and sending the tab: it expires instead of blocking.
      const record = (await getMerchantSession('atelier')).activation;
      expect(record).toMatchObject({ state: 'activating', redirectUrl: expect.any(String) });
      world.advance(ACTIVATING_TIMEOUT_MS);
    }
    expect((await activationOf(worker, tabId)).state).not.toBe('activating');
    const view = await bannerViewFor(worker.deps, tabId, await tabStates.get(tabId));
    expect(['offer', 'error']).toContain(view?.variant);
    expect(await worker.handlers['banner:activate']({}, { tabId })).toEqual({
      state: 'activating',
    });
    await land(worker, tabId, redirectsOf(world, tabId).at(-1)!.url);
  }
  expect((await activationOf(worker, tabId)).state).toBe('activated');
  expect(world.portal.clicks.length).toBeLessThanOrEqual(2);
}

/**
 * Runs `scene` once without a stop to count the flow's effects, checks the count, then once per
 * stop point.
 */
async function everyStopPoint(
  stopPoints: number,
  scene: (stopAt: number | undefined) => Promise<number>,
): Promise<void> {
  const effects = await scene(undefined);
  expect(effects + 1, 'the flow gained or lost a step: update its STOP_POINTS').toBe(stopPoints);
  for (let stopAt = 1; stopAt < stopPoints; stopAt++) {
    try {
      await scene(stopAt);
    } catch (error) {
      throw new Error(`stopped at effect ${stopAt} of ${effects}: ${String(error)}`, {
        cause: error,
      });
    }
  }
}

/** Setup work in a worker that is not stopped, closed when done. */
async function prepare(world: World, work: (worker: TestWorker) => Promise<void>): Promise<void> {
  const worker = startWorker(world);
  await work(worker);
  worker.db.close();
}

describe('the worker stopped anywhere', { timeout: 60_000 }, () => {
  it('during a sync: the list is the whole old one or the whole new one, and the next sync completes', async () => {
    await everyStopPoint(SYNC_STOP_POINTS, async (stopAt) => {
      const world = createWorld(LIST_V1);
      await prepare(world, async (worker) => void (await worker.sync()));
      world.portal.list = LIST_V2;
      world.advance(1000);

      const dying = startWorker(world, stopAt);
      await runUntilStopped(dying, (worker) => worker.sync());
      const effects = dying.life.effects;

      const next = startWorker(world);
      await expectWholeList(next);
      // At once: the stopped worker's lease does not hold the next worker back.
      expect((await next.sync()).status).toBe('updated');
      expect((await expectWholeList(next)).version).toBe('v2');
      next.db.close();
      return effects;
    });
  });

  it('during a delta sync: the list is the whole old one or the whole new one, and the next sync completes', async () => {
    await everyStopPoint(DELTA_SYNC_STOP_POINTS, async (stopAt) => {
      const world = createWorld(LIST_V1);
      await prepare(world, async (worker) => void (await worker.sync()));
      world.portal.list = LIST_V2;
      world.portal.changes = {
        v1: CHANGES_V1_V2,
        v2: { from: 'v2', to: 'v2', upserted: [], removed: [] },
      };
      world.advance(1000);

      const dying = startWorker(world, stopAt);
      await runUntilStopped(dying, (worker) => worker.sync());
      const effects = dying.life.effects;

      const next = startWorker(world);
      await expectWholeList(next);
      expect((await next.sync()).status).toMatch(/updated|not-modified/);
      expect((await expectWholeList(next)).version).toBe('v2');
      // Changes every time: the whole list was downloaded once, for the first sync.
      expect(world.portal.served.whole).toBe(1);
      next.db.close();
      return effects;
    });
  });

  it('during an activation: the landing completes it, or the banner offers it again and a click works', async () => {
    await everyStopPoint(ACTIVATION_STOP_POINTS, async (stopAt) => {
      const world = createWorld(LIST_V1);
      let tabId = 0;
      await prepare(world, async (worker) => {
        await worker.sync();
        await worker.account.signIn(CREDENTIALS);
        tabId = await openPage(worker, PAGE);
      });

      const dying = startWorker(world, stopAt);
      await runUntilStopped(dying, async (worker) => {
        await worker.start();
        await worker.handlers['banner:activate']({}, { tabId });
      });
      const effects = dying.life.effects;

      const next = startWorker(world);
      await next.start();
      await expectActivatedOrOfferedAgain(world, next, tabId);
      next.db.close();
      return effects;
    });
  });

  it('during a sign-in that resumes an activation: signed in or out, never half, and the activation completes', async () => {
    await everyStopPoint(SIGN_IN_STOP_POINTS, async (stopAt) => {
      const world = createWorld(LIST_V1);
      let tabId = 0;
      await prepare(world, async (worker) => {
        await worker.sync();
        tabId = await openPage(worker, PAGE);
        // Signed out, "Activer" opens the sign-in page and waits for it.
        await worker.handlers['banner:activate']({}, { tabId });
      });

      const dying = startWorker(world, stopAt);
      await runUntilStopped(dying, async (worker) => {
        await worker.start();
        await worker.handlers['account:sign-in'](CREDENTIALS, { tabId: undefined });
      });
      const effects = dying.life.effects;

      const next = startWorker(world);
      await next.start();
      const stored = await openRistourneDb(world.dbName).account.get('member');
      if (stored) expect(StoredAccountSchema.safeParse(stored.account).success).toBe(true);
      const view = await next.account.getAccountView();
      if (!view.signedIn) {
        // The token never reached storage: the member signs in again.
        expect(stored).toBeUndefined();
        await next.handlers['account:sign-in'](CREDENTIALS, { tabId: undefined });
      }
      expect(await next.account.getAccountView()).toMatchObject({
        signedIn: true,
        user: { id: MEMBER.id },
      });
      // The member clicked "Activer" and signed in: no second click is asked of them, unless the
      // stop fell between storing the click and sending the tab (that one expires).
      const record = (await getMerchantSession('atelier')).activation;
      const resumed =
        redirectsOf(world, tabId).length > 0 ||
        (record?.state === 'activating' && record.redirectUrl !== undefined);
      expect(resumed, 'the activation waiting for the sign-in resumed').toBe(true);
      await expectActivatedOrOfferedAgain(world, next, tabId);
      next.db.close();
      return effects;
    });
  });

  it('during a cagnotte refresh: the old figures or the new ones, whole', async () => {
    await everyStopPoint(CAGNOTTE_STOP_POINTS, async (stopAt) => {
      const world = createWorld(LIST_V1);
      await prepare(world, async (worker) => {
        await worker.account.signIn(CREDENTIALS);
        await worker.account.refreshCagnotte();
      });
      world.portal.figures = NEWER;
      world.advance(60_000);

      const dying = startWorker(world, stopAt);
      await runUntilStopped(dying, (worker) =>
        worker.handlers['account:refresh']({}, { tabId: undefined }),
      );
      const effects = dying.life.effects;

      const next = startWorker(world);
      const view = await next.account.getAccountView();
      expect(view).toMatchObject({ signedIn: true, user: { id: MEMBER.id }, refreshError: null });
      const figures = view.signedIn ? view.cagnotte?.figures : undefined;
      expect([FIGURES, NEWER]).toContainEqual(figures);
      expect((await next.account.refreshCagnotte()).view).toMatchObject({
        cagnotte: { figures: NEWER },
      });
      next.db.close();
      return effects;
    });
  });

  it('during a dismissal: once the banner is told, the dismissal is kept', async () => {
    await everyStopPoint(DISMISSAL_STOP_POINTS, async (stopAt) => {
      const world = createWorld(LIST_V1);
      let tabId = 0;
      await prepare(world, async (worker) => {
        await worker.sync();
        tabId = await openPage(worker, PAGE);
      });
      expect(world.banners.get(tabId)?.variant).toBe('offer');

      const dying = startWorker(world, stopAt);
      const acknowledged = await runUntilStopped(dying, (worker) =>
        worker.handlers['banner:dismiss']({}, { tabId }),
      );
      const effects = dying.life.effects;

      startWorker(world).db.close();
      const dismissed = (await getMerchantSession('atelier')).dismissed;
      if (acknowledged || world.banners.get(tabId) === null) expect(dismissed).toBe(true);
      return effects;
    });
  });

  it("during another affiliate's landing: once the tab's page is known, the stand-down is kept", async () => {
    await everyStopPoint(STAND_DOWN_STOP_POINTS, async (stopAt) => {
      const world = createWorld(LIST_V1);
      let tabId = 0;
      await prepare(world, async (worker) => {
        await worker.sync();
        tabId = await openPage(worker, PAGE);
      });
      const landing = 'https://www.atelier.fr/produit/2?awc=1_123';
      // A new document: the previous page's banner is gone with it.
      world.banners.delete(tabId);

      const dying = startWorker(world, stopAt);
      await runUntilStopped(dying, (worker) => commit(worker, tabId, landing));
      const effects = dying.life.effects;

      const next = startWorker(world);
      const known = (await tabStates.get(tabId))?.url === landing;
      const standingDown = await isStandingDown('atelier', world.now());
      if (known) expect(standingDown).toBe(true);
      // Never an offer on the landing of another affiliate.
      expect(world.banners.get(tabId)?.variant === 'offer' && known).toBe(false);
      // The next page of the merchant follows what was kept.
      const other = await openPage(next, 'https://www.atelier.fr/produit/3');
      expect(world.banners.has(other)).toBe(!standingDown);
      next.db.close();
      return effects;
    });
  });
});

/** The current list is one version, whole: each of its merchants matches, no other does. */
async function expectWholeList(worker: TestWorker): Promise<{ version: string }> {
  const { version } = await worker.store.getSyncState();
  const list = version === 'v1' ? LIST_V1 : LIST_V2;
  expect(['v1', 'v2']).toContain(version);
  for (const merchant of list.merchants as ReturnType<typeof shop>[]) {
    const found = await worker.store.matchUrl(`https://www.${merchant.id}.fr/panier`);
    expect(found, `${merchant.id} in ${version}`).toMatchObject({
      id: merchant.id,
      cashback: { value: merchant.cashback.value },
    });
  }
  const other = version === 'v1' ? 'nouvelle' : 'ancienne';
  expect(await worker.store.matchUrl(`https://www.${other}.fr/`)).toBeNull();
  return { version: version! };
}
