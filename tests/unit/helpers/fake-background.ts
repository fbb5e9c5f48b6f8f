/**
 * Fake dependencies for the background's flows: a tiny merchant directory and a scripted portal;
 * and a whole background over persisted fakes that tests stop anywhere (startWorker).
 */
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createAccount, type Account } from '../../../utils/account/account';
import { createDatabaseAccountStore } from '../../../utils/account/store';
import { createPayouts } from '../../../utils/account/payouts';
import {
  forgetActivations,
  recoverInterruptedActivations,
  resumeActivationAfterSignIn,
} from '../../../utils/activation/flow';
import { BUILT_IN_SIGNALS, mergeStandDownSignals } from '../../../utils/visit/affiliate-signals';
import { bindBackgroundDeps, type BackgroundDeps } from '../../../utils/background/deps';
import { createBackgroundHandlers } from '../../../utils/background/handlers';
import { merchantSessionUpdater } from '../../../utils/background/stores';
import { refreshMerchantBanners } from '../../../utils/banner/delivery';
import type { Cagnotte } from '../../../utils/contract/schemas';
import { openRistourneDb, type RistourneDb } from '../../../utils/storage/db';
import type { StoredMerchant } from '../../../utils/merchants/list';
import { createMerchantStore, type MerchantStore } from '../../../utils/merchants/store';
import { syncMerchants, type SyncOutcome } from '../../../utils/merchants/sync';
import type { Handlers } from '../../../utils/protocol/router';
import type { BannerView, Settings } from '../../../utils/protocol/messages';
import type { PortalClient } from '../../../utils/contract/client';
import { installMessages } from './i18n';

export const FNAC: StoredMerchant = {
  id: 'fnac',
  name: 'Fnac',
  domains: ['fnac.com'],
  cashback: { type: 'percent', value: 4.5, upTo: true },
  checkoutPaths: ['/panier'],
  prompts: 'allowed',
};

export const HOTEL: StoredMerchant = {
  id: 'hotel-co',
  name: 'Hotel & Co',
  domains: ['hotel-co.fr'],
  cashback: { type: 'amount', value: 1500, currency: 'EUR', upTo: false },
  prompts: 'checkout-only',
};

export const PORTAL_URL = 'http://localhost:8787';

export function fakeDeps(overrides: Partial<BackgroundDeps> = {}) {
  let now = Date.parse('2026-11-23T10:00:00Z');
  const merchants = [FNAC, HOTEL];
  const muted = new Set<string>();
  const settings: Settings = {
    reminders: true,
    checkoutOnly: false,
    notifications: true,
    searchMarks: true,
  };
  let token: string | null = 'tok';
  const portal = {
    createClick: vi.fn(async (_token: string, click: { merchantId: string; url: string }) => ({
      ok: true as const,
      value: { clickId: 'c_1', redirectUrl: `${PORTAL_URL}/go/c_1?m=${click.merchantId}` },
    })),
  };
  const signals = mergeStandDownSignals(BUILT_IN_SIGNALS, {
    params: ['rdclid'],
    referrerHosts: ['poulpeo.com'],
  });
  const deps: BackgroundDeps = {
    now: () => now,
    worker: 'worker-1',
    portal: portal as unknown as PortalClient,
    merchants: {
      async matchUrl(url) {
        const host = new URL(url).hostname;
        return (
          merchants.find((m) => m.domains.some((d) => host === d || host.endsWith(`.${d}`))) ?? null
        );
      },
      async get(id) {
        return merchants.find((m) => m.id === id) ?? null;
      },
      async standDownSignals() {
        return signals;
      },
      async isMuted(id) {
        return muted.has(id);
      },
      async mute(merchant) {
        muted.add(merchant.id);
      },
    },
    settings: async () => settings,
    token: async () => token,
    signedOut: vi.fn(async () => {
      token = null;
    }),
    updateMerchantSession: merchantSessionUpdater(),
    ...overrides,
  };
  return {
    deps,
    portal,
    settings,
    muted,
    advance(ms: number) {
      now += ms;
    },
    signOut() {
      token = null;
    },
  };
}

// ---------- a whole background that can be stopped anywhere ----------

/**
 * A background built from the real modules (merchant store, sync, account, activation, handlers)
 * over what survives a stopped worker: browser storage (fakeBrowser) and one IndexedDB
 * (fake-indexeddb). A "life" is one worker: it counts its effects (storage writes, IndexedDB
 * writes, tab changes, banner messages, the portal's sign-in and clicks) and, told to stop at
 * effect k, performs effects 1..k-1 and nothing after: effect k and every later call of that
 * life never answer (IndexedDB calls fail, which aborts their transaction, as a stopped worker's
 * are). The next life is a fresh background over the same storage.
 */
export interface Life {
  readonly name: string;
  /** Effects performed so far. */
  effects: number;
  stopAt: number | undefined;
  stopped: boolean;
}

const NEVER = new Promise<never>(() => undefined);

export class WorkerStopped extends Error {
  constructor() {
    super('the worker was stopped');
  }
}

/** Counts an effect of `life`; false when the life is (or just got) stopped: do not perform it. */
function effect(life: Life): boolean {
  if (life.stopped) return false;
  life.effects += 1;
  if (life.stopAt !== undefined && life.effects >= life.stopAt) {
    life.stopped = true;
    return false;
  }
  return true;
}

export const MEMBER = { id: 'u_1', email: 'camille@example.fr', displayName: 'Camille' };
export const FIGURES: Cagnotte = {
  currency: 'EUR',
  pending: 1250,
  confirmed: 4200,
  paid: 0,
  payoutThreshold: 1000,
  transactions: [],
};

/** The portal's side: it outlives every worker (a click it recorded stays recorded). */
export interface FakePortalState {
  clicks: { clickId: string; merchantId: string; url: string }[];
  sessions: string[];
  figures: Cagnotte;
  list: {
    version: string;
    merchants: unknown[];
    standDown: { params: string[]; referrerHosts: string[] };
  };
  /**
   * The changes route, by the `since` asked: the body served. A version not there answers 404
   * (a portal without the route, for tests that do not set any).
   */
  changes: Record<string, unknown>;
  /** Requests the portal answered, by route: what a CDN would carry. */
  served: { whole: number; changes: number };
}

function portalClientFor(state: FakePortalState, world: World): PortalClient {
  const life = () => world.current;
  // A read of a stopped worker never comes back; an effect is performed by the portal and its
  // answer lost when the worker stops right then (the worse case: a click nobody follows).
  const read = <T>(answer: () => T): Promise<T> =>
    life().stopped ? NEVER : Promise.resolve().then(answer);
  const act = <T>(perform: () => T): Promise<T> => {
    const current = life();
    if (current.stopped) return NEVER;
    const answer = perform();
    return effect(current) ? Promise.resolve(answer) : NEVER;
  };
  const client = {
    login: (credentials: { email: string }) =>
      act(() => {
        const token = `tok_${state.sessions.length + 1}`;
        state.sessions.push(token);
        return { ok: true, value: { token, user: { ...MEMBER, email: credentials.email } } };
      }),
    logout: () => act(() => ({ ok: true, value: undefined })),
    cagnotte: () => read(() => ({ ok: true, value: state.figures })),
    merchants: () =>
      read(() => {
        state.served.whole += 1;
        return {
          ok: true,
          value: { notModified: false, etag: `"${state.list.version}"`, body: state.list },
        };
      }),
    merchantChanges: (since: string) =>
      read(() => {
        state.served.changes += 1;
        return Object.hasOwn(state.changes, since)
          ? { ok: true, value: { body: state.changes[since] } }
          : { ok: false, error: { kind: 'http', status: 404, code: 'not_found' } };
      }),
    createClick: (_token: string, click: { merchantId: string; url: string }) =>
      act(() => {
        const clickId = `c_${state.clicks.length + 1}`;
        state.clicks.push({ clickId, ...click });
        return { ok: true, value: { clickId, redirectUrl: `${PORTAL_URL}/go/${clickId}` } };
      }),
  };
  return client as unknown as PortalClient;
}

export interface World {
  dbName: string;
  portal: FakePortalState;
  current: Life;
  now(): number;
  advance(ms: number): void;
  /** Tab updates the browser performed (the navigations that happened), in order. */
  navigations: { tabId: number; url: string }[];
  /** What each tab's banner last received: injected with a view, or a new view (null: gone). */
  banners: Map<number, BannerView | null>;
}

export interface TestWorker {
  life: Life;
  db: RistourneDb;
  deps: BackgroundDeps;
  store: MerchantStore;
  account: Account;
  handlers: Handlers;
  onMerchantChange(merchantId: string): Promise<void>;
  sync(): Promise<SyncOutcome>;
  /** What the background does at every start (entrypoints/background.ts). */
  start(): Promise<void>;
}

let worlds = 0;

/**
 * A fresh browser (storage emptied) and a fresh database, with the calls of the browser that
 * perform effects routed through the current life.
 */
export function createWorld(list: FakePortalState['list']): World {
  // Spies of an earlier world would wrap each other.
  vi.restoreAllMocks();
  fakeBrowser.reset();
  // The banner's views carry the offer's figure, written in the messages' language.
  installMessages('fr');
  worlds += 1;
  let now = Date.parse('2026-11-23T10:00:00Z');
  const world: World = {
    dbName: `worker-world-${worlds}-${Date.now()}`,
    portal: {
      clicks: [],
      sessions: [],
      figures: FIGURES,
      list,
      changes: {},
      served: { whole: 0, changes: 0 },
    },
    current: { name: 'setup', effects: 0, stopAt: undefined, stopped: false },
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    navigations: [],
    banners: new Map(),
  };
  // The banner's side: the script injected with its first view, then the views it is sent.
  vi.spyOn(fakeBrowser.scripting, 'executeScript').mockImplementation((async (injection: {
    target: { tabId: number };
    args?: [BannerView];
  }) => {
    if (!effect(world.current)) return NEVER;
    if (injection.args) world.banners.set(injection.target.tabId, injection.args[0]);
    return [];
  }) as never);
  vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation((async (
    tabId: number,
    update: { view: BannerView | null },
  ) => {
    if (!effect(world.current)) return NEVER;
    world.banners.set(tabId, update.view);
  }) as never);
  const gate = (target: object, names: string[], kind: 'effect' | 'read') => {
    const methods = target as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of names) {
      const original = methods[name]!.bind(target);
      vi.spyOn(methods, name).mockImplementation((...args: unknown[]) => {
        const life = world.current;
        if (life.stopped || (kind === 'effect' && !effect(life))) return NEVER;
        return original(...args);
      });
    }
  };
  for (const area of [fakeBrowser.storage.session, fakeBrowser.storage.local]) {
    gate(area, ['get'], 'read');
    gate(area, ['set', 'remove', 'clear'], 'effect');
  }
  gate(fakeBrowser.tabs, ['get', 'query'], 'read');
  gate(fakeBrowser.tabs, ['create', 'remove'], 'effect');
  // The navigation itself: recorded, as the browser would then carry it out without the worker.
  const update = fakeBrowser.tabs.update.bind(fakeBrowser.tabs);
  vi.spyOn(fakeBrowser.tabs, 'update').mockImplementation(((
    tabId: number,
    properties: { url?: string },
  ) => {
    const life = world.current;
    if (!effect(life)) return NEVER;
    if (properties.url) world.navigations.push({ tabId, url: properties.url });
    return update(tabId, properties);
  }) as typeof fakeBrowser.tabs.update);
  return world;
}

/** IndexedDB through this life: writes are effects; once stopped, every call fails. */
function stoppableDb(world: World, life: Life): RistourneDb {
  const db = openRistourneDb(world.dbName);
  db.use({
    stack: 'dbcore',
    name: 'worker-life',
    create(down) {
      return {
        ...down,
        table(name) {
          const table = down.table(name);
          const stopped = () => Promise.reject(new WorkerStopped());
          return {
            ...table,
            mutate: (request) => (effect(life) ? table.mutate(request) : stopped()),
            get: (request) => (life.stopped ? stopped() : table.get(request)),
            getMany: (request) => (life.stopped ? stopped() : table.getMany(request)),
            query: (request) => (life.stopped ? stopped() : table.query(request)),
            openCursor: (request) => (life.stopped ? stopped() : table.openCursor(request)),
            count: (request) => (life.stopped ? stopped() : table.count(request)),
          };
        },
      };
    },
  });
  return db;
}

let lives = 0;

/** Starts a worker (a life) over the world's storage; `stopAt`: the effect it stops at. */
export function startWorker(world: World, stopAt?: number): TestWorker {
  lives += 1;
  const life: Life = { name: `worker-${lives}`, effects: 0, stopAt, stopped: false };
  world.current = life;
  const db = stoppableDb(world, life);
  const store = createMerchantStore(db, { now: world.now, worker: life.name });
  const portal = portalClientFor(world.portal, world);
  const onMerchantChange = (merchantId: string) => refreshMerchantBanners(deps, merchantId);
  const account = createAccount({
    client: portal,
    store: createDatabaseAccountStore(() => db),
    now: world.now,
    onSignedIn: () => resumeActivationAfterSignIn(deps, onMerchantChange),
    onSignedOut: () => forgetActivations(deps, onMerchantChange),
  });
  const deps = bindBackgroundDeps({
    now: world.now,
    worker: life.name,
    portal,
    store,
    account,
  });
  const sync = () =>
    syncMerchants({
      db,
      client: portal,
      now: world.now,
      force: true,
      worker: life.name,
      merchantsPerBucket: 2,
      chunkSize: 4,
    });
  const handlers = createBackgroundHandlers({
    deps,
    store,
    account,
    payouts: createPayouts({
      client: portal,
      store: createDatabaseAccountStore(() => db),
      now: world.now,
      portalUrl: PORTAL_URL,
      forgetSession: () => account.forgetSession(),
    }),
    onMerchantChange,
    syncNow: sync,
  });
  return {
    life,
    db,
    deps,
    store,
    account,
    handlers,
    onMerchantChange,
    sync,
    start: () => recoverInterruptedActivations(deps, onMerchantChange),
  };
}

/**
 * Runs `flow` in `worker` until it ends or the worker stops; then lets whatever the stopped
 * worker had in flight settle (its later calls never answer). True when the flow ended.
 */
export async function runUntilStopped(
  worker: TestWorker,
  flow: (worker: TestWorker) => Promise<unknown>,
): Promise<boolean> {
  let ended = false;
  const running = flow(worker).then(
    () => {
      ended = true;
    },
    (error: unknown) => {
      if (!worker.life.stopped) throw error;
    },
  );
  while (!ended && !worker.life.stopped) {
    await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 0))]);
  }
  // What was already on its way (an IndexedDB request) settles; nothing after it runs.
  for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
  if (!worker.life.stopped) await running;
  worker.db.close();
  return ended;
}
