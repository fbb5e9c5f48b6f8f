/**
 * Changes applied to the stored list (applyMerchantDelta) give the list a whole download of the
 * same version gives: the same merchant for every id, every URL and the same search results,
 * the same count, over chains of deltas, with and without compaction. And the guarantees of a
 * whole sync hold: the wrong base is refused, a stopped write leaves the old list whole.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { MERCHANT_LIST_KEY, openRistourneDb, type RistourneDb } from '../../../utils/storage/db';
import {
  parseMerchantDelta,
  parseMerchantList,
  type ParsedMerchantDelta,
} from '../../../utils/merchants/list';
import {
  applyMerchantDelta,
  createMerchantStore,
  DeltaDoesNotApply,
  overlayLimit,
  replaceMerchantList,
  type MerchantStore,
} from '../../../utils/merchants/store';

/** Random chains of deltas compared with whole lists. */
export const DELTA_CHAIN_RUNS = 40;
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);

const dbs: RistourneDb[] = [];
let count = 0;
function freshDb(): RistourneDb {
  count += 1;
  const db = openRistourneDb(`delta-test-${count}-${Date.now()}`);
  dbs.push(db);
  return db;
}
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

interface Shop {
  id: string;
  name: string;
  domains: string[];
  value: number;
}

const entry = ({ id, name, domains, value }: Shop) => ({
  id,
  name,
  domains,
  cashback: { type: 'percent', value },
});

function wholeList(version: string, shops: Shop[], params = ['awc']) {
  const list = parseMerchantList({
    version,
    merchants: shops.map(entry),
    standDown: { params, referrerHosts: [] },
  });
  if (!list.ok) throw new Error(list.error);
  return { ...list, etag: `"${version}"` };
}

function delta(
  from: string,
  to: string,
  upserted: Shop[],
  removed: string[],
  params?: string[],
): ParsedMerchantDelta {
  const parsed = parseMerchantDelta({
    from,
    to,
    upserted: upserted.map(entry),
    removed,
    ...(params ? { standDown: { params, referrerHosts: [] } } : {}),
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed;
}

const SMALL = { merchantsPerBucket: 2, chunkSize: 4 };

/** What a member can see of a list: every id, every URL, searches, the count. */
async function view(store: MerchantStore, ids: string[], domains: string[]) {
  const byId = await Promise.all(ids.map((id) => store.getMerchant(id)));
  const byUrl = await Promise.all(
    domains.flatMap((domain) => [
      store.matchUrl(`https://${domain}/panier`),
      store.matchUrl(`https://www.${domain}/`),
    ]),
  );
  const searches = await Promise.all(
    ['boutique', 'a', 'maison', 'zz'].map(async (query) =>
      (await store.searchMerchants(query, 1000)).map((m) => m.id).sort(),
    ),
  );
  const state = await store.getSyncState();
  return {
    byId,
    byUrl: byUrl.map((merchant) => merchant?.id ?? null),
    searches,
    merchants: state.counts?.merchants,
    version: state.version,
    standDown: await store.getStandDownList(),
  };
}

// ---------- a model of the portal's list and its changes ----------

const WORDS = ['boutique', 'maison', 'atelier', 'cave', 'jardin', 'velo'];

const shopArb = (id: string) =>
  fc.record({
    id: fc.constant(id),
    name: fc.constantFrom(...WORDS).map((word) => `${word} ${id}`),
    value: fc.integer({ min: 1, max: 20 }),
    // Own domains, and sometimes a subdomain of another shop (nested merchants).
    domains: fc
      .tuple(fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 40 }))
      .map(([second, nested, other]) => [
        `${id}.fr`,
        ...(second ? [`${id}.be`] : []),
        ...(nested ? [`voyages.s${other}.fr`] : []),
      ]),
  });

type Change =
  | { kind: 'rate'; at: number; value: number }
  | { kind: 'rename'; at: number }
  | { kind: 'domains'; at: number; shop: Shop }
  | { kind: 'remove'; at: number }
  | { kind: 'add'; shop: Shop };

let nextId = 1000;
const changeArb: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    kind: fc.constant('rate' as const),
    at: fc.nat(),
    value: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({ kind: fc.constant('rename' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.nat().chain((at) => shopArb('x').map((shop): Change => ({ kind: 'domains', at, shop }))),
  fc
    .integer({ min: 0, max: 1e9 })
    .chain(() => shopArb(`s${(nextId += 1)}`).map((shop): Change => ({ kind: 'add', shop }))),
);

/** Drops domains two shops share (a portal never sends that: the conflict rule is tested apart). */
function withoutSharedDomains(shops: Shop[]): Shop[] {
  const owner = new Map<string, string>();
  return shops.flatMap((shop) => {
    const domains = shop.domains.filter((d) => !owner.has(d) || owner.get(d) === shop.id);
    for (const d of domains) owner.set(d, shop.id);
    return domains.length === 0 ? [] : [{ ...shop, domains }];
  });
}

describe('a delta gives the list a whole download gives', () => {
  it(
    'over random chains of deltas, with and without compaction',
    { timeout: 120_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.nat(), { minLength: 3, maxLength: 25 }),
          fc.array(fc.array(changeArb, { minLength: 0, maxLength: 8 }), {
            minLength: 1,
            maxLength: 4,
          }),
          fc.constantFrom(undefined, 3, 8),
          fc.boolean(),
          async (seeds, deltas, maxOverlay, changeStandDown) => {
            let shops = withoutSharedDomains(
              seeds.map((value, i) => ({
                id: `s${i}`,
                name: `${WORDS[value % WORDS.length]} s${i}`,
                domains: [`s${i}.fr`, ...(value % 3 === 0 ? [`voyages.s${value % 7}.fr`] : [])],
                value: (value % 20) + 1,
              })),
            );
            const db = freshDb();
            await replaceMerchantList(db, wholeList('v0', shops), 1000, SMALL);
            const seenIds = new Set(shops.map((s) => s.id));
            const seenDomains = new Set(shops.flatMap((s) => s.domains));

            for (const [step, changes] of deltas.entries()) {
              const upserted = new Map<string, Shop>();
              const removed = new Set<string>();
              for (const change of changes) {
                if (change.kind === 'add') {
                  if (shops.some((s) => s.id === change.shop.id)) continue;
                  shops = [...shops, change.shop];
                  upserted.set(change.shop.id, change.shop);
                  removed.delete(change.shop.id);
                  continue;
                }
                if (shops.length === 0) continue;
                const target = shops[change.at % shops.length]!;
                if (change.kind === 'remove') {
                  shops = shops.filter((s) => s !== target);
                  upserted.delete(target.id);
                  removed.add(target.id);
                  continue;
                }
                const next: Shop =
                  change.kind === 'rate'
                    ? { ...target, value: change.value }
                    : change.kind === 'rename'
                      ? { ...target, name: `${target.name} bis` }
                      : {
                          ...target,
                          domains: change.shop.domains.map((d) =>
                            d.startsWith('x.') ? `${target.id}-${step}.fr` : d,
                          ),
                        };
                shops = shops.map((s) => (s === target ? next : s));
                upserted.set(next.id, next);
              }
              // The portal keeps its list free of shared domains: the shops that lose one
              // change too.
              const cleaned = withoutSharedDomains(shops);
              for (const shop of shops) {
                const after = cleaned.find((s) => s.id === shop.id);
                if (!after) {
                  upserted.delete(shop.id);
                  removed.add(shop.id);
                } else if (after.domains.length !== shop.domains.length) {
                  upserted.set(shop.id, after);
                }
              }
              shops = cleaned;
              for (const shop of shops) {
                seenIds.add(shop.id);
                for (const d of shop.domains) seenDomains.add(d);
              }
              const params = changeStandDown ? [`p${step}`] : undefined;
              const version = `v${step + 1}`;
              await applyMerchantDelta(
                db,
                delta(`v${step}`, version, [...upserted.values()], [...removed], params),
                2000 + step,
                { ...SMALL, ...(maxOverlay === undefined ? {} : { maxOverlay }) },
              );

              const whole = freshDb();
              await replaceMerchantList(
                whole,
                wholeList(
                  version,
                  shops,
                  params ?? (await createMerchantStore(db).getStandDownList()).params,
                ),
                3000,
                SMALL,
              );
              const ids = [...seenIds];
              const domains = [...seenDomains];
              expect(await view(createMerchantStore(db), ids, domains)).toEqual(
                await view(createMerchantStore(whole), ids, domains),
              );
            }
          },
        ),
        { numRuns: DELTA_CHAIN_RUNS, seed: SEED },
      );
    },
  );
});

describe('applyMerchantDelta', () => {
  const BASE = [
    { id: 'fnac', name: 'Fnac', domains: ['fnac.com'], value: 4 },
    { id: 'bazar', name: 'Grand Bazar', domains: ['grand-bazar.fr'], value: 3 },
    { id: 'epicerie', name: 'Épicerie', domains: ['epicerie.fr'], value: 2 },
  ];

  it('refuses changes from another version and leaves the list as it was', async () => {
    const db = freshDb();
    await replaceMerchantList(db, wholeList('v1', BASE), 1000);
    const head = await db.listHead.get(MERCHANT_LIST_KEY);
    await expect(
      applyMerchantDelta(db, delta('v0', 'v2', [{ ...BASE[0]!, value: 9 }], []), 2000),
    ).rejects.toBeInstanceOf(DeltaDoesNotApply);
    await expect(
      applyMerchantDelta(freshDb(), delta('v1', 'v2', [], ['fnac']), 2000),
    ).rejects.toBeInstanceOf(DeltaDoesNotApply);
    expect(await db.listHead.get(MERCHANT_LIST_KEY)).toEqual(head);
    expect((await createMerchantStore(db).getMerchant('fnac'))?.cashback.value).toBe(4);
  });

  it('ignores the removal of an id it does not have, and counts right', async () => {
    const db = freshDb();
    await replaceMerchantList(db, wholeList('v1', BASE), 1000);
    const result = await applyMerchantDelta(
      db,
      delta('v1', 'v2', [], ['never-listed', 'epicerie']),
      2000,
    );
    expect(result.counts.merchants).toBe(2);
    const store = createMerchantStore(db);
    expect(await store.getMerchant('epicerie')).toBeNull();
    expect(await store.matchUrl('https://epicerie.fr/')).toBeNull();
    expect((await store.matchUrl('https://fnac.com/'))?.id).toBe('fnac');
  });

  it('leaves a domain with the merchant that has it when another one claims it later', async () => {
    const db = freshDb();
    await replaceMerchantList(db, wholeList('v1', BASE), 1000);
    await applyMerchantDelta(
      db,
      delta(
        'v1',
        'v2',
        [{ id: 'copie', name: 'Copie', domains: ['fnac.com', 'copie.fr'], value: 9 }],
        [],
      ),
      2000,
    );
    const store = createMerchantStore(db);
    expect((await store.matchUrl('https://www.fnac.com/'))?.id).toBe('fnac');
    expect((await store.matchUrl('https://copie.fr/'))?.id).toBe('copie');
    // Once the holder leaves, the claim stands.
    await applyMerchantDelta(db, delta('v2', 'v3', [], ['fnac']), 3000);
    expect((await store.matchUrl('https://www.fnac.com/'))?.id).toBe('copie');
  });

  it('writes a few records whatever the size of the list, and folds the overlay past its limit', async () => {
    const db = freshDb();
    const shops = Array.from({ length: 3000 }, (_, i) => ({
      id: `m${i}`,
      name: `Boutique ${i}`,
      domains: [`m${i}.fr`],
      value: 4,
    }));
    await replaceMerchantList(db, wholeList('v1', shops), 1000);
    const buckets = await db.merchantBuckets.count();
    const changed = shops.slice(0, 30).map((s) => ({ ...s, value: 7 }));
    const result = await applyMerchantDelta(db, delta('v1', 'v2', changed, ['m40']), 2000);
    expect(result).toMatchObject({ compacted: false, counts: { merchants: 2999 } });
    // The base's buckets, and one part of overlay.
    expect(await db.merchantBuckets.count()).toBe(buckets + 1);
    const head = (await db.listHead.get(MERCHANT_LIST_KEY))!;
    expect(head.overlay).toMatchObject({ merchants: 30, changedIds: 31, changedInBase: 31 });

    expect(overlayLimit(3000)).toBe(2000);
    const many = shops
      .slice(0, 2101)
      .filter((s) => s.id !== 'm40')
      .map((s) => ({ ...s, value: 8 }));
    const folded = await applyMerchantDelta(db, delta('v2', 'v3', many, []), 3000);
    expect(folded).toMatchObject({ compacted: true, counts: { merchants: 2999 } });
    const after = (await db.listHead.get(MERCHANT_LIST_KEY))!;
    expect(after.overlay).toBeUndefined();
    expect(after.version).toBe('v3');
    const store = createMerchantStore(db);
    expect((await store.getMerchant('m5'))?.cashback.value).toBe(8);
    expect((await store.getMerchant('m2500'))?.cashback.value).toBe(4);
    expect(await store.getMerchant('m40')).toBeNull();
  });

  it('leaves the old list whole when stopped halfway, and the next apply cleans up', async () => {
    const db = freshDb();
    await replaceMerchantList(db, wholeList('v1', BASE), 1000);
    const head = await db.listHead.get(MERCHANT_LIST_KEY);
    const stop = new AbortController();
    const put = db.snapshots.put.bind(db.snapshots);
    db.snapshots.put = (async (...args: Parameters<typeof put>) => {
      const done = await put(...args);
      stop.abort();
      return done;
    }) as typeof put;
    await expect(
      applyMerchantDelta(db, delta('v1', 'v2', [{ ...BASE[0]!, value: 9 }], []), 2000, {
        signal: stop.signal,
      }),
    ).rejects.toThrow();
    db.snapshots.put = put;
    expect(await db.listHead.get(MERCHANT_LIST_KEY)).toEqual(head);
    expect((await createMerchantStore(db).getMerchant('fnac'))?.cashback.value).toBe(4);

    await applyMerchantDelta(db, delta('v1', 'v2', [{ ...BASE[0]!, value: 9 }], []), 3000);
    expect((await createMerchantStore(db).getMerchant('fnac'))?.cashback.value).toBe(9);
    const generations = new Set((await db.merchantBuckets.toArray()).map((r) => r.generation));
    expect(generations.size).toBe(2); // the base and one overlay: the stopped one's rows are gone
  });
});
