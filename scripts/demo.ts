/**
 * `npm run demo` — builds the extension for the local reference portal, starts the portal and
 * opens Chromium with the extension in a fresh profile on a demo shop. Ctrl-C stops everything.
 * `npm run demo -- --headless` plays a scripted tour instead and saves screenshots, with the
 * store's (1280×800, banner and popup) in .output/store/screenshots. The tour always starts from
 * the portal's seed: its story (a withdrawal, a lost sale) is the demo member's first.
 * Options: --port N (default 8787), --reset (reseed the portal's data).
 */
import { chromium, type BrowserContext } from '@playwright/test';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startPortal } from '../portal/start';
import { movableClock } from './harness/clock';
import { buildExtension, projectRoot } from './harness/build-extension';
import { extensionArgs, findChromium } from './harness/chromium';
import { openBackgroundChannel } from './harness/browser-state';
import { playTour } from './demo-tour';
import { startTlsProxy, type TlsProxy } from './harness/tls-proxy';
import { SEARCH_ENGINE_HOSTS } from '../portal/demo/search-engines';

const DEMO_SHOP = 'atelier-vendome';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      headless: { type: 'boolean', default: false },
      port: { type: 'string', default: '8787' },
      reset: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`Bad --port: ${values.port}`);
  const executablePath = findChromium();
  const portalUrl = `http://localhost:${port}`;

  console.log(`Building the extension for ${portalUrl}…`);
  const extensionDir = await buildExtension({
    portalUrl,
    outDir: join(projectRoot, '.output', 'demo-extension'),
  });
  // The tour's lost sale moves the portal's clock two days ahead; a browser on a display never does.
  const clock = movableClock();
  const reset = values.reset || values.headless;
  const portal = await startPortal({ port, reset, log: false, now: clock.now });
  const profile = await mkdtemp(join(tmpdir(), 'ristourne-demo-'));
  let context: BrowserContext | null = null;
  // The tour's search results page: the engines' hostnames (and only them) on the portal's
  // stand-ins, over https (the member's own browser keeps the real engines).
  const tls: TlsProxy | null = values.headless ? await startTlsProxy(port) : null;
  const stop = async () => {
    await context?.close().catch(() => undefined);
    await tls?.close();
    await portal.close();
    await rm(profile, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(143)));

  const shopUrl = `http://${DEMO_SHOP}.localhost:${port}/`;
  console.log(`Portal:   ${portalUrl}  (admin: ${portalUrl}/admin, key ${portal.adminKey})`);
  console.log(`Member:   demo@ristourne.test / cagnotte-demo`);
  console.log(`Shop:     ${shopUrl}`);
  console.log(`Browser:  ${executablePath}`);

  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: values.headless,
    viewport: values.headless ? { width: 1280, height: 800 } : null,
    // The headless tour speaks French (the extension follows the browser's language; a
    // display's browser keeps the member's own).
    ...(values.headless ? { env: { ...process.env, LANGUAGE: 'fr' } } : {}),
    args: [
      ...extensionArgs(extensionDir),
      ...(tls
        ? [
            `--host-resolver-rules=${Object.keys(SEARCH_ENGINE_HOSTS)
              .map((host) => `MAP ${host} 127.0.0.1:${tls.port}`)
              .join(', ')}`,
            '--ignore-certificate-errors',
          ]
        : []),
      '--no-first-run',
      '--disable-sync',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const channel = await openBackgroundChannel(context, new URL(worker.url()).host);
  await channel.untilMerchantListSynced(30_000);
  await channel.close();

  if (values.headless) {
    const folder = join(
      projectRoot,
      'demo-screenshots',
      new Date().toISOString().replace(/[:.]/g, '-'),
    );
    await mkdir(folder, { recursive: true });
    // Next to the rest of the store listing (`npm run store`).
    const storeFolder = join(projectRoot, '.output', 'store', 'screenshots');
    try {
      const ok = await playTour({
        context,
        portalUrl,
        port,
        shop: DEMO_SHOP,
        adminKey: portal.adminKey,
        folder,
        storeFolder,
        advancePortalClock: (ms) => clock.advance(ms),
      });
      console.log(`\nScreenshots: ${folder}`);
      console.log(`Store screenshots (1280×800): ${storeFolder}`);
      process.exitCode = ok ? 0 : 1;
    } finally {
      await stop();
    }
    return;
  }

  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(shopUrl);
  console.log('\nThe browser is open on the demo shop. Close it or press Ctrl-C to stop.');
  await new Promise<void>((resolve) => context.once('close', () => resolve()));
  await stop();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
