import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MERCHANT_LIST_KEY,
  openRistourneDb,
  STORES_V1,
  type MerchantRow,
  type SyncStateRowV1,
} from '../../utils/db';
import { buildMerchantIndex, buildNameIndex } from '../../utils/merchant-index';
import { createMerchantStore } from '../../utils/merchant-store';

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
    expect(db.verno).toBe(3);
    expect(db.tables.map((table) => table.name).sort()).toEqual([
      'account',
      'listHead',
      'merchants',
      'mutedSites',
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
      dropped: [{ index: 1, reason: 'bad' }],
      replacedAt: 1000,
    });
    expect(await db.syncState.get(MERCHANT_LIST_KEY)).toEqual(attempts);
    expect(await db.merchants.count()).toBe(2);
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
    expect(await db.merchants.count()).toBe(2);
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
    await v2.table('mutedSites').put({ merchantId: 'fnac', name: 'Fnac', mutedAt: 5 });
    await v2.table('syncState').put({ key: MERCHANT_LIST_KEY, lastSuccessAt: 7 });
    v2.close();

    const db = openRistourneDb(name);
    expect(await db.merchants.get([3, 'fnac'])).toEqual(FNAC);
    expect(await db.mutedSites.toArray()).toEqual([
      { merchantId: 'fnac', name: 'Fnac', mutedAt: 5 },
    ]);
    expect(await db.syncState.get(MERCHANT_LIST_KEY)).toMatchObject({ lastSuccessAt: 7 });
    expect(await db.account.count()).toBe(0);
    db.close();
  });
});
