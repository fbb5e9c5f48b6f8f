import { afterEach, describe, expect, it, vi } from 'vitest';
import { MERCHANT_LIST_KEY, openRistourneDb, type RistourneDb } from '../../../utils/storage/db';
import { parseMerchantList, type ParsedMerchantList } from '../../../utils/merchants/list';
import {
  createMerchantStore,
  removeLeftoverGenerations,
  replaceMerchantList,
} from '../../../utils/merchants/store';

let db: RistourneDb;
let dbCount = 0;

function freshDb(): RistourneDb {
  dbCount += 1;
  db = openRistourneDb(`store-test-${dbCount}-${Date.now()}`);
  return db;
}

afterEach(async () => {
  vi.restoreAllMocks();
  await db?.delete();
});

function parsed(
  merchants: { id: string; name?: string; domains: string[]; value?: number }[],
  version = 'v1',
): ParsedMerchantList & { etag: string } {
  const result = parseMerchantList({
    version,
    merchants: merchants.map(({ id, name, domains, value }) => ({
      id,
      name: name ?? id,
      domains,
      cashback: { type: 'percent', value: value ?? 4 },
    })),
    standDown: { params: ['awc'], referrerHosts: ['igraal.com'] },
  });
  if (!result.ok) throw new Error(result.error);
  return { ...result, etag: `"${version}"` };
}

const LIST = parsed([
  { id: 'fnac', name: 'Fnac', domains: ['fnac.com', 'fnac.be'] },
  { id: 'bazar', name: 'Grand Bazar', domains: ['grand-bazar.localhost'] },
  { id: 'bazar-voyages', name: 'Grand Bazar Voyages', domains: ['voyages.grand-bazar.localhost'] },
  { id: 'cafe', name: 'Café de Flore', domains: ['café.fr'] },
  { id: 'epicerie', name: 'La Grande Épicerie', domains: ['epicerie.fr'] },
]);

describe('merchant store: reading', () => {
  it('answers null everywhere before the first sync', async () => {
    const store = createMerchantStore(freshDb());
    expect(await store.matchUrl('https://www.fnac.com/')).toBeNull();
    expect(await store.getMerchant('fnac')).toBeNull();
    expect(await store.searchMerchants('fnac')).toEqual([]);
    expect(await store.getStandDownList()).toEqual({ params: [], referrerHosts: [] });
    expect(await store.getSyncState()).toMatchObject({
      generation: null,
      etag: null,
      lastSuccessAt: null,
      consecutiveFailures: 0,
      syncing: false,
    });
  });

  it('matches URLs to whole stored merchants, most specific domain first', async () => {
    await replaceMerchantList(freshDb(), LIST, 1000);
    const store = createMerchantStore(db);
    expect(await store.matchUrl('https://www.fnac.be/panier')).toEqual({
      id: 'fnac',
      name: 'Fnac',
      domains: ['fnac.com', 'fnac.be'],
      cashback: { type: 'percent', value: 4, upTo: false },
      prompts: 'allowed',
    });
    expect((await store.matchUrl('http://voyages.grand-bazar.localhost:8787/'))?.id).toBe(
      'bazar-voyages',
    );
    expect((await store.matchUrl('http://www.grand-bazar.localhost:8787/'))?.id).toBe('bazar');
    expect((await store.matchUrl('https://café.fr/'))?.id).toBe('cafe');
    expect(await store.matchUrl('https://fnac.com.evil.net/')).toBeNull();
    expect(await store.matchUrl('chrome://newtab/')).toBeNull();
  });

  it('finds merchants by id and by name, ignoring case and accents', async () => {
    await replaceMerchantList(freshDb(), LIST, 1000);
    const store = createMerchantStore(db);
    expect((await store.getMerchant('cafe'))?.domains).toEqual(['xn--caf-dma.fr']);
    expect(await store.getMerchant('unknown')).toBeNull();
    const ids = async (query: string, limit?: number) =>
      (await store.searchMerchants(query, limit)).map((m) => m.id);
    expect(await ids('grand')).toEqual(['bazar', 'bazar-voyages', 'epicerie']);
    expect(await ids('EPICERIE')).toEqual(['epicerie']);
    expect(await ids('cafe')).toEqual(['cafe']);
    expect(await ids('grand', 1)).toEqual(['bazar']);
    expect(await ids('')).toEqual([]);
  });

  it('gives the stand-down list and the list description', async () => {
    await replaceMerchantList(freshDb(), LIST, 1000);
    const store = createMerchantStore(db);
    expect(await store.getStandDownList()).toEqual({
      params: ['awc'],
      referrerHosts: ['igraal.com'],
    });
    expect(await store.getSyncState()).toMatchObject({
      generation: 1,
      version: 'v1',
      etag: '"v1"',
      counts: { merchants: 5, dropped: 0, domains: 6 },
      replacedAt: 1000,
    });
  });

  it('loads the index snapshot once per generation, and again after a replacement', async () => {
    await replaceMerchantList(freshDb(), LIST, 1000);
    const store = createMerchantStore(db);
    const snapshotReads = vi.spyOn(db.snapshots, 'get');
    await Promise.all([
      store.matchUrl('https://fnac.com/'),
      store.matchUrl('https://fnac.be/'),
      store.matchUrl('https://epicerie.fr/'),
    ]);
    await store.matchUrl('https://nowhere.fr/');
    expect(snapshotReads).toHaveBeenCalledTimes(1);

    await replaceMerchantList(db, parsed([{ id: 'fnac', domains: ['fnac.fr'] }], 'v2'), 2000);
    expect((await store.matchUrl('https://fnac.fr/'))?.id).toBe('fnac');
    expect(await store.matchUrl('https://fnac.com/')).toBeNull();
    expect(snapshotReads).toHaveBeenCalledTimes(2);
  });

  it('matches from memory: the list head is read again only after a write to it', async () => {
    await replaceMerchantList(freshDb(), LIST, 1000);
    const store = createMerchantStore(db);
    const headReads = vi.spyOn(db.listHead, 'get');
    for (const url of ['https://fnac.com/', 'https://nowhere.fr/', 'https://epicerie.fr/']) {
      await store.matchUrl(url);
    }
    expect(headReads).toHaveBeenCalledTimes(1);

    // Replaced through another connection to the same database, as another context would.
    const other = openRistourneDb(db.name);
    await replaceMerchantList(other, parsed([{ id: 'fnac', domains: ['fnac.fr'] }], 'v2'), 2000);
    other.close();
    expect((await store.matchUrl('https://fnac.fr/'))?.id).toBe('fnac');
    expect(await store.matchUrl('https://epicerie.fr/')).toBeNull();
    expect(headReads).toHaveBeenCalledTimes(2);
  });

  it('reads one shard of the match index for a lookup, not the whole index', async () => {
    // 2,500 domains: three shards of the index.
    const many = parsed(
      Array.from({ length: 2_500 }, (_, i) => ({ id: `m${i}`, domains: [`m${i}.fr`] })),
    );
    await replaceMerchantList(freshDb(), many, 1000);
    expect((await db.listHead.get(MERCHANT_LIST_KEY))?.matchShards).toBe(3);
    const store = createMerchantStore(db);
    const snapshotReads = vi.spyOn(db.snapshots, 'get');
    expect((await store.matchUrl('https://www.m1234.fr/panier'))?.id).toBe('m1234');
    expect(snapshotReads).toHaveBeenCalledTimes(1);
    expect(snapshotReads.mock.calls[0]![0]).toEqual([1, expect.stringMatching(/^match-\d$/)]);

    // Every merchant is found in its shard; each shard is read once.
    for (let i = 0; i < 2_500; i += 7) {
      expect((await store.matchUrl(`https://m${i}.fr/`))?.id).toBe(`m${i}`);
    }
    expect(snapshotReads).toHaveBeenCalledTimes(3);
    expect(await store.matchUrl('https://m2500.fr/')).toBeNull();
    expect((await store.searchMerchants('m2499')).map((m) => m.id)).toEqual(['m2499']);
  });

  it('looks again in the new list when the old one is deleted between two reads', async () => {
    await replaceMerchantList(freshDb(), LIST, 1000);
    const store = createMerchantStore(db);
    const next = parsed([{ id: 'fnac', domains: ['fnac.com'], value: 7 }], 'v2');
    const bulkGet = db.merchantBuckets.bulkGet.bind(db.merchantBuckets);
    // The reader has read head and index of generation 1; the sync switches and deletes it now.
    const reads = vi.spyOn(db.merchantBuckets, 'bulkGet').mockImplementationOnce((async (
      keys: [number, number][],
    ) => {
      await replaceMerchantList(db, next, 2000);
      return bulkGet(keys);
    }) as typeof db.merchantBuckets.bulkGet);
    const found = await store.matchUrl('https://www.fnac.com/');
    expect(found?.cashback.value).toBe(7);
    expect(reads).toHaveBeenCalledTimes(2);

    // The same for a lookup by id, with many buckets.
    const third = parsed([{ id: 'fnac', domains: ['fnac.com'], value: 9 }], 'v3');
    reads.mockImplementationOnce((async (keys: [number, number][]) => {
      await replaceMerchantList(db, third, 3000, { merchantsPerBucket: 1 });
      return bulkGet(keys);
    }) as typeof db.merchantBuckets.bulkGet);
    expect((await store.getMerchant('fnac'))?.cashback.value).toBe(9);
  });

  it('spreads merchants over buckets and finds each by id', async () => {
    const many = parsed(
      Array.from({ length: 50 }, (_, i) => ({
        id: `m${i}`,
        name: `Shop ${i}`,
        domains: [`m${i}.fr`],
      })),
    );
    await replaceMerchantList(freshDb(), many, 1000, { merchantsPerBucket: 5 });
    expect(await db.merchantBuckets.count()).toBe(10);
    const store = createMerchantStore(db);
    for (let i = 0; i < 50; i++) {
      expect((await store.getMerchant(`m${i}`))?.id).toBe(`m${i}`);
      expect((await store.matchUrl(`https://m${i}.fr/`))?.id).toBe(`m${i}`);
    }
    expect(await store.getMerchant('m50')).toBeNull();
    expect((await store.searchMerchants('shop 4', 20)).map((m) => m.id).sort()).toEqual(
      ['m4', ...Array.from({ length: 10 }, (_, i) => `m${40 + i}`)].sort(),
    );
  });
});

describe('merchant store: replacement', () => {
  it('replaces the whole list and deletes the old generation', async () => {
    await replaceMerchantList(freshDb(), LIST, 1000, { chunkSize: 2 });
    const result = await replaceMerchantList(
      db,
      parsed([{ id: 'new', domains: ['new.fr'] }], 'v2'),
      2000,
      { chunkSize: 2 },
    );
    expect(result).toEqual({ generation: 2, counts: { merchants: 1, dropped: 0, domains: 1 } });
    expect(await db.merchantBuckets.toArray()).toEqual([
      {
        generation: 2,
        bucket: 0,
        merchants: JSON.stringify([
          {
            id: 'new',
            name: 'new',
            domains: ['new.fr'],
            cashback: { type: 'percent', value: 4, upTo: false },
            prompts: 'allowed',
          },
        ]),
      },
    ]);
    expect((await db.snapshots.toCollection().primaryKeys()).sort()).toEqual([
      [2, 'ids'],
      [2, 'match-0'],
      [2, 'names'],
    ]);
  });

  it('leaves the old list current and whole when stopped before the switch', async () => {
    const small = { chunkSize: 2, merchantsPerBucket: 1 };
    await replaceMerchantList(freshDb(), LIST, 1000, small);
    const controller = new AbortController();
    const bulkPut = db.merchantBuckets.bulkPut.bind(db.merchantBuckets);
    vi.spyOn(db.merchantBuckets, 'bulkPut').mockImplementation((async (rows: never[]) => {
      const keys = await bulkPut(rows);
      controller.abort(); // the worker stops after the first chunk
      return keys;
    }) as typeof db.merchantBuckets.bulkPut);
    const next = parsed(
      ['a', 'b', 'c', 'd'].map((id) => ({ id, domains: [`${id}.fr`] })),
      'v2',
    );
    await expect(
      replaceMerchantList(db, next, 2000, { ...small, signal: controller.signal }),
    ).rejects.toThrow();
    vi.mocked(db.merchantBuckets.bulkPut).mockRestore();

    const store = createMerchantStore(db);
    expect((await store.getSyncState()).generation).toBe(1);
    for (const url of ['https://fnac.com/', 'https://café.fr/', 'https://epicerie.fr/']) {
      expect(await store.matchUrl(url)).not.toBeNull();
    }
    expect(await store.matchUrl('https://a.fr/')).toBeNull();
    expect(await store.getMerchant('a')).toBeNull();
    // The orphan chunk is there until the next sync removes it.
    expect(await db.merchantBuckets.where('[generation+bucket]').above([1, Infinity]).count()).toBe(
      2,
    );
    expect(await removeLeftoverGenerations(db)).toBe(1);
    expect(await db.merchantBuckets.count()).toBe(5);
    expect((await db.listHead.get(MERCHANT_LIST_KEY))?.generation).toBe(1);
  });

  it('refuses to switch when another replacement switched meanwhile, or when told to', async () => {
    await replaceMerchantList(freshDb(), LIST, 1000);
    const next = parsed([{ id: 'x', domains: ['x.fr'] }], 'v2');
    const bulkPut = db.merchantBuckets.bulkPut.bind(db.merchantBuckets);
    vi.spyOn(db.merchantBuckets, 'bulkPut').mockImplementationOnce((async (rows: never[]) => {
      await db.listHead.update(MERCHANT_LIST_KEY, { generation: 7 }); // a concurrent switch
      return bulkPut(rows);
    }) as typeof db.merchantBuckets.bulkPut);
    await expect(replaceMerchantList(db, next, 2000)).rejects.toThrow(/replaced by another sync/);
    expect((await db.listHead.get(MERCHANT_LIST_KEY))?.generation).toBe(7);

    const refused = replaceMerchantList(db, next, 3000, {
      beforeSwitch: async () => {
        throw new Error('lease lost');
      },
    });
    await expect(refused).rejects.toThrow('lease lost');
    expect((await db.listHead.get(MERCHANT_LIST_KEY))?.version).toBe('v1');
  });
});

describe('merchant store: sync state', () => {
  it("says syncing only under this worker's lease, not one a stopped worker left", async () => {
    const db = freshDb();
    const lease = (worker: string) =>
      db.syncState.put({
        key: MERCHANT_LIST_KEY,
        lastAttemptAt: 900,
        lastSuccessAt: null,
        lastError: null,
        consecutiveFailures: 0,
        nextAttemptAt: null,
        lease: { owner: 'sync-1', until: 2000, worker },
      });
    const store = createMerchantStore(db, { now: () => 1000, worker: 'worker-2' });
    await lease('worker-1');
    expect((await store.getSyncState()).syncing).toBe(false);
    await lease('worker-2');
    expect((await store.getSyncState()).syncing).toBe(true);
  });
});

describe('merchant store: muted sites', () => {
  it('mutes, lists newest first, and unmutes', async () => {
    let now = 100;
    const store = createMerchantStore(freshDb(), { now: () => now });
    await store.muteSite({ id: 'fnac', name: 'Fnac' });
    now = 200;
    await store.muteSite({ id: 'cafe', name: 'Café de Flore' });
    expect(await store.isMuted('fnac')).toBe(true);
    expect(await store.listMutedSites()).toEqual([
      { merchantId: 'cafe', name: 'Café de Flore', mutedAt: 200 },
      { merchantId: 'fnac', name: 'Fnac', mutedAt: 100 },
    ]);
    await store.unmuteSite('fnac');
    expect(await store.isMuted('fnac')).toBe(false);
    expect((await store.listMutedSites()).map((site) => site.merchantId)).toEqual(['cafe']);
  });

  it('leaves out a malformed row from an older version, and lists the others', async () => {
    const db = freshDb();
    const store = createMerchantStore(db, { now: () => 100 });
    await store.muteSite({ id: 'fnac', name: 'Fnac' });
    await db.mutedSites.put({ merchantId: 'darty', name: 42, mutedAt: 'hier' } as never);
    expect(await store.listMutedSites()).toEqual([
      { merchantId: 'fnac', name: 'Fnac', mutedAt: 100 },
    ]);
  });
});
