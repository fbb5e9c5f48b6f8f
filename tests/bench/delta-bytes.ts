/**
 * What an install downloads a day at 100,000 merchants with 1 % of them changed a day, whole lists
 * against changes, as the reference portal serves them (gzip and br, the bodies' bytes), and how
 * long the portal takes to build a day's changes. A day: four syncs (every 6 h), each seeing a
 * quarter of the day's changes (tests/bench/_churn.ts: 80 % new rates, 10 % gone, 10 % new).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API } from '../../utils/contract/schemas';
import { startPortal } from '../../portal/start';
import { churn } from './_churn';
import { rawRequest } from './_http';
import { round, type BenchRow } from './_shared';

const MERCHANTS = 100_000;
const DAILY_CHANGES = 1_000;
const SYNCS_PER_DAY = 4;
const GOAL_BYTES = 50_000;

/** The body's bytes on the wire (a raw request: nothing decoded, a fresh connection). */
async function bodyBytes(
  portal: { port: number },
  path: string,
  encoding: string,
): Promise<{ bytes: number; ms: number }> {
  const started = performance.now();
  const { status, headers, body } = await rawRequest(portal.port, path, {
    headers: { 'accept-encoding': encoding },
  });
  if (status !== 200 || headers['content-encoding'] !== encoding) {
    throw new Error(`${path}: ${status} ${headers['content-encoding']}`);
  }
  return { bytes: body.length, ms: performance.now() - started };
}

export default async function deltaBytes(): Promise<BenchRow[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ristourne-bench-delta-'));
  const portal = await startPortal({ port: 0, dataDir, merchants: MERCHANTS, log: false });
  try {
    const changes = (since: string) => `${API.merchantChanges}?since=${encodeURIComponent(since)}`;
    const whole = {
      gzip: (await bodyBytes(portal, API.merchants, 'gzip')).bytes,
      br: (await bodyBytes(portal, API.merchants, 'br')).bytes,
    };

    // One day in four syncs.
    const day = { gzip: 0, br: 0 };
    let buildMs = 0;
    for (let sync = 0; sync < SYNCS_PER_DAY; sync++) {
      const since = portal.store.merchants.version();
      churn(portal.store.merchants, DAILY_CHANGES / SYNCS_PER_DAY, 100 + sync);
      const first = await bodyBytes(portal, changes(since), 'gzip'); // builds, then cached
      buildMs += first.ms;
      day.gzip += first.bytes;
      day.br += (await bodyBytes(portal, changes(since), 'br')).bytes;
    }
    // The same day's changes for an install that synced once (a day's sleep).
    const dayStart = portal.store.merchants.version();
    churn(portal.store.merchants, DAILY_CHANGES, 200);
    const once = await bodyBytes(portal, changes(dayStart), 'gzip');
    const upToDate = await bodyBytes(portal, changes(portal.store.merchants.version()), 'gzip');

    const kB = (bytes: number) => round(bytes / 1000, 1);
    return [
      {
        metric: `whole list, ${MERCHANTS.toLocaleString('en-US')} merchants (gzip / br)`,
        value: kB(whole.gzip),
        unit: 'kB',
        note: `br ${kB(whole.br)} kB: what each install downloads a day today (any change re-sends it)`,
      },
      {
        metric: `changes of 1 % a day, 4 syncs (gzip), per install per day`,
        value: kB(day.gzip),
        unit: 'kB',
        goal: `< ${kB(GOAL_BYTES)} kB`,
        met: day.gzip < GOAL_BYTES,
        note: `br ${kB(day.br)} kB; ${round(whole.gzip / day.gzip, 0)}× less than the whole list`,
      },
      {
        metric: 'changes of 1 % in one sync (gzip)',
        value: kB(once.bytes),
        unit: 'kB',
        note: `${DAILY_CHANGES.toLocaleString('en-US')} merchants: an install that synced once that day`,
      },
      {
        metric: 'changes for an install up to date (gzip)',
        value: upToDate.bytes,
        unit: 'B',
        note: 'empty changes; a 304 when revalidated by its ETag',
      },
      {
        metric: 'portal: build and send 250 changes (first request)',
        value: round(buildMs / SYNCS_PER_DAY, 1),
        unit: 'ms',
        note: 'then served from memory to every install that holds that version',
      },
      {
        metric: '1,000,000 installs a day: whole lists / changes (gzip)',
        value: round((day.gzip * 1e6) / 1e9, 1),
        unit: 'GB',
        note: `whole lists: ${round((whole.gzip * 1e6) / 1e12, 2)} TB`,
      },
    ];
  } finally {
    await portal.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
