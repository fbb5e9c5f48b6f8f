/**
 * The stored merchant list: atomic replacement (write side) and the queries the extension makes
 * (read side). IndexedDB is the source of truth; the loaded indexes are a per-worker cache.
 *
 * Replacement, so that a reader sees the whole old list or the whole new one, also when the
 * worker is stopped halfway:
 *
 *   1. delete leftovers (generations other than the head's)   chunked transactions
 *   2. write the new generation's rows                        chunked: readers are never blocked
 *   3. write its index snapshots                              for long by one huge transaction
 *   4. switch listHead to the new generation                  one tiny transaction: the commit
 *   5. delete the old generation                              chunked; if interrupted, step 1
 *                                                             of the next sync finishes it
 *
 * A stop before 4 leaves the old list current and whole; readers never look at other generations.
 * A reader that read the head just before 4 and the row just after 5 finds the row gone and
 * starts over from the new head: a merchant present in both lists is never reported as absent.
 */
import Dexie from 'dexie';
import type { StandDownList } from './contract';
import {
  MERCHANT_LIST_KEY,
  type ListCounts,
  type ListHead,
  type MerchantRow,
  type MutedSite,
  type RistourneDb,
  type SnapshotRow,
  type SyncError,
} from './db';
import { hostnameOfUrl } from './domain';
import {
  buildMerchantIndex,
  buildNameIndex,
  INDEX_FORMAT,
  matchUrl as matchUrlInIndex,
  merchantIdAt,
  NO_MATCH,
  searchNameIndex,
  type MerchantIndex,
  type NameIndex,
} from './merchant-index';
import {
  countDroppedMerchants,
  type DroppedEntry,
  type ParsedMerchantList,
  type StoredMerchant,
} from './merchant-list';

/**
 * Rows per write (and delete) transaction: the longest a reader can wait on a sync. Chosen with
 * fake-indexeddb (tests/bench/storage.ts: 5,000 keeps each transaction near 100 ms for the best
 * total); the Chromium benchmark should confirm it.
 */
export const DEFAULT_CHUNK_SIZE = 5_000;
/** Reasons kept in the list head (the full list can hold thousands). */
export const DROPPED_REASONS_KEPT = 20;

/** What the options page shows about the list and its sync. */
export interface MerchantSyncStatus {
  generation: number | null;
  version: string | null;
  etag: string | null;
  counts: ListCounts | null;
  dropped: DroppedEntry[];
  replacedAt: number | null;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastError: SyncError | null;
  consecutiveFailures: number;
  nextAttemptAt: number | null;
  /** A sync holds the lease right now. */
  syncing: boolean;
}

export interface MerchantStore {
  /** The merchant whose domain the URL is on (most specific domain), or null. */
  matchUrl(url: string): Promise<StoredMerchant | null>;
  getMerchant(id: string): Promise<StoredMerchant | null>;
  /** Names containing the query (case and accents ignored), names starting with it first. */
  searchMerchants(query: string, limit?: number): Promise<StoredMerchant[]>;
  getStandDownList(): Promise<StandDownList>;
  getSyncState(): Promise<MerchantSyncStatus>;
  muteSite(merchant: Pick<StoredMerchant, 'id' | 'name'>): Promise<void>;
  unmuteSite(merchantId: string): Promise<void>;
  isMuted(merchantId: string): Promise<boolean>;
  /** Most recently muted first. */
  listMutedSites(): Promise<MutedSite[]>;
}

const EMPTY_STAND_DOWN: StandDownList = { params: [], referrerHosts: [] };
/** Returned by a read whose generation was replaced and deleted under it: read again. */
const REPLACED = Symbol('replaced');

export function createMerchantStore(
  db: RistourneDb,
  options: { now?: () => number } = {},
): MerchantStore {
  const now = options.now ?? Date.now;
  const matchIndexOf = snapshotCache<MerchantIndex>(db, 'match');
  const nameIndexOf = snapshotCache<NameIndex>(db, 'names');

  /** Runs `read` on the current list, and again on the next one if it was replaced meanwhile. */
  async function onCurrentList<T>(
    read: (generation: number) => Promise<T | null | typeof REPLACED>,
  ): Promise<T | null> {
    let previous: number | undefined;
    for (;;) {
      const head = await db.listHead.get(MERCHANT_LIST_KEY);
      if (!head || head.generation === previous) return null;
      const result = await read(head.generation);
      if (result !== REPLACED) return result;
      previous = head.generation;
    }
  }

  async function rowsOf(generation: number, ids: string[]) {
    const rows = await db.merchants.bulkGet(ids.map((id) => [generation, id] as [number, string]));
    return rows.every((row) => row !== undefined) ? rows.map(toStoredMerchant) : REPLACED;
  }

  return {
    async matchUrl(url) {
      // Tabs on chrome://, about:, file: or an IP cost no database read.
      if (hostnameOfUrl(url) === null) return null;
      return onCurrentList(async (generation) => {
        const index = await matchIndexOf(generation);
        if (!index) return null;
        const ordinal = matchUrlInIndex(index, url);
        if (ordinal === NO_MATCH) return null;
        const row = await db.merchants.get([generation, merchantIdAt(index, ordinal)]);
        return row ? toStoredMerchant(row) : REPLACED;
      });
    },

    getMerchant: (id) =>
      onCurrentList(async (generation) => {
        const row = await db.merchants.get([generation, id]);
        if (row) return toStoredMerchant(row);
        // Absent, or deleted by a switch since the head was read: only the latter is worth a retry.
        const head = await db.listHead.get(MERCHANT_LIST_KEY);
        return head && head.generation !== generation ? REPLACED : null;
      }),

    async searchMerchants(query, limit = 20) {
      const found = await onCurrentList(async (generation) => {
        const [index, names] = await Promise.all([
          matchIndexOf(generation),
          nameIndexOf(generation),
        ]);
        if (!index || !names) return [];
        const ordinals = searchNameIndex(names, query, limit);
        return rowsOf(
          generation,
          ordinals.map((ordinal) => merchantIdAt(index, ordinal)),
        );
      });
      return found ?? [];
    },

    async getStandDownList() {
      const head = await db.listHead.get(MERCHANT_LIST_KEY);
      return head?.standDown ?? EMPTY_STAND_DOWN;
    },

    async getSyncState() {
      const [head, state] = await db.transaction('r', [db.listHead, db.syncState], () =>
        Promise.all([db.listHead.get(MERCHANT_LIST_KEY), db.syncState.get(MERCHANT_LIST_KEY)]),
      );
      return {
        generation: head?.generation ?? null,
        version: head?.version ?? null,
        etag: head?.etag ?? null,
        counts: head?.counts ?? null,
        dropped: head?.dropped ?? [],
        replacedAt: head?.replacedAt ?? null,
        lastAttemptAt: state?.lastAttemptAt ?? null,
        lastSuccessAt: state?.lastSuccessAt ?? null,
        lastError: state?.lastError ?? null,
        consecutiveFailures: state?.consecutiveFailures ?? 0,
        nextAttemptAt: state?.nextAttemptAt ?? null,
        syncing: state?.lease != null && state.lease.until > now(),
      };
    },

    async muteSite(merchant) {
      await db.mutedSites.put({ merchantId: merchant.id, name: merchant.name, mutedAt: now() });
    },

    async unmuteSite(merchantId) {
      await db.mutedSites.delete(merchantId);
    },

    async isMuted(merchantId) {
      return (await db.mutedSites.get(merchantId)) !== undefined;
    },

    async listMutedSites() {
      const sites = await db.mutedSites.toArray();
      return sites.sort((a, b) => b.mutedAt - a.mutedAt);
    },
  };
}

/**
 * Loads a generation's snapshot once and keeps it while that generation is current. The promise is
 * cached, so the events that wake the worker together share one read.
 */
function snapshotCache<T extends MerchantIndex | NameIndex>(
  db: RistourneDb,
  kind: SnapshotRow['kind'],
): (generation: number) => Promise<T | null> {
  let cached: { generation: number; snapshot: Promise<T | null> } | null = null;
  return (generation) => {
    if (cached?.generation !== generation) {
      const snapshot = db.snapshots.get([generation, kind]).then((row) => {
        // Another format would be read wrong: better no answer until a sync rewrites it.
        const index = row?.index as T | undefined;
        return index?.format === INDEX_FORMAT ? index : null;
      });
      const entry = { generation, snapshot };
      cached = entry;
      // A failed read is not remembered: the next call tries again.
      snapshot.catch(() => {
        if (cached === entry) cached = null;
      });
    }
    return cached.snapshot;
  };
}

function toStoredMerchant(row: MerchantRow): StoredMerchant {
  const { generation: _generation, ...merchant } = row;
  return merchant;
}

// ---------- write side ----------

export interface ReplaceOptions {
  /** Merchant rows per write transaction. */
  chunkSize?: number;
  /** Checked between chunks: an abort leaves the old list current (like a stopped worker). */
  signal?: AbortSignal;
  /**
   * Runs inside the switch transaction (which also covers `syncState`): throwing cancels the
   * switch. merchant-sync checks its lease and records the success here.
   */
  beforeSwitch?: () => Promise<void>;
}

export interface ReplaceResult {
  generation: number;
  counts: ListCounts;
}

/** Makes `list` the current merchant list, atomically for readers (see the header). */
export async function replaceMerchantList(
  db: RistourneDb,
  list: ParsedMerchantList & { etag: string | null },
  replacedAt: number,
  options: ReplaceOptions = {},
): Promise<ReplaceResult> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const { signal } = options;
  const match = buildMerchantIndex(list.merchants);
  const names = buildNameIndex(list.merchants);

  const previous = await removeLeftoverGenerations(db, chunkSize);
  const generation = (previous ?? 0) + 1;
  for (let start = 0; start < list.merchants.length; start += chunkSize) {
    signal?.throwIfAborted();
    const rows = list.merchants
      .slice(start, start + chunkSize)
      .map((merchant): MerchantRow => ({ ...merchant, generation }));
    await db.merchants.bulkPut(rows);
  }
  signal?.throwIfAborted();
  await db.snapshots.bulkPut([
    { generation, kind: 'match', index: match },
    { generation, kind: 'names', index: names },
  ]);
  signal?.throwIfAborted();

  const counts: ListCounts = {
    merchants: list.merchants.length,
    dropped: countDroppedMerchants(list.dropped),
    domains: match.domainCount,
  };
  const head: ListHead = {
    key: MERCHANT_LIST_KEY,
    generation,
    version: list.version,
    etag: list.etag,
    standDown: list.standDown,
    counts,
    indexFormat: INDEX_FORMAT,
    dropped: list.dropped.slice(0, DROPPED_REASONS_KEPT),
    replacedAt,
  };
  await db.transaction('rw', [db.listHead, db.syncState], async () => {
    const current = await db.listHead.get(MERCHANT_LIST_KEY);
    if ((current?.generation ?? null) !== previous) {
      throw new Error('the merchant list was replaced by another sync meanwhile');
    }
    await options.beforeSwitch?.();
    await db.listHead.put(head);
  });

  if (previous !== null) {
    // Failure here costs only space: the next sync's first step finishes the job.
    await deleteGenerations(db, [previous, previous], chunkSize).catch(() => undefined);
  }
  return { generation, counts };
}

/**
 * Deletes every generation but the current one (leftovers of an interrupted sync or of an
 * interrupted deletion). Returns the current generation, or null when there is no list yet.
 */
export async function removeLeftoverGenerations(
  db: RistourneDb,
  chunkSize = DEFAULT_CHUNK_SIZE,
): Promise<number | null> {
  const current = (await db.listHead.get(MERCHANT_LIST_KEY))?.generation ?? null;
  if (current === null) {
    await deleteGenerations(db, [-Infinity, Infinity], chunkSize);
  } else {
    await deleteGenerations(db, [-Infinity, current - 1], chunkSize);
    await deleteGenerations(db, [current + 1, Infinity], chunkSize);
  }
  return current;
}

/**
 * Deletes the rows and snapshots of generations `from` to `to` (inclusive), `chunkSize` rows per
 * transaction. Each chunk is a key-range delete (measured ~5x faster than deleting listed keys).
 */
async function deleteGenerations(
  db: RistourneDb,
  [from, to]: [number, number],
  chunkSize: number,
): Promise<void> {
  if (from > to) return;
  const lower = [from, Dexie.minKey] as unknown as [number, string];
  const upper = [to, Dexie.maxKey] as unknown as [number, string];
  for (let done = false; !done;) {
    done = await db.transaction('rw', db.merchants, async () => {
      // The chunk's last key bounds the range. (Not `offset()`: fake-indexeddb takes seconds.)
      const keys = await db.merchants
        .where(':id')
        .between(lower, upper, true, true)
        .limit(chunkSize)
        .primaryKeys();
      const last = keys.at(-1);
      if (last !== undefined) {
        await db.merchants.where(':id').between(lower, last, true, true).delete();
      }
      return keys.length < chunkSize;
    });
  }
  await db.snapshots.where(':id').between(lower, upper, true, true).delete();
}
