/**
 * A merchant's page in Firefox: the badge and the banner (and the cart's reminder); a page that
 * is no merchant gets neither, and no extension code at all.
 */
import { expect, openTab, test } from './fixtures';
import { FirefoxBanner, FirefoxShop } from './pages';

const rootElements = () => [...document.documentElement.children].map((element) => element.tagName);

test('a merchant page gets the badge and the banner; the cart gets the reminder', async ({
  firefox,
  portal,
  extension,
}) => {
  const tab = await firefox.newTab();
  const shop = FirefoxShop.on(tab, 'atelier-vendome', portal.port);
  const banner = new FirefoxBanner(tab);

  await shop.openProduct(1);
  await banner.expectText("Jusqu'à 6,5 % de cashback chez Atelier Vendôme");
  expect(await tab.evaluate(rootElements)).toEqual(['HEAD', 'BODY', 'DIV']);
  await expect.poll(() => extension.badgeText(tab)).toBe('6,5%');

  await shop.addToCart();
  await banner.expectText('Votre panier peut vous rapporter');
});

test('a site that is not a merchant gets no badge and no extension code', async ({
  firefox,
  portal,
  extension,
}) => {
  const tab = await openTab(firefox, `${portal.url}/aide`);
  await expect.poll(() => extension.badgeText(tab)).toBe('');
  await new FirefoxBanner(tab).expectNone();
  // The banner script adds its host element under <html>: a page without it got no script.
  expect(await tab.evaluate(rootElements)).toEqual(['HEAD', 'BODY']);
});
