/**
 * The stored merchant list: atomic replacement (write side) and the queries the extension makes
 * (read side). IndexedDB is the source of truth; the loaded indexes are a per-worker cache.
 *
 * A generation's merchants are stored in buckets (utils/storage/db.ts): a row per [generation, bucket]
 * holding ~500 merchants as JSON, the bucket given by a hash of the id. A lookup by id reads one
 * row; a sync of 100,000 merchants writes 200 rows instead of 100,000.
 *
 * Replacement, so that a reader sees the whole old list or the whole new one, also when the
 * worker is stopped halfway:
 *
 *   1. delete leftovers (generations other than the head's)   key-range deletes
 *   2. write the new generation's buckets                     chunked: readers are never blocked
 *   3. write its index snapshots                              for long by one huge transaction
 *   4. switch listHead to the new generation                  one tiny transaction: the commit
 *   5. delete the old generation                              one key-range delete; if
 *                                                             interrupted, step 1 of the next
 *                                                             sync finishes it
 *
 * A stop before 4 leaves the old list current and whole; readers never look at other generations.
 * Every bucket of a generation is written, even an empty one: a reader that read the head just
 * before 4 and finds its bucket or its index snapshot missing after 5 knows the generation was
 * replaced and starts over from the new head, so a merchant present in both lists is never
 * reported as absent (tests/unit/hostile/races.test.ts interleaves lookups with the switch).
 *
 * Changes (a delta sync, docs/portal-api.md §2b) are not written into the generation: at 1 % of
 * 100,000 merchants they touch nearly every bucket and shard, and rewriting those costs what a
 * full sync does. They go into an overlay beside it, rewritten whole at each delta under a
 * generation of its own and switched in by the same one-row head transaction:
 *
 *   parts     merchantBuckets [overlay generation, part]   the merchants added or changed since
 *                                                          the base, hashed by id, and the ids of
 *                                                          each part that left the list
 *   'overlay' snapshots [overlay generation, 'overlay']    their match and name indexes, and
 *                                                          every id changed or removed (the
 *                                                          base's entries of those ids are void)
 *
 * A lookup by id reads the base bucket and the overlay part together (one bulkGet); a match
 * asks the base shard, skipping void owners, and the overlay's index, and keeps the more specific
 * domain (the base's merchant on a tie: a merchant keeps a domain another one claims later). A
 * delta writes a few records whatever the list's size; when the overlay outgrows
 * overlayLimit, the next delta folds it into a new generation (compaction, no download).
 */
import Dexie from 'dexie';
import { z } from 'zod';
import type { StandDownList } from '../contract/schemas';
import {
  bucketCountFor,
  bucketMerchants,
  MERCHANT_LIST_KEY,
  matchShardKind,
  merchantBucketOf,
  MERCHANTS_PER_BUCKET,
  type ListCounts,
  type ListHead,
  type ListOverlay,
  type MatchShardKind,
  type MerchantBucketRow,
  type MutedSite,
  type OverlayIndex,
  type RistourneDb,
  type SnapshotRow,
  type SyncError,
} from '../storage/db';
import { hostnameOfUrl } from './domain';
import { isLeaseHeld } from './sync-policy';
import {
  buildMatchShards,
  buildMerchantIds,
  buildMerchantIndex,
  buildNameIndex,
  foldForSearch,
  INDEX_FORMAT,
  matchShardCountFor,
  matchShardOfUrl,
  matchUrl as matchUrlInIndex,
  matchUrlWhere,
  merchantIdAt,
  nameRank,
  NO_MATCH,
  searchNameIndex,
  type MatchHit,
  type MerchantIds,
  type MerchantIndex,
  type NameIndex,
} from './domain-index';
import {
  countDroppedMerchants,
  type DroppedEntry,
  type ParsedMerchantDelta,
  type ParsedMerchantList,
  type StoredMerchant,
} from './list';

const MutedSiteSchema = z.object({
  merchantId: z.string().min(1),
  name: z.string(),
  mutedAt: z.number(),
});

/**
 * Merchants per write transaction (rounded to whole buckets): the longest a reader can wait on a
 * sync. With buckets the per-record cost is gone, so larger chunks cost readers little: 20,000
 * (40 bucket rows) measured ~5 % faster than 5,000 in the Chromium benchmark.
 */
export const DEFAULT_CHUNK_SIZE = 20_000;
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

/** An overlay's indexes as a reader uses them. */
interface LoadedOverlay extends OverlayIndex {
  changed: Set<string>;
}

export function createMerchantStore(
  db: RistourneDb,
  options: {
    now?: () => number;
    /** This worker: a lease of another one was left by a stopped worker, no sync runs under it. */
    worker?: string;
  } = {},
): MerchantStore {
  const now = options.now ?? Date.now;
  const snapshotOf = snapshotCache(db);
  const matchIndexOf = (generation: number, kind: 'match' | MatchShardKind) =>
    snapshotOf<MerchantIndex>(generation, kind);

  /** The ids by ordinal: their own row, or the whole match index's (a head without shards). */
  const idsOf = (head: ListHead) =>
    head.matchShards === undefined
      ? matchIndexOf(head.generation, 'match')
      : snapshotOf<MerchantIds>(head.generation, 'ids');

  const overlayOf = async (head: ListHead): Promise<LoadedOverlay | null | typeof REPLACED> => {
    if (!head.overlay) return null;
    return snapshotOf<LoadedOverlay>(head.overlay.generation, 'overlay');
  };

  const heads = headCache(db);

  /** Runs `read` on the current list, and again on the next one if it was replaced meanwhile. */
  async function onCurrentList<T>(
    read: (head: ListHead) => Promise<T | null | typeof REPLACED>,
  ): Promise<T | null> {
    let previous: number | undefined;
    for (let fresh = false; ; fresh = true) {
      const head = await heads.current(fresh);
      if (!head || head.generation === previous) return null;
      const result = await read(head);
      if (result !== REPLACED) return result;
      previous = head.generation;
    }
  }

  /**
   * The merchants of these ids in the head's list (null for an absent id), or REPLACED: their
   * buckets of the base and, when changes were applied over it, the overlay's parts, in one read.
   */
  async function merchantsOf(
    { generation, bucketCount, overlay }: ListHead,
    ids: string[],
  ): Promise<(StoredMerchant | null)[] | typeof REPLACED> {
    if (!(bucketCount >= 1)) return ids.map(() => null); // a head without buckets: no list
    const keys = [...new Set(ids.map((id) => merchantBucketOf(id, bucketCount)))].map(
      (bucket) => [generation, bucket] as [number, number],
    );
    const baseRows = keys.length;
    if (overlay) {
      for (const part of new Set(ids.map((id) => merchantBucketOf(id, overlay.bucketCount)))) {
        keys.push([overlay.generation, part]);
      }
    }
    const rows = await db.merchantBuckets.bulkGet(keys);
    const byId = new Map<string, StoredMerchant>();
    for (const [i, row] of rows.entries()) {
      // Every row of a current generation or overlay exists: a missing one was deleted.
      if (!row) return REPLACED;
      // The base's rows first, then the overlay's, which replace or remove what they name.
      if (i >= baseRows) for (const id of row.removed ?? []) byId.delete(id);
      for (const merchant of JSON.parse(row.merchants) as StoredMerchant[]) {
        byId.set(merchant.id, merchant);
      }
    }
    return ids.map((id) => byId.get(id) ?? null);
  }

  const baseHit: MatchHit = { ordinal: NO_MATCH, domainLength: 0 };
  const overlayHit: MatchHit = { ordinal: NO_MATCH, domainLength: 0 };

  /** The id a URL matches in a base shard and an overlay (see the header), or null. */
  function matchWithOverlay(index: MerchantIndex, overlay: LoadedOverlay, url: string) {
    matchUrlWhere(
      index,
      url,
      (ordinal) => !overlay.changed.has(merchantIdAt(index, ordinal)),
      baseHit,
    );
    matchUrlWhere(overlay.match, url, null, overlayHit);
    if (overlayHit.domainLength > baseHit.domainLength) {
      return merchantIdAt(overlay.match, overlayHit.ordinal);
    }
    return baseHit.ordinal === NO_MATCH ? null : merchantIdAt(index, baseHit.ordinal);
  }

  async function merchantOf(head: ListHead, id: string) {
    const found = await merchantsOf(head, [id]);
    return found === REPLACED ? REPLACED : found[0]!;
  }

  return {
    async matchUrl(url) {
      // Tabs on chrome://, about:, file: or an IP cost no database read.
      if (hostnameOfUrl(url) === null) return null;
      return onCurrentList(async (head) => {
        const shard =
          head.matchShards === undefined ? null : matchShardOfUrl(url, head.matchShards);
        if (head.matchShards !== undefined && shard === null) return null;
        const [index, overlay] = await Promise.all([
          matchIndexOf(head.generation, shard === null ? 'match' : matchShardKind(shard)),
          overlayOf(head),
        ]);
        if (index === REPLACED || overlay === REPLACED) return REPLACED;
        if (!index) return null;
        if (overlay) {
          const id = matchWithOverlay(index, overlay, url);
          return id === null ? null : merchantOf(head, id);
        }
        const ordinal = matchUrlInIndex(index, url);
        if (ordinal === NO_MATCH) return null;
        return merchantOf(head, merchantIdAt(index, ordinal));
      });
    },

    getMerchant: (id) => onCurrentList((head) => merchantOf(head, id)),

    async searchMerchants(query, limit = 20) {
      const found = await onCurrentList(async (head) => {
        const [ids, names, overlay] = await Promise.all([
          idsOf(head),
          snapshotOf<NameIndex>(head.generation, 'names'),
          overlayOf(head),
        ]);
        if (ids === REPLACED || names === REPLACED || overlay === REPLACED) return REPLACED;
        if (!ids || !names) return [];
        const accept = overlay
          ? (ordinal: number) => !overlay.changed.has(merchantIdAt(ids, ordinal))
          : null;
        const found = searchNameIndex(names, query, limit, accept).map((ordinal) =>
          merchantIdAt(ids, ordinal),
        );
        if (overlay) {
          for (const ordinal of searchNameIndex(overlay.names, query, limit)) {
            found.push(merchantIdAt(overlay.match, ordinal));
          }
        }
        const merchants = await merchantsOf(head, found);
        if (merchants === REPLACED) return REPLACED;
        const kept = merchants.filter((merchant) => merchant !== null);
        if (!overlay) return kept;
        // Two ranked lists: ranked again together (stable: the base's first within a rank).
        const needle = foldForSearch(query);
        const rank = new Map(kept.map((m) => [m, nameRank(foldForSearch(m.name), needle)]));
        return kept.sort((a, b) => rank.get(a)! - rank.get(b)!).slice(0, limit);
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
        syncing:
          state !== undefined &&
          isLeaseHeld(state.lease, now()) &&
          (options.worker === undefined || state.lease?.worker === options.worker),
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
      // Rows written by an older version are read, not trusted: a malformed one is left out alone.
      const sites = (await db.mutedSites.toArray()).filter(
        (site) => MutedSiteSchema.safeParse(site).success,
      );
      return sites.sort((a, b) => b.mutedAt - a.mutedAt);
    },
  };
}

/**
 * Loads each snapshot row of a generation once and keeps it while that generation is current (a
 * base and its overlay are two generations read side by side). The promises are cached, so the
 * events that wake the worker together share one read. REPLACED when a row is gone (the list was
 * switched and that generation deleted).
 */
/**
 * The list head as this worker last read it: every page visited asks for a match, and a match
 * from the indexes already in memory should not wait for a database read each time. Dexie
 * announces every committed write, in this context and (by BroadcastChannel) in the others: a
 * write to the head drops the copy, and the next read fetches it again.
 */
function headCache(db: RistourneDb): { current(fresh: boolean): Promise<ListHead | undefined> } {
  let cached: Promise<ListHead | undefined> | null = null;
  const headPart = `idb://${db.name}/listHead/`;
  const dropOnWrite = (parts: Record<string, unknown>) => {
    if (Object.keys(parts).some((part) => part.startsWith(headPart))) cached = null;
  };
  Dexie.on('storagemutated', dropOnWrite);
  db.on('close', () => Dexie.on.storagemutated.unsubscribe(dropOnWrite));
  return {
    current(fresh) {
      if (cached && !fresh) return cached;
      const read = db.listHead.get(MERCHANT_LIST_KEY);
      cached = read;
      // A failed read is not remembered: the next call tries again.
      read.catch(() => {
        if (cached === read) cached = null;
      });
      return read;
    },
  };
}

function snapshotCache(
  db: RistourneDb,
): <T extends SnapshotRow['index'] | LoadedOverlay>(
  generation: number,
  kind: SnapshotRow['kind'],
) => Promise<T | null | typeof REPLACED> {
  type Loaded = Promise<SnapshotRow['index'] | LoadedOverlay | null | typeof REPLACED>;
  // A base and its overlay, and the next ones while a switch is read: a few generations at most.
  const KEPT_GENERATIONS = 3;
  const cached = new Map<number, Map<string, Loaded>>();
  return <T extends SnapshotRow['index'] | LoadedOverlay>(
    generation: number,
    kind: SnapshotRow['kind'],
  ) => {
    let rows = cached.get(generation);
    if (!rows) {
      rows = new Map();
      cached.set(generation, rows);
      if (cached.size > KEPT_GENERATIONS) cached.delete(cached.keys().next().value!);
    }
    let loaded = rows.get(kind);
    if (!loaded) {
      loaded = db.snapshots.get([generation, kind]).then((row) => {
        // A current generation always has its snapshots: a missing one was deleted after a switch
        // (read the head again), not "no merchant here".
        if (!row) return REPLACED;
        // Another format would be read wrong: better no answer until a sync rewrites it.
        if (row.index.format !== INDEX_FORMAT) return null;
        return row.kind === 'overlay'
          ? { ...row.index, changed: new Set(row.index.changedIds) }
          : row.index;
      });
      const entry = loaded;
      const generationRows = rows;
      generationRows.set(kind, entry);
      // A failed read is not remembered: the next call tries again.
      entry.catch(() => {
        if (generationRows.get(kind) === entry) generationRows.delete(kind);
      });
    }
    return loaded as Promise<T | null | typeof REPLACED>;
  };
}

// ---------- write side ----------

export interface ReplaceOptions {
  /** Merchants per write transaction (rounded up to whole buckets). */
  chunkSize?: number;
  /** Merchants per bucket aimed at (MERCHANTS_PER_BUCKET); tests use 1 to have many buckets. */
  merchantsPerBucket?: number;
  /** Checked between chunks: an abort leaves the old list current (like a stopped worker). */
  signal?: AbortSignal;
  /** Changes an overlay holds before a delta compacts it (overlayLimit); tests lower it. */
  maxOverlay?: number;
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
  const before = await removeLeftovers(db);
  return writeGeneration(db, before, list, replacedAt, options);
}

/** Writes `list` as a new generation after `before` (the head read when the sync began). */
async function writeGeneration(
  db: RistourneDb,
  before: ListHead | null,
  list: Pick<ParsedMerchantList, 'version' | 'merchants' | 'standDown' | 'dropped'> & {
    etag: string | null;
    /** Entries dropped whole, when `dropped` does not say (a compaction). */
    droppedCount?: number;
  },
  replacedAt: number,
  options: ReplaceOptions,
): Promise<ReplaceResult> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const { signal } = options;
  let listedDomains = 0;
  for (const merchant of list.merchants) listedDomains += merchant.domains.length;
  const matchShards = matchShardCountFor(listedDomains);
  const shards = buildMatchShards(list.merchants, matchShards);
  const names = buildNameIndex(list.merchants);
  const ids = buildMerchantIds(list.merchants);

  const generation = nextGeneration(before);
  const merchantsPerBucket = options.merchantsPerBucket ?? MERCHANTS_PER_BUCKET;
  const bucketCount = bucketCountFor(list.merchants.length, merchantsPerBucket);
  const buckets = bucketMerchants(list.merchants, bucketCount);
  const bucketsPerChunk = Math.max(1, Math.ceil(chunkSize / merchantsPerBucket));
  for (let start = 0; start < bucketCount; start += bucketsPerChunk) {
    signal?.throwIfAborted();
    const rows = buckets
      .slice(start, start + bucketsPerChunk)
      .map((merchants, i): MerchantBucketRow => ({
        generation,
        bucket: start + i,
        merchants: JSON.stringify(merchants),
      }));
    await db.merchantBuckets.bulkPut(rows);
  }
  signal?.throwIfAborted();
  await db.snapshots.bulkPut([
    ...shards.map((index, shard): SnapshotRow => ({
      generation,
      kind: matchShardKind(shard),
      index,
    })),
    { generation, kind: 'ids', index: ids },
    { generation, kind: 'names', index: names },
  ]);
  signal?.throwIfAborted();

  const counts: ListCounts = {
    merchants: list.merchants.length,
    dropped: list.droppedCount ?? countDroppedMerchants(list.dropped),
    domains: shards.reduce((sum, shard) => sum + shard.domainCount, 0),
  };
  const head: ListHead = {
    key: MERCHANT_LIST_KEY,
    generation,
    version: list.version,
    etag: list.etag,
    standDown: list.standDown,
    counts,
    indexFormat: INDEX_FORMAT,
    bucketCount,
    matchShards,
    dropped: list.dropped.slice(0, DROPPED_REASONS_KEPT),
    replacedAt,
  };
  await switchHead(db, before, head, options.beforeSwitch);
  // Failure here costs only space: the next sync's first step finishes the job.
  for (const old of generationsOf(before)) {
    await deleteGenerations(db, [old, old]).catch(() => undefined);
  }
  return { generation, counts };
}

/** The commit: `head` becomes current if the list is still `before` (no other sync switched). */
async function switchHead(
  db: RistourneDb,
  before: ListHead | null,
  head: ListHead,
  beforeSwitch: (() => Promise<void>) | undefined,
): Promise<void> {
  await db.transaction('rw', [db.listHead, db.syncState], async () => {
    const current = (await db.listHead.get(MERCHANT_LIST_KEY)) ?? null;
    if (
      current?.generation !== before?.generation ||
      current?.overlay?.generation !== before?.overlay?.generation
    ) {
      throw new Error('the merchant list was replaced by another sync meanwhile');
    }
    await beforeSwitch?.();
    await db.listHead.put(head);
  });
}

/** The generations a head's list is stored in: its base, and its overlay's when it has one. */
function generationsOf(head: ListHead | null | undefined): number[] {
  if (!head) return [];
  return head.overlay ? [head.generation, head.overlay.generation] : [head.generation];
}

function nextGeneration(head: ListHead | null): number {
  return Math.max(0, ...generationsOf(head)) + 1;
}

// ---------- changes (a delta sync) ----------

/** Why a delta cannot be applied to the stored list: the sync downloads the whole list. */
export class DeltaDoesNotApply extends Error {}

export interface DeltaResult extends ReplaceResult {
  /** The overlay grew past its limit and was folded into a new generation. */
  compacted: boolean;
}

/**
 * Merchants and removals an overlay holds before the next delta folds it into a new generation:
 * 5 % of the list (at 1 % of changes a day, every few days), and at least 2,000. Past that, the
 * overlay's rewrite at each delta would cost more than reading it costs a lookup.
 */
export function overlayLimit(baseMerchants: number): number {
  return Math.max(2_000, Math.ceil(baseMerchants * 0.05));
}

/**
 * Applies changes to the stored list, atomically for readers: afterwards the list is the portal's
 * list `delta.to`, or, on any failure, still the whole old one. Throws DeltaDoesNotApply when the
 * stored list is not `delta.from` (or cannot take changes: no list, an index of another format
 * or not in shards); any other throw is a storage failure. Writes the overlay (see the header),
 * a few records whatever the list's size, or, past overlayLimit, a compacted new generation.
 */
export async function applyMerchantDelta(
  db: RistourneDb,
  delta: ParsedMerchantDelta,
  appliedAt: number,
  options: ReplaceOptions = {},
): Promise<DeltaResult> {
  const before = await removeLeftovers(db);
  if (!before) throw new DeltaDoesNotApply('no stored list to apply changes to');
  if (before.version !== delta.from) {
    throw new DeltaDoesNotApply(
      `changes from version "${delta.from}", the stored list is "${before.version}"`,
    );
  }
  if (before.indexFormat !== INDEX_FORMAT || before.matchShards === undefined) {
    throw new DeltaDoesNotApply('the stored index must be rebuilt: a whole list is needed');
  }
  const { signal } = options;
  const old = await loadOverlay(db, before);
  signal?.throwIfAborted();

  // The overlay's merchants, without those the delta names; each id named becomes void in the base.
  const touched = new Set([...delta.upserted.map((m) => m.id), ...delta.removed]);
  const merchants = new Map(old.merchants.filter((m) => !touched.has(m.id)).map((m) => [m.id, m]));
  const newlyChanged = [...touched].filter((id) => !old.changed.has(id));
  // A merchant of the overlay that the delta leaves alone keeps its domains: the delta's merchant
  // loses a domain it also claims, as a later entry of a list would.
  const owners = new Map<string, string>();
  for (const merchant of merchants.values()) {
    for (const domain of merchant.domains) owners.set(domain, merchant.id);
  }
  const dropped: DroppedEntry[] = [...delta.dropped];
  delta.upserted.forEach((merchant, index) => {
    const domains = merchant.domains.filter((domain) => {
      const owner = owners.get(domain);
      if (owner === undefined) return true;
      dropped.push({
        index,
        id: merchant.id,
        domain,
        reason: `already claimed by merchant "${owner}"`,
      });
      return false;
    });
    if (domains.length === 0) {
      dropped.push({ index, id: merchant.id, reason: 'no valid domain left' });
      return;
    }
    merchants.set(merchant.id, { ...merchant, domains });
  });
  const changed = new Set([...old.changed, ...touched]);

  const overlay = before.overlay;
  const baseMerchants = overlay?.baseMerchants ?? before.counts.merchants;
  const inBase = await countInBase(db, before, newlyChanged);
  const changedInBase = (overlay?.changedInBase ?? 0) + inBase;
  const standDown = delta.standDown ?? before.standDown;
  const droppedCount = before.counts.dropped + countDroppedMerchants(delta.dropped);
  const reasons = [...dropped, ...before.dropped].slice(0, DROPPED_REASONS_KEPT);
  signal?.throwIfAborted();

  if (changed.size > (options.maxOverlay ?? overlayLimit(baseMerchants))) {
    // Folded into a new generation: the base's merchants still current, then the overlay's.
    const base = await loadBaseMerchants(db, before);
    const kept = base.filter((merchant) => !changed.has(merchant.id));
    const claimed = new Set(kept.flatMap((merchant) => merchant.domains));
    const added = [...merchants.values()].flatMap((merchant) => {
      const domains = merchant.domains.filter((domain) => !claimed.has(domain));
      return domains.length === 0 ? [] : [{ ...merchant, domains }];
    });
    const result = await writeGeneration(
      db,
      before,
      {
        version: delta.to,
        etag: null,
        merchants: [...kept, ...added],
        standDown,
        dropped: reasons,
        droppedCount,
      },
      appliedAt,
      options,
    );
    return { ...result, compacted: true };
  }

  const generation = nextGeneration(before);
  const list = [...merchants.values()];
  const removedOnly = [...changed].filter((id) => !merchants.has(id));
  const bucketCount = bucketCountFor(list.length + removedOnly.length);
  const parts = bucketMerchants(list, bucketCount);
  const removedByPart = parts.map((): string[] => []);
  for (const id of removedOnly) removedByPart[merchantBucketOf(id, bucketCount)]!.push(id);
  const match = buildMerchantIndex(list);
  const index: OverlayIndex = {
    format: INDEX_FORMAT,
    match,
    names: buildNameIndex(list),
    changedIds: [...changed],
  };
  await db.transaction('rw', [db.merchantBuckets, db.snapshots], async () => {
    await db.merchantBuckets.bulkPut(
      parts.map((part, bucket) => ({
        generation,
        bucket,
        merchants: JSON.stringify(part),
        removed: removedByPart[bucket]!,
      })),
    );
    await db.snapshots.put({ generation, kind: 'overlay', index });
  });
  signal?.throwIfAborted();

  const counts: ListCounts = {
    merchants: baseMerchants - changedInBase + list.length,
    dropped: droppedCount,
    // What the indexes hold: the base's (void entries included) and the overlay's.
    domains:
      (overlay ? before.counts.domains - old.domains : before.counts.domains) + match.domainCount,
  };
  const nextOverlay: ListOverlay = {
    generation,
    bucketCount,
    merchants: list.length,
    changedIds: changed.size,
    baseMerchants,
    changedInBase,
  };
  const head: ListHead = {
    ...before,
    version: delta.to,
    // The ETag named the whole list of the old version; the next whole list is downloaded anew.
    etag: null,
    standDown,
    counts,
    overlay: nextOverlay,
    dropped: reasons,
    replacedAt: appliedAt,
  };
  await switchHead(db, before, head, options.beforeSwitch);
  if (overlay)
    await deleteGenerations(db, [overlay.generation, overlay.generation]).catch(() => undefined);
  return { generation: head.generation, counts, compacted: false };
}

interface OverlayContents {
  merchants: StoredMerchant[];
  changed: Set<string>;
  /** Domains in its match index. */
  domains: number;
}

/** The whole overlay of `head` (empty when it has none). */
async function loadOverlay(db: RistourneDb, head: ListHead): Promise<OverlayContents> {
  const { overlay } = head;
  if (!overlay) return { merchants: [], changed: new Set(), domains: 0 };
  const [snapshot, parts] = await Promise.all([
    db.snapshots.get([overlay.generation, 'overlay']),
    db.merchantBuckets.bulkGet(
      Array.from({ length: overlay.bucketCount }, (_, part): [number, number] => [
        overlay.generation,
        part,
      ]),
    ),
  ]);
  if (snapshot?.kind !== 'overlay' || parts.some((part) => !part)) {
    throw new Error('the overlay of the stored list is incomplete');
  }
  return {
    merchants: parts.flatMap((part) => JSON.parse(part!.merchants) as StoredMerchant[]),
    changed: new Set(snapshot.index.changedIds),
    domains: snapshot.index.match.domainCount,
  };
}

/**
 * How many of `ids` the base generation of `head` has (its `ids` row: no bucket is read). The
 * ids are compared as UTF-8 bytes, hashed in place: decoding 100,000 ids into strings took
 * seconds in a Chromium worker.
 */
async function countInBase(db: RistourneDb, head: ListHead, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const row = await db.snapshots.get([head.generation, 'ids']);
  if (row?.kind !== 'ids') throw new Error('the ids of the stored list are missing');
  const { idBytes, idStarts } = row.index;
  const wanted = new Map<number, Uint8Array[]>();
  for (const id of ids) {
    const bytes = utf8.encode(id);
    const hash = fnv(bytes, 0, bytes.length);
    wanted.set(hash, [...(wanted.get(hash) ?? []), bytes]);
  }
  let found = 0;
  for (let ordinal = 0; ordinal + 1 < idStarts.length; ordinal++) {
    const start = idStarts[ordinal]!;
    const end = idStarts[ordinal + 1]!;
    const candidates = wanted.get(fnv(idBytes, start, end));
    if (candidates?.some((bytes) => sameBytes(bytes, idBytes, start, end))) found += 1;
  }
  return found;
}

function fnv(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash;
}

function sameBytes(a: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[start + i]) return false;
  return true;
}

const utf8 = new TextEncoder();

/** Every merchant of the base generation of `head`, bucket by bucket. */
async function loadBaseMerchants(db: RistourneDb, head: ListHead): Promise<StoredMerchant[]> {
  const lower = [head.generation, Dexie.minKey] as unknown as [number, number];
  const upper = [head.generation, Dexie.maxKey] as unknown as [number, number];
  const rows = await db.merchantBuckets.where(':id').between(lower, upper, true, true).toArray();
  if (rows.length !== head.bucketCount) throw new Error('the stored list is incomplete');
  return rows.flatMap((row) => JSON.parse(row.merchants) as StoredMerchant[]);
}

/**
 * Deletes every generation the head's list does not use (leftovers of an interrupted sync or of
 * an interrupted deletion). Returns the highest generation in use, or null when there is no list.
 */
export async function removeLeftoverGenerations(db: RistourneDb): Promise<number | null> {
  const head = await removeLeftovers(db);
  return head ? Math.max(...generationsOf(head)) : null;
}

/** removeLeftoverGenerations, answering the head it kept. */
async function removeLeftovers(db: RistourneDb): Promise<ListHead | null> {
  const head = (await db.listHead.get(MERCHANT_LIST_KEY)) ?? null;
  let from = -Infinity;
  for (const kept of generationsOf(head).sort((a, b) => a - b)) {
    await deleteGenerations(db, [from, kept - 1]);
    from = kept + 1;
  }
  await deleteGenerations(db, [from, Infinity]);
  return head;
}

/**
 * Deletes the buckets and snapshots of generations `from` to `to` (inclusive): two key-range
 * deletes in one transaction. A generation is a few hundred rows, so this is short.
 */
async function deleteGenerations(db: RistourneDb, [from, to]: [number, number]): Promise<void> {
  if (from > to) return;
  const lower = [from, Dexie.minKey] as unknown as [number, never];
  const upper = [to, Dexie.maxKey] as unknown as [number, never];
  await db.transaction('rw', [db.merchantBuckets, db.snapshots], async () => {
    await db.merchantBuckets.where(':id').between(lower, upper, true, true).delete();
    await db.snapshots.where(':id').between(lower, upper, true, true).delete();
  });
}
