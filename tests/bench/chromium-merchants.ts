/**
 * The merchant list in real Chromium, with the production extension against the reference
 * portal's generated lists: full sync time (download, validation, atomic write, index), time
 * from a stopped worker to the first match answered (100,000 merchants), and the memory the
 * loaded index takes in the worker. The in-Node figures are in the `matching` and `list` groups.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startPortal, type RunningPortal } from '../../portal/start';
import { buildExtension, projectRoot } from '../../scripts/harness/build-extension';
import { freePort } from '../../scripts/harness/free-port';
import { openBackgroundChannel, tabIdOf } from '../../scripts/harness/browser-state';
import { launchBenchBrowser, withoutChanges, type BenchBrowser } from './_chromium';
import type { BenchRow } from './_shared';

const SYNC_RUNS = 3;
/** BENCH_WAKE_RUNS=n: more samples of the wake (the machine is shared and noisy). */
const WAKE_RUNS = Number(process.env.BENCH_WAKE_RUNS ?? 5);
/**
 * BENCH_ONLY=wake: only the 100,000 list's wake and memory, no timed syncs; BENCH_ONLY=sync: only
 * the 100,000 list's syncs (for iterating). BENCH_EXTENSION_DIR and BENCH_PORT: an extension built
 * beforehand for http://localhost:<port> (to compare two builds).
 */
const ONLY = process.env.BENCH_ONLY as 'wake' | 'sync' | undefined;
const SHOP = 'atelier-vendome';

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const range = (values: number[]) =>
  `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))}`;

export default async function chromiumMerchants(): Promise<BenchRow[]> {
  const port = Number(process.env.BENCH_PORT ?? (await freePort()));
  const extensionDir =
    process.env.BENCH_EXTENSION_DIR ??
    (await buildExtension({
      portalUrl: `http://localhost:${port}`,
      outDir: join(projectRoot, '.output', 'bench-extension'),
    }));
  const dataDir = await mkdtemp(join(tmpdir(), 'ristourne-bench-portal-'));
  const rows: BenchRow[] = [];
  try {
    for (const count of ONLY ? [100_000] : [10_000, 100_000]) {
      rows.push(...(await measureList(count, port, extensionDir, dataDir)));
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  return rows;
}

async function measureList(
  count: number,
  port: number,
  extensionDir: string,
  dataDir: string,
): Promise<BenchRow[]> {
  let portal: RunningPortal = await startPortal({ port, dataDir, merchants: count, log: false });
  const browser = await launchBenchBrowser(extensionDir, port);
  const channel = await openBackgroundChannel(browser.context, browser.extensionId);
  const rows: BenchRow[] = [];
  try {
    await channel.untilMerchantListSynced(120_000);
    // Each run serves a changed list (one merchant more or less): a real download, not a 304.
    const times: number[] = [];
    for (let run = 0; run < (ONLY === 'wake' ? 0 : SYNC_RUNS); run++) {
      const served = run % 2 === 0 ? count - 1 : count;
      await portal.close();
      portal = await startPortal({ port, dataDir, merchants: served, log: false });
      // A whole list, as a portal without the changes route serves it: this row times the full
      // sync (the `chromium-delta` group times changes).
      await withoutChanges(port);
      const start = performance.now();
      const status = await channel.call('sync:now');
      times.push(performance.now() - start);
      console.log(`  sync of ${served.toLocaleString('en-US')}: ${Math.round(times.at(-1)!)} ms`);
      if (status.merchantCount !== served) {
        throw new Error(`synced ${status.merchantCount} merchants, expected ${served}`);
      }
    }
    const goal = count === 10_000 ? 500 : 3000;
    if (times.length > 0) {
      const syncMs = Math.round(median(times));
      rows.push({
        metric: `full sync of ${count.toLocaleString('en-US')} merchants (sync:now → stored)`,
        value: syncMs,
        unit: 'ms',
        goal: `≤ ${goal.toLocaleString('en-US')} ms`,
        met: syncMs <= goal,
        note: `median of ${SYNC_RUNS}, range ${range(times)}`,
      });
    }
    if (count === 100_000 && ONLY !== 'sync') {
      rows.push(...(await measureWake(browser, port)));
      rows.push(...(await measureWorkerFloor(port)));
    }
  } finally {
    await channel.close();
    await browser.close();
    await portal.close();
  }
  return rows;
}

/** Navigation → badge with the worker running and stopped, `WAKE_RUNS` times each. */
async function wakeTimes(
  browser: BenchBrowser,
  port: number,
): Promise<{ page: Page; tabId: number; warm: number[]; cold: number[] }> {
  const page = await browser.context.newPage();
  const merchantUrl = (n: number) => `http://${SHOP}.localhost:${port}/produit/${(n % 6) + 1}`;
  const elsewhere = `http://localhost:${port}/aide`;
  await page.goto(elsewhere);
  const tabId = await tabIdOf(await browser.worker(), page);

  /** Navigation start → the badge shows the merchant's rate, read over DevTools. */
  const timeToBadge = async (url: string, session: () => Promise<string | null>) => {
    const start = performance.now();
    const navigation = page.goto(url, { waitUntil: 'commit' });
    let sessionId: string | null;
    for (;;) {
      sessionId = await session();
      if (sessionId && (await badgeOf(browser, sessionId, tabId)) !== '') break;
      if (performance.now() - start > 10_000) throw new Error('no badge after 10 s');
    }
    const elapsed = performance.now() - start;
    await navigation;
    return { elapsed, startedAt: performance.timeOrigin + start, sessionId };
  };
  const clearBadge = async (sessionId: string) => {
    await page.goto(elsewhere);
    while ((await badgeOf(browser, sessionId, tabId)) !== '') await page.waitForTimeout(5);
  };

  const warm: number[] = [];
  const cold: number[] = [];
  for (let run = 0; run < WAKE_RUNS; run++) {
    const sessionId = (await browser.devtools.attachWorker())!;
    await clearBadge(sessionId);
    warm.push((await timeToBadge(merchantUrl(run), async () => sessionId)).elapsed);

    await clearBadge(sessionId);
    await browser.devtools.stopWorker();
    let coldSession: string | null = null;
    const woken = await timeToBadge(merchantUrl(run + 1), async () => {
      coldSession ??= await browser.devtools.attachWorker();
      return coldSession;
    });
    cold.push(woken.elapsed);
    console.log(
      `  wake ${run + 1}: running ${Math.round(warm.at(-1)!)} ms, stopped ${Math.round(woken.elapsed)} ms` +
        (await wakeBreakdown(browser, woken.sessionId, woken.startedAt)),
    );
  }
  return { page, tabId, warm, cold };
}

/**
 * Where a woken worker's time went, from the navigation's start: the worker's own start
 * (performance.timeOrigin) and the performance marks it left (if the build has any).
 */
async function wakeBreakdown(
  browser: BenchBrowser,
  sessionId: string,
  navigationStartedAt: number,
): Promise<string> {
  try {
    const { result } = await browser.devtools.send<{ result: { value?: string } }>(
      'Runtime.evaluate',
      {
        expression: `JSON.stringify({ origin: performance.timeOrigin, marks: performance
          .getEntriesByType('mark').map((m) => [m.name, m.startTime]) })`,
        returnByValue: true,
      },
      sessionId,
    );
    const { origin, marks } = JSON.parse(result.value!) as {
      origin: number;
      marks: [string, number][];
    };
    const at = (ms: number) => Math.round(origin + ms - navigationStartedAt);
    return ` (worker start +${at(0)}${marks.map(([name, ms]) => `, ${name} +${at(ms)}`).join('')})`;
  } catch {
    return '';
  }
}

async function measureWake(browser: BenchBrowser, port: number): Promise<BenchRow[]> {
  const { page, tabId, warm, cold } = await wakeTimes(browser, port);
  const merchantUrl = `http://${SHOP}.localhost:${port}/produit/1`;
  const elsewhere = `http://localhost:${port}/aide`;
  const memory = await indexMemory(browser, page, tabId, merchantUrl, elsewhere).catch(
    (error: unknown) => String(error).split('\n')[0]!,
  );
  const warmMs = Math.round(median(warm));
  const coldMs = Math.round(median(cold));
  return [
    {
      metric: 'navigation → badge, worker running (100,000)',
      value: warmMs,
      unit: 'ms',
      note: `median of ${WAKE_RUNS}, range ${range(warm)}; includes the page's commit`,
    },
    {
      metric: 'navigation → badge, worker stopped (100,000)',
      value: coldMs,
      unit: 'ms',
      note: `median of ${WAKE_RUNS}, range ${range(cold)}; includes the commit and attaching DevTools`,
    },
    {
      metric: 'worker wake to first match (stopped − running)',
      value: Math.max(0, coldMs - warmMs),
      unit: 'ms',
      goal: '≤ 60 ms',
      met: coldMs - warmMs <= 60,
    },
    typeof memory === 'number'
      ? {
          metric: 'worker memory taken by the loaded index (100,000)',
          value: memory,
          unit: 'MB',
          goal: '≤ 10 MB',
          met: memory <= 10,
          note: "typed arrays held by the worker after its first match (the index's)",
        }
      : {
          metric: 'worker memory taken by the loaded index (100,000)',
          value: Number.NaN,
          unit: 'MB',
          note: `not measured: ${memory}`,
        },
  ];
}

/**
 * The floor under the wake: an extension whose worker does nothing but set the badge on a
 * commit, measured the same way. What the real worker adds on top is its own work.
 */
async function measureWorkerFloor(port: number): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'ristourne-bench-floor-'));
  await writeFile(
    join(dir, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'floor',
      version: '1',
      background: { service_worker: 'background.js' },
      permissions: ['webNavigation', 'webRequest', 'tabs'],
      host_permissions: ['http://*/*'],
      action: {},
    }),
  );
  await writeFile(
    join(dir, 'background.js'),
    // Woken at the request's start, like ours (its webRequest listener), not at the commit.
    `chrome.webRequest.onBeforeRequest.addListener(() => undefined, {
      urls: ['http://*/*'],
      types: ['main_frame'],
    });
    chrome.webNavigation.onCommitted.addListener((details) => {
      if (details.frameId !== 0) return;
      const text = details.url.includes('${SHOP}') ? '5%' : '';
      chrome.action.setBadgeText({ tabId: details.tabId, text });
    });`,
  );
  const browser = await launchBenchBrowser(dir, port);
  try {
    const { warm, cold } = await wakeTimes(browser, port);
    const warmMs = Math.round(median(warm));
    const coldMs = Math.round(median(cold));
    return [
      {
        metric: 'empty worker: navigation → badge, running / stopped',
        value: coldMs - warmMs,
        unit: 'ms',
        note: `stopped − running; running ${warmMs} (${range(warm)}), stopped ${coldMs} (${range(cold)}), median of ${WAKE_RUNS}`,
      },
    ];
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The typed arrays a woken worker holds after its first match, in MB: the index is typed arrays
 * (utils/merchants/domain-index.ts), the worker has no other large ones. The worker reads the index as
 * it starts (preloadForMatching), so a heap before the match would already hold it.
 */
async function indexMemory(
  browser: BenchBrowser,
  page: Page,
  tabId: number,
  merchantUrl: string,
  elsewhere: string,
): Promise<number> {
  await page.goto(elsewhere);
  await browser.devtools.stopWorker();
  await page.goto(merchantUrl);
  let session: string | null = null;
  for (let i = 0; i < 2000; i++) {
    session ??= await browser.devtools.attachWorker();
    if (session && (await badgeOf(browser, session, tabId)) !== '') break;
    await page.waitForTimeout(5);
  }
  if (!session) throw new Error('the worker did not wake');
  await browser.devtools.send('HeapProfiler.enable', {}, session);
  await browser.devtools.send('HeapProfiler.collectGarbage', {}, session);
  const usage = await browser.devtools.send<{ usedSize: number; backingStorageSize?: number }>(
    'Runtime.getHeapUsage',
    {},
    session,
  );
  if (usage.backingStorageSize === undefined) throw new Error('no backingStorageSize');
  return Math.round((usage.backingStorageSize / 1024 / 1024) * 10) / 10;
}

async function badgeOf(browser: BenchBrowser, sessionId: string, tabId: number): Promise<string> {
  try {
    const { result } = await browser.devtools.send<{ result: { value?: string } }>(
      'Runtime.evaluate',
      {
        expression: `chrome.action.getBadgeText({ tabId: ${tabId} })`,
        awaitPromise: true,
        returnByValue: true,
      },
      sessionId,
    );
    return result.value ?? '';
  } catch {
    return ''; // the worker is starting or stopping
  }
}
