import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MERCHANT_LIST_KEY,
  openRistourneDb,
  STORES_V1,
  type ListHead,
  type MerchantRow,
  type SyncStateRowV1,
} from '../../../utils/storage/db';
import {
  buildMerchantIndex,
  buildNameIndex,
  INDEX_FORMAT,
} from '../../../utils/merchants/domain-index';
import { createMerchantStore } from '../../../utils/merchants/store';

const names: string[] = [];

function freshName(): string {
  const name = `db-test-${names.length}-${Date.now()}`;
  names.push(name);
  return name;
}

afterEach(async () => {
  await Promise.all(names.splice(0).map((name) => Dexie.delete(name)));
});

const FNAC: MerchantRow = {
  generation: 3,
  id: 'fnac',
  name: 'Fnac',
  domains: ['fnac.com'],
  cashback: { type: 'percent', value: 4.5, upTo: true },
  prompts: 'allowed',
};

describe('schema', () => {
  it('creates every table in a new database', async () => {
    const db = openRistourneDb(freshName());
    await db.open();
    expect(db.verno).toBe(5);
    expect(db.tables.map((table) => table.name).sort()).toEqual([
      'account',
      'activationHistory',
      'listHead',
      'merchantBuckets',
      'mutedSites',
      'ordersSeen',
      'snapshots',
      'syncState',
    ]);
    db.close();
  });
});

describe('upgrade v1 → v2: the list head moves out of the sync state', () => {
  async function createV1(name: string, syncState: SyncStateRowV1 | null) {
    const v1 = new Dexie(name);
    v1.version(1).stores(STORES_V1);
    await v1.open();
    await v1.table('merchants').bulkPut([FNAC, { ...FNAC, generation: 2, name: 'Old' }]);
    await v1.table('snapshots').bulkPut([
      { generation: 3, kind: 'match', index: buildMerchantIndex([FNAC]) },
      { generation: 3, kind: 'names', index: buildNameIndex([FNAC]) },
    ]);
    if (syncState) await v1.table('syncState').put(syncState);
    await v1.table('mutedSites').put({ merchantId: 'cafe', name: 'Café', mutedAt: 42 });
    v1.close();
  }

  const attempts = {
    key: MERCHANT_LIST_KEY,
    lastAttemptAt: 2000,
    lastSuccessAt: 1000,
    lastError: { kind: 'timeout', message: 'slow', at: 2000 },
    consecutiveFailures: 1,
    nextAttemptAt: 3000,
    lease: null,
  } as const;

  it('keeps every row and splits the sync state row', async () => {
    const name = freshName();
    await createV1(name, {
      ...attempts,
      generation: 3,
      version: 'v7',
      etag: '"e7"',
      standDown: { params: ['awc'], referrerHosts: [] },
      counts: { merchants: 1, dropped: 2, domains: 1 },
      dropped: [{ index: 1, reason: 'bad' }],
    });

    const db = openRistourneDb(name);
    expect(await db.listHead.get(MERCHANT_LIST_KEY)).toEqual({
      key: MERCHANT_LIST_KEY,
      generation: 3,
      version: 'v7',
      etag: '"e7"',
      standDown: { params: ['awc'], referrerHosts: [] },
      counts: { merchants: 1, dropped: 2, domains: 1 },
      indexFormat: 0,
      bucketCount: 1, // v4
      dropped: [{ index: 1, reason: 'bad' }],
      replacedAt: 1000,
    });
    expect(await db.syncState.get(MERCHANT_LIST_KEY)).toEqual(attempts);
    // v4 keeps the current generation (3), in buckets, and drops the leftover (2).
    expect(await db.merchantBuckets.toCollection().primaryKeys()).toEqual([[3, 0]]);
    expect(await db.snapshots.count()).toBe(2);
    expect(await db.mutedSites.toArray()).toEqual([
      { merchantId: 'cafe', name: 'Café', mutedAt: 42 },
    ]);

    // The upgraded data answers: the current generation (3) matches, the leftover (2) is ignored.
    const store = createMerchantStore(db);
    expect(await store.matchUrl('https://www.fnac.com/')).toEqual({
      id: 'fnac',
      name: 'Fnac',
      domains: ['fnac.com'],
      cashback: { type: 'percent', value: 4.5, upTo: true },
      prompts: 'allowed',
    });
    expect(await store.getSyncState()).toMatchObject({ etag: '"e7"', consecutiveFailures: 1 });
    db.close();
  });

  it('upgrades a database that never completed a sync', async () => {
    const name = freshName();
    await createV1(name, attempts);
    const db = openRistourneDb(name);
    expect(await db.listHead.count()).toBe(0);
    expect(await db.syncState.get(MERCHANT_LIST_KEY)).toEqual(attempts);
    db.close();
  });

  it('upgrades an empty database', async () => {
    const name = freshName();
    await createV1(name, null);
    const db = openRistourneDb(name);
    expect(await db.listHead.count()).toBe(0);
    expect(await db.syncState.count()).toBe(0);
    // No current generation: v4 has nothing to move into buckets.
    expect(await db.merchantBuckets.count()).toBe(0);
    db.close();
  });
});

describe("upgrade v2 → v3: a table for the member's session", () => {
  it('keeps the merchant list, the muted sites and the sync state', async () => {
    const name = freshName();
    const v2 = new Dexie(name);
    v2.version(1).stores(STORES_V1);
    v2.version(2).stores({ listHead: 'key' });
    await v2.open();
    await v2.table('merchants').put(FNAC);
    await v2.table('listHead').put(headV3(3));
    await v2.table('mutedSites').put({ merchantId: 'fnac', name: 'Fnac', mutedAt: 5 });
    await v2.table('syncState').put({ key: MERCHANT_LIST_KEY, lastSuccessAt: 7 });
    v2.close();

    const db = openRistourneDb(name);
    expect(await createMerchantStore(db).getMerchant('fnac')).toEqual(withoutGeneration(FNAC));
    expect(await db.mutedSites.toArray()).toEqual([
      { merchantId: 'fnac', name: 'Fnac', mutedAt: 5 },
    ]);
    expect(await db.syncState.get(MERCHANT_LIST_KEY)).toMatchObject({ lastSuccessAt: 7 });
    expect(await db.account.count()).toBe(0);
    db.close();
  });
});

function headV3(generation: number): Omit<ListHead, 'bucketCount'> {
  return {
    key: MERCHANT_LIST_KEY,
    generation,
    version: 'v9',
    etag: '"e9"',
    standDown: { params: ['awc'], referrerHosts: [] },
    counts: { merchants: 1_100, dropped: 0, domains: 1_100 },
    indexFormat: INDEX_FORMAT,
    dropped: [],
    replacedAt: 1000,
  };
}

function withoutGeneration({ generation: _generation, ...merchant }: MerchantRow) {
  return merchant;
}

describe('upgrade v3 → v4: the merchant list moves into buckets', () => {
  const merchants: MerchantRow[] = Array.from({ length: 1_100 }, (_, i) => ({
    ...FNAC,
    generation: 5,
    id: `m${i}`,
    name: `Shop ${i}`,
    domains: [`m${i}.fr`],
  }));

  async function createV3(name: string, head: boolean) {
    const v3 = new Dexie(name);
    v3.version(1).stores(STORES_V1);
    v3.version(2).stores({ listHead: 'key' });
    v3.version(3).stores({ account: 'key' });
    await v3.open();
    await v3.table('merchants').bulkPut(merchants);
    // Leftovers of an interrupted sync (6) and of an interrupted deletion (4).
    await v3.table('merchants').bulkPut([
      { ...merchants[0]!, generation: 6, name: 'Next' },
      { ...merchants[1]!, generation: 4, name: 'Old' },
    ]);
    await v3.table('snapshots').bulkPut([
      { generation: 5, kind: 'match', index: buildMerchantIndex(merchants) },
      { generation: 5, kind: 'names', index: buildNameIndex(merchants) },
    ]);
    if (head) await v3.table('listHead').put(headV3(5));
    await v3.table('syncState').put({ key: MERCHANT_LIST_KEY, lastSuccessAt: 7, lease: null });
    await v3.table('mutedSites').put({ merchantId: 'm1', name: 'Shop 1', mutedAt: 5 });
    await v3.table('account').put({ key: 'member', account: { token: 't' } });
    v3.close();
  }

  it('moves the current generation into buckets and keeps every other table', async () => {
    const name = freshName();
    await createV3(name, true);
    const db = openRistourneDb(name);

    expect(await db.listHead.get(MERCHANT_LIST_KEY)).toEqual({ ...headV3(5), bucketCount: 3 });
    const buckets = await db.merchantBuckets.toArray();
    expect(buckets.map((row) => [row.generation, row.bucket])).toEqual([
      [5, 0],
      [5, 1],
      [5, 2],
    ]);
    const stored = buckets.flatMap((row) => JSON.parse(row.merchants) as { id: string }[]);
    expect(stored.map((m) => m.id).sort()).toEqual(merchants.map((m) => m.id).sort());
    expect(await db.syncState.get(MERCHANT_LIST_KEY)).toEqual({
      key: MERCHANT_LIST_KEY,
      lastSuccessAt: 7,
      lease: null,
    });
    expect(await db.mutedSites.toArray()).toEqual([
      { merchantId: 'm1', name: 'Shop 1', mutedAt: 5 },
    ]);
    expect(await db.account.get('member')).toEqual({ key: 'member', account: { token: 't' } });
    expect(db.tables.map((table) => table.name)).not.toContain('merchants');

    // The list answers as before, without a sync.
    const store = createMerchantStore(db);
    for (const i of [0, 1, 555, 1_099]) {
      expect(await store.getMerchant(`m${i}`)).toEqual(withoutGeneration(merchants[i]!));
      expect((await store.matchUrl(`https://www.m${i}.fr/`))?.id).toBe(`m${i}`);
    }
    expect((await store.searchMerchants('shop 1099')).map((m) => m.id)).toEqual(['m1099']);
    db.close();
  });

  it('drops the rows of a database without a current list', async () => {
    const name = freshName();
    await createV3(name, false);
    const db = openRistourneDb(name);
    expect(await db.merchantBuckets.count()).toBe(0);
    expect(await db.listHead.count()).toBe(0);
    expect(await db.mutedSites.count()).toBe(1);
    expect(await db.account.count()).toBe(1);
    db.close();
  });
});
