/**
 * Our own activation through a network whose hop is a page of its own (it commits, then moves on
 * by meta refresh or by script): the browser starts a new redirect chain on that page, so our
 * redirect URL is no longer in the landing's chain. The landing must still be ours ("Cashback
 * activé", no stand-down), while a separate visit through another affiliate still stands down.
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { tabIdOf } from '../../scripts/harness/browser-state';
import { DEMO_MEMBER, expect, test, type ExtensionHandle, type PortalHandle } from './fixtures';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { PopupPage } from '../../scripts/harness/pages/popup';
import { ShopPage } from '../../scripts/harness/pages/shop';

const SLUG = 'atelier-vendome';
const ACTIVATED = 'Cashback activé';
const STAND_DOWN_SENTENCE = "Cette visite vient déjà d'un site partenaire";

type NetworkHop = 'meta-refresh' | 'script';

interface Scene {
  context: BrowserContext;
  portal: PortalHandle;
  serviceWorker: Worker;
  extensionId: string;
  extension: ExtensionHandle;
}

async function signIn(extension: ExtensionHandle): Promise<void> {
  expect(await extension.ask('account:sign-in', DEMO_MEMBER)).toMatchObject({
    ok: true,
    value: { ok: true },
  });
}

/** The demo network hands our clicks on with a page of its own instead of a 302. */
async function useNetworkHop(portal: PortalHandle, networkHop: NetworkHop): Promise<void> {
  await portal.admin('/faults', {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ api: null, networkHop }),
  });
}

/** Every document the tab's main frame committed, in order. */
function recordCommittedUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) urls.push(frame.url());
  });
  return urls;
}

/** Activates from the banner while the network hands over with `networkHop`, and checks. */
async function activateThroughHopPage(
  { context, portal, serviceWorker, extensionId, extension }: Scene,
  networkHop: NetworkHop,
): Promise<void> {
  await signIn(extension);
  await useNetworkHop(portal, networkHop);
  const page = await context.newPage();
  const shop = ShopPage.on(page, SLUG, portal.port);
  const banner = new BannerPart(page);
  await shop.openProduct(2);
  const committed = recordCommittedUrls(page);

  await banner.activate();
  await banner.expectText(ACTIVATED);
  await expect(page).toHaveURL(/\/produit\/2\?rdclid=c_[^&]+$/);
  // The hop page really committed in between: the chain restarted there.
  expect(committed.some((url) => url.includes('clic.reseau-demo.localhost'))).toBe(true);

  const popup = new PopupPage(await context.newPage(), extensionId);
  await popup.open(await tabIdOf(serviceWorker, page));
  await expect(popup.offer).toContainText(ACTIVATED);
  await expect(popup.offer).not.toContainText(STAND_DOWN_SENTENCE);
  await popup.page.close();
  const offer = await extension.ask('popup:get-offer', {
    tabId: await tabIdOf(serviceWorker, page),
  });
  expect(offer).toMatchObject({ ok: true, value: { kind: 'merchant', standDown: false } });

  await shop.addToCart();
  const order = await shop.payOrder();
  expect(order.tracked).toBe(true);
}

test('an activation through a network hop page that redirects by meta refresh lands as ours: Cashback activé, no stand-down', async ({
  context,
  portal,
  serviceWorker,
  extensionId,
  extension,
}) => {
  await activateThroughHopPage(
    { context, portal, serviceWorker, extensionId, extension },
    'meta-refresh',
  );
});

test('an activation through a network hop page that redirects by script lands as ours: Cashback activé, no stand-down', async ({
  context,
  portal,
  serviceWorker,
  extensionId,
  extension,
}) => {
  await activateThroughHopPage(
    { context, portal, serviceWorker, extensionId, extension },
    'script',
  );
});

test('after our landing through a hop page, a separate visit through another publisher stands down', async ({
  context,
  portal,
  serviceWorker,
  extensionId,
  extension,
}) => {
  await signIn(extension);
  await useNetworkHop(portal, 'meta-refresh');
  const page = await context.newPage();
  const shop = ShopPage.on(page, SLUG, portal.port);
  const banner = new BannerPart(page);
  await shop.openProduct(2);
  await banner.activate();
  await banner.expectText(ACTIVATED);

  // Later, in the same tab: another publisher's link on the same network, same kind of hop page.
  const deepLink = shop.url('/produit/3');
  const foreign = `http://clic.reseau-demo.localhost:${portal.port}/clk?m=${SLUG}&p=blog-bons-plans&hop=meta-refresh&url=${encodeURIComponent(deepLink)}`;
  await page.goto(foreign);
  await expect(page).toHaveURL(/\/produit\/3\?rdclid=ext-/);
  await expect(page.getByTestId('product')).toBeVisible();
  await banner.expectNone();

  const popup = new PopupPage(await context.newPage(), extensionId);
  await popup.open(await tabIdOf(serviceWorker, page));
  await expect(popup.offer).toContainText(STAND_DOWN_SENTENCE);
  await expect(popup.activateButton).toHaveText('Activer le cashback');
});
