/**
 * THE IndexedDB schema of the extension (Dexie), versioned. Settings are not here: they live in
 * browser storage. Add a version with its upgrade and a test in tests/unit/storage/db.test.ts; never edit
 * a published version.
 *
 * The merchant list is stored by generation, so that a new list replaces the old one atomically
 * while being written in chunks (utils/merchants/store.ts):
 *
 *   merchantBuckets [generation+bucket]  a generation's merchants, spread over `bucketCount`
 *                                 buckets by a hash of their id (merchantBucketOf), each bucket one
 *                                 row holding its merchants as a JSON array: a list of 100,000 is
 *                                 a few hundred rows (Chromium's IndexedDB costs per record)
 *   snapshots  [generation+kind]  the serialised indexes of a generation: the match index in
 *                                 shards ('match-0' …, see SnapshotRow), 'ids', 'names'
 *   listHead   key                the one row naming the current generation, with what describes
 *                                 it (version, ETag, stand-down list, counts): readers start here;
 *                                 after a sync by changes (a delta), also its overlay: the
 *                                 merchants changed since the generation was written, stored
 *                                 under a generation of their own in the same two tables
 *   syncState  key                attempts, errors, backoff and the sync lease
 *   mutedSites merchantId         merchants the member muted from the banner
 *   activationHistory ++id        the signed-in member's activations (utils/orders/journal.ts),
 *                                 90 days, emptied at sign-out
 *   ordersSeen key                the orders their confirmation pages showed after an activation,
 *                                 with their notification and claim (utils/orders/journal.ts)
 *
 * Rows of any generation other than the head's are leftovers of an interrupted sync; the next
 * sync deletes them.
 */
import Dexie, { type Table } from 'dexie';
import type { StandDownList } from '../contract/schemas';
import type { MerchantIds, MerchantIndex, NameIndex } from '../merchants/domain-index';
import type { DroppedEntry, StoredMerchant } from '../merchants/list';

export const DB_NAME = 'ristourne';
/** The key of the single row of `listHead` and of `syncState`. */
export const MERCHANT_LIST_KEY = 'merchants';

/** The v1–v3 row: one per merchant of a generation (the `merchants` table, dropped by v4). */
export type MerchantRow = StoredMerchant & { generation: number };

export interface MerchantBucketRow {
  generation: number;
  bucket: number;
  /** JSON of the bucket's StoredMerchant[] (one string clones much faster than many objects). */
  merchants: string;
  /** In a part of an overlay: the ids of that part that left the list since its base. */
  removed?: string[];
}

/**
 * Merchants per bucket aimed at: few rows per list (Chromium's IndexedDB costs per record), small
 * enough rows to parse on a lookup (~125 KB of JSON). Chromium benchmark, 100,000 merchants: a sync
 * took 3.4 s at 200 a bucket, 2.9 s at 500 and 3.0 s at 1,000 (noise ~10 %); storing the buckets
 * as arrays of objects instead of JSON measured the same.
 */
export const MERCHANTS_PER_BUCKET = 500;

/** How many buckets a list of `merchantCount` merchants gets (at least one). */
export function bucketCountFor(
  merchantCount: number,
  merchantsPerBucket: number = MERCHANTS_PER_BUCKET,
): number {
  return Math.max(1, Math.ceil(merchantCount / merchantsPerBucket));
}

/** The bucket of a merchant id among `bucketCount`: FNV-1a over its UTF-16 code units. */
export function merchantBucketOf(id: string, bucketCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % bucketCount;
}

/** Spreads merchants over `bucketCount` buckets, keeping their order within each bucket. */
export function bucketMerchants<T extends { id: string }>(
  merchants: readonly T[],
  bucketCount: number,
): T[][] {
  const buckets = Array.from({ length: bucketCount }, (): T[] => []);
  for (const merchant of merchants)
    buckets[merchantBucketOf(merchant.id, bucketCount)]!.push(merchant);
  return buckets;
}

/**
 * A generation's indexes. Since the list head has `matchShards`, the match index is stored in
 * that many shards (`match-0` …), read one at a time by a lookup, with the ids apart (`ids`, for
 * the search); a head without it was written with the whole index in one `match` row.
 */
export type SnapshotRow =
  | { generation: number; kind: 'match' | MatchShardKind; index: MerchantIndex }
  | { generation: number; kind: 'ids'; index: MerchantIds }
  | { generation: number; kind: 'names'; index: NameIndex }
  | { generation: number; kind: 'overlay'; index: OverlayIndex };

/**
 * The indexes of an overlay (utils/merchants/store.ts): its merchants' domains and names, and
 * every id changed or removed since the base (the base's entries of those ids no longer count).
 */
export interface OverlayIndex {
  format: number;
  match: MerchantIndex;
  names: NameIndex;
  changedIds: string[];
}

/** The merchants changed since a list's generation was written, kept beside it (a delta sync). */
export interface ListOverlay {
  /** Where its rows are: parts in `merchantBuckets`, the `overlay` row in `snapshots`. */
  generation: number;
  /** Parts in `merchantBuckets` (bucketCountFor the merchants and removals it holds). */
  bucketCount: number;
  /** Merchants it holds (added or changed since the base). */
  merchants: number;
  /** Ids it takes out of the base (changed or removed). */
  changedIds: number;
  /** Merchants in the base generation. */
  baseMerchants: number;
  /** Of the changed ids, those the base has. */
  changedInBase: number;
}

export type MatchShardKind = `match-${number}`;

export function matchShardKind(shard: number): MatchShardKind {
  return `match-${shard}`;
}

export interface ListCounts {
  /** Merchants kept. */
  merchants: number;
  /** Entries dropped whole (invalid, duplicate id, no valid domain left). */
  dropped: number;
  /** Domains in the index. */
  domains: number;
}

export interface ListHead {
  key: typeof MERCHANT_LIST_KEY;
  generation: number;
  version: string;
  etag: string | null;
  standDown: StandDownList;
  counts: ListCounts;
  /**
   * INDEX_FORMAT of this generation's snapshots. When the code's differs, the next sync does not
   * send the ETag: a 304 would leave the list without a usable index.
   */
  indexFormat: number;
  /** Buckets of this generation in `merchantBuckets` (bucketCountFor its merchant count). */
  bucketCount: number;
  /** Shards of this generation's match index (see SnapshotRow); absent: one `match` row. */
  matchShards?: number;
  /** Changes applied over this generation since it was written (absent: none). */
  overlay?: ListOverlay;
  /** The first reasons (merchant-sync keeps about 20), for the options page and support. */
  dropped: DroppedEntry[];
  replacedAt: number;
}

export type SyncErrorKind =
  'network' | 'timeout' | 'http' | 'invalid-response' | 'not-a-list' | 'too-large' | 'storage';

export interface SyncError {
  kind: SyncErrorKind;
  message: string;
  at: number;
}

export interface SyncStateRow {
  key: typeof MERCHANT_LIST_KEY;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastError: SyncError | null;
  consecutiveFailures: number;
  nextAttemptAt: number | null;
  /**
   * Until when the portal is taken not to serve changes (it answered 404 to them): syncs ask for
   * the whole list meanwhile. Absent in rows written before the changes route existed.
   */
  changesUnsupportedUntil?: number | null;
  /** Held by the sync in progress; a worker that dies leaves it to expire. */
  lease: { owner: string; until: number; worker?: string } | null;
}

export interface MutedSite {
  merchantId: string;
  name: string;
  mutedAt: number;
}

/** Version 1 kept the list's description in the sync state row. */
export const STORES_V1 = {
  merchants: '[generation+id]',
  snapshots: '[generation+kind]',
  syncState: 'key',
  mutedSites: 'merchantId',
} as const;

/** The v1 sync state row: today's SyncStateRow plus the fields v2 moved to `listHead`. */
export type SyncStateRowV1 = SyncStateRow & {
  generation?: number;
  version?: string;
  etag?: string | null;
  standDown?: StandDownList;
  counts?: ListCounts;
  dropped?: DroppedEntry[];
};

/**
 * The member's session (utils/account/store.ts validates it on every read). In IndexedDB rather
 * than `storage.local`, which content scripts can read: the token never leaves trusted contexts.
 */
export interface AccountRow {
  key: 'member';
  account: unknown;
}

/** Where an activation was clicked. */
export type ActivationSource = 'banner' | 'popup' | 'search';

/** One activation of the signed-in member (utils/orders/journal.ts validates it on read). */
export interface ActivationHistoryRow {
  id?: number;
  memberId: string;
  merchantId: string;
  merchantName: string;
  at: number;
  source: ActivationSource;
  clickId: string;
}

/** An order a confirmation page showed (utils/orders/journal.ts validates it on read). */
export interface OrderSeenRow {
  /** `memberId|merchantId|reference` (or `|click:<clickId>` when the page showed none). */
  key: string;
  memberId: string;
  order: unknown;
}

/** The list head before v4 (no buckets). */
export type ListHeadV3 = Omit<ListHead, 'bucketCount'>;

export class RistourneDb extends Dexie {
  merchantBuckets!: Table<MerchantBucketRow, [number, number]>;
  snapshots!: Table<SnapshotRow, [number, SnapshotRow['kind']]>;
  listHead!: Table<ListHead, string>;
  syncState!: Table<SyncStateRow, string>;
  mutedSites!: Table<MutedSite, string>;
  account!: Table<AccountRow, string>;
  activationHistory!: Table<ActivationHistoryRow, number>;
  ordersSeen!: Table<OrderSeenRow, string>;

  constructor(name: string) {
    super(name);
    this.version(1).stores(STORES_V1);
    // v2: readers look up the current generation on every match, so it moved to a row of its own
    // that only the atomic switch writes; attempts and leases update syncState without touching it.
    this.version(2)
      .stores({ listHead: 'key' })
      .upgrade(async (tx) => {
        const syncState = tx.table<SyncStateRowV1, string>('syncState');
        const old = await syncState.get(MERCHANT_LIST_KEY);
        if (!old) return;
        const { generation, version, etag, standDown, counts, dropped, ...attempts } = old;
        if (generation !== undefined && version !== undefined) {
          const head: ListHeadV3 = {
            key: MERCHANT_LIST_KEY,
            generation,
            version,
            etag: etag ?? null,
            standDown: standDown ?? { params: [], referrerHosts: [] },
            counts: counts ?? { merchants: 0, dropped: 0, domains: 0 },
            indexFormat: 0, // unknown: the next sync rebuilds the index
            dropped: dropped ?? [],
            replacedAt: old.lastSuccessAt ?? 0,
          };
          await tx.table<ListHeadV3, string>('listHead').put(head);
        }
        await syncState.put(attempts);
      });
    // v3: the member's session, out of the storage that content scripts can read.
    this.version(3).stores({ account: 'key' });
    // v4: the list in buckets of ~500 merchants instead of a row per merchant (a sync of 100,000
    // wrote and deleted 100,000 records). The current generation moves into buckets; leftovers of
    // other generations are dropped with the old table.
    this.version(4)
      .stores({ merchants: null, merchantBuckets: '[generation+bucket]' })
      .upgrade(async (tx) => {
        const listHead = tx.table<ListHeadV3 | ListHead, string>('listHead');
        const head = await listHead.get(MERCHANT_LIST_KEY);
        if (!head) return;
        const lower = [head.generation, Dexie.minKey] as unknown as [number, string];
        const upper = [head.generation, Dexie.maxKey] as unknown as [number, string];
        const rows = await tx
          .table<MerchantRow, [number, string]>('merchants')
          .where(':id')
          .between(lower, upper, true, true)
          .toArray();
        const merchants = rows.map(({ generation: _generation, ...merchant }) => merchant);
        const bucketCount = bucketCountFor(merchants.length);
        await tx.table<MerchantBucketRow, [number, number]>('merchantBuckets').bulkPut(
          bucketMerchants(merchants, bucketCount).map((bucket, index) => ({
            generation: head.generation,
            bucket: index,
            merchants: JSON.stringify(bucket),
          })),
        );
        await listHead.put({ ...head, bucketCount });
      });
    // v5: what follows the click: the member's activations and the orders seen after them.
    this.version(5).stores({
      activationHistory: '++id, memberId, [memberId+merchantId], at',
      ordersSeen: 'key, memberId',
    });
  }
}

/** Opens (lazily, on first use) the database of that name: tests pass a fresh name each. */
export function openRistourneDb(name: string = DB_NAME): RistourneDb {
  return new RistourneDb(name);
}

let shared: RistourneDb | undefined;

/** The extension's database, one connection per context (the worker, a page). */
export function extensionDb(): RistourneDb {
  shared ??= openRistourneDb();
  return shared;
}
