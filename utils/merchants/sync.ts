/**
 * One sync of the merchant list with the portal; when to try again is its policy (sync-policy.ts).
 * Browser-free (the caller passes the portal client, the database and the clock), so every path
 * is tested with fake-indexeddb; sync-setup.ts wires it to alarms and runtime events.
 *
 *   lease ──busy──▶ skipped          (another sync runs; a stopped worker's lease is taken over)
 *     │  not due ─▶ skipped          (unless forced: install, "Sync now", a stale list at start)
 *     ▼
 *   chooseListRequest ── a list that takes changes ──▶ GET /merchants/changes?since=<version>
 *     │                    empty ─────────────────────▶ success: only syncState written
 *     │                    changes from our version ──▶ applyMerchantDelta ──▶ success
 *     │                    network, timeout, 429, 503 ▶ failure (the portal is out or busy)
 *     │                    anything else: 404 (for a day), 410, another 4xx/5xx, a whole list,
 *     │                    changes from another version, a delta that does not apply
 *     ▼                                                  │
 *   GET /merchants, If-None-Match ◀─────────────────────┘
 *     │ 304 ─────────────────────────────▶ success: only syncState written
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
import { MerchantListEnvelopeSchema } from '../contract/schemas';
import { INDEX_FORMAT } from './domain-index';
import { parseMerchantDelta, parseMerchantList, type ParsedMerchantDelta } from './list';
import { applyMerchantDelta, replaceMerchantList } from './store';
import type {
  MerchantChangesResponse,
  PortalClient,
  PortalError,
  PortalResult,
} from '../contract/client';
import type { ListHead } from '../storage/db';
import { isDeadlineAhead } from '../storage/deadline';
import {
  isLeaseHeld,
  isSyncDue,
  LEASE_MS,
  nextAttemptDelay,
  nextRegularSyncAt,
  BACKOFF_MAX_MS,
} from './sync-policy';

/** After a portal answered 404 to the changes route: whole lists only, for this long. */
export const CHANGES_UNSUPPORTED_MS = 24 * 60 * 60_000;

export interface SyncDeps {
  client: Pick<PortalClient, 'merchants' | 'merchantChanges'>;
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

/** How the list came: its changes since the stored version, or the whole list. */
export type SyncVia = 'changes' | 'whole';

export type SyncOutcome =
  | { status: 'updated'; via: SyncVia; version: string; counts: ListCounts; nextAttemptAt: number }
  | { status: 'not-modified'; via: SyncVia; nextAttemptAt: number }
  | { status: 'failed'; error: SyncError; nextAttemptAt: number }
  | { status: 'skipped'; reason: 'busy' | 'not-due'; nextAttemptAt: number | null };

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
  // A lease of an older version names no worker: cut once it has expired (or was taken by a
  // clock that ran ahead).
  return lease.worker === undefined ? !isLeaseHeld(lease, now) : lease.worker !== worker;
}

// ---------- the policy: changes or the whole list ----------

export type ListRequest =
  | { kind: 'changes'; since: string }
  /** `etag`: sent as If-None-Match (null: download whatever the portal has). */
  | { kind: 'whole'; etag: string | null };

/**
 * What to ask the portal for. Changes only apply to a list stored whole and current: one of an
 * older index format is rebuilt from a whole list (without its ETag: a 304 would keep the old
 * index), and one stored before the index was sharded is revalidated as before (its next whole
 * download makes it take changes). A portal that answered 404 to changes gets whole-list
 * requests until `changesUnsupportedUntil`.
 */
export function chooseListRequest(
  head: Pick<ListHead, 'version' | 'etag' | 'indexFormat' | 'matchShards'> | null | undefined,
  changesUnsupportedUntil: number | null | undefined,
  now: number,
): ListRequest {
  if (!head || head.indexFormat !== INDEX_FORMAT) return { kind: 'whole', etag: null };
  if (head.matchShards === undefined) return { kind: 'whole', etag: head.etag };
  // A clock that ran ahead when the 404 came does not keep changes off for longer than a day.
  if (
    changesUnsupportedUntil != null &&
    isDeadlineAhead(changesUnsupportedUntil, now, CHANGES_UNSUPPORTED_MS)
  ) {
    return { kind: 'whole', etag: head.etag };
  }
  return { kind: 'changes', since: head.version };
}

export type ChangesVerdict =
  | { action: 'apply'; delta: ParsedMerchantDelta }
  | { action: 'unchanged' }
  /** Any doubt: download the whole list. `unsupported`: the portal has no changes route. */
  | { action: 'whole'; reason: string; unsupported: boolean }
  /** The portal is unreachable or busy: the whole list would fail as well. */
  | { action: 'fail'; error: PortalError };

/**
 * What to do with the answer to `GET /merchants/changes?since=<held>`. Only changes from the
 * very version held are applied; everything unexpected (404, 410, any other 4xx or 5xx but 429
 * and 503, a redirect, a body that is not changes, a whole list, changes from another version,
 * more than the entry cap) asks for the whole list. Unreachable or busy (network, timeout, 429,
 * 503) is a failure: the backoff and Retry-After apply as to the whole list.
 */
export function judgeChangesAnswer(
  answer: PortalResult<MerchantChangesResponse>,
  held: string,
): ChangesVerdict {
  if (!answer.ok) {
    const { error } = answer;
    if (error.kind === 'network' || error.kind === 'timeout') return { action: 'fail', error };
    if (error.kind === 'http' && (error.status === 429 || error.status === 503)) {
      return { action: 'fail', error };
    }
    const unsupported =
      error.kind === 'http' &&
      [404, 405, 501].includes(error.status) &&
      error.code !== 'redirect_refused';
    return { action: 'whole', reason: describePortalError(error).message, unsupported };
  }
  const delta = parseMerchantDelta(answer.value.body);
  if (!delta.ok) {
    const whole = MerchantListEnvelopeSchema.safeParse(answer.value.body).success;
    return {
      action: 'whole',
      reason: whole ? 'the portal answered the changes with a whole list' : delta.error,
      unsupported: false,
    };
  }
  if (delta.from !== held) {
    return {
      action: 'whole',
      reason: `changes from version "${delta.from}", the stored list is "${held}"`,
      unsupported: false,
    };
  }
  const empty = delta.upserted.length === 0 && delta.removed.length === 0;
  // The same version is the same list, its stand-down list included (a portal sends it anyway).
  if (empty && delta.to === delta.from) return { action: 'unchanged' };
  return { action: 'apply', delta };
}

export async function syncMerchants(deps: SyncDeps): Promise<SyncOutcome> {
  const { client, db, now } = deps;
  const random = deps.random ?? Math.random;
  const owner = crypto.randomUUID();
  const lease = await acquireLease(db, owner, now(), deps.force ?? false, deps.worker);
  if (lease.status === 'skipped') return lease;

  const writeOptions = {
    ...(deps.chunkSize === undefined ? {} : { chunkSize: deps.chunkSize }),
    ...(deps.merchantsPerBucket === undefined
      ? {}
      : { merchantsPerBucket: deps.merchantsPerBucket }),
    ...(deps.signal === undefined ? {} : { signal: deps.signal }),
  };

  try {
    const [head, state] = await Promise.all([
      db.listHead.get(MERCHANT_LIST_KEY),
      db.syncState.get(MERCHANT_LIST_KEY),
    ]);
    let unsupportedUntil = state?.changesUnsupportedUntil ?? null;
    const remember = (change: (state: SyncStateRow) => SyncStateRow) => (state: SyncStateRow) => ({
      ...change(state),
      changesUnsupportedUntil: unsupportedUntil,
    });
    const fail = (error: Omit<SyncError, 'at'>, retryAfterMs?: number) =>
      recordFailure(db, owner, { ...error, at: now() }, retryAfterMs, now(), random, remember);
    const succeed = (nextAttemptAt: number) =>
      updateOwnState(
        db,
        owner,
        remember((state) => ({ ...succeeded(state, now()), nextAttemptAt })),
      );

    let request = chooseListRequest(head, unsupportedUntil, now());
    if (request.kind === 'changes') {
      const verdict = judgeChangesAnswer(
        await client.merchantChanges(request.since),
        request.since,
      );
      switch (verdict.action) {
        case 'fail':
          return await fail(describePortalError(verdict.error), retryAfterOf(verdict.error));
        case 'unchanged': {
          const nextAttemptAt = nextRegularSyncAt(now(), random);
          await succeed(nextAttemptAt);
          return { status: 'not-modified', via: 'changes', nextAttemptAt };
        }
        case 'apply': {
          const nextAttemptAt = nextRegularSyncAt(now(), random);
          try {
            const result = await applyMerchantDelta(db, verdict.delta, now(), {
              ...writeOptions,
              beforeSwitch: () => succeed(nextAttemptAt),
            });
            return {
              status: 'updated',
              via: 'changes',
              version: verdict.delta.to,
              counts: result.counts,
              nextAttemptAt,
            };
          } catch (error) {
            // A stopped or aborted sync stops here; any other doubt (DeltaDoesNotApply, a
            // storage error) asks for the whole list, whose own failure is then recorded.
            if (deps.signal?.aborted) {
              return await fail({ kind: 'storage', message: messageOf(error) });
            }
          }
          break;
        }
        case 'whole':
          if (verdict.unsupported) unsupportedUntil = now() + CHANGES_UNSUPPORTED_MS;
          break;
      }
      // The list's own ETag still names what is stored, unless changes were applied since.
      request = { kind: 'whole', etag: head?.etag ?? null };
    }

    const response = await client.merchants(request.etag);
    if (!response.ok) {
      return await fail(describePortalError(response.error), retryAfterOf(response.error));
    }

    if (response.value.notModified) {
      const nextAttemptAt = nextRegularSyncAt(now(), random);
      await succeed(nextAttemptAt);
      return { status: 'not-modified', via: 'whole', nextAttemptAt };
    }

    const list = parseMerchantList(response.value.body);
    if (!list.ok) return await fail({ kind: list.kind, message: list.error });

    const nextAttemptAt = nextRegularSyncAt(now(), random);
    let result;
    try {
      result = await replaceMerchantList(db, { ...list, etag: response.value.etag }, now(), {
        ...writeOptions,
        // The switch and the success are one transaction: the ETag never outlives its list.
        beforeSwitch: () => succeed(nextAttemptAt),
      });
    } catch (error) {
      return await fail({ kind: 'storage', message: messageOf(error) });
    }
    return {
      status: 'updated',
      via: 'whole',
      version: list.version,
      counts: result.counts,
      nextAttemptAt,
    };
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
  remember: (
    change: (state: SyncStateRow) => SyncStateRow,
  ) => (state: SyncStateRow) => SyncStateRow = (change) => change,
): Promise<SyncOutcome> {
  let nextAttemptAt = now;
  await updateOwnState(
    db,
    owner,
    remember((state) => {
      const failures = state.consecutiveFailures + 1;
      // Never sooner than the portal's Retry-After (429, 503) nor than our own backoff; never
      // later than the backoff cap, whatever the portal says.
      const delay = Math.min(
        BACKOFF_MAX_MS,
        Math.max(nextAttemptDelay(failures, random), retryAfterMs ?? 0),
      );
      nextAttemptAt = now + delay;
      return { ...state, lastError: error, consecutiveFailures: failures, nextAttemptAt };
    }),
  ).catch(() => undefined); // lease lost: the sync that holds it records its own outcome
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
