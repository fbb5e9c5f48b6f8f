/**
 * What browsing costs with Ristourne installed, on pages that are not merchants' (issue 18).
 *
 * Three arms, each its own Chromium with its own profile, loaded one page at a time in one shuffled
 * order so that the machine's moods fall on all three alike:
 *   - none: no extension;
 *   - listeners only: an MV3 worker built here with the listeners Ristourne's worker has on
 *     navigations (`webNavigation` commit and DOMContentLoaded, `webRequest` before request and
 *     before redirect, main frames), each returning at once: what merely being woken costs;
 *   - Ristourne: the production build, its merchant list synced.
 * Each load opens a fresh tab on a page of a site that is not a merchant, waits for `load` and a
 * settle delay, and reads the renderer's main-thread task time (DevTools `Performance.getMetrics`,
 * `TaskDuration`). The table gives each arm's median, and the ratios of medians with a 95 %
 * bootstrap interval.
 *
 * Then the worker's own CPU per navigation: V8's sampling profiler on the service worker target (samples
 * that are not idle) over a run of loads, for the listeners-only worker and for Ristourne's.
 */
import { chromium, type BrowserContext } from '@playwright/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng } from '../../portal/demo/generated-merchants';
import { startPortal } from '../../portal/start';
import { buildExtension, projectRoot } from '../../scripts/harness/build-extension';
import { openBackgroundChannel } from '../../scripts/harness/browser-state';
import { findChromium } from '../../scripts/harness/chromium';
import { freePort } from '../../scripts/harness/free-port';
import { launchBenchBrowser, type BenchBrowser } from './_chromium';
import { round, type BenchRow } from './_shared';

/** Loads per arm: 150 resolve about 1 % between medians on this machine; override to explore. */
const LOADS = Number(process.env.BENCH_NAVIGATION_LOADS ?? 150);
const WARM_UP_LOADS = 5;
const CPU_LOADS = 60;
const SETTLE_MS = 150;
const RATIO_GOAL = 1.01;
const BOOTSTRAP_SAMPLES = 4000;

type Arm = 'none' | 'listeners only' | 'Ristourne';
const ARMS: readonly Arm[] = ['none', 'listeners only', 'Ristourne'];

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2
    ? sorted[Math.floor(middle)]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The ratio of two medians and its 95 % percentile bootstrap interval. */
function ratioOfMedians(
  numerator: readonly number[],
  denominator: readonly number[],
  random: () => number,
): { ratio: number; low: number; high: number } {
  const resample = (values: readonly number[]) =>
    values.map(() => values[Math.floor(random() * values.length)]!);
  const ratios: number[] = [];
  for (let i = 0; i < BOOTSTRAP_SAMPLES; i++) {
    ratios.push(median(resample(numerator)) / median(resample(denominator)));
  }
  ratios.sort((a, b) => a - b);
  return {
    ratio: median(numerator) / median(denominator),
    low: ratios[Math.floor(BOOTSTRAP_SAMPLES * 0.025)]!,
    high: ratios[Math.floor(BOOTSTRAP_SAMPLES * 0.975)]!,
  };
}

/** The do-nothing extension: the same navigation listeners as Ristourne's worker, returning at once. */
async function writeListenersOnlyExtension(dir: string): Promise<string> {
  const manifest = {
    manifest_version: 3,
    name: 'Listeners only',
    version: '1.0.0',
    background: { service_worker: 'background.js' },
    permissions: ['webNavigation', 'webRequest'],
    host_permissions: ['http://*/*', 'https://*/*'],
  };
  const worker = `
const pages = { url: [{ schemes: ['http', 'https'] }] };
const mainFrames = { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] };
chrome.webRequest.onBeforeRequest.addListener(() => undefined, mainFrames);
chrome.webRequest.onBeforeRedirect.addListener(() => undefined, mainFrames);
chrome.webNavigation.onCommitted.addListener(() => undefined, pages);
chrome.webNavigation.onDOMContentLoaded.addListener(() => undefined, pages);
`;
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  await writeFile(join(dir, 'background.js'), worker);
  return dir;
}

/** Main-thread task time of one page load in a fresh tab, in ms. */
async function pageLoadTaskMs(context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  try {
    const devtools = await context.newCDPSession(page);
    await devtools.send('Performance.enable');
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(SETTLE_MS);
    const { metrics } = await devtools.send('Performance.getMetrics');
    const task = metrics.find((metric) => metric.name === 'TaskDuration');
    if (!task) throw new Error('no TaskDuration in Performance.getMetrics');
    return task.value * 1000;
  } finally {
    await page.close();
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface WorkerCpu {
  perLoadMs: number;
  /** Where the time goes: the functions with the most self time, per load. */
  top: string;
}

/** CPU the service worker spent over `loads` non-merchant page loads, per load. */
async function workerCpuPerLoad(
  browser: BenchBrowser,
  pageUrl: (n: number) => string,
  loads: number,
): Promise<WorkerCpu> {
  const session = await browser.devtools.attachWorker();
  if (!session) throw new Error('no service worker to profile');
  const send = <T>(method: string, params: object = {}) =>
    browser.devtools.send<T>(method, params, session);
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 100 });
  await send('Profiler.start');
  for (let i = 0; i < loads; i++) await pageLoadTaskMs(browser.context, pageUrl(i));
  const { profile } = await send<{
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  }>('Profiler.stop');
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicroseconds = new Map<string, number>();
  // Each delta is the time before its sample: the sample's node ran for it. "(program)" and
  // "(garbage collector)" are the worker's own native work: counted; "(idle)" is not.
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') return;
    const name = `${frame.functionName || '(anonymous)'}${frame.url ? `:${frame.lineNumber}` : ''}`;
    selfMicroseconds.set(name, (selfMicroseconds.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const busyMicroseconds = [...selfMicroseconds.values()].reduce((sum, us) => sum + us, 0);
  const top = [...selfMicroseconds]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([name, us]) => `${name} ${(us / 1000 / loads).toFixed(2)}`)
    .join(', ');
  return { perLoadMs: busyMicroseconds / 1000 / loads, top };
}

export default async function navigationCost(): Promise<BenchRow[]> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'ristourne-bench-portal-'));
  const listenersDir = await mkdtemp(join(tmpdir(), 'ristourne-bench-listeners-'));
  const noneProfile = await mkdtemp(join(tmpdir(), 'ristourne-bench-none-'));
  const extensionDir = await buildExtension({
    portalUrl: `http://localhost:${port}`,
    outDir: join(projectRoot, '.output', 'bench-navigation-extension'),
  });
  await writeListenersOnlyExtension(listenersDir);
  const portal = await startPortal({ port, dataDir, log: false });
  let none: BrowserContext | null = null;
  let listeners: BenchBrowser | null = null;
  let ristourne: BenchBrowser | null = null;
  try {
    none = await chromium.launchPersistentContext(noneProfile, {
      executablePath: findChromium(),
      headless: true,
      args: [`--host-resolver-rules=MAP * 127.0.0.1:${port}`, '--no-first-run'],
    });
    listeners = await launchBenchBrowser(listenersDir, port);
    ristourne = await launchBenchBrowser(extensionDir, port);
    const channel = await openBackgroundChannel(ristourne.context, ristourne.extensionId);
    await channel.untilMerchantListSynced(30_000);
    await channel.close();

    const contexts: Record<Arm, BrowserContext> = {
      none,
      'listeners only': listeners.context,
      Ristourne: ristourne.context,
    };
    // A site that is not a merchant, not the portal, and a new path each load (no cache).
    const pageUrl = (n: number) => `http://actualites.localhost:${port}/aide?visite=${n}`;
    let n = 0;
    for (const arm of ARMS) {
      for (let i = 0; i < WARM_UP_LOADS; i++) await pageLoadTaskMs(contexts[arm], pageUrl(n++));
    }
    // Seeded shuffles and resamples: a run can be repeated as it was.
    const random = prng(18);
    const order = shuffled(
      ARMS.flatMap((arm) => Array.from({ length: LOADS }, () => arm)),
      random,
    );
    const taskMs: Record<Arm, number[]> = { none: [], 'listeners only': [], Ristourne: [] };
    for (const arm of order) taskMs[arm].push(await pageLoadTaskMs(contexts[arm], pageUrl(n++)));

    const overListeners = ratioOfMedians(taskMs.Ristourne, taskMs['listeners only'], random);
    const overNone = ratioOfMedians(taskMs.Ristourne, taskMs.none, random);
    const listenersCpu = await workerCpuPerLoad(listeners, pageUrl, CPU_LOADS);
    const ristourneCpu = await workerCpuPerLoad(ristourne, pageUrl, CPU_LOADS);

    const interval = (r: { low: number; high: number }) =>
      `95 % interval ${r.low.toFixed(3)}–${r.high.toFixed(3)}`;
    return [
      ...ARMS.map((arm): BenchRow => ({
        metric: `page task time, non-merchant page, ${arm}`,
        value: round(median(taskMs[arm])),
        unit: 'ms',
        note: `median of ${LOADS} loads (shuffled with the other arms)`,
      })),
      {
        metric: 'Ristourne / listeners only',
        value: round(overListeners.ratio, 3),
        unit: '×',
        goal: `≤ ${RATIO_GOAL}×`,
        met: overListeners.ratio <= RATIO_GOAL,
        note: interval(overListeners),
      },
      {
        metric: 'Ristourne / none',
        value: round(overNone.ratio, 3),
        unit: '×',
        note: interval(overNone),
      },
      {
        metric: 'worker CPU per non-merchant navigation, listeners only',
        value: round(listenersCpu.perLoadMs, 2),
        unit: 'ms',
        note: `profiler samples not idle, over ${CPU_LOADS} loads; most: ${listenersCpu.top}`,
      },
      {
        metric: 'worker CPU per non-merchant navigation, Ristourne',
        value: round(ristourneCpu.perLoadMs, 2),
        unit: 'ms',
        note: `profiler samples not idle, over ${CPU_LOADS} loads; most: ${ristourneCpu.top}`,
      },
    ];
  } finally {
    await none?.close();
    await listeners?.close();
    await ristourne?.close();
    await portal.close();
    for (const dir of [dataDir, listenersDir, noneProfile, extensionDir]) {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
