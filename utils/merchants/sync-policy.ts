/**
 * When the merchant list is synced: the interval, the backoff after failures, the lease, and how
 * each stored time is read against a clock that may have run ahead when it was written (a time
 * further ahead than its longest window counts as passed; utils/storage/deadline.ts). Pure, and
 * tested by tables in tests/unit/merchants/sync.test.ts.
 */
import type { SyncStateRow } from '../storage/db';
import { isDeadlineAhead } from '../storage/deadline';

export const SYNC_INTERVAL_MS = 6 * 60 * 60_000;
/** Added at random to the interval so that browsers do not all call the portal at once. */
export const SYNC_JITTER_MS = 30 * 60_000;
export const BACKOFF_BASE_MS = 60_000;
export const BACKOFF_MAX_MS = 6 * 60 * 60_000;
/** Longer than the list request's timeout (60 s) plus the writes, at 100,000 merchants. */
export const LEASE_MS = 5 * 60_000;

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

/** The longest a sync is ever put off: a regular interval with its jitter, or the backoff cap. */
export const LONGEST_SYNC_WAIT_MS = Math.max(SYNC_INTERVAL_MS + SYNC_JITTER_MS, BACKOFF_MAX_MS);

/**
 * Whether the browser's start should sync: no list yet, a list older than the interval, or one
 * whose success was recorded "in the future" by a clock that ran ahead (its age is unknown).
 */
export function isListStale(lastSuccessAt: number | null, now: number): boolean {
  return (
    lastSuccessAt === null ||
    !isDeadlineAhead(lastSuccessAt + SYNC_INTERVAL_MS, now, SYNC_INTERVAL_MS)
  );
}

/**
 * Whether a scheduled sync may run: no attempt planned, its time has come, or it lies further
 * ahead than any interval or backoff sets it (a clock that ran ahead would freeze the list).
 */
export function isSyncDue(nextAttemptAt: number | null, now: number): boolean {
  return nextAttemptAt === null || !isDeadlineAhead(nextAttemptAt, now, LONGEST_SYNC_WAIT_MS);
}

/** When the alarm should wake the worker for the next attempt: now when it is due. */
export function nextSyncAlarmAt(nextAttemptAt: number | null, now: number): number {
  return nextAttemptAt === null || isSyncDue(nextAttemptAt, now) ? now : nextAttemptAt;
}

/** Whether a sync holds the lease: one that outlasts LEASE_MS was taken by a clock that ran ahead. */
export function isLeaseHeld(lease: SyncStateRow['lease'], now: number): boolean {
  return lease !== null && isDeadlineAhead(lease.until, now, LEASE_MS);
}
