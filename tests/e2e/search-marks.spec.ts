/**
 * Cashback marked in search results (docs/search-marks.md), on the reference portal's stand-ins
 * of Google, Bing, DuckDuckGo, Qwant and Ecosia, served over https on the engines' own hostnames
 * (scripts/harness/tls-proxy.ts): the marks go to partner merchants' organic results only, never
 * move the results, send nothing but hostnames, activate on a genuine click and land on the
 * result's page; the setting removes the script.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Worker } from '@playwright/test';
import { SEARCH_ENGINE_HOSTS, type StandInEngine } from '../../portal/demo/search-engines';
import { startTlsProxy, type TlsProxy } from '../../scripts/harness/tls-proxy';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { SearchResultsPage } from '../../scripts/harness/pages/search-results';
import { tabIdOf } from '../../scripts/harness/browser-state';
import { DEMO_MEMBER, expect, launchBrowser, test as base, type PortalHandle } from './fixtures';

const test = base.extend<{ tls: TlsProxy }>({
  tls: async ({ portal }, use) => {
    const proxy = await startTlsProxy(portal.port);
    await use(proxy);
    await proxy.close();
  },
  context: async ({ portal, tls }, use) => {
    const profile = await mkdtemp(join(tmpdir(), 'ristourne-profile-'));
    const context = await launchBrowser(profile, portal.port, { tlsPort: tls.port });
    await use(context);
    await context.close();
    await rm(profile, { recursive: true, force: true });
  },
});

const QUERY = 'téléviseur 4k pas cher';
/** The partner merchants' organic results, and the words of their marks (French browser). */
const MARKED = [
  { title: 'Numéria — Téléviseurs, ordinateurs et high-tech', text: "Jusqu'à 2,5 % de cashback" },
  { title: 'Octet & Pixel : informatique et gaming', text: '3,2 % de cashback' },
  { title: 'Les Petites Mailles — Tricots et layette', text: '5,00 € de cashback' },
];
const MORE_MARKED = { title: 'Maison Lenoir Paris — Prêt-à-porter', text: '4 % de cashback' };
const ENGINES: StandInEngine[] = [
  'google',
  'bing',
  'duckduckgo',
  'duckduckgo-html',
  'qwant',
  'ecosia',
];

/** The page's layout shifts (CLS), counted from its first frame. */
async function watchLayoutShifts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { layoutShift: number };
    w.layoutShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & {
        value: number;
        hadRecentInput: boolean;
      })[]) {
        if (!entry.hadRecentInput) w.layoutShift += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

const layoutShift = (page: Page) =>
  page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift);

/** Every message the background receives from here on, with who sent it. */
async function recordBackgroundMessages(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    const g = globalThis as unknown as {
      heard: { message: unknown; url?: string }[];
      chrome: {
        runtime: { onMessage: { addListener(f: (m: unknown, s: { url?: string }) => void): void } };
      };
    };
    g.heard = [];
    g.chrome.runtime.onMessage.addListener((message, sender) => {
      g.heard.push({ message, url: sender.url });
    });
  });
}

const heardMessages = (worker: Worker) =>
  worker.evaluate(
    () => (globalThis as unknown as { heard: { message: unknown; url?: string }[] }).heard,
  );

const lastRequest = async (portal: PortalHandle) => {
  const { requests } = await portal.admin<{ requests: { n: number }[] }>('/requests');
  return requests.at(-1)?.n ?? 0;
};

test('the partner merchants’ organic results are marked on every engine, never an ad nor another site, and no result moves', async ({
  context,
  extension,
}) => {
  void extension;
  const page = await context.newPage();
  await watchLayoutShifts(page);
  for (const engine of ENGINES) {
    const results = new SearchResultsPage(page, engine);
    await results.open(QUERY);
    await expect(results.marks).toHaveCount(MARKED.length);
    expect(await results.shownMarks(), engine).toEqual(
      MARKED.map((mark) => ({
        ...mark,
        name: expect.stringMatching(/^Activer .* avec Ristourne$/),
      })),
    );
    // DuckDuckGo's own page puts its results in by script (a shift of its own); the others are
    // drawn by the server, so any shift there would be the marks'.
    if (engine !== 'duckduckgo') expect(await layoutShift(page), engine).toBe(0);
    await page.screenshot({ path: test.info().outputPath(`${engine}.png`) });

    // Results that come later (more results, infinite scroll) are marked as they come.
    await results.showMore();
    await expect(results.marks).toHaveCount(MARKED.length + 1);
    expect((await results.shownMarks()).at(-1)).toMatchObject(MORE_MARKED);
  }
  // Every Google country domain of the portal's market.
  const google = new SearchResultsPage(page, 'google');
  for (const host of Object.keys(SEARCH_ENGINE_HOSTS).filter((h) => h.startsWith('www.google.'))) {
    await google.open(QUERY, host);
    await expect(google.marks, host).toHaveCount(MARKED.length);
  }
});

test('marking a page sends the portal nothing, and the background only hostnames: never the query nor the page', async ({
  context,
  portal,
  serviceWorker,
  extension,
}) => {
  void extension;
  await recordBackgroundMessages(serviceWorker);
  const page = await context.newPage();
  const before = await lastRequest(portal);
  const results = new SearchResultsPage(page, 'google');
  await results.open(QUERY);
  await expect(results.marks).toHaveCount(MARKED.length);
  await results.showMore();
  await expect(results.marks).toHaveCount(MARKED.length + 1);

  const { requests } = await portal.admin<{
    requests: { n: number; host: string; path: string }[];
  }>(`/requests?after=${before}`);
  // Nothing to the portal (its API, its pages) nor to a merchant's site: the extension talks to
  // no one else. (Chromium's own requests to Google's services reach this server too: they are
  // the browser's, not the extension's.)
  const portalHost = `localhost:${portal.port}`;
  const fromExtension = requests.filter(
    (request) =>
      (request.host === portalHost || request.host.endsWith(`.${portalHost}`)) &&
      !request.path.startsWith('/admin/api/'),
  );
  expect(fromExtension).toEqual([]);
  expect(
    requests.filter((request) => request.host === 'www.google.fr').map((r) => r.path),
  ).not.toContain('/url');

  const fromPage = (await heardMessages(serviceWorker)).filter((heard) =>
    heard.url?.startsWith('https://www.google.fr/'),
  );
  expect(fromPage.length).toBeGreaterThan(0);
  for (const { message } of fromPage) {
    expect(message).toEqual({ type: 'search:match', hostnames: expect.any(Array) });
    expect(JSON.stringify(message)).not.toMatch(
      /t%C3%A9l%C3%A9viseur|t%C3%A9l%C3%A9|téléviseur|4k|cher|www\.google/i,
    );
    for (const hostname of (message as { hostnames: string[] }).hostnames) {
      expect(hostname).toMatch(/^[a-z0-9.-]+$/);
    }
  }
});

test('a click on a mark activates the cashback and lands on the result’s own page; a click on the result does as without the extension', async ({
  context,
  portal,
  serviceWorker,
  extension,
}) => {
  expect(await extension.call('account:sign-in', DEMO_MEMBER)).toMatchObject({ ok: true });
  const page = await context.newPage();
  // Bing wraps every result link in its redirect: the landing is the unwrapped target.
  const results = new SearchResultsPage(page, 'bing');
  await results.open(QUERY);
  const numeria = results.mark(/Activer Jusqu'à 2,5 % de cashback chez Numéria avec Ristourne/);
  await expect(numeria).toBeVisible();

  // A script's click (the page can reach the open shadow root) activates nothing.
  await page.evaluate(() =>
    document.querySelector('[data-ristourne-mark]')!.shadowRoot!.querySelector('button')!.click(),
  );

  // Keyboard: the mark comes right after its result's title link.
  await page.getByRole('link', { name: 'Numéria — Téléviseurs, ordinateurs et high-tech' }).focus();
  await page.keyboard.press('Tab');
  await expect(numeria).toBeFocused();

  await numeria.click();
  await page.waitForURL(/numeria\.localhost:\d+\/produit\/2\?rdclid=/);
  const { clicks } = await portal.admin<{ clicks: { merchantId: string; url: string }[] }>(
    '/clicks',
  );
  expect(clicks).toEqual([
    expect.objectContaining({
      merchantId: 'numeria',
      url: `http://numeria.localhost:${portal.port}/produit/2`,
    }),
  ]);
  // Recognised as our own landing: activated, and the landing says so.
  const tabId = await tabIdOf(serviceWorker, page);
  await expect
    .poll(async () => (await extension.call('popup:get-offer', { tabId })) as unknown)
    .toMatchObject({ kind: 'merchant', activation: { state: 'activated' }, standDown: false });
  await new BannerPart(page).expectText('Cashback activé');

  // The result itself: through Google's own link, to the shop, with no click for the portal.
  const google = new SearchResultsPage(page, 'google');
  await google.open(QUERY);
  await expect(google.marks).toHaveCount(MARKED.length);
  await page.getByRole('link', { name: 'Octet & Pixel : informatique et gaming' }).click();
  await page.waitForURL(`http://octet-et-pixel.localhost:${portal.port}/`);
  expect(
    (await portal.admin<{ clicks: unknown[] }>('/clicks')).clicks,
    'no click but the mark’s',
  ).toHaveLength(1);
});

test('turning the marks off removes the script from search pages; on again, it is back', async ({
  context,
  serviceWorker,
  extension,
}) => {
  const registered = () =>
    serviceWorker.evaluate(async () =>
      (
        await (
          globalThis as unknown as {
            chrome: {
              scripting: {
                getRegisteredContentScripts(): Promise<{ id: string; matches: string[] }[]>;
              };
            };
          }
        ).chrome.scripting.getRegisteredContentScripts()
      ).map((script) => ({ id: script.id, matches: script.matches })),
    );
  await expect.poll(registered).toEqual([
    {
      id: 'ristourne-search-marks',
      // Exact results paths, never whole hosts.
      matches: expect.arrayContaining([
        'https://www.google.fr/search*',
        'https://www.google.ca/search*',
        'https://www.bing.com/search*',
        'https://duckduckgo.com/?*',
        'https://www.qwant.com/?*',
        'https://www.ecosia.org/search*',
      ]),
    },
  ]);

  await extension.call('settings:set', { searchMarks: false });
  expect(await registered()).toEqual([]);
  const page = await context.newPage();
  const results = new SearchResultsPage(page, 'ecosia');
  await results.open(QUERY);
  // The page's own late results have come (DuckDuckGo's 150 ms): no mark, no script at all.
  await page.waitForTimeout(500);
  await expect(results.marks).toHaveCount(0);

  await extension.call('settings:set', { searchMarks: true });
  await results.open(QUERY);
  await expect(results.marks).toHaveCount(MARKED.length);
});
