/**
 * The banner as a shopper meets it: the merchants' prompt policies, closing and muting, the
 * keyboard, focus and layout, and a page that tries to press "Activer" itself.
 * (The offer on a product page and the reminder on the cart are in visit.spec.ts.)
 */
import type { Page } from '@playwright/test';
import { badgeText } from '../../scripts/harness/browser-state';
import { DEMO_MEMBER, expect, test, type ExtensionHandle, type PortalHandle } from './fixtures';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { ShopPage } from '../../scripts/harness/pages/shop';

const VENDOME_OFFER = "Jusqu'à 6,5 % de cashback chez Atelier Vendôme";
const NUMERIA_OFFER = "Jusqu'à 2,5 % de cashback chez Numéria";

interface RecordedClick {
  id: string;
  merchantId: string;
  url: string;
}

const recordedClicks = async (portal: PortalHandle) =>
  (await portal.admin<{ clicks: RecordedClick[] }>('/clicks')).clicks;

async function signIn(extension: ExtensionHandle): Promise<void> {
  const answer = await extension.ask('account:sign-in', DEMO_MEMBER);
  expect(answer).toMatchObject({ ok: true, value: { ok: true } });
}

/** Where a page's layout is: boxes of its landmarks and the document's scrollable size. */
const layoutOf = (page: Page) =>
  page.evaluate(() => {
    const box = (selector: string) => {
      const rect = document.querySelector(selector)!.getBoundingClientRect();
      return [rect.x, rect.y, rect.width, rect.height];
    };
    const root = document.documentElement;
    return {
      heading: box('h1'),
      product: box('[data-testid="product"]'),
      body: box('body'),
      scroll: [root.scrollWidth, root.scrollHeight, scrollX, scrollY],
    };
  });

test('a checkout-only merchant shows nothing on a product page and the reminder on its cart', async ({
  context,
  portal,
  serviceWorker,
  extension: _ready,
}) => {
  const page = await context.newPage();
  const shop = ShopPage.on(page, 'les-petites-mailles', portal.port);
  const banner = new BannerPart(page);

  await shop.openProduct(1);
  // The merchant is recognised (badge), its policy keeps the banner away from this page.
  await expect.poll(() => badgeText(serviceWorker, page)).toBe('5€');
  await banner.expectNone();

  await shop.openCart();
  await expect(banner.region).toContainText(
    'Votre panier peut vous rapporter 5,00 € de cashback chez Les Petites Mailles',
  );
  await expect(banner.activateButton).toHaveText('Activer');
});

test('a merchant whose policy is never shows no banner anywhere, but has the badge', async ({
  context,
  portal,
  serviceWorker,
  extension: _ready,
}) => {
  const page = await context.newPage();
  const shop = ShopPage.on(page, 'voltaire-electro', portal.port);
  const banner = new BannerPart(page);

  await shop.goto('/');
  await expect.poll(() => badgeText(serviceWorker, page)).toBe('15€');
  await banner.expectNone();
  await shop.openProduct(2);
  await banner.expectNone();
  await shop.addToCart();
  await banner.expectNone();
  await shop.goto('/commande');
  await expect.poll(() => badgeText(serviceWorker, page)).toBe('15€');
  await banner.expectNone();
});

test('closing hides the banner in every tab of the merchant for the session, not elsewhere', async ({
  context,
  portal,
  extension: _ready,
}) => {
  const first = await context.newPage();
  const firstBanner = new BannerPart(first);
  await ShopPage.on(first, 'atelier-vendome', portal.port).openProduct(1);
  await expect(firstBanner.region).toContainText(VENDOME_OFFER);

  const openBefore = await context.newPage();
  const openBeforeBanner = new BannerPart(openBefore);
  await ShopPage.on(openBefore, 'atelier-vendome', portal.port).openProduct(2);
  await expect(openBeforeBanner.region).toContainText(VENDOME_OFFER);

  await firstBanner.closeButton.click();
  await expect(firstBanner.region).toHaveCount(0);
  // The tab that showed it too follows.
  await expect(openBeforeBanner.region).toHaveCount(0);

  const openedAfter = await context.newPage();
  const openedAfterShop = ShopPage.on(openedAfter, 'atelier-vendome', portal.port);
  await openedAfterShop.openProduct(3);
  await new BannerPart(openedAfter).expectNone();
  // Closed means closed, also where the reminder would have spoken.
  await openedAfterShop.openCart();
  await new BannerPart(openedAfter).expectNone();

  const other = await context.newPage();
  await ShopPage.on(other, 'numeria', portal.port).openProduct(1);
  await expect(new BannerPart(other).region).toContainText(NUMERIA_OFFER);
});

test('"Ne plus afficher sur ce site" mutes the merchant: not on reload, not in a new tab', async ({
  context,
  portal,
  extension: _ready,
}) => {
  const page = await context.newPage();
  const shop = ShopPage.on(page, 'atelier-vendome', portal.port);
  const banner = new BannerPart(page);
  await shop.openProduct(1);
  await expect(banner.region).toContainText(VENDOME_OFFER);

  await banner.muteButton.click();
  await expect(banner.region).toHaveCount(0);

  await page.reload();
  await banner.expectNone();

  const later = await context.newPage();
  const laterShop = ShopPage.on(later, 'atelier-vendome', portal.port);
  await laterShop.openProduct(4);
  await new BannerPart(later).expectNone();
  await laterShop.openCart();
  await new BannerPart(later).expectNone();
});

test('the banner is reached with Tab, and Escape closes it only while the focus is inside it', async ({
  context,
  portal,
  extension: _ready,
}) => {
  const page = await context.newPage();
  const banner = new BannerPart(page);
  await ShopPage.on(page, 'atelier-vendome', portal.port).openProduct(1);
  await expect(banner.region).toContainText(VENDOME_OFFER);

  // Escape meant for the page (its own dialog, say) leaves the banner alone.
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
  await expect(banner.region).toBeVisible();

  // Reachable with Tab: from the page's last control, the next stop is the banner's first one.
  await page.evaluate(() =>
    [...document.body.querySelectorAll<HTMLElement>('a[href], button, input')].at(-1)!.focus(),
  );
  await page.keyboard.press('Tab');
  await expect(banner.closeButton).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(banner.activateButton).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(banner.region).toHaveCount(0);

  // Escape is a close like ×: for the merchant and the session.
  const next = await context.newPage();
  await ShopPage.on(next, 'atelier-vendome', portal.port).openProduct(2);
  await new BannerPart(next).expectNone();
});

test('the banner does not take the focus from the page', async ({
  context,
  portal,
  extension: _ready,
}) => {
  const page = await context.newPage();
  // The page focuses its own button as soon as it can, before the banner arrives.
  await page.addInitScript(() =>
    document.addEventListener('DOMContentLoaded', () =>
      document.querySelector<HTMLButtonElement>('[data-testid="product"] button')?.focus(),
    ),
  );
  const banner = new BannerPart(page);
  await ShopPage.on(page, 'atelier-vendome', portal.port).openProduct(1);
  await expect(banner.region).toContainText(VENDOME_OFFER);
  await page.waitForTimeout(300);

  const focused = await page.evaluate(() => ({
    tag: document.activeElement?.tagName,
    text: document.activeElement?.textContent?.trim(),
    hasFocus: document.hasFocus(),
  }));
  expect(focused).toEqual({ tag: 'BUTTON', text: 'Ajouter au panier', hasFocus: true });
  await expect(page.getByRole('button', { name: 'Ajouter au panier' })).toBeFocused();

  // A page that focused nothing keeps its body focused.
  const other = await context.newPage();
  await ShopPage.on(other, 'atelier-vendome', portal.port).openProduct(2);
  await expect(new BannerPart(other).region).toContainText(VENDOME_OFFER);
  await other.waitForTimeout(300);
  expect(await other.evaluate(() => document.activeElement === document.body)).toBe(true);
});

test('the banner overlays the page without shifting its layout', async ({
  context,
  portal,
  extension: _ready,
}) => {
  const page = await context.newPage();
  const banner = new BannerPart(page);
  await ShopPage.on(page, 'atelier-vendome', portal.port).openProduct(1);
  await expect(banner.region).toContainText(VENDOME_OFFER);
  const withBanner = await layoutOf(page);

  await banner.closeButton.click();
  await expect(banner.region).toHaveCount(0);
  const withoutBanner = await layoutOf(page);

  expect(withBanner).toEqual(withoutBanner);
});

test("a page script's synthetic click on Activer does nothing", async ({
  context,
  portal,
  extension,
}) => {
  await signIn(extension);
  const page = await context.newPage();
  const shop = ShopPage.on(page, 'atelier-vendome', portal.port);
  const banner = new BannerPart(page);
  await shop.openProduct(1);
  await expect(banner.region).toContainText(VENDOME_OFFER);

  // The page reaches the open shadow root and presses the button in every scripted way.
  const pressed = await page.evaluate(() => {
    const host = [...document.documentElement.children].find((element) => element.shadowRoot);
    const button = [...(host?.shadowRoot?.querySelectorAll('button') ?? [])].find(
      (candidate) => candidate.textContent?.trim() === 'Activer',
    );
    button?.click();
    button?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    button?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    return button !== undefined;
  });
  expect(pressed).toBe(true);

  await page.waitForTimeout(1500);
  await expect(banner.activateButton).toHaveText('Activer');
  expect(page.url()).toBe(shop.url('/produit/1'));
  expect(await recordedClicks(portal)).toEqual([]);

  // The same button pressed by the shopper does activate: the test above could have failed.
  await banner.activateButton.click();
  await expect(banner.region).toContainText('Cashback activé');
  expect(await recordedClicks(portal)).toHaveLength(1);
});
