/**
 * One sync of the merchant list with the portal, and the policy around it: when to try again.
 * Browser-free (the caller passes the portal client, the database and the clock), so every path
 * is tested with fake-indexeddb; sync-setup.ts wires it to alarms and runtime events.
 *
 *   lease ──busy──▶ skipped          (another sync runs; a stopped worker's lease is taken over)
 *     │  not due ─▶ skipped          (unless forced: install, "Sync now", a stale list at start)
 *     ▼
 *   GET /merchants, If-None-Match ──304──▶ success: only syncState written
 *     │ error ─────────────────────────▶ failure: last good list kept, backoff (≥ Retry-After)
 *     │ (network, timeout, HTTP, redirect, not JSON, over the byte cap)
 *     ▼
 *   parseMerchantList ──not a list, too many entries──▶ failure
 *     ▼
 *   replaceMerchantList ──throws────────▶ failure (the old list stays current)
 *     ▼
 *   success: new list, counts, next sync in ~6 h
 */
import {
  MERCHANT_LIST_KEY,
  type ListCounts,
  type RistourneDb,
  type SyncError,
  type SyncStateRow,
} from '../storage/db';
import { INDEX_FORMAT } from './domain-index';
import { parseMerchantList } from './list';
import { replaceMerchantList } from './store';
import type { PortalClient, PortalError } from '../contract/client';

export const SYNC_INTERVAL_MS = 6 * 60 * 60_000;
/** Added at random to the interval so that browsers do not all call the portal at once. */
export const SYNC_JITTER_MS = 30 * 60_000;
export const BACKOFF_BASE_MS = 60_000;
export const BACKOFF_MAX_MS = 6 * 60 * 60_000;
/** Longer than the list request's timeout (60 s) plus the writes, at 100,000 merchants. */
export const LEASE_MS = 5 * 60_000;

export interface SyncDeps {
  client: Pick<PortalClient, 'merchants'>;
  db: RistourneDb;
  now: () => number;
  /**
   * The worker running the sync (random at each start). Only one worker of the extension runs at
   * a time, so a lease of another worker was left by a stopped one: taken over, not waited for.
   */
  worker?: string;
  /** Ignore the schedule (backoff, interval); never the lease. */
  force?: boolean;
  random?: () => number;
  /** Checked between the chunks written (a stopped worker, in tests). */
  signal?: AbortSignal;
  chunkSize?: number;
  /** Merchants per stored bucket (tests use 1 to have many buckets). */
  merchantsPerBucket?: number;
}

export type SyncOutcome =
  | { status: 'updated'; version: string; counts: ListCounts; nextAttemptAt: number }
  | { status: 'not-modified'; nextAttemptAt: number }
  | { status: 'failed'; error: SyncError; nextAttemptAt: number }
  | { status: 'skipped'; reason: 'busy' | 'not-due'; nextAttemptAt: number | null };

/**
 * Delay before the next try after `failures` consecutive failures (≥ 1): 1 min, 2, 4 … capped at
 * 6 h, each shortened by up to a quarter at random so that clients spread out after an outage.
 */
export function nextAttemptDelay(failures: number, random: () => number): number {
  const exponential = Math.min(
    BACKOFF_MAX_MS,
    BACKOFF_BASE_MS * 2 ** Math.min(Math.max(failures, 1) - 1, 30),
  );
  return Math.round(exponential * (1 - 0.25 * random()));
}

/** When the next regular sync is due after a success. */
export function nextRegularSyncAt(now: number, random: () => number): number {
  return now + SYNC_INTERVAL_MS + Math.round(SYNC_JITTER_MS * random());
}

/** Whether the browser's start should sync: no list yet, or a list older than the interval. */
export function isListStale(lastSuccessAt: number | null, now: number): boolean {
  return lastSuccessAt === null || now - lastSuccessAt >= SYNC_INTERVAL_MS;
}

/**
 * Whether a sync should be tried again as soon as something that made it fail changes (host
 * access given back): no list yet, or the last attempt failed.
 */
export function lastSyncFailed(
  state: Pick<SyncStateRow, 'lastSuccessAt' | 'lastError'> | undefined,
): boolean {
  return !state || state.lastSuccessAt === null || state.lastError !== null;
}

/**
 * Whether a sync was cut short: a lease left by another worker (this one is starting, so that one
 * stopped before releasing it). Firefox suspends an idle event page even while a download is in
 * flight (only extension events and API calls count as activity), and Chrome stops its worker.
 */
export function syncWasCut(
  state: Pick<SyncStateRow, 'lease'> | undefined,
  worker: string,
  now: number,
): boolean {
  const lease = state?.lease;
  if (!lease) return false;
  // A lease of an older version names no worker: cut once it has expired.
  return lease.worker === undefined ? lease.until <= now : lease.worker !== worker;
}

export async function syncMerchants(deps: SyncDeps): Promise<SyncOutcome> {
  const { client, db, now } = deps;
  const random = deps.random ?? Math.random;
  const owner = crypto.randomUUID();
  const lease = await acquireLease(db, owner, now(), deps.force ?? false, deps.worker);
  if (lease.status === 'skipped') return lease;

  const fail = (error: Omit<SyncError, 'at'>, retryAfterMs?: number) =>
    recordFailure(db, owner, { ...error, at: now() }, retryAfterMs, now(), random);

  try {
    const head = await db.listHead.get(MERCHANT_LIST_KEY);
    // A stored index of an older format must be rebuilt: ask for the whole list.
    const etag = head?.indexFormat === INDEX_FORMAT ? head.etag : null;
    const response = await client.merchants(etag);
    if (!response.ok) {
      return await fail(describePortalError(response.error), retryAfterOf(response.error));
    }

    if (response.value.notModified) {
      const nextAttemptAt = nextRegularSyncAt(now(), random);
      await updateOwnState(db, owner, (state) => ({ ...succeeded(state, now()), nextAttemptAt }));
      return { status: 'not-modified', nextAttemptAt };
    }

    const list = parseMerchantList(response.value.body);
    if (!list.ok) return await fail({ kind: list.kind, message: list.error });

    const nextAttemptAt = nextRegularSyncAt(now(), random);
    let result;
    try {
      result = await replaceMerchantList(db, { ...list, etag: response.value.etag }, now(), {
        ...(deps.chunkSize === undefined ? {} : { chunkSize: deps.chunkSize }),
        ...(deps.merchantsPerBucket === undefined
          ? {}
          : { merchantsPerBucket: deps.merchantsPerBucket }),
        ...(deps.signal === undefined ? {} : { signal: deps.signal }),
        // The switch and the success are one transaction: the ETag never outlives its list.
        beforeSwitch: () =>
          updateOwnState(db, owner, (state) => ({ ...succeeded(state, now()), nextAttemptAt })),
      });
    } catch (error) {
      return await fail({ kind: 'storage', message: messageOf(error) });
    }
    return { status: 'updated', version: list.version, counts: result.counts, nextAttemptAt };
  } finally {
    await releaseLease(db, owner).catch(() => undefined);
  }
}

// ---------- sync state ----------

const INITIAL_STATE: SyncStateRow = {
  key: MERCHANT_LIST_KEY,
  lastAttemptAt: null,
  lastSuccessAt: null,
  lastError: null,
  consecutiveFailures: 0,
  nextAttemptAt: null,
  lease: null,
};

async function acquireLease(
  db: RistourneDb,
  owner: string,
  now: number,
  force: boolean,
  worker: string | undefined,
): Promise<{ status: 'acquired' } | Extract<SyncOutcome, { status: 'skipped' }>> {
  return db.transaction('rw', db.syncState, async () => {
    const state = (await db.syncState.get(MERCHANT_LIST_KEY)) ?? INITIAL_STATE;
    const held = state.lease && state.lease.until > now;
    if (held && (worker === undefined || state.lease?.worker === worker)) {
      return { status: 'skipped', reason: 'busy', nextAttemptAt: state.nextAttemptAt } as const;
    }
    if (!force && state.nextAttemptAt !== null && now < state.nextAttemptAt) {
      return { status: 'skipped', reason: 'not-due', nextAttemptAt: state.nextAttemptAt } as const;
    }
    await db.syncState.put({
      ...state,
      lastAttemptAt: now,
      lease: { owner, until: now + LEASE_MS, ...(worker === undefined ? {} : { worker }) },
    });
    return { status: 'acquired' } as const;
  });
}

/** Applies `change` to the sync state if this sync still holds the lease; throws otherwise. */
async function updateOwnState(
  db: RistourneDb,
  owner: string,
  change: (state: SyncStateRow) => SyncStateRow,
): Promise<void> {
  await db.transaction('rw', db.syncState, async () => {
    const state = (await db.syncState.get(MERCHANT_LIST_KEY)) ?? INITIAL_STATE;
    if (state.lease?.owner !== owner) {
      throw new Error('sync lease lost (the sync took longer than the lease)');
    }
    await db.syncState.put(change(state));
  });
}

async function releaseLease(db: RistourneDb, owner: string): Promise<void> {
  await db.transaction('rw', db.syncState, async () => {
    const state = await db.syncState.get(MERCHANT_LIST_KEY);
    if (state?.lease?.owner === owner) await db.syncState.put({ ...state, lease: null });
  });
}

function succeeded(state: SyncStateRow, now: number): SyncStateRow {
  return { ...state, lastSuccessAt: now, lastError: null, consecutiveFailures: 0 };
}

async function recordFailure(
  db: RistourneDb,
  owner: string,
  error: SyncError,
  retryAfterMs: number | undefined,
  now: number,
  random: () => number,
): Promise<SyncOutcome> {
  let nextAttemptAt = now;
  await updateOwnState(db, owner, (state) => {
    const failures = state.consecutiveFailures + 1;
    // Never sooner than the portal's Retry-After (429, 503) nor than our own backoff; never
    // later than the backoff cap, whatever the portal says.
    const delay = Math.min(
      BACKOFF_MAX_MS,
      Math.max(nextAttemptDelay(failures, random), retryAfterMs ?? 0),
    );
    nextAttemptAt = now + delay;
    return { ...state, lastError: error, consecutiveFailures: failures, nextAttemptAt };
  }).catch(() => undefined); // lease lost: the sync that holds it records its own outcome
  return { status: 'failed', error, nextAttemptAt };
}

function describePortalError(error: PortalError): Omit<SyncError, 'at'> {
  switch (error.kind) {
    case 'network':
      return { kind: 'network', message: error.message };
    case 'timeout':
      return { kind: 'timeout', message: 'the portal did not answer in time' };
    case 'unauthorized':
      return { kind: 'http', message: `HTTP 401 ${error.code}` };
    case 'http':
      return {
        kind: 'http',
        message: `HTTP ${error.status} ${error.code}${error.message ? `: ${error.message}` : ''}`,
      };
    case 'invalid-response':
      return { kind: 'invalid-response', message: error.message };
    case 'too-large':
      return { kind: 'too-large', message: `the list is over ${error.limit} bytes` };
  }
}

function retryAfterOf(error: PortalError): number | undefined {
  return error.kind === 'http' ? error.retryAfterMs : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
