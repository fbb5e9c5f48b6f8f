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
  await banner.expectText(
    'Votre panier peut vous rapporter 5,00 € de cashback chez Les Petites Mailles',
  );
  await banner.expectAction('Activer');
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
  await firstBanner.expectText(VENDOME_OFFER);

  const openBefore = await context.newPage();
  const openBeforeBanner = new BannerPart(openBefore);
  await ShopPage.on(openBefore, 'atelier-vendome', portal.port).openProduct(2);
  await openBeforeBanner.expectText(VENDOME_OFFER);

  await firstBanner.close();
  await firstBanner.expectGone();
  // The tab that showed it too follows.
  await openBeforeBanner.expectGone();

  const openedAfter = await context.newPage();
  const openedAfterShop = ShopPage.on(openedAfter, 'atelier-vendome', portal.port);
  await openedAfterShop.openProduct(3);
  await new BannerPart(openedAfter).expectNone();
  // Closed means closed, also where the reminder would have spoken.
  await openedAfterShop.openCart();
  await new BannerPart(openedAfter).expectNone();

  const other = await context.newPage();
  await ShopPage.on(other, 'numeria', portal.port).openProduct(1);
  await new BannerPart(other).expectText(NUMERIA_OFFER);
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
  await banner.expectText(VENDOME_OFFER);

  await banner.mute();
  await banner.expectGone();

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
  await banner.expectText(VENDOME_OFFER);

  // Escape meant for the page (its own dialog, say) leaves the banner alone.
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
  await banner.expectShown();

  // Reachable with Tab: from the page's last control, the next stop is the banner's first one.
  await page.evaluate(() =>
    [...document.body.querySelectorAll<HTMLElement>('a[href], button, input')].at(-1)!.focus(),
  );
  await page.keyboard.press('Tab');
  await banner.expectFocused('close');
  await page.keyboard.press('Tab');
  await banner.expectFocused('activate');
  await page.keyboard.press('Escape');
  await banner.expectGone();

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
  await banner.expectText(VENDOME_OFFER);
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
  await new BannerPart(other).expectText(VENDOME_OFFER);
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
  await banner.expectText(VENDOME_OFFER);
  const withBanner = await layoutOf(page);

  await banner.close();
  await banner.expectGone();
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
  await banner.expectText(VENDOME_OFFER);

  // The shadow root is closed: the page finds the host and what is at the button's place, and
  // presses them in every scripted way.
  const { x, y } = await banner.boxOf('activate');
  const reached = await page.evaluate(
    ([x, y]) => {
      const host = document.querySelector<HTMLElement>('html > div[popover]')!;
      const atButton = document.elementFromPoint(x! + 4, y! + 4) as HTMLElement;
      for (const target of [host, atButton]) {
        target.click();
        target.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
        target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      }
      return {
        root: host.shadowRoot === null ? 'null' : 'open',
        atButtonIsHost: atButton === host,
      };
    },
    [x, y],
  );
  expect(reached).toEqual({ root: 'null', atButtonIsHost: true });

  await page.waitForTimeout(1500);
  await banner.expectAction('Activer');
  expect(page.url()).toBe(shop.url('/produit/1'));
  expect(await recordedClicks(portal)).toEqual([]);

  // The same button pressed by the shopper does activate: the test above could have failed.
  await banner.activate();
  await banner.expectText('Cashback activé');
  expect(await recordedClicks(portal)).toHaveLength(1);
});
