/**
 * Stand-down: a visit that another affiliate brought (a network's landing parameter, a network
 * host in the redirect chain, a competing portal as the referrer) silences the merchant in every
 * tab; our own activation's landing and ad-click parameters do not.
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { tabIdOf } from '../../scripts/harness/browser-state';
import { DEMO_MEMBER, expect, test, type PortalHandle } from './fixtures';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { PopupPage } from '../../scripts/harness/pages/popup';
import { ShopPage } from '../../scripts/harness/pages/shop';

const SLUG = 'atelier-vendome';
const VENDOME_OFFER = "Jusqu'à 6,5 % de cashback chez Atelier Vendôme";
const NUMERIA_OFFER = "Jusqu'à 2,5 % de cashback chez Numéria";
const STAND_DOWN_SENTENCE =
  "Cette visite vient déjà d'un site partenaire ; vous pouvez tout de même activer votre cashback Ristourne.";

interface Scene {
  context: BrowserContext;
  portal: PortalHandle;
  serviceWorker: Worker;
  extensionId: string;
}

async function popupFor(scene: Scene, page: Page): Promise<PopupPage> {
  const popup = new PopupPage(await scene.context.newPage(), scene.extensionId);
  await popup.open(await tabIdOf(scene.serviceWorker, page));
  await expect(popup.offer).toContainText('Atelier Vendôme');
  return popup;
}

/**
 * The merchant is in stand-down: nothing on the landing, nothing in another tab (product page
 * and cart), another merchant unaffected, and the popup still offers activation, neutrally.
 */
async function expectStandDown(scene: Scene, landing: Page): Promise<void> {
  await new BannerPart(landing).expectNone();

  const other = await scene.context.newPage();
  const otherShop = ShopPage.on(other, SLUG, scene.portal.port);
  await otherShop.openProduct(5);
  await new BannerPart(other).expectNone();
  await otherShop.openCart();
  await new BannerPart(other).expectNone();

  const elsewhere = await scene.context.newPage();
  await ShopPage.on(elsewhere, 'numeria', scene.portal.port).openProduct(1);
  await new BannerPart(elsewhere).expectText(NUMERIA_OFFER);

  const popup = await popupFor(scene, landing);
  await expect(popup.offer).toContainText(STAND_DOWN_SENTENCE);
  await expect(popup.activateButton).toHaveText('Activer le cashback');
}

test('a network parameter on the landing (awc) puts the merchant in stand-down, across a worker restart', async ({
  context,
  portal,
  serviceWorker,
  extensionId,
  extension: _ready,
}) => {
  // A tab of the merchant already showing the offer when the other affiliate's visit comes.
  const before = await context.newPage();
  await ShopPage.on(before, SLUG, portal.port).openProduct(2);
  await new BannerPart(before).expectText(VENDOME_OFFER);

  const page = await context.newPage();
  await page.goto(ShopPage.on(page, SLUG, portal.port).url('/produit/1?awc=123'));
  await expect(page.getByTestId('product')).toBeVisible();
  await expectStandDown({ context, portal, serviceWorker, extensionId }, page);
  await new BannerPart(before).expectGone();

  // Kept where a worker restart does not lose it: stopped (as after 30 s idle), woken by a visit.
  const devtools = await context.newCDPSession(page);
  await devtools.send('ServiceWorker.enable');
  await devtools.send('ServiceWorker.stopAllWorkers');
  const { targetInfos } = await devtools.send('Target.getTargets');
  expect(targetInfos.filter((target) => target.type === 'service_worker')).toEqual([]);
  const later = await context.newPage();
  await ShopPage.on(later, SLUG, portal.port).openProduct(6);
  await new BannerPart(later).expectNone();
  await ShopPage.on(later, 'numeria', portal.port).openProduct(2);
  await new BannerPart(later).expectText(NUMERIA_OFFER);
});

const networkHops = [
  {
    network: 'Awin',
    link: (deepLink: string) =>
      `http://www.awin1.com/cread.php?awinmid=1&awinaffid=2&ued=${encodeURIComponent(deepLink)}`,
    landing: /[?&]awc=1_/,
  },
  {
    network: 'Rakuten',
    link: (deepLink: string) =>
      `http://click.linksynergy.com/deeplink?id=abc123&mid=42&murl=${encodeURIComponent(deepLink)}`,
    landing: /[?&]ranMID=42&ranSiteID=abc123-/,
  },
];

for (const hop of networkHops) {
  test(`a visit through ${hop.network}'s click host puts the merchant in stand-down`, async ({
    context,
    portal,
    serviceWorker,
    extensionId,
    extension: _ready,
  }) => {
    const page = await context.newPage();
    const deepLink = ShopPage.on(page, SLUG, portal.port).url('/produit/2');
    await page.goto(hop.link(deepLink));
    await expect(page).toHaveURL(hop.landing);
    expect(page.url().startsWith(`${deepLink}?`)).toBe(true);
    await expectStandDown({ context, portal, serviceWorker, extensionId }, page);
  });
}

test("another publisher's link on the demo network puts the merchant in stand-down", async ({
  context,
  portal,
  serviceWorker,
  extensionId,
  extension: _ready,
}) => {
  const page = await context.newPage();
  const deepLink = ShopPage.on(page, SLUG, portal.port).url('/produit/3');
  await page.goto(
    `http://clic.reseau-demo.localhost:${portal.port}/clk?m=${SLUG}&p=blog-concurrent&url=${encodeURIComponent(deepLink)}`,
  );
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(deepLink)}\\?rdclid=ext-`));
  await expectStandDown({ context, portal, serviceWorker, extensionId }, page);
});

test('a network host alone in the redirect chain (no parameter on the landing) puts the merchant in stand-down', async ({
  context,
  portal,
  serviceWorker,
  extensionId,
  extension: _ready,
}) => {
  const page = await context.newPage();
  const deepLink = ShopPage.on(page, SLUG, portal.port).url('/produit/2');
  await page.goto(
    `http://www.awin1.com/cread.php?awinmid=1&awinaffid=2&bare=1&ued=${encodeURIComponent(deepLink)}`,
  );
  // Exactly the deep link: only the hop through awin1.com tells.
  await expect(page).toHaveURL(deepLink);
  await expectStandDown({ context, portal, serviceWorker, extensionId }, page);
});

test("another publisher's link through a network page that redirects by script puts the merchant in stand-down", async ({
  context,
  portal,
  serviceWorker,
  extensionId,
  extension: _ready,
}) => {
  const page = await context.newPage();
  const deepLink = ShopPage.on(page, SLUG, portal.port).url('/produit/3');
  await page.goto(
    `http://clic.reseau-demo.localhost:${portal.port}/clk?m=${SLUG}&p=blog-concurrent&hop=script&url=${encodeURIComponent(deepLink)}`,
  );
  await expect(page).toHaveURL(new RegExp(`^${escapeRegExp(deepLink)}\\?rdclid=ext-`));
  await expectStandDown({ context, portal, serviceWorker, extensionId }, page);
});

test("a competing portal's link (referrer) puts the merchant in stand-down", async ({
  context,
  portal,
  serviceWorker,
  extensionId,
  extension: _ready,
}) => {
  const page = await context.newPage();
  const deepLink = ShopPage.on(page, SLUG, portal.port).url('/produit/4');
  await page.goto(`http://www.igraal.com/?to=${encodeURIComponent(deepLink)}`);
  await page.getByTestId('competitor-link').click();
  // No parameter at all on the landing: only the referrer tells.
  await expect(page).toHaveURL(deepLink);
  await expect(page.getByTestId('product')).toBeVisible();
  await expectStandDown({ context, portal, serviceWorker, extensionId }, page);
});

test("our own activation's landing (with rdclid) is not a stand-down", async ({
  context,
  portal,
  serviceWorker,
  extensionId,
  extension,
}) => {
  expect(await extension.ask('account:sign-in', DEMO_MEMBER)).toMatchObject({
    ok: true,
    value: { ok: true },
  });
  const page = await context.newPage();
  const shop = ShopPage.on(page, SLUG, portal.port);
  const banner = new BannerPart(page);
  await shop.openProduct(1);
  await banner.activate();
  await banner.expectText('Cashback activé');
  await expect(page).toHaveURL(/\/produit\/1\?rdclid=[^&]+$/);
  expect(page.url()).not.toContain('rdclid=ext-');

  const scene = { context, portal, serviceWorker, extensionId };
  const next = await context.newPage();
  await ShopPage.on(next, SLUG, portal.port).openProduct(2);
  for (const tab of [page, next]) {
    const popup = await popupFor(scene, tab);
    await expect(popup.offer).toContainText('Cashback activé');
    await expect(popup.offer).not.toContainText('site partenaire');
    await popup.page.close();
  }
  const offer = await extension.ask('popup:get-offer', {
    tabId: await tabIdOf(serviceWorker, next),
  });
  expect(offer).toMatchObject({ ok: true, value: { kind: 'merchant', standDown: false } });
});

test('ad-click and campaign parameters (gclid, utm_medium=affiliate) are not a stand-down', async ({
  context,
  portal,
  serviceWorker,
  extensionId,
  extension: _ready,
}) => {
  const page = await context.newPage();
  const shop = ShopPage.on(page, SLUG, portal.port);
  await page.goto(shop.url('/produit/1?gclid=EAIaIQobChMI&utm_medium=affiliate&utm_source=blog'));
  await new BannerPart(page).expectText(VENDOME_OFFER);

  const other = await context.newPage();
  const otherShop = ShopPage.on(other, SLUG, portal.port);
  await otherShop.openCart();
  await new BannerPart(other).expectText(
    "Votre panier peut vous rapporter jusqu'à 6,5 % de cashback chez Atelier Vendôme",
  );

  const popup = await popupFor({ context, portal, serviceWorker, extensionId }, page);
  await expect(popup.activateButton).toHaveText('Activer le cashback');
  await expect(popup.offer).not.toContainText('site partenaire');
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
