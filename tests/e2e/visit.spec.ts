import type { Page } from '@playwright/test';
import { badgeText } from '../../scripts/harness/browser-state';
import { expect, test } from './fixtures';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { ShopPage } from '../../scripts/harness/pages/shop';

const pageRootElements = (page: Page) =>
  page.evaluate(() => [...document.documentElement.children].map((element) => element.tagName));

test('a merchant page gets the badge and the banner; the cart gets the reminder', async ({
  context,
  portal,
  serviceWorker,
  extension: _ready,
}) => {
  const page = await context.newPage();
  const shop = ShopPage.on(page, 'atelier-vendome', portal.port);
  const banner = new BannerPart(page);

  await shop.openProduct(1);
  await banner.expectText("Jusqu'à 6,5 % de cashback chez Atelier Vendôme");
  expect(await pageRootElements(page)).toEqual(['HEAD', 'BODY', 'DIV']);
  await expect.poll(() => badgeText(serviceWorker, page)).toBe('6,5%');

  await shop.addToCart();
  await banner.expectText('Votre panier peut vous rapporter');
});

test('a site that is not a merchant gets no badge and no extension code', async ({
  context,
  portal,
  serviceWorker,
  extension: _ready,
}) => {
  const page = await context.newPage();
  await page.goto(`${portal.url}/aide`);
  await page.waitForLoadState('load');
  await expect.poll(() => badgeText(serviceWorker, page)).toBe('');
  // The banner script adds its host element under <html>: a page without it got no script.
  await page.waitForTimeout(500);
  expect(await pageRootElements(page)).toEqual(['HEAD', 'BODY']);
  expect(await new BannerPart(page).snapshot()).toBeNull();
});
