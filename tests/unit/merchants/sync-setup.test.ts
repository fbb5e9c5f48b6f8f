import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MERCHANT_LIST_KEY, openRistourneDb, type RistourneDb } from '../../../utils/storage/db';
import { SYNC_INTERVAL_MS, SYNC_JITTER_MS } from '../../../utils/merchants/sync-policy';
import {
  MERCHANT_SYNC_ALARM,
  requestSyncNow,
  setUpMerchantSync,
} from '../../../utils/merchants/sync-setup';
import type {
  MerchantChangesResponse,
  MerchantListResponse,
  PortalResult,
} from '../../../utils/contract/client';
import { fakeHostAccess } from '../helpers/fake-host-access';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const LIST = {
  version: 'v1',
  merchants: [
    { id: 'fnac', name: 'Fnac', domains: ['fnac.com'], cashback: { type: 'percent', value: 4 } },
  ],
};

/** A portal without the changes route: every sync takes the whole list. */
function withoutChangesRoute() {
  return vi.fn(async (): Promise<PortalResult<MerchantChangesResponse>> => ({
    ok: false,
    error: { kind: 'http', status: 404, code: 'not_found' },
  }));
}

let db: RistourneDb;
let dbCount = 0;
let now = T0;

function setUp(access = fakeHostAccess({ allSites: true })) {
  dbCount += 1;
  db = openRistourneDb(`setup-test-${dbCount}-${Date.now()}`);
  const merchants = vi.fn(async (): Promise<PortalResult<MerchantListResponse>> => ({
    ok: true,
    value: { notModified: false, etag: '"e1"', body: LIST },
  }));
  const merchantChanges = withoutChangesRoute();
  setUpMerchantSync({ db, client: { merchants, merchantChanges }, now: () => now });
  return { merchants, merchantChanges, access };
}

beforeEach(() => {
  fakeBrowser.reset();
  now = T0;
});

afterEach(async () => {
  // A sync the test set off (a retry, a resumed sync) may still be finishing: the next test's
  // "Sync now" would share it instead of syncing its own database. Let it end first.
  if (db) await requestSyncNow().catch(() => undefined);
  await db?.delete();
});

async function syncState() {
  return db.syncState.get(MERCHANT_LIST_KEY);
}

describe('setUpMerchantSync', () => {
  it('registers its listeners synchronously', () => {
    const registrations = [
      vi.spyOn(fakeBrowser.runtime.onInstalled, 'addListener'),
      vi.spyOn(fakeBrowser.runtime.onStartup, 'addListener'),
      vi.spyOn(fakeBrowser.alarms.onAlarm, 'addListener'),
    ];
    setUp();
    for (const registration of registrations) expect(registration).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();
  });

  it('syncs at install, then sets the alarm to the next attempt', async () => {
    const { merchants } = setUp();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install', temporary: false });
    await vi.waitFor(async () =>
      expect(await fakeBrowser.alarms.get(MERCHANT_SYNC_ALARM)).toBeDefined(),
    );
    expect(merchants).toHaveBeenCalledWith(null);
    const state = await syncState();
    expect(state?.lastSuccessAt).toBe(T0);
    expect(await fakeBrowser.alarms.get(MERCHANT_SYNC_ALARM)).toEqual({
      name: MERCHANT_SYNC_ALARM,
      scheduledTime: state?.nextAttemptAt,
      periodInMinutes: SYNC_INTERVAL_MS / 60_000,
    });
  });

  it('does not sync when the browser updates itself', async () => {
    const { merchants } = setUp();
    await fakeBrowser.runtime.onInstalled.trigger({
      reason: 'chrome_update',
      temporary: false,
    } as never);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(merchants).not.toHaveBeenCalled();
  });

  it('at browser start, syncs only a list older than the interval', async () => {
    const { merchants } = setUp();
    await requestSyncNow();
    expect(merchants).toHaveBeenCalledTimes(1);
    await fakeBrowser.alarms.clearAll();

    now = T0 + SYNC_INTERVAL_MS - 1;
    await fakeBrowser.runtime.onStartup.trigger();
    await vi.waitFor(async () =>
      expect(await fakeBrowser.alarms.get(MERCHANT_SYNC_ALARM)).toBeDefined(),
    );
    expect(merchants).toHaveBeenCalledTimes(1); // fresh enough: the lost alarm is only put back

    now = T0 + SYNC_INTERVAL_MS;
    await fakeBrowser.runtime.onStartup.trigger();
    await vi.waitFor(() => expect(merchants).toHaveBeenCalledTimes(2));
    expect(merchants).toHaveBeenLastCalledWith('"e1"');
    // Lets that sync finish (a request shares the one running): the next test's would join it.
    await requestSyncNow();
  });

  it('at browser start, an attempt time written by a clock that ran ahead does not put the alarm off for months', async () => {
    const { merchants } = setUp();
    await requestSyncNow();
    // A failed attempt recorded while the clock was a year ahead, then the clock put right.
    await db.syncState.update(MERCHANT_LIST_KEY, { nextAttemptAt: T0 + 365 * 24 * 3_600_000 });
    await fakeBrowser.alarms.clearAll();
    now = T0 + 60 * 60_000;
    await fakeBrowser.runtime.onStartup.trigger();
    await vi.waitFor(async () =>
      expect(await fakeBrowser.alarms.get(MERCHANT_SYNC_ALARM)).toBeDefined(),
    );
    const alarm = await fakeBrowser.alarms.get(MERCHANT_SYNC_ALARM);
    expect(alarm!.scheduledTime).toBeLessThanOrEqual(now + SYNC_INTERVAL_MS + SYNC_JITTER_MS);
    expect(merchants).toHaveBeenCalledTimes(1);
  });

  it('syncs on its own alarm when due, and ignores other alarms', async () => {
    const { merchants } = setUp();
    await requestSyncNow();
    const due = (await syncState())!.nextAttemptAt!;

    await fakeBrowser.alarms.onAlarm.trigger({ name: 'something-else', scheduledTime: due });
    now = due - 60_000; // a periodic firing ahead of the jittered time: not due yet
    await fakeBrowser.alarms.onAlarm.trigger({ name: MERCHANT_SYNC_ALARM, scheduledTime: now });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(merchants).toHaveBeenCalledTimes(1);

    now = due;
    await fakeBrowser.alarms.onAlarm.trigger({ name: MERCHANT_SYNC_ALARM, scheduledTime: due });
    await vi.waitFor(() => expect(merchants).toHaveBeenCalledTimes(2));
  });

  it('runs a forced request after a scheduled run that was not due', async () => {
    const { merchants } = setUp();
    await requestSyncNow();
    now += 60_000; // far from due: the alarm's run is skipped…
    await fakeBrowser.alarms.onAlarm.trigger({ name: MERCHANT_SYNC_ALARM, scheduledTime: now });
    const outcome = await requestSyncNow(); // …and "Sync now" still syncs
    expect(outcome.status).toBe('updated');
    expect(merchants).toHaveBeenCalledTimes(2);
  });

  it('takes up at its start a sync that a stopped worker left cut short', async () => {
    // The first sync of a worker since stopped (Firefox suspends an idle event page even while
    // a download is in flight): its lease is still there, and no alarm.
    dbCount += 1;
    db = openRistourneDb(`setup-test-${dbCount}-${Date.now()}`);
    await db.syncState.put({
      key: MERCHANT_LIST_KEY,
      lastAttemptAt: T0 - 5_000,
      lastSuccessAt: null,
      lastError: null,
      consecutiveFailures: 0,
      nextAttemptAt: null,
      lease: { owner: 'cut', until: T0 + 60_000, worker: 'stopped-worker' },
    });
    fakeHostAccess({ allSites: true });
    const merchants = vi.fn(async (): Promise<PortalResult<MerchantListResponse>> => ({
      ok: true,
      value: { notModified: false, etag: '"e1"', body: LIST },
    }));
    setUpMerchantSync({
      db,
      client: { merchants, merchantChanges: withoutChangesRoute() },
      now: () => now,
      worker: 'new-worker',
    });

    await vi.waitFor(async () => expect((await syncState())?.lastSuccessAt).toBe(T0));
    expect((await syncState())?.lease).toBeNull();
    expect(await fakeBrowser.alarms.get(MERCHANT_SYNC_ALARM)).toBeDefined();
  });

  it('does not sync at its start when no sync was cut', async () => {
    const { merchants, merchantChanges } = setUp();
    await requestSyncNow();
    setUpMerchantSync({ db, client: { merchants, merchantChanges }, now: () => now });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(merchants).toHaveBeenCalledTimes(1);
  });

  it('retries a failed sync as soon as host access is given back, not after its backoff', async () => {
    // Without host access, a portal that answers no CORS looks unreachable.
    const { merchants, access } = setUp(fakeHostAccess({ allSites: false }));
    merchants.mockResolvedValueOnce({
      ok: false,
      error: { kind: 'network', message: 'TypeError: NetworkError when attempting to fetch' },
    });
    expect((await requestSyncNow()).status).toBe('failed');
    const retryAt = (await syncState())!.nextAttemptAt!;
    expect(retryAt).toBeGreaterThan(now);

    access.grant();
    await vi.waitFor(async () => expect((await syncState())?.lastSuccessAt).toBe(T0));
    expect(merchants).toHaveBeenCalledTimes(2);
  });

  it('does not sync again when host access changes after a sync that worked', async () => {
    const { merchants, access } = setUp();
    await requestSyncNow();
    access.withdraw();
    access.grant();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(merchants).toHaveBeenCalledTimes(1);
  });

  it('does not retry while host access is still withheld', async () => {
    const { merchants, access } = setUp(fakeHostAccess({ allSites: false }));
    merchants.mockResolvedValueOnce({ ok: false, error: { kind: 'timeout' } });
    await requestSyncNow();
    access.withdraw();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(merchants).toHaveBeenCalledTimes(1);
  });

  it('requestSyncNow shares a sync already running instead of starting a second', async () => {
    const { merchants } = setUp();
    const [first, second] = await Promise.all([requestSyncNow(), requestSyncNow()]);
    expect(first).toBe(second);
    expect(first.status).toBe('updated');
    expect(merchants).toHaveBeenCalledTimes(1);
  });
});
