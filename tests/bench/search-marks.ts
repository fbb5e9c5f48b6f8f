/**
 * The search results' marks in real Chromium, on the reference portal's stand-ins of the engines
 * (over https on their real hostnames, scripts/harness/tls-proxy.ts):
 *
 * - results inserted → marks shown: DuckDuckGo's page puts its results in by script after the
 *   document is parsed, and "Plus de résultats" adds more; an init script in the page's main
 *   world notes when the page inserts results and when the first mark host enters the page,
 *   "shown" being the next animation frame. Page clock only. Google's (server-drawn) page gives
 *   DOMContentLoaded → marks shown.
 * - the page's main-thread cost with the marks and without them (the setting off: no script at
 *   all): DevTools' Performance.getMetrics TaskDuration and ScriptDuration of the results page's
 *   renderer, from before its navigation to a fixed 800 ms after its load event.
 * - the size of the results pages' script (an unlisted script, entrypoints/search-marks.ts).
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { RESULTS_PAGES } from '../../portal/demo/search-engines';
import { startPortal } from '../../portal/start';
import { buildExtension, projectRoot } from '../../scripts/harness/build-extension';
import { extensionArgs, findChromium } from '../../scripts/harness/chromium';
import { freePort } from '../../scripts/harness/free-port';
import { openBackgroundChannel } from '../../scripts/harness/browser-state';
import { mappedHostArgs, startTlsProxy } from '../../scripts/harness/tls-proxy';
import { round, type BenchRow } from './_shared';

const RUNS = 15;
const COST_RUNS = 9;
const GZIP_GOAL_KB = 6;
const SHOWN_GOAL_MS = 50;
const QUERY = 'téléviseur';

interface MarkTiming {
  domContentLoaded: number | null;
  /** The page's own insertion of results (DuckDuckGo's script, "more results"). */
  resultsInserted: number | null;
  markInserted: number | null;
  markShown: number | null;
}

declare global {
  interface Window {
    marksBench?: MarkTiming;
  }
}

/** Runs in the page's main world before any of its scripts. */
function watchForMarks(): void {
  const timing: MarkTiming = {
    domContentLoaded: null,
    resultsInserted: null,
    markInserted: null,
    markShown: null,
  };
  window.marksBench = timing;
  document.addEventListener(
    'DOMContentLoaded',
    () => (timing.domContentLoaded = performance.now()),
  );
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (node.hasAttribute('data-ristourne-mark')) {
          if (timing.markInserted !== null) continue;
          timing.markInserted = performance.now();
          requestAnimationFrame(() => (timing.markShown = performance.now()));
        } else if (timing.resultsInserted === null && node.matches('li[data-layout], .MjjYud')) {
          timing.resultsInserted = performance.now();
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timing(page: Page): Promise<MarkTiming> {
  const handle = await page.waitForFunction(
    () => window.marksBench?.markShown != null && window.marksBench,
    undefined,
    {
      timeout: 10_000,
      polling: 20,
    },
  );
  return (await handle.jsonValue()) as MarkTiming;
}

/** Resets the page's clock marks, then shows the page's more results. */
async function timeMoreResults(page: Page): Promise<number> {
  await page.evaluate(() => {
    const t = window.marksBench!;
    t.resultsInserted = t.markInserted = t.markShown = null;
  });
  await page.getByRole('button', { name: 'Plus de résultats' }).click();
  const t = await timing(page);
  return t.markShown! - t.resultsInserted!;
}

export default async function searchMarks(): Promise<BenchRow[]> {
  const port = await freePort();
  const extensionDir = await buildExtension({
    portalUrl: `http://localhost:${port}`,
    outDir: join(projectRoot, '.output', 'bench-search-extension'),
  });
  const script = await readFile(join(extensionDir, 'search-marks.js'));
  const gzipBytes = gzipSync(script, { level: 9 }).length;

  const dataDir = await mkdtemp(join(tmpdir(), 'ristourne-bench-portal-'));
  const profile = await mkdtemp(join(tmpdir(), 'ristourne-bench-profile-'));
  const portal = await startPortal({ port, dataDir, log: false });
  const tls = await startTlsProxy(port);
  let context: BrowserContext | null = null;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: findChromium(),
      headless: true,
      args: [
        ...extensionArgs(extensionDir),
        ...mappedHostArgs(port, tls.port),
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const channel = await openBackgroundChannel(context, new URL(worker.url()).host);
    await channel.untilMerchantListSynced(30_000);

    const page = await context.newPage();
    await page.addInitScript(watchForMarks);
    const duck = `${RESULTS_PAGES.duckduckgo}${QUERY}`;
    const google = `${RESULTS_PAGES.google}${QUERY}`;
    await page.goto(duck);
    await timing(page); // the first load pays for the caches: not counted

    const inserted: number[] = [];
    const more: number[] = [];
    const fromDcl: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.goto(duck);
      const t = await timing(page);
      inserted.push(t.markShown! - t.resultsInserted!);
      more.push(await timeMoreResults(page));
      await page.goto(google);
      const g = await timing(page);
      fromDcl.push(g.markShown! - g.domContentLoaded!);
    }

    const cost = async (on: boolean) => {
      await channel.call('settings:set', { searchMarks: on });
      const runs: { task: number; script: number }[] = [];
      for (let i = 0; i < COST_RUNS + 1; i++) {
        const costPage = await context!.newPage();
        const devtools = await context!.newCDPSession(costPage);
        await devtools.send('Performance.enable', { timeDomain: 'threadTicks' });
        await costPage.goto(google, { waitUntil: 'load' });
        await costPage.waitForTimeout(800);
        const { metrics } = await devtools.send('Performance.getMetrics');
        const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
        if (i > 0)
          runs.push({
            task: metric('TaskDuration') * 1000,
            script: metric('ScriptDuration') * 1000,
          });
        await costPage.close();
      }
      return {
        task: median(runs.map((run) => run.task)),
        script: median(runs.map((run) => run.script)),
      };
    };
    const withMarks = await cost(true);
    const without = await cost(false);
    await channel.close();

    const row = (metric: string, values: number[], note: string): BenchRow => {
      const value = Math.round(median(values));
      return {
        metric,
        value,
        unit: 'ms',
        goal: `≤ ${SHOWN_GOAL_MS} ms`,
        met: value <= SHOWN_GOAL_MS,
        note: `median of ${values.length} (min ${Math.round(Math.min(...values))}, max ${Math.round(Math.max(...values))}); ${note}`,
      };
    };
    return [
      row(
        'results inserted → marks shown (page script)',
        inserted,
        "DuckDuckGo's results put in by its script",
      ),
      row('more results inserted → their marks shown', more, '"Plus de résultats" on DuckDuckGo'),
      row('DOMContentLoaded → marks shown', fromDcl, "Google's server-drawn page"),
      {
        metric: 'results page main thread, with the marks',
        value: round(withMarks.task),
        unit: 'ms',
        note: `TaskDuration, median of ${COST_RUNS}; script ${round(withMarks.script)} ms`,
      },
      {
        metric: 'results page main thread, marks off (no script)',
        value: round(without.task),
        unit: 'ms',
        note: `TaskDuration, median of ${COST_RUNS}; script ${round(without.script)} ms`,
      },
      {
        metric: 'the marks’ cost on the page',
        value: round(withMarks.task - without.task),
        unit: 'ms',
        note: 'difference of the medians above (Google stand-in, 6 results, 3 marks)',
      },
      {
        metric: 'results pages’ script, gzip -9',
        value: round(gzipBytes / 1024, 2),
        unit: 'kB',
        goal: `≤ ${GZIP_GOAL_KB} kB`,
        met: gzipBytes <= GZIP_GOAL_KB * 1024,
        note: `${gzipBytes.toLocaleString('en-US')} B; search-marks.js, ${script.length.toLocaleString('en-US')} B minified`,
      },
    ];
  } finally {
    await context?.close();
    await tls.close();
    await portal.close();
    await rm(profile, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
    await rm(extensionDir, { recursive: true, force: true });
  }
}
