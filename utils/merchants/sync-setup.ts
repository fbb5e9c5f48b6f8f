/**
 * Wires the merchant list sync to the browser (called from entrypoints/background.ts):
 * - at install and update: sync now;
 * - at browser start: sync if the list is older than the interval, else make sure the alarm exists
 *   (Chrome may drop alarms across a restart);
 * - on our alarm: sync if due (regular interval with jitter, or the backoff after a failure);
 * - on demand (options page, through the background's message handler): `requestSyncNow()`;
 * - at every start of the worker (any event wakes it): a sync that a stopped worker left cut
 *   short is taken up at once (the very first one has no alarm yet to try again);
 * - when the member gives host access back after a sync failed: now, not after its backoff.
 *   (Without host access the portal is a cross-origin site: one that answers no CORS refuses
 *   the extension, docs/portal-api.md. Firefox may even install the extension without it.)
 * After every sync the alarm is set to the next attempt; its period is a safety net in case the
 * worker dies before that.
 */
import { browser } from 'wxt/browser';
import { config } from '../config';
import { openRistourneDb, MERCHANT_LIST_KEY, type RistourneDb } from '../storage/db';
import { hasAllSitesAccess, onHostAccessChange } from '../platform/host-access';
import { lastSyncFailed, syncWasCut, syncMerchants, type SyncOutcome } from './sync';
import { isListStale, nextSyncAlarmAt, SYNC_INTERVAL_MS } from './sync-policy';
import { createPortalClient, type PortalClient } from '../contract/client';

export const MERCHANT_SYNC_ALARM = 'merchant-list-sync';
// Chrome refuses alarms sooner than 30 s.
const MIN_ALARM_DELAY_MS = 30_000;

interface SyncWiring {
  db: RistourneDb;
  client: Pick<PortalClient, 'merchants' | 'merchantChanges'>;
  now: () => number;
  /** This worker (random at each start): a lease left by a stopped worker is taken over. */
  worker: string;
}

let wiring: SyncWiring | null = null;
let running: { force: boolean; outcome: Promise<SyncOutcome> } | null = null;

/** Registers the listeners synchronously, as MV3 requires for events that wake the worker. */
export function setUpMerchantSync(options: Partial<SyncWiring> = {}): void {
  wiring = {
    db: options.db ?? openRistourneDb(),
    client: options.client ?? createPortalClient({ baseUrl: config.portalUrl }),
    now: options.now ?? Date.now,
    worker: options.worker ?? crypto.randomUUID(),
  };
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install' || reason === 'update') runSync(true).catch(logFailure);
  });
  browser.runtime.onStartup.addListener(() => {
    syncAtStartup().catch(logFailure);
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === MERCHANT_SYNC_ALARM) runSync(false).catch(logFailure);
  });
  onHostAccessChange(() => {
    retryFailedSyncWithAccess().catch(logFailure);
  });
  resumeCutSync().catch(logFailure);
}

/** "Sync now": ignores the schedule, not a sync already running (its outcome is returned). */
export function requestSyncNow(): Promise<SyncOutcome> {
  return runSync(true);
}

async function syncAtStartup(): Promise<void> {
  const { db, now } = requireWiring();
  const state = await db.syncState.get(MERCHANT_LIST_KEY);
  if (isListStale(state?.lastSuccessAt ?? null, now())) {
    await runSync(true);
  } else if (!(await browser.alarms.get(MERCHANT_SYNC_ALARM))) {
    await scheduleAt(state?.nextAttemptAt ?? now() + SYNC_INTERVAL_MS);
  }
}

async function resumeCutSync(): Promise<void> {
  const { db, now, worker } = requireWiring();
  if (syncWasCut(await db.syncState.get(MERCHANT_LIST_KEY), worker, now())) await runSync(true);
}

async function retryFailedSyncWithAccess(): Promise<void> {
  const { db } = requireWiring();
  if (!(await hasAllSitesAccess())) return;
  if (lastSyncFailed(await db.syncState.get(MERCHANT_LIST_KEY))) await runSync(true);
}

/**
 * One sync per worker at a time (the lease in the database covers other workers). A forced request
 * arriving during a scheduled run, which may have been skipped as not due, runs after it.
 */
function runSync(force: boolean): Promise<SyncOutcome> {
  if (running && (running.force || !force)) return running.outcome;
  if (running) return running.outcome.then(() => runSync(true));
  const outcome = (async () => {
    const { db, client, now, worker } = requireWiring();
    try {
      const result = await syncMerchants({ db, client, now, force, worker });
      // A sync held by another worker schedules its own next attempt.
      if (result.status !== 'skipped' || result.reason !== 'busy') {
        await scheduleAt(result.nextAttemptAt ?? now() + SYNC_INTERVAL_MS);
      }
      return result;
    } finally {
      running = null;
    }
  })();
  running = { force, outcome };
  return outcome;
}

async function scheduleAt(nextAttemptAt: number): Promise<void> {
  const { now } = requireWiring();
  // A time written by a clock that ran ahead would put the alarm off for months.
  const when = nextSyncAlarmAt(nextAttemptAt, now());
  await browser.alarms.create(MERCHANT_SYNC_ALARM, {
    when: Math.max(when, now() + MIN_ALARM_DELAY_MS),
    periodInMinutes: SYNC_INTERVAL_MS / 60_000,
  });
}

// Failures of the portal are outcomes, recorded in the sync state; this is for the unexpected
// (IndexedDB unavailable), which no one else would see.
function logFailure(error: unknown): void {
  console.error('merchant list sync:', error);
}

function requireWiring(): SyncWiring {
  if (!wiring) throw new Error('setUpMerchantSync() must run first');
  return wiring;
}
