/**
 * THE IndexedDB schema of the extension (Dexie), versioned. Settings are not here: they live in
 * browser storage. Add a version with its upgrade and a test in tests/unit/db.test.ts; never edit
 * a published version.
 *
 * The merchant list is stored by generation, so that a new list replaces the old one atomically
 * while being written in chunks (utils/merchant-store.ts):
 *
 *   merchants  [generation+id]    one row per merchant of a generation
 *   snapshots  [generation+kind]  the serialised indexes of a generation ('match', 'names')
 *   listHead   key                the one row naming the current generation, with what describes
 *                                 it (version, ETag, stand-down list, counts): readers start here
 *   syncState  key                attempts, errors, backoff and the sync lease
 *   mutedSites merchantId         merchants the member muted from the banner
 *
 * Rows of any generation other than the head's are leftovers of an interrupted sync; the next
 * sync deletes them.
 */
import Dexie, { type Table } from 'dexie';
import type { StandDownList } from './contract';
import type { MerchantIndex, NameIndex } from './merchant-index';
import type { DroppedEntry, StoredMerchant } from './merchant-list';

export const DB_NAME = 'ristourne';
/** The key of the single row of `listHead` and of `syncState`. */
export const MERCHANT_LIST_KEY = 'merchants';

export type MerchantRow = StoredMerchant & { generation: number };

export type SnapshotRow =
  | { generation: number; kind: 'match'; index: MerchantIndex }
  | { generation: number; kind: 'names'; index: NameIndex };

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
  /** The first reasons (merchant-sync keeps about 20), for the options page and support. */
  dropped: DroppedEntry[];
  replacedAt: number;
}

export type SyncErrorKind =
  'network' | 'timeout' | 'http' | 'invalid-response' | 'not-a-list' | 'storage';

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
  /** Held by the sync in progress; a worker that dies leaves it to expire. */
  lease: { owner: string; until: number } | null;
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
 * The member's session (utils/account-store.ts validates it on every read). In IndexedDB rather
 * than `storage.local`, which content scripts can read: the token never leaves trusted contexts.
 */
export interface AccountRow {
  key: 'member';
  account: unknown;
}

export class RistourneDb extends Dexie {
  merchants!: Table<MerchantRow, [number, string]>;
  snapshots!: Table<SnapshotRow, [number, SnapshotRow['kind']]>;
  listHead!: Table<ListHead, string>;
  syncState!: Table<SyncStateRow, string>;
  mutedSites!: Table<MutedSite, string>;
  account!: Table<AccountRow, string>;

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
          const head: ListHead = {
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
          await tx.table<ListHead, string>('listHead').put(head);
        }
        await syncState.put(attempts);
      });
    // v3: the member's session, out of the storage that content scripts can read.
    this.version(3).stores({ account: 'key' });
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
