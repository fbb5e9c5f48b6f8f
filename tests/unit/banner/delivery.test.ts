// @vitest-environment happy-dom
/**
 * The banner goes to the document that committed, not to whatever the tab shows when the
 * injection runs: a tab that committed merchant A's page and moved on to site B at once (a
 * quick redirect) must not show merchant A's offer on site B.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { merchantSessions, tabStates } from '../../../utils/background/stores';
import {
  BANNER_SCRIPT,
  deliverBanner,
  handOverView,
  ORDER_WATCH_SCRIPT,
  refreshMerchantBanners,
} from '../../../utils/banner/delivery';
import type { StoredMerchant } from '../../../utils/merchants/list';
import { createOrderJournal } from '../../../utils/orders/journal';
import { openRistourneDb } from '../../../utils/storage/db';
import type { BannerView } from '../../../utils/protocol/messages';
import { handleCommittedNavigation, handleSameDocumentNavigation } from '../../../utils/visit/flow';
import {
  createWorld,
  FNAC,
  fakeDeps,
  MEMBER,
  startWorker,
  type FakePortalState,
} from '../helpers/fake-background';
import { fakeHostAccess } from '../helpers/fake-host-access';
import { installMessages } from '../helpers/i18n';

interface Document {
  id: string;
  origin: string;
  /** What our scripts put there: the view handed over, the banner script, messages. */
  received: unknown[];
}

/**
 * One tab whose document changes, and the browser's injection into it: a target naming a
 * document that is no longer there fails (as Chrome's "No document with id"); a target naming
 * only the tab reaches whatever document it shows.
 */
function fakeTab(tabId: number) {
  let current: Document = { id: 'doc-0', origin: 'about:blank', received: [] };
  const documents: Document[] = [];
  const reach = (documentIds?: string[]) => {
    if (documentIds && !documentIds.includes(current.id)) {
      throw new Error(`No document with id ${documentIds[0]} in tab ${tabId}`);
    }
    return current;
  };
  vi.spyOn(fakeBrowser.scripting, 'executeScript').mockImplementation(
    async (injection: {
      target: { tabId: number; documentIds?: string[] };
      files?: string[];
      args?: unknown[];
    }) => {
      const document = reach(injection.target.documentIds);
      document.received.push(
        injection.files ? `script ${injection.files[0]}` : injection.args?.[0],
      );
      return [];
    },
  );
  vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation((async (
    _tabId: number,
    message: { view: BannerView | null },
    options?: { documentId?: string },
  ) => {
    const document = reach(options?.documentId ? [options.documentId] : undefined);
    document.received.push(message.view);
  }) as never);
  return {
    navigate(id: string, origin: string): Document {
      current = { id, origin, received: [] };
      documents.push(current);
      return current;
    },
  };
}

beforeEach(() => {
  fakeBrowser.reset();
  installMessages('fr');
  fakeHostAccess({ allSites: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a quick redirect from a merchant to another site', () => {
  it('the banner injected at the merchant’s commit never reaches the next document', async () => {
    const { deps } = fakeDeps();
    const tab = fakeTab(3);
    const merchantPage = tab.navigate('doc-fnac', 'https://www.fnac.com');
    const visit = await handleCommittedNavigation(deps, {
      tabId: 3,
      url: 'https://www.fnac.com/livre/1',
      clientRedirect: false,
      documentId: 'doc-fnac',
    });
    // The page redirects at once, before the injection runs.
    const nextSite = tab.navigate('doc-other', 'https://www.example.org');
    await deliverBanner(deps, 3, { update: false, merchant: visit.merchant, visit });

    expect(nextSite.received).toEqual([]);
    expect(merchantPage.received).toEqual([]);
    // Not marked as injected: the next document of a merchant gets its banner.
    expect((await tabStates.get(3))?.bannerInjected).toBe(false);
  });

  it('a view sent to the merchant’s banner never reaches the next document', async () => {
    const { deps } = fakeDeps();
    const tab = fakeTab(3);
    const merchantPage = tab.navigate('doc-fnac', 'https://www.fnac.com');
    const visit = await handleCommittedNavigation(deps, {
      tabId: 3,
      url: 'https://www.fnac.com/livre/1',
      clientRedirect: false,
      documentId: 'doc-fnac',
    });
    await deliverBanner(deps, 3, { update: false, merchant: visit.merchant, visit });
    expect(merchantPage.received).toHaveLength(2);

    const nextSite = tab.navigate('doc-other', 'https://www.example.org');
    await refreshMerchantBanners(deps, 'fnac');
    expect(nextSite.received).toEqual([]);
  });
});

describe('the order watch', () => {
  const FOLLOWED: StoredMerchant = { ...FNAC, trackingDelayHours: 48 };

  function fnacDeps() {
    const db = openRistourneDb(`delivery-orders-${Math.random()}`);
    const { deps } = fakeDeps({
      followUp: { journal: createOrderJournal(() => db), memberId: async () => 'u_1' },
    });
    deps.merchants.get = async (id) => (id === FOLLOWED.id ? FOLLOWED : null);
    return deps;
  }

  async function activate(deps: ReturnType<typeof fnacDeps>) {
    const now = deps.now();
    await merchantSessions.set(FOLLOWED.id, {
      dismissed: false,
      activation: { state: 'activated', at: now - 60_000, until: now + 60 * 60_000 },
    });
  }

  async function visitFnac(activated: boolean) {
    const deps = fnacDeps();
    if (activated) await activate(deps);
    const tab = fakeTab(3);
    // The handover takes a moment to run in the page: what reads it must wait for it.
    const injected = vi.mocked(fakeBrowser.scripting.executeScript);
    const inject = injected.getMockImplementation()!;
    injected.mockImplementation(async (injection) => {
      if ('func' in injection) await new Promise((resolve) => setTimeout(resolve, 5));
      return inject(injection);
    });
    const page = tab.navigate('doc-fnac', 'https://www.fnac.com');
    const visit = await handleCommittedNavigation(deps, {
      tabId: 3,
      url: 'https://www.fnac.com/commande/merci',
      clientRedirect: false,
      documentId: 'doc-fnac',
    });
    await deliverBanner(deps, 3, { update: false, merchant: FOLLOWED, visit });
    return page.received;
  }

  it('follows the handover on a page of a merchant the member activated', async () => {
    const received = await visitFnac(true);
    expect(received).toContain(`script ${BANNER_SCRIPT}`);
    const handover = received.findIndex((item) => typeof item !== 'string');
    expect(received.indexOf(`script ${ORDER_WATCH_SCRIPT}`)).toBeGreaterThan(handover);
  });

  it('never reaches a merchant page without an activation: the banner goes alone', async () => {
    const received = await visitFnac(false);
    expect(received).toContain(`script ${BANNER_SCRIPT}`);
    expect(received).not.toContain(`script ${ORDER_WATCH_SCRIPT}`);
  });

  it('goes again when a single-page shop turns the checkout, banner and all, into its confirmation', async () => {
    const deps = fnacDeps();
    const tab = fakeTab(3);
    const page = tab.navigate('doc-fnac', 'https://www.fnac.com');
    const checkout = await handleCommittedNavigation(deps, {
      tabId: 3,
      url: 'https://www.fnac.com/commande',
      clientRedirect: false,
      documentId: 'doc-fnac',
    });
    await deliverBanner(deps, 3, { update: false, merchant: FOLLOWED, visit: checkout });
    expect(page.received).toContain(`script ${BANNER_SCRIPT}`);
    await activate(deps);
    // A checkout is no order: the same-document steps up to the payment bring no watch.
    await handleSameDocumentNavigation(deps, 3, 'https://www.fnac.com/commande/paiement');
    await deliverBanner(deps, 3, { update: true });
    expect(page.received).not.toContain(`script ${ORDER_WATCH_SCRIPT}`);

    await handleSameDocumentNavigation(deps, 3, 'https://www.fnac.com/commande/merci');
    await deliverBanner(deps, 3, { update: true });
    const watch = page.received.indexOf(`script ${ORDER_WATCH_SCRIPT}`);
    expect(watch).toBeGreaterThan(0);
    expect(page.received.filter((item) => item === `script ${BANNER_SCRIPT}`)).toHaveLength(1);
  });
});

describe('handOverView, where the browser names no document (Firefox before 153)', () => {
  const world = globalThis as { ristourneInitialView?: BannerView; ristourneOrderWatch?: string };
  const view = { merchant: { id: 'fnac' } } as unknown as BannerView;
  afterEach(() => {
    delete world.ristourneInitialView;
    delete world.ristourneOrderWatch;
  });

  it('leaves the view and the order watch for the banner on the merchant’s own origin', () => {
    handOverView(view, 'portal-path', location.origin);
    expect(world.ristourneInitialView).toBe(view);
    expect(world.ristourneOrderWatch).toBe('portal-path');
  });

  it('drops a view and an order watch meant for a page of another origin', () => {
    handOverView(view, 'portal-path', 'https://www.fnac.com');
    expect(world.ristourneInitialView).toBeUndefined();
    expect(world.ristourneOrderWatch).toBeUndefined();
  });
});

describe('a banner script that reached the next document (a browser that names no document)', () => {
  const LIST: FakePortalState['list'] = {
    version: 'v1',
    merchants: [
      { id: 'fnac', name: 'Fnac', domains: ['fnac.com'], cashback: { type: 'percent', value: 4 } },
    ],
    standDown: { params: [], referrerHosts: [] },
  };

  it('gets no view of the previous page’s merchant, and cannot activate, close or mute it', async () => {
    const world = createWorld(LIST);
    const worker = startWorker(world);
    await worker.sync();
    await worker.account.signIn({ email: MEMBER.email, password: 'secret' });
    await handleCommittedNavigation(worker.deps, {
      tabId: 5,
      url: 'https://www.fnac.com/livre/1',
      clientRedirect: false,
    });
    const elsewhere = { tabId: 5, document: { origin: 'https://www.example.org' } };

    expect(await worker.handlers['banner:get-view']({}, elsewhere)).toBeNull();
    expect(await worker.handlers['banner:activate']({}, elsewhere)).toEqual({
      state: 'error',
      failure: { reason: 'not-a-merchant' },
    });
    await worker.handlers['banner:dismiss']({}, elsewhere);
    await worker.handlers['banner:mute']({}, elsewhere);
    expect(world.portal.clicks).toEqual([]);

    // The merchant's own page still gets its banner.
    const own = { tabId: 5, document: { origin: 'https://www.fnac.com' } };
    expect(await worker.handlers['banner:get-view']({}, own)).toMatchObject({ variant: 'offer' });
    worker.db.close();
  });

  it('where the browser names documents, only the document that committed is heard', async () => {
    const world = createWorld(LIST);
    const worker = startWorker(world);
    await worker.sync();
    await handleCommittedNavigation(worker.deps, {
      tabId: 5,
      url: 'https://www.fnac.com/livre/1',
      clientRedirect: false,
      documentId: 'doc-1',
    });
    const origin = 'https://www.fnac.com';
    const earlier = { tabId: 5, document: { origin, documentId: 'doc-0' } };
    const current = { tabId: 5, document: { origin, documentId: 'doc-1' } };
    expect(await worker.handlers['banner:get-view']({}, earlier)).toBeNull();
    expect(await worker.handlers['banner:get-view']({}, current)).toMatchObject({
      variant: 'offer',
    });
    worker.db.close();
  });
});
