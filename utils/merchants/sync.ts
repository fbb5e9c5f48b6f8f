/**
 * One sync of the merchant list with the portal; when to try again is its policy (sync-policy.ts).
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
import {
  isLeaseHeld,
  isSyncDue,
  LEASE_MS,
  nextAttemptDelay,
  nextRegularSyncAt,
  BACKOFF_MAX_MS,
} from './sync-policy';

export interface SyncDeps {
  client: Pick<PortalClient, 'merchants'>;
  db: RistourneDb;
  now(): number;
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
    const held = isLeaseHeld(state.lease, now);
    if (held && (worker === undefined || state.lease?.worker === worker)) {
      return { status: 'skipped', reason: 'busy', nextAttemptAt: state.nextAttemptAt } as const;
    }
    if (!force && !isSyncDue(state.nextAttemptAt, now)) {
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
