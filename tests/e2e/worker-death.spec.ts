/**
 * Chrome stops the extension's service worker whenever it likes. Here it is stopped (DevTools'
 * ServiceWorker.stopAllWorkers) in the middle of a big list's sync, of an activation, of a
 * sign-in and of a cagnotte refresh; the shopper then finds a whole merchant list, an offer they
 * can activate (never a banner stuck on "activating"), and their sign-in whole or absent.
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPortal } from '../../portal/start';
import { tabIdOf } from '../../scripts/harness/browser-state';
import { DEMO_MEMBER, expect, test, type ExtensionHandle, type PortalHandle } from './fixtures';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { DEMO_MERCHANTS } from '../../portal/demo/demo-merchants';
import { PopupPage } from '../../scripts/harness/pages/popup';
import { ShopPage } from '../../scripts/harness/pages/shop';

const SLUG = 'atelier-vendome';
const VENDOME_OFFER = "Jusqu'à 6,5 % de cashback chez Atelier Vendôme";
const ACTIVATED = 'Cashback activé';
const BIG_LIST = 30_000;

/** Stops every service worker of the browser, as Chrome does after 30 s idle or under load. */
async function stopServiceWorkers(context: BrowserContext, page: Page): Promise<void> {
  const devtools = await context.newCDPSession(page);
  await devtools.send('ServiceWorker.enable');
  // The stop is asynchronous, and an extension page's open request may outlive the first one:
  // stop again until no worker is left.
  await expect
    .poll(async () => {
      await devtools.send('ServiceWorker.stopAllWorkers');
      const { targetInfos } = await devtools.send('Target.getTargets');
      return targetInfos.filter((target) => target.type === 'service_worker').length;
    })
    .toBe(0);
  await devtools.detach();
}

/** The worker again after a stop (Playwright's handle of the stopped one is gone). */
async function wokenWorker(context: BrowserContext, extension: ExtensionHandle): Promise<Worker> {
  await extension.ask('sync:status'); // wakes it
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
}

async function setApiFault(portal: PortalHandle, api: string | null): Promise<void> {
  await portal.admin('/faults', {
    method: 'PUT',
    body: JSON.stringify({ api }),
    headers: { 'Content-Type': 'application/json' },
  });
}

const recordedClicks = async (portal: PortalHandle) =>
  (await portal.admin<{ clicks: { id: string; followCount: number }[] }>('/clicks')).clicks;

test('stopped during the sync of a big list, the worker comes back to a whole list and matches on it', async ({
  context,
  portal,
  extension,
}) => {
  // The portal now serves a big list (the demo shops among its merchants).
  await portal.stop();
  const dataDir = await mkdtemp(join(tmpdir(), 'ristourne-big-'));
  const big = await startPortal({ port: portal.port, dataDir, merchants: BIG_LIST, log: false });
  try {
    const page = await context.newPage();
    const syncing = extension.ask('sync:now').catch(() => null); // its worker dies under it
    // The list is on its way: downloaded, validated or being written when the worker stops.
    await expect
      .poll(async () => (await portal.admin<{ stats: { downloads: number } }>('/faults')).stats)
      .toMatchObject({ downloads: 1 });
    await stopServiceWorkers(context, page);
    await syncing;

    const after = await extension.call('sync:status');
    expect([DEMO_MERCHANTS.length, BIG_LIST]).toContain(after.merchantCount);
    await ShopPage.on(page, SLUG, portal.port).openProduct(1);
    await new BannerPart(page).expectText(VENDOME_OFFER);

    // The stopped worker's sync does not hold the next one back.
    const synced = await extension.call('sync:now');
    expect(synced).toMatchObject({ merchantCount: BIG_LIST, syncing: false });
    await ShopPage.on(page, SLUG, portal.port).openProduct(2);
    await new BannerPart(page).expectText(VENDOME_OFFER);
  } finally {
    await big.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('stopped while the portal creates the click, the banner offers the activation again and a click activates', async ({
  context,
  portal,
  extensionId,
  extension,
}) => {
  expect(await extension.ask('account:sign-in', DEMO_MEMBER)).toMatchObject({
    value: { ok: true },
  });
  const page = await context.newPage();
  const shop = ShopPage.on(page, SLUG, portal.port);
  const banner = new BannerPart(page);
  const productUrl = shop.url('/produit/1?taille=M');
  await page.goto(productUrl);
  await banner.expectText(VENDOME_OFFER);

  // POST /clicks hangs: the worker has asked and waits; then it is stopped.
  await setApiFault(portal, 'hang');
  await banner.activate();
  await banner.expectAction('Activation…');
  await stopServiceWorkers(context, page);
  await setApiFault(portal, null);

  // The shopper opens the popup: the worker starts again and abandons the dead activation.
  const worker = await wokenWorker(context, extension);
  const popup = new PopupPage(await context.newPage(), extensionId);
  await popup.open(await tabIdOf(worker, page));
  await expect(popup.activateButton).toHaveText('Activer le cashback');
  // Offered again: "Activer" from the new worker's view, or "Réessayer" when the banner hears its
  // request die after that view arrived (the browser's order between the two is not fixed).
  await banner.expectAction(/^(Activer|Réessayer)$/);
  expect(page.url()).toBe(productUrl);

  await banner.activate();
  await banner.expectText(ACTIVATED);
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(productUrl)}&rdclid=`));
  const followed = (await recordedClicks(portal)).filter((click) => click.followCount > 0);
  expect(followed).toHaveLength(1);
});

test('stopped during a sign-in, the member is signed out or wholly signed in, and can sign in', async ({
  context,
  portal,
  extensionId,
  extension,
}) => {
  await setApiFault(portal, 'hang');
  const popup = new PopupPage(await context.newPage(), extensionId);
  await popup.open();
  await popup.emailField.fill(DEMO_MEMBER.email);
  await popup.passwordField.fill(DEMO_MEMBER.password);
  await popup.signInButton.click();
  // "Connexion…": the worker is waiting on the portal.
  await expect(popup.signInForm.locator('button[type=submit]')).toHaveAttribute(
    'aria-disabled',
    'true',
  );
  await stopServiceWorkers(context, popup.page);
  await setApiFault(portal, null);

  // The portal never answered: no token was stored.
  expect(await extension.ask('account:get')).toMatchObject({ value: { signedIn: false } });
  await popup.open();
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  await expect(popup.cagnotte).toContainText('Connecté en tant que Camille Martin');
});

test('stopped during a cagnotte refresh, the popup shows the last figures, whole', async ({
  context,
  portal,
  extensionId,
  extension,
}) => {
  const popup = new PopupPage(await context.newPage(), extensionId);
  await popup.open();
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  const pending = await popup.pending.textContent();
  const confirmed = await popup.confirmed.textContent();

  await setApiFault(portal, 'hang');
  const refreshing = extension.ask('account:refresh').catch(() => null);
  // Give the request time to leave (the worker is waiting on the portal when it stops).
  await popup.page.waitForTimeout(300);
  await stopServiceWorkers(context, popup.page);
  await refreshing;
  await setApiFault(portal, null);

  await popup.open();
  await expect(popup.cagnotte).toContainText('Connecté en tant que Camille Martin');
  await expect(popup.pending).toHaveText(pending!);
  await expect(popup.confirmed).toHaveText(confirmed!);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
