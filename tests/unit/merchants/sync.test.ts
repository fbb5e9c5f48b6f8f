import { afterEach, describe, expect, it, vi } from 'vitest';
import { MERCHANT_LIST_KEY, openRistourneDb, type RistourneDb } from '../../../utils/storage/db';
import { INDEX_FORMAT } from '../../../utils/merchants/domain-index';
import { createMerchantStore } from '../../../utils/merchants/store';
import {
  BACKOFF_MAX_MS,
  isLeaseHeld,
  isListStale,
  isSyncDue,
  LEASE_MS,
  LONGEST_SYNC_WAIT_MS,
  nextAttemptDelay,
  nextSyncAlarmAt,
  SYNC_INTERVAL_MS,
  SYNC_JITTER_MS,
} from '../../../utils/merchants/sync-policy';
import {
  CHANGES_UNSUPPORTED_MS,
  chooseListRequest,
  judgeChangesAnswer,
  lastSyncFailed,
  syncMerchants,
  syncWasCut,
  type SyncDeps,
} from '../../../utils/merchants/sync';
import { createPortalClient } from '../../../utils/contract/client';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const MINUTE = 60_000;
const YEAR = 365 * 24 * 60 * MINUTE;

let db: RistourneDb;
let dbCount = 0;

afterEach(async () => {
  vi.restoreAllMocks();
  await db?.delete();
});

function merchant(id: string, domains: string[], value = 4) {
  return { id, name: `Shop ${id}`, domains, cashback: { type: 'percent', value } };
}

function listBody(version: string, merchants: unknown[]) {
  return { version, merchants, standDown: { params: ['awc'], referrerHosts: [] } };
}

const V1 = listBody('v1', [
  merchant('fnac', ['fnac.com']),
  merchant('cafe', ['café.fr']),
  merchant('bazar', ['grand-bazar.localhost']),
]);
const V2 = listBody('v2', [
  merchant('fnac', ['fnac.com'], 5),
  merchant('bazar', ['grand-bazar.localhost'], 5),
  merchant('new', ['new.fr'], 5),
]);

type Reply = (init: RequestInit) => Response | Promise<Response>;

const json =
  (body: unknown, etag?: string): Reply =>
  () =>
    new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'Content-Type': 'application/json', ...(etag ? { ETag: etag } : {}) },
    });

/** Tests lower the list's byte cap so that a list over it stays small. */
const TEST_LIST_CAP = 10_000;

/** A body that never ends: only a cap checked while streaming stops reading it. */
const endless = (chunk: string) => {
  const bytes = new TextEncoder().encode(chunk);
  return new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(bytes) });
};

/** A body that sends its first bytes, then nothing more, and ignores the fetch's signal. */
const trickle = (first: string) =>
  new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(new TextEncoder().encode(first)),
    pull: () => new Promise<void>(() => undefined),
  });

/** The answer of a portal without the changes route. */
const noChanges: Reply = () =>
  new Response(JSON.stringify({ error: { code: 'not_found' } }), {
    status: 404,
    headers: { 'Content-Type': 'application/json' },
  });

/**
 * A portal answering each request for the whole list with the next reply, recording the
 * If-None-Match it got, and each request for changes with the next of `changes` (404 when none
 * is left: a portal without the route).
 */
function fakePortal(
  now: () => number,
  listTimeoutMs: number,
  replies: Reply[],
  changes: Reply[] = [],
) {
  const ifNoneMatch: (string | null)[] = [];
  const since: string[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/api/v1/merchants/changes') {
      since.push(url.searchParams.get('since') ?? '');
      return (changes.shift() ?? noChanges)(init);
    }
    ifNoneMatch.push(new Headers(init.headers).get('If-None-Match'));
    const reply = replies.shift();
    if (!reply) throw new Error('unexpected request');
    return reply(init);
  });
  const client = createPortalClient({
    baseUrl: 'http://portal.test',
    fetch,
    listTimeoutMs,
    maxListBytes: TEST_LIST_CAP,
    now,
  });
  return { client, ifNoneMatch, since, fetch };
}

function setUp(...replies: Reply[]) {
  return setUpWithTimeout(50, ...replies);
}

function setUpWithTimeout(listTimeoutMs: number, ...replies: Reply[]) {
  dbCount += 1;
  db = openRistourneDb(`sync-test-${dbCount}-${Date.now()}`);
  let now = T0;
  const portal = fakePortal(() => now, listTimeoutMs, replies);
  const deps = (extra: Partial<SyncDeps> = {}): SyncDeps => ({
    client: portal.client,
    db,
    now: () => now,
    random: () => 0.5,
    ...extra,
  });
  return {
    portal,
    deps,
    store: createMerchantStore(db, { now: () => now }),
    advance(ms: number) {
      now += ms;
    },
    now: () => now,
  };
}

describe('syncMerchants', () => {
  it('stores a fresh list and describes it in the sync state', async () => {
    const { deps, store, portal } = setUp(json(V1, '"e1"'));
    const outcome = await syncMerchants(deps());
    expect(outcome).toEqual({
      status: 'updated',
      via: 'whole',
      version: 'v1',
      counts: { merchants: 3, dropped: 0, domains: 3 },
      nextAttemptAt: T0 + SYNC_INTERVAL_MS + SYNC_JITTER_MS / 2,
    });
    expect(portal.ifNoneMatch).toEqual([null]);
    expect((await store.matchUrl('https://www.fnac.com/'))?.id).toBe('fnac');
    expect((await store.matchUrl('https://xn--caf-dma.fr/'))?.id).toBe('cafe');
    expect(await store.getStandDownList()).toEqual({ params: ['awc'], referrerHosts: [] });
    expect(await store.getSyncState()).toEqual({
      generation: 1,
      version: 'v1',
      etag: '"e1"',
      counts: { merchants: 3, dropped: 0, domains: 3 },
      dropped: [],
      replacedAt: T0,
      lastAttemptAt: T0,
      lastSuccessAt: T0,
      lastError: null,
      consecutiveFailures: 0,
      nextAttemptAt: T0 + SYNC_INTERVAL_MS + SYNC_JITTER_MS / 2,
      syncing: false,
    });
  });

  it('sends the ETag, and on 304 writes nothing but the sync state', async () => {
    const { deps, store, portal, advance } = setUp(
      json(V1, '"e1"'),
      () => new Response(null, { status: 304 }),
    );
    await syncMerchants(deps());
    const rowsBefore = await db.merchantBuckets.toArray();
    const headBefore = await db.listHead.get(MERCHANT_LIST_KEY);
    const writes = [
      vi.spyOn(db.merchantBuckets, 'bulkPut'),
      vi.spyOn(db.merchantBuckets, 'bulkDelete'),
      vi.spyOn(db.snapshots, 'bulkPut'),
      vi.spyOn(db.listHead, 'put'),
    ];
    advance(SYNC_INTERVAL_MS + SYNC_JITTER_MS);
    const later = T0 + SYNC_INTERVAL_MS + SYNC_JITTER_MS;

    const outcome = await syncMerchants(deps());

    expect(outcome).toEqual({
      status: 'not-modified',
      via: 'whole',
      nextAttemptAt: later + SYNC_INTERVAL_MS + SYNC_JITTER_MS / 2,
    });
    // The portal has no changes route (404): the list is revalidated by its ETag.
    expect(portal.since).toEqual(['v1']);
    expect(portal.ifNoneMatch).toEqual([null, '"e1"']);
    for (const write of writes) expect(write).not.toHaveBeenCalled();
    expect(await db.merchantBuckets.toArray()).toEqual(rowsBefore);
    expect(await db.listHead.get(MERCHANT_LIST_KEY)).toEqual(headBefore);
    expect(await store.getSyncState()).toMatchObject({
      generation: 1,
      lastSuccessAt: later,
      lastAttemptAt: later,
      replacedAt: T0,
    });
  });

  it.each([
    ['over the contract’s 512 characters', `"${'e'.repeat(10_000)}"`],
    ['with a character no header can carry', '"e1\u0100"'],
    ['with a line break', '"e1"\r\nX-Injected: 1'],
  ])(
    'never sends back a stored ETag %s (an earlier version, a tampered database): it asks for the whole list',
    async (_name, etag) => {
      const { deps, portal } = setUp(json(V1, '"e1"'), json(V2, '"e2"'));
      await syncMerchants(deps());
      await db.listHead.update(MERCHANT_LIST_KEY, { etag });
      expect(await syncMerchants(deps({ force: true }))).toMatchObject({ status: 'updated' });
      expect(portal.ifNoneMatch).toEqual([null, null]);
      expect((await db.listHead.get(MERCHANT_LIST_KEY))?.etag).toBe('"e2"');
    },
  );

  it('does not keep an ETag over the contract’s limit: the next sync asks for the whole list', async () => {
    const { deps, portal } = setUp(json(V1, `"${'e'.repeat(600)}"`), json(V2, '"e2"'));
    await syncMerchants(deps());
    expect((await db.listHead.get(MERCHANT_LIST_KEY))?.etag).toBeNull();
    await syncMerchants(deps({ force: true }));
    expect(portal.ifNoneMatch).toEqual([null, null]);
  });

  it('asks for the whole list again when the stored index has an older format', async () => {
    const { deps, store, portal, advance } = setUp(json(V1, '"e1"'), json(V1, '"e1"'));
    await syncMerchants(deps());
    await db.listHead.update(MERCHANT_LIST_KEY, { indexFormat: INDEX_FORMAT - 1 });
    advance(SYNC_INTERVAL_MS + SYNC_JITTER_MS);
    expect(await syncMerchants(deps())).toMatchObject({ status: 'updated' });
    expect(portal.ifNoneMatch).toEqual([null, null]);
    expect((await db.listHead.get(MERCHANT_LIST_KEY))?.indexFormat).toBe(INDEX_FORMAT);
    expect((await store.matchUrl('https://fnac.com/'))?.id).toBe('fnac');
  });

  it('replaces the list on a new version and deletes the old one', async () => {
    const { deps, store, advance } = setUp(json(V1, '"e1"'), json(V2, '"e2"'));
    await syncMerchants(deps());
    advance(SYNC_INTERVAL_MS + SYNC_JITTER_MS);
    expect(await syncMerchants(deps())).toMatchObject({ status: 'updated', version: 'v2' });
    expect((await store.matchUrl('https://fnac.com/'))?.cashback.value).toBe(5);
    expect(await store.matchUrl('https://café.fr/')).toBeNull();
    expect((await store.matchUrl('https://new.fr/'))?.id).toBe('new');
    expect(await db.merchantBuckets.toCollection().primaryKeys()).toEqual([[2, 0]]);
    expect((await store.getSyncState()).etag).toBe('"e2"');
  });

  it('drops malformed entries alone and keeps the first reasons', async () => {
    const bad = Array.from({ length: 30 }, (_, i) => ({ id: `bad-${i}`, name: 'Bad' }));
    const body = listBody('v1', [merchant('fnac', ['fnac.com', 'com']), ...bad, 'junk']);
    const { deps, store } = setUp(json(body, '"e1"'));
    expect(await syncMerchants(deps())).toMatchObject({
      status: 'updated',
      counts: { merchants: 1, dropped: 31, domains: 1 },
    });
    const state = await store.getSyncState();
    expect(state.dropped).toHaveLength(20);
    expect(state.dropped[0]).toEqual({
      index: 0,
      id: 'fnac',
      domain: 'com',
      reason: 'a public suffix',
    });
    expect(state.dropped[1]).toMatchObject({
      index: 1,
      id: 'bad-0',
      reason: expect.stringMatching(/domains/),
    });
    expect((await store.matchUrl('https://fnac.com/'))?.id).toBe('fnac');
  });

  describe('a failed sync keeps the last good list and records the error', () => {
    const failures: [string, Reply, { kind: string; message: RegExp }][] = [
      [
        '500',
        () => Response.json({ error: { code: 'internal', message: 'boom' } }, { status: 500 }),
        { kind: 'http', message: /^HTTP 500 internal: boom$/ },
      ],
      [
        '503 with an HTML page',
        () => new Response('<h1>Bad gateway</h1>', { status: 503 }),
        { kind: 'http', message: /^HTTP 503 http_503$/ },
      ],
      [
        'a timeout',
        (init) =>
          new Promise<Response>((_, reject) => {
            init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
          }),
        { kind: 'timeout', message: /did not answer/ },
      ],
      [
        'a network error',
        () => Promise.reject(new TypeError('Failed to fetch')),
        { kind: 'network', message: /Failed to fetch/ },
      ],
      [
        'invalid JSON',
        () => new Response('{"version": "v2", "merch', { status: 200 }),
        { kind: 'invalid-response', message: /not JSON/ },
      ],
      [
        'a body that is not a merchant list',
        json({ items: [] }, '"e2"'),
        { kind: 'not-a-list', message: /^not a merchant list/ },
      ],
      [
        'a 200 HTML page (a captive portal, a proxy)',
        () =>
          new Response('<!doctype html><h1>Bienvenue</h1>', {
            status: 200,
            headers: { 'Content-Type': 'text/html; charset=utf-8' },
          }),
        { kind: 'invalid-response', message: /^not JSON \(Content-Type: text\/html/ },
      ],
      [
        'a list whose declared length is over the cap',
        () =>
          new Response(endless('['), {
            status: 200,
            headers: {
              'Content-Type': 'application/json',
              'Content-Length': String(TEST_LIST_CAP + 1),
            },
          }),
        { kind: 'too-large', message: new RegExp(`over ${TEST_LIST_CAP} bytes`) },
      ],
      [
        'a list that streams past the cap without a length',
        () =>
          new Response(endless('{"version":"v2","merchants":['), {
            status: 200,
            headers: { 'Content-Type': 'application/json' },
          }),
        { kind: 'too-large', message: new RegExp(`over ${TEST_LIST_CAP} bytes`) },
      ],
      [
        'a body that trickles past the deadline',
        () =>
          new Response(trickle('{"version":"v2","mer'), {
            status: 200,
            headers: { 'Content-Type': 'application/json' },
          }),
        { kind: 'timeout', message: /did not answer/ },
      ],
      [
        'a redirect to another origin',
        () => new Response(null, { status: 302, headers: { Location: 'https://evil.example/' } }),
        { kind: 'http', message: /^HTTP 302 redirect_refused/ },
      ],
    ];

    it.each(failures)('%s', async (_, reply, expected) => {
      const { deps, store, advance, now } = setUp(json(V1, '"e1"'), reply);
      await syncMerchants(deps());
      const before = await db.merchantBuckets.toArray();
      advance(SYNC_INTERVAL_MS + SYNC_JITTER_MS);

      const outcome = await syncMerchants(deps());

      expect(outcome).toEqual({
        status: 'failed',
        error: { kind: expected.kind, message: expect.stringMatching(expected.message), at: now() },
        nextAttemptAt: now() + nextAttemptDelay(1, () => 0.5),
      });
      expect(await db.merchantBuckets.toArray()).toEqual(before);
      expect((await store.matchUrl('https://www.fnac.com/'))?.cashback.value).toBe(4);
      expect(await store.getSyncState()).toMatchObject({
        etag: '"e1"',
        version: 'v1',
        lastSuccessAt: T0,
        lastAttemptAt: now(),
        lastError: { kind: expected.kind, at: now() },
        consecutiveFailures: 1,
        syncing: false,
      });
    });
  });

  it('backs off exponentially, skips until due unless forced, and resets on success', async () => {
    const error = () => new Response(null, { status: 500 });
    const { deps, store, advance, now, portal } = setUp(
      error,
      error,
      error,
      error,
      json(V1, '"e1"'),
    );
    const random = () => 0;

    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const outcome = await syncMerchants(deps({ random }));
      if (outcome.status !== 'failed') throw new Error(outcome.status);
      delays.push(outcome.nextAttemptAt - now());
      expect(await syncMerchants(deps({ random }))).toEqual({
        status: 'skipped',
        reason: 'not-due',
        nextAttemptAt: outcome.nextAttemptAt,
      });
      advance(outcome.nextAttemptAt - now());
    }
    expect(delays).toEqual([1 * MINUTE, 2 * MINUTE, 4 * MINUTE]);
    expect(portal.fetch).toHaveBeenCalledTimes(3);

    // "Sync now" ignores the backoff.
    expect(await syncMerchants(deps({ random, force: true }))).toMatchObject({ status: 'failed' });
    expect((await store.getSyncState()).consecutiveFailures).toBe(4);
    expect(await syncMerchants(deps({ random, force: true }))).toMatchObject({ status: 'updated' });
    expect(await store.getSyncState()).toMatchObject({ consecutiveFailures: 0, lastError: null });
  });

  it('honours Retry-After on 429, within the backoff bounds', async () => {
    const tooMany = (retryAfter: string) => () =>
      new Response(null, { status: 429, headers: { 'Retry-After': retryAfter } });
    const { deps, now } = setUp(tooMany('120'), tooMany('999999'));
    expect(await syncMerchants(deps())).toMatchObject({
      status: 'failed',
      error: { kind: 'http', message: 'HTTP 429 http_429' },
      nextAttemptAt: now() + 120_000,
    });
    expect(await syncMerchants(deps({ force: true }))).toMatchObject({
      nextAttemptAt: now() + BACKOFF_MAX_MS,
    });
  });

  it('honours a Retry-After date on 503: no attempt before it, one after', async () => {
    const retryAt = T0 + 45 * MINUTE;
    const unavailable = () =>
      Response.json(
        { error: { code: 'unavailable', message: 'Maintenance' } },
        { status: 503, headers: { 'Retry-After': new Date(retryAt).toUTCString() } },
      );
    const { deps, advance, now, portal } = setUp(unavailable, json(V1, '"e1"'));
    expect(await syncMerchants(deps())).toMatchObject({
      status: 'failed',
      error: { kind: 'http', message: 'HTTP 503 unavailable: Maintenance' },
      nextAttemptAt: retryAt,
    });
    advance(retryAt - now() - 1);
    expect(await syncMerchants(deps())).toMatchObject({ status: 'skipped', reason: 'not-due' });
    expect(portal.fetch).toHaveBeenCalledTimes(1);
    advance(1);
    expect(await syncMerchants(deps())).toMatchObject({ status: 'updated' });
  });

  it('never retries sooner than its own backoff, even when Retry-After says so', async () => {
    const soon = () => new Response(null, { status: 503, headers: { 'Retry-After': '1' } });
    const { deps, advance, now } = setUp(soon, soon, soon);
    const random = () => 0;
    for (const minutes of [1, 2, 4]) {
      const outcome = await syncMerchants(deps({ random }));
      expect(outcome).toMatchObject({ status: 'failed', nextAttemptAt: now() + minutes * MINUTE });
      advance(minutes * MINUTE);
    }
  });

  it('asks without following redirects and without cookies', async () => {
    const { deps, portal } = setUp(json(V1, '"e1"'));
    await syncMerchants(deps());
    expect(portal.fetch.mock.calls[0]?.[1]).toMatchObject({
      redirect: 'manual',
      credentials: 'omit',
    });
  });

  it('never runs two syncs at once, even when the first worker died holding the lease', async () => {
    let answer: (response: Response) => void = () => undefined;
    const hanging: Reply = () => new Promise<Response>((resolve) => (answer = resolve));
    // A portal slow but within the request's deadline, while the fake clock passes the lease.
    const { deps, advance, store, portal } = setUpWithTimeout(10_000, hanging, json(V2, '"e2"'));

    const first = syncMerchants(deps({ force: true }));
    await vi.waitFor(() => expect(portal.fetch).toHaveBeenCalledTimes(1));
    expect((await store.getSyncState()).syncing).toBe(true);
    expect(await syncMerchants(deps({ force: true }))).toMatchObject({
      status: 'skipped',
      reason: 'busy',
    });

    // The first worker is gone for good: its lease expires, and the next sync proceeds.
    advance(LEASE_MS + 1);
    expect(await syncMerchants(deps({ force: true }))).toMatchObject({
      status: 'updated',
      version: 'v2',
    });
    // If the first one wakes up after all, it may not switch the list nor clobber the state.
    answer(
      new Response(JSON.stringify(V1), {
        status: 200,
        headers: { 'Content-Type': 'application/json', ETag: '"e1"' },
      }),
    );
    expect(await first).toMatchObject({ status: 'failed', error: { kind: 'storage' } });
    expect(await store.getSyncState()).toMatchObject({ version: 'v2', consecutiveFailures: 0 });
    expect((await store.matchUrl('https://new.fr/'))?.id).toBe('new');
  });

  it('keeps the old list whole when stopped between chunks, and cleans up next time', async () => {
    const many = (version: string, value: number) =>
      listBody(
        version,
        Array.from({ length: 10 }, (_, i) => merchant(`m${i}`, [`m${i}.fr`], value)),
      );
    const { deps, store, advance } = setUp(
      json(many('v1', 4), '"e1"'),
      json(many('v2', 5), '"e2"'),
      json(many('v2', 5), '"e2"'),
    );
    await syncMerchants(deps({ merchantsPerBucket: 1, chunkSize: 3 }));

    const controller = new AbortController();
    const bulkPut = db.merchantBuckets.bulkPut.bind(db.merchantBuckets);
    let chunks = 0;
    vi.spyOn(db.merchantBuckets, 'bulkPut').mockImplementation((async (rows: never[]) => {
      const keys = await bulkPut(rows);
      chunks += 1;
      if (chunks === 2) controller.abort(); // the worker stops after two chunks
      return keys;
    }) as typeof db.merchantBuckets.bulkPut);
    advance(SYNC_INTERVAL_MS + SYNC_JITTER_MS);
    const stopped = await syncMerchants(
      deps({ merchantsPerBucket: 1, chunkSize: 3, signal: controller.signal }),
    );
    vi.mocked(db.merchantBuckets.bulkPut).mockRestore();

    expect(stopped).toMatchObject({ status: 'failed', error: { kind: 'storage' } });
    expect(await db.merchantBuckets.count()).toBe(16); // 10 current + 6 orphans
    for (let i = 0; i < 10; i++) {
      expect((await store.matchUrl(`https://www.m${i}.fr/`))?.cashback.value).toBe(4);
    }
    expect(await store.getSyncState()).toMatchObject({ version: 'v1', etag: '"e1"' });

    const next = await syncMerchants(deps({ merchantsPerBucket: 1, chunkSize: 3, force: true }));
    expect(next).toMatchObject({ status: 'updated', version: 'v2' });
    expect(await db.merchantBuckets.count()).toBe(10);
    expect(new Set((await db.merchantBuckets.toArray()).map((row) => row.generation))).toEqual(
      new Set([(await store.getSyncState()).generation]),
    );
    expect((await store.matchUrl('https://m9.fr/'))?.cashback.value).toBe(5);
  });

  it('lets readers match throughout a sync: old or new answer, never none', async () => {
    const body = (version: string, value: number, extra: string) =>
      listBody(version, [
        ...Array.from({ length: 40 }, (_, i) => merchant(`m${i}`, [`m${i}.fr`], value)),
        merchant(extra, [`${extra}.fr`], value),
      ]);
    const { deps, store, advance } = setUp(
      json(body('v1', 4, 'old'), '"e1"'),
      json(body('v2', 5, 'new'), '"e2"'),
    );
    await syncMerchants(deps({ merchantsPerBucket: 1, chunkSize: 4 }));
    advance(SYNC_INTERVAL_MS + SYNC_JITTER_MS);

    let syncing = true;
    const answers: (number | null)[] = [];
    const reader = (async () => {
      while (syncing) {
        answers.push((await store.matchUrl('https://www.m20.fr/'))?.cashback.value ?? null);
      }
    })();
    await syncMerchants(deps({ merchantsPerBucket: 1, chunkSize: 4 }));
    syncing = false;
    await reader;
    answers.push((await store.matchUrl('https://www.m20.fr/'))?.cashback.value ?? null);

    expect(answers.length).toBeGreaterThan(5);
    expect(answers.every((value) => value === 4 || value === 5)).toBe(true);
    expect(answers.at(-1)).toBe(5);
    expect(answers.indexOf(5)).toBeGreaterThan(0); // the old list answered while the new was written
  });
});

describe('scheduling rules', () => {
  it('nextAttemptDelay doubles from 1 minute up to 6 hours, shortened by up to 25 % at random', () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 9, 10, 1000].map((n) => nextAttemptDelay(n, none) / MINUTE)).toEqual([
      1, 2, 4, 8, 256, 360, 360,
    ]);
    expect(BACKOFF_MAX_MS).toBe(360 * MINUTE);
    expect(nextAttemptDelay(1, () => 1)).toBe(45_000);
    expect(nextAttemptDelay(3, () => 0.5)).toBe(3.5 * MINUTE);
    expect(nextAttemptDelay(1000, () => 1)).toBe(BACKOFF_MAX_MS * 0.75);
    expect(nextAttemptDelay(0, none)).toBe(1 * MINUTE);
  });

  it.each<[string, number | null, boolean]>([
    ['no list', null, true],
    ['synced an interval ago', T0 - SYNC_INTERVAL_MS, true],
    ['synced just under an interval ago', T0 - SYNC_INTERVAL_MS + 1, false],
    ['synced right now', T0, false],
    // A success recorded by a clock that ran ahead says nothing of the list's age.
    ['synced a minute in the future', T0 + MINUTE, true],
    ['synced a year in the future', T0 + YEAR, true],
  ])('isListStale: %s', (_name, lastSuccessAt, stale) => {
    expect(isListStale(lastSuccessAt, T0)).toBe(stale);
  });
});

describe('stored times read against a clock that may have run ahead', () => {
  it('the longest wait is the interval with its jitter (more than the backoff cap)', () => {
    expect(LONGEST_SYNC_WAIT_MS).toBe(SYNC_INTERVAL_MS + SYNC_JITTER_MS);
  });

  it.each<[string, number | null, boolean]>([
    ['never planned', null, true],
    ['planned for now', T0, true],
    ['planned a minute ago', T0 - MINUTE, true],
    ['planned a minute ahead', T0 + MINUTE, false],
    ['planned the longest wait ahead', T0 + LONGEST_SYNC_WAIT_MS, false],
    ['planned past the longest wait (a clock that ran ahead)', T0 + LONGEST_SYNC_WAIT_MS + 1, true],
    ['planned a year ahead (a clock that ran ahead)', T0 + YEAR, true],
  ])('isSyncDue: %s → %s', (_name, nextAttemptAt, due) => {
    expect(isSyncDue(nextAttemptAt, T0)).toBe(due);
    // The alarm wakes the worker then, or now when the attempt is due.
    expect(nextSyncAlarmAt(nextAttemptAt, T0)).toBe(due ? T0 : nextAttemptAt);
  });

  it.each<[string, { owner: string; until: number } | null, boolean]>([
    ['no lease', null, false],
    ['taken just now', { owner: 'a', until: T0 + LEASE_MS }, true],
    ['expired', { owner: 'a', until: T0 }, false],
    ['taken with the clock a minute ahead', { owner: 'a', until: T0 + LEASE_MS + MINUTE }, false],
    ['taken with the clock a year ahead', { owner: 'a', until: T0 + YEAR + LEASE_MS }, false],
  ])('isLeaseHeld: %s → %s', (_name, lease, held) => {
    expect(isLeaseHeld(lease, T0)).toBe(held);
  });
});

describe('a clock that ran ahead, then was put right', () => {
  it('does not freeze the list: the next scheduled sync runs', async () => {
    const { deps, advance, store } = setUp(json(V1, '"e1"'), json(V2, '"e2"'));
    advance(YEAR);
    expect(await syncMerchants(deps())).toMatchObject({ status: 'updated' });
    advance(-YEAR + MINUTE);
    // Due at once (not a year later): it asks the portal (its changes, then the whole list).
    expect(await syncMerchants(deps())).toMatchObject({ status: 'updated', version: 'v2' });
    expect((await store.getSyncState()).nextAttemptAt).toBeLessThanOrEqual(
      T0 + MINUTE + SYNC_INTERVAL_MS + SYNC_JITTER_MS,
    );
  });

  it('does not hold a backoff written then', async () => {
    const error = () => new Response(null, { status: 500 });
    const { deps, advance } = setUp(error, json(V1, '"e1"'));
    advance(YEAR);
    expect(await syncMerchants(deps())).toMatchObject({ status: 'failed' });
    advance(-YEAR);
    expect(await syncMerchants(deps())).toMatchObject({ status: 'updated' });
  });

  it('does not hold a lease written then by a worker that died', async () => {
    let answer: (response: Response) => void = () => undefined;
    const hanging: Reply = () => new Promise<Response>((resolve) => (answer = resolve));
    const { deps, advance, store, portal } = setUpWithTimeout(10_000, hanging, json(V1, '"e1"'));
    advance(YEAR);
    void syncMerchants(deps({ force: true }));
    await vi.waitFor(() => expect(portal.fetch).toHaveBeenCalledTimes(1));
    advance(-YEAR);
    expect((await store.getSyncState()).syncing).toBe(false);
    expect(await syncMerchants(deps({ force: true }))).toMatchObject({ status: 'updated' });
    answer(new Response(null, { status: 500 }));
  });
});

describe('a sync cut short, a sync that failed', () => {
  it('syncWasCut: a lease left by another worker, or an old worker-less one that expired', () => {
    const lease = (worker: string | undefined, until: number) => ({
      lease: { owner: 'o', until, ...(worker === undefined ? {} : { worker }) },
    });
    expect(syncWasCut(undefined, 'w2', T0)).toBe(false);
    expect(syncWasCut({ lease: null }, 'w2', T0)).toBe(false);
    expect(syncWasCut(lease('w1', T0 + 60_000), 'w2', T0)).toBe(true);
    expect(syncWasCut(lease('w1', T0 - 1), 'w2', T0)).toBe(true);
    expect(syncWasCut(lease('w2', T0 + 60_000), 'w2', T0)).toBe(false);
    expect(syncWasCut(lease(undefined, T0 + 60_000), 'w2', T0)).toBe(false);
    expect(syncWasCut(lease(undefined, T0), 'w2', T0)).toBe(true);
    // Taken by a clock that ran ahead, then was put right: cut, not held for a year.
    expect(syncWasCut(lease(undefined, T0 + YEAR), 'w2', T0)).toBe(true);
  });

  it('lastSyncFailed: no list yet, or a last attempt that failed', () => {
    const error = { kind: 'network', message: 'NetworkError', at: T0 } as const;
    expect(lastSyncFailed(undefined)).toBe(true);
    expect(lastSyncFailed({ lastSuccessAt: null, lastError: null })).toBe(true);
    expect(lastSyncFailed({ lastSuccessAt: null, lastError: error })).toBe(true);
    expect(lastSyncFailed({ lastSuccessAt: T0 - 1, lastError: error })).toBe(true);
    expect(lastSyncFailed({ lastSuccessAt: T0, lastError: null })).toBe(false);
  });
});

describe('changes instead of the whole list', () => {
  const changes = (body: unknown): Reply => json(body);
  const error =
    (status: number, code: string): Reply =>
    () =>
      new Response(JSON.stringify({ error: { code } }), {
        status,
        headers: { 'Content-Type': 'application/json' },
      });
  const V1_TO_V2 = {
    from: 'v1',
    to: 'v2',
    upserted: [merchant('fnac', ['fnac.com'], 5), merchant('new', ['new.fr'], 5)],
    removed: ['cafe'],
  };

  function setUpChanges(list: Reply[], answers: Reply[]) {
    dbCount += 1;
    db = openRistourneDb(`sync-changes-${dbCount}-${Date.now()}`);
    let now = T0;
    const portal = fakePortal(() => now, 50, list, answers);
    return {
      portal,
      store: createMerchantStore(db, { now: () => now }),
      sync: () =>
        syncMerchants({
          client: portal.client,
          db,
          now: () => now,
          random: () => 0.5,
          force: true,
        }),
      advance(ms: number) {
        now += ms;
      },
    };
  }

  it('chooseListRequest: changes only for a current list stored in shards', () => {
    const head = { version: 'v1', etag: '"e1"', indexFormat: INDEX_FORMAT, matchShards: 1 };
    const cases: [Parameters<typeof chooseListRequest>, ReturnType<typeof chooseListRequest>][] = [
      [[undefined, null, T0], { kind: 'whole', etag: null }],
      [[head, null, T0], { kind: 'changes', since: 'v1' }],
      [[{ ...head, indexFormat: 0 }, null, T0], { kind: 'whole', etag: null }],
      [[{ ...head, matchShards: undefined }, null, T0], { kind: 'whole', etag: '"e1"' }],
      [[head, T0 + 1, T0], { kind: 'whole', etag: '"e1"' }],
      [[head, T0, T0], { kind: 'changes', since: 'v1' }],
      [[head, T0 + CHANGES_UNSUPPORTED_MS, T0], { kind: 'whole', etag: '"e1"' }],
      // A 404 heard with the clock a year ahead keeps changes off for a day at most.
      [[head, T0 + YEAR, T0], { kind: 'changes', since: 'v1' }],
    ];
    for (const [args, expected] of cases) expect(chooseListRequest(...args)).toEqual(expected);
  });

  it('judgeChangesAnswer: applies changes from the version held, any doubt takes the whole list', () => {
    const ok = (body: unknown) => ({ ok: true as const, value: { body } });
    const http = (status: number, code = `http_${status}`) => ({
      ok: false as const,
      error: { kind: 'http' as const, status, code },
    });
    const action = (answer: Parameters<typeof judgeChangesAnswer>[0]) =>
      judgeChangesAnswer(answer, 'v1');
    expect(action(ok(V1_TO_V2))).toMatchObject({ action: 'apply', delta: { to: 'v2' } });
    expect(action(ok({ from: 'v1', to: 'v1', upserted: [], removed: [] }))).toEqual({
      action: 'unchanged',
    });
    const standDown = { params: ['awc'], referrerHosts: [] };
    expect(action(ok({ from: 'v1', to: 'v1', upserted: [], removed: [], standDown }))).toEqual({
      action: 'unchanged',
    });
    expect(
      action(ok({ from: 'v1', to: 'v2', upserted: [], removed: [], standDown })),
    ).toMatchObject({
      action: 'apply',
    });
    expect(action(ok({ ...V1_TO_V2, from: 'v0' }))).toMatchObject({ action: 'whole' });
    expect(action(ok(V1))).toMatchObject({
      action: 'whole',
      reason: 'the portal answered the changes with a whole list',
    });
    expect(action(ok({ ...V1_TO_V2, removed: ['fnac'] }))).toMatchObject({ action: 'whole' });
    expect(action(ok('<html>'))).toMatchObject({ action: 'whole' });
    expect(action(http(404, 'not_found'))).toMatchObject({ action: 'whole', unsupported: true });
    expect(action(http(410, 'version_too_old'))).toMatchObject({
      action: 'whole',
      unsupported: false,
    });
    for (const status of [400, 403, 500, 502, 302]) {
      expect(action(http(status))).toMatchObject({ action: 'whole', unsupported: false });
    }
    for (const status of [429, 503]) expect(action(http(status))).toMatchObject({ action: 'fail' });
    expect(action({ ok: false, error: { kind: 'timeout' } })).toMatchObject({ action: 'fail' });
    expect(action({ ok: false, error: { kind: 'network', message: 'x' } })).toMatchObject({
      action: 'fail',
    });
    expect(action({ ok: false, error: { kind: 'too-large', limit: 1 } })).toMatchObject({
      action: 'whole',
    });
  });

  it('applies the changes since the stored version, without downloading the whole list', async () => {
    const { portal, store, sync } = setUpChanges([json(V1, '"e1"')], [changes(V1_TO_V2)]);
    await sync();
    expect(await sync()).toMatchObject({ status: 'updated', via: 'changes', version: 'v2' });
    expect(portal.since).toEqual(['v1']);
    expect(portal.ifNoneMatch).toEqual([null]); // one whole list: the first
    expect((await store.matchUrl('https://fnac.com/'))?.cashback.value).toBe(5);
    expect((await store.matchUrl('https://new.fr/'))?.id).toBe('new');
    expect(await store.matchUrl('https://café.fr/')).toBeNull();
    expect(await store.getSyncState()).toMatchObject({
      version: 'v2',
      etag: null,
      counts: { merchants: 3 },
      lastError: null,
    });
  });

  it("asks the portal itself, not the browser's cache: the list never stored there, changes revalidated", async () => {
    // Both answers are public and cacheable (a CDN's business); "Sync now" must see the portal's.
    const { portal, sync } = setUpChanges([json(V1, '"e1"')], [changes(V1_TO_V2)]);
    await sync();
    await sync();
    const asked = portal.fetch.mock.calls.map(([input, init]) => [
      new URL(input instanceof Request ? input.url : String(input)).pathname,
      init?.cache,
    ]);
    expect(asked).toEqual([
      ['/api/v1/merchants', 'no-store'],
      ['/api/v1/merchants/changes', 'no-cache'],
    ]);
  });

  it('takes the whole list when the portal says the version is too old, or sends other changes', async () => {
    for (const answer of [
      error(410, 'version_too_old'),
      changes({ ...V1_TO_V2, from: 'v0' }),
      changes(V2),
      error(400, 'invalid_request'),
    ]) {
      const { portal, store, sync } = setUpChanges([json(V1, '"e1"'), json(V2, '"e2"')], [answer]);
      await sync();
      expect(await sync()).toMatchObject({ status: 'updated', via: 'whole', version: 'v2' });
      expect(portal.ifNoneMatch).toEqual([null, '"e1"']);
      expect((await store.matchUrl('https://new.fr/'))?.id).toBe('new');
      await db.delete();
    }
  });

  it('asks a portal without the changes route for the whole list, and for changes again a day later', async () => {
    const unchanged = () => new Response(null, { status: 304 });
    const { portal, sync, advance } = setUpChanges(
      [json(V1, '"e1"'), unchanged, unchanged, unchanged],
      [],
    );
    await sync();
    expect(await sync()).toMatchObject({ status: 'not-modified', via: 'whole' });
    advance(CHANGES_UNSUPPORTED_MS - 1);
    await sync();
    expect(portal.since).toHaveLength(1);
    advance(1);
    await sync();
    expect(portal.since).toHaveLength(2);
  });

  it('keeps the list and backs off when the portal is busy or out, without asking for the whole list', async () => {
    const { portal, store, sync } = setUpChanges(
      [json(V1, '"e1"')],
      [error(503, 'unavailable'), () => Promise.reject(new TypeError('Failed to fetch'))],
    );
    await sync();
    expect(await sync()).toMatchObject({ status: 'failed', error: { kind: 'http' } });
    expect(await sync()).toMatchObject({ status: 'failed', error: { kind: 'network' } });
    expect(portal.ifNoneMatch).toEqual([null]);
    expect((await store.matchUrl('https://café.fr/'))?.id).toBe('cafe');
  });
});
