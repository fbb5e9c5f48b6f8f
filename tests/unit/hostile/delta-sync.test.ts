/**
 * A portal (or a proxy, or a CDN) that gets the changes route wrong, fuzzed with fast-check
 * through the real code: the portal client, the sync's policy, the delta's validation and the
 * store on fake-indexeddb. Whatever the changes route answers, the sync never throws; when the
 * portal is reachable the member ends with the portal's current list, exactly (by its changes or
 * by the whole list); when it is out or busy, with the last good list, whole.
 *
 * Bounded (`DELTA_ANSWER_RUNS`), seeded (`FUZZ_SEED`), as the other hostile-portal fuzz.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createPortalClient } from '../../../utils/contract/client';
import { parseMerchantList } from '../../../utils/merchants/list';
import {
  createMerchantStore,
  replaceMerchantList,
  type MerchantStore,
} from '../../../utils/merchants/store';
import { syncMerchants } from '../../../utils/merchants/sync';
import { openRistourneDb, type RistourneDb } from '../../../utils/storage/db';

/** Answers of the changes route tried, each against a fresh member and a changed list. */
export const DELTA_ANSWER_RUNS = 80;
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);

const dbs: RistourneDb[] = [];
let count = 0;
const freshDb = () => {
  count += 1;
  const db = openRistourneDb(`hostile-delta-${count}-${Date.now()}`);
  dbs.push(db);
  return db;
};
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

/** An entry as a portal sends it: a merchant, or junk. */
type Entry = unknown;

const shop = (id: string, value: number): Entry => ({
  id,
  name: `Boutique ${id}`,
  domains: [`${id}.fr`],
  cashback: { type: 'percent', value },
});

const OLD = {
  version: 'v1',
  merchants: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => shop(id, 4)),
  standDown: { params: ['awc'], referrerHosts: [] },
};

/** The portal's new list: some rates changed, some merchants gone, new ones, junk entries. */
const newList = fc
  .record({
    changed: fc.subarray(['a', 'b', 'c']),
    removed: fc.subarray(['d', 'e']),
    added: fc.subarray(['g', 'h', 'i']),
    junk: fc.subarray([
      { id: 'f', name: '', domains: ['f.fr'], cashback: { type: 'percent', value: 4 } },
      { id: 'j', name: 'J', domains: ['com'], cashback: { type: 'percent', value: 4 } },
      { id: 'k', name: 'K', domains: ['k.fr'], cashback: { type: 'bonus', value: 4 } },
      42,
      null,
    ]),
  })
  .map(({ changed, removed, added, junk }) => {
    const junkIds = new Set(junk.map((entry) => (entry as { id?: string } | null)?.id));
    const merchants: Entry[] = [
      ...OLD.merchants
        .filter((m) => !removed.includes((m as { id: string }).id))
        .filter((m) => !junkIds.has((m as { id: string }).id))
        .map((m) => {
          const { id } = m as { id: string };
          return changed.includes(id) ? shop(id, 7) : m;
        }),
      ...added.map((id) => shop(id, 5)),
      ...junk,
    ];
    return {
      version: 'v2',
      merchants,
      standDown: { params: ['awc', 'gclid2'], referrerHosts: [] },
    };
  });

/** The changes a correct portal sends from OLD to `next`. */
function changesOf(next: { version: string; merchants: Entry[] }) {
  const idOf = (m: Entry) => (m as { id?: string } | null)?.id;
  const oldById = new Map(OLD.merchants.map((m) => [idOf(m)!, JSON.stringify(m)]));
  const nextIds = new Set(next.merchants.map(idOf));
  return {
    from: 'v1',
    to: next.version,
    upserted: next.merchants.filter((m) => {
      const id = idOf(m);
      return id === undefined || oldById.get(id) !== JSON.stringify(m);
    }),
    removed: [...oldById.keys()].filter((id) => !nextIds.has(id)),
    standDown: (next as { standDown?: unknown }).standDown,
  };
}

type ChangesAnswer =
  | { kind: 'correct' }
  | { kind: 'wrong-base' }
  | { kind: 'whole-list' }
  | { kind: 'unknown-removal'; ids: string[] }
  | { kind: 'contradiction' }
  | { kind: 'status'; status: number }
  | { kind: 'body'; body: string; type: string }
  | { kind: 'network' }
  | { kind: 'redirect' };

const answerArb: fc.Arbitrary<ChangesAnswer> = fc.oneof(
  fc.constant({ kind: 'correct' as const }),
  fc.constant({ kind: 'wrong-base' as const }),
  fc.constant({ kind: 'whole-list' as const }),
  fc.constant({ kind: 'contradiction' as const }),
  fc
    .array(fc.string({ minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 3 })
    .map((ids) => ({ kind: 'unknown-removal' as const, ids })),
  fc
    .constantFrom(400, 401, 403, 404, 405, 410, 422, 429, 500, 501, 502, 503)
    .map((status) => ({ kind: 'status' as const, status })),
  fc.oneof(
    fc.constant({ kind: 'body' as const, body: '<html>CDN error</html>', type: 'text/html' }),
    fc.constant({ kind: 'body' as const, body: '{"from": "v1", "to":', type: 'application/json' }),
    fc.jsonValue().map((value) => ({
      kind: 'body' as const,
      body: JSON.stringify(value) ?? 'null',
      type: 'application/json',
    })),
  ),
  fc.constant({ kind: 'network' as const }),
  fc.constant({ kind: 'redirect' as const }),
);

/** Whether the portal is out or busy for that answer: the sync fails and keeps the old list. */
const unreachable = (answer: ChangesAnswer) =>
  answer.kind === 'network' ||
  (answer.kind === 'status' && (answer.status === 429 || answer.status === 503));

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function portal(next: { version: string; merchants: Entry[] }, answer: ChangesAnswer) {
  const served = { whole: 0, changes: 0 };
  const fetch = async (input: RequestInfo | URL) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname !== '/api/v1/merchants/changes') {
      served.whole += 1;
      return json(next);
    }
    served.changes += 1;
    const changes = changesOf(next);
    switch (answer.kind) {
      case 'correct':
        return json(changes);
      case 'wrong-base':
        return json({ ...changes, from: 'v0' });
      case 'whole-list':
        return json(next);
      case 'unknown-removal':
        return json({ ...changes, removed: [...changes.removed, ...answer.ids] });
      case 'contradiction':
        return json({ ...changes, upserted: [shop('a', 9)], removed: ['a'] });
      case 'status':
        return json({ error: { code: `http_${answer.status}` } }, answer.status);
      case 'body':
        return new Response(answer.body, { headers: { 'Content-Type': answer.type } });
      case 'network':
        throw new TypeError('Failed to fetch');
      case 'redirect':
        return new Response(null, { status: 302, headers: { Location: 'https://cdn.example/' } });
    }
  };
  return {
    served,
    client: createPortalClient({
      baseUrl: 'http://portal.test',
      fetch,
    }),
  };
}

/** What the member sees of a list: each id and each domain's answer, the version, stand-down. */
async function seen(store: MerchantStore) {
  const ids = 'abcdefghijk'.split('');
  return {
    byId: await Promise.all(ids.map((id) => store.getMerchant(id))),
    byUrl: await Promise.all(
      ids.map(async (id) => (await store.matchUrl(`https://www.${id}.fr/`))?.id ?? null),
    ),
    version: (await store.getSyncState()).version,
    standDown: await store.getStandDownList(),
  };
}

async function storeOf(list: unknown): Promise<MerchantStore> {
  const parsed = parseMerchantList(list);
  if (!parsed.ok) throw new Error(parsed.error);
  const db = freshDb();
  await replaceMerchantList(db, { ...parsed, etag: null }, 0);
  return createMerchantStore(db);
}

describe('a portal that gets the changes wrong', () => {
  it(
    'whatever the changes route answers, the member ends with the current list or, the portal out, the last one',
    { timeout: 120_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(newList, answerArb, async (next, answer) => {
          const db = freshDb();
          let now = Date.parse('2026-11-23T10:00:00Z');
          const first = portal(OLD, { kind: 'status', status: 404 });
          await syncMerchants({ client: first.client, db, now: () => now });
          now += 60_000;

          const { client, served } = portal(next, answer);
          const outcome = await syncMerchants({ client, db, now: () => now, force: true });
          const store = createMerchantStore(db);
          if (unreachable(answer)) {
            expect(outcome.status).toBe('failed');
            expect(served.whole).toBe(0);
            expect(await seen(store)).toEqual(await seen(await storeOf(OLD)));
            return;
          }
          expect(outcome).toMatchObject({ status: 'updated', version: 'v2' });
          expect(await seen(store)).toEqual(await seen(await storeOf(next)));
          // Only correct changes spare the whole list.
          const byChanges = answer.kind === 'correct' || answer.kind === 'unknown-removal';
          expect(served.whole).toBe(byChanges ? 0 : 1);
        }),
        { numRuns: DELTA_ANSWER_RUNS, seed: SEED },
      );
    },
  );

  it('a delta against the wrong base: the whole list is downloaded, and it is the list kept', async () => {
    const db = freshDb();
    await syncMerchants({
      client: portal(OLD, { kind: 'status', status: 404 }).client,
      db,
      now: () => 0,
    });
    const next = { version: 'v2', merchants: [shop('a', 9)], standDown: OLD.standDown };
    const { client, served } = portal(next, { kind: 'wrong-base' });
    expect(await syncMerchants({ client, db, now: () => 1, force: true })).toMatchObject({
      via: 'whole',
    });
    expect(served).toEqual({ whole: 1, changes: 1 });
    expect((await createMerchantStore(db).getMerchant('a'))?.cashback).toMatchObject({ value: 9 });
    expect(await createMerchantStore(db).getMerchant('b')).toBeNull();
  });

  it('a delta that removes an unknown id: applied, nothing else changes', async () => {
    const db = freshDb();
    await syncMerchants({
      client: portal(OLD, { kind: 'status', status: 404 }).client,
      db,
      now: () => 0,
    });
    const next = { ...OLD, version: 'v2', merchants: [...OLD.merchants.slice(1), shop('a', 8)] };
    const { client, served } = portal(next, { kind: 'unknown-removal', ids: ['zz', 'never'] });
    expect(await syncMerchants({ client, db, now: () => 1, force: true })).toMatchObject({
      via: 'changes',
      counts: { merchants: 6 },
    });
    expect(served.whole).toBe(0);
    expect(await seen(createMerchantStore(db))).toEqual(await seen(await storeOf(next)));
  });

  it('a portal that answers a delta request with a whole list: the whole list is asked for, and stored', async () => {
    const db = freshDb();
    await syncMerchants({
      client: portal(OLD, { kind: 'status', status: 404 }).client,
      db,
      now: () => 0,
    });
    const next = { ...OLD, version: 'v2', merchants: [shop('z', 3)] };
    const { client, served } = portal(next, { kind: 'whole-list' });
    expect(await syncMerchants({ client, db, now: () => 1, force: true })).toMatchObject({
      via: 'whole',
      counts: { merchants: 1 },
    });
    expect(served).toEqual({ whole: 1, changes: 1 });
    expect(await seen(createMerchantStore(db))).toEqual(await seen(await storeOf(next)));
  });
});
