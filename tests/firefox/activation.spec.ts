/**
 * One-click activation in Firefox: "Activer" sends the same tab through the portal's redirect and
 * the network's hop (Firefox's webRequest and webNavigation events), back to the very page the
 * shopper was on, now tracked; signed out, the popup opens in a tab to sign in first.
 */
import type { HTTPRequest } from 'puppeteer-core';
import type { FirefoxTab } from '../../scripts/harness/firefox';
import { DEMO_MEMBER, expect, test, type PortalHandle } from './fixtures';
import { FirefoxBanner, FirefoxPopup, FirefoxShop } from './pages';

const VENDOME_OFFER = "Jusqu'à 6,5 % de cashback chez Atelier Vendôme";
const ACTIVATED = 'Cashback activé';

interface RecordedClick {
  id: string;
  merchantId: string;
  url: string;
  followedAt: string | null;
  followCount: number;
}

const recordedClicks = async (portal: PortalHandle) =>
  (await portal.admin<{ clicks: RecordedClick[] }>('/clicks')).clicks;

/** The one click the portal recorded, once it has. */
async function theOnlyClick(portal: PortalHandle): Promise<RecordedClick> {
  await expect.poll(async () => (await recordedClicks(portal)).length).toBe(1);
  return (await recordedClicks(portal))[0]!;
}

/**
 * Every URL the tab's main frame requested, redirects included, in order. (BiDi reports a
 * request's URL with the page's fragment, which is never sent: it is cut here, as CDP does.)
 */
function recordMainFrameRequests(tab: FirefoxTab): string[] {
  const urls: string[] = [];
  tab.page.on('request', (request: HTTPRequest) => {
    if (request.isNavigationRequest() && request.frame() === tab.page.mainFrame()) {
      urls.push(request.url().replace(/#.*$/, ''));
    }
  });
  return urls;
}

test('signed in, Activer goes through the portal and the network and lands back on the same page, tracked', async ({
  firefox,
  portal,
  extension,
}) => {
  expect(await extension.call('account:sign-in', DEMO_MEMBER)).toMatchObject({ ok: true });

  // A second tab of the merchant, with its banner on screen before the activation.
  const other = await firefox.newTab();
  const otherBanner = new FirefoxBanner(other);
  await FirefoxShop.on(other, 'atelier-vendome', portal.port).openProduct(3);
  await otherBanner.expectText(VENDOME_OFFER);

  const tab = await firefox.newTab();
  const hops = recordMainFrameRequests(tab);
  const shop = FirefoxShop.on(tab, 'atelier-vendome', portal.port);
  const banner = new FirefoxBanner(tab);
  // The fragment is never requested, but it is part of the page the shopper comes back to.
  const requested = shop.url('/produit/2?couleur=bleu&taille=M');
  const productUrl = `${requested}#avis`;
  await tab.goto(productUrl);
  await banner.expectText(VENDOME_OFFER);

  await banner.activate();
  await banner.expectText(ACTIVATED);

  const click = await theOnlyClick(portal);
  expect(click).toMatchObject({ merchantId: 'atelier-vendome', url: productUrl, followCount: 1 });
  expect(click.followedAt).not.toBeNull();
  await tab.waitForURL(`${requested}&rdclid=${click.id}#avis`);
  expect(hops).toEqual([
    requested,
    `${portal.url}/go/${click.id}`,
    `http://clic.reseau-demo.localhost:${portal.port}/clk?c=${click.id}`,
    `${requested}&rdclid=${click.id}`,
  ]);
  await otherBanner.expectText(ACTIVATED);
  await expect.poll(() => extension.badgeText(tab)).toBe('6,5%');

  // Activated for the session: nothing on the next page views, the cart included.
  await shop.openProduct(4);
  await banner.expectNone();
  await shop.addToCart();
  await banner.expectNone();

  const popup = await FirefoxPopup.open(extension, await extension.tabIdOf(tab));
  await expect
    .poll(() => popup.offer.text())
    .toContain(`${ACTIVATED} — Vos achats chez Atelier Vendôme sont maintenant suivis.`);
  expect(await popup.activateButton.count()).toBe(0);
  await popup.tab.close();

  const order = await shop.payOrder();
  expect(order.tracked).toBe(true);
});

test('signed out, Activer opens the sign-in popup in a tab; signing in completes the activation', async ({
  firefox,
  portal,
  extension,
}) => {
  const tab = await firefox.newTab();
  const shop = FirefoxShop.on(tab, 'atelier-vendome', portal.port);
  const banner = new FirefoxBanner(tab);
  const productUrl = shop.url('/produit/1?utm_source=lettre&ref=accueil');
  await tab.goto(productUrl);
  await banner.expectText(VENDOME_OFFER);
  const tabId = await extension.tabIdOf(tab);

  await banner.activate();
  const signInTab = await firefox.extensionTab((href) =>
    href.endsWith(`/popup.html?tabId=${tabId}&signin=1`),
  );
  await banner.expectText(
    'Connectez-vous à Ristourne pour activer votre cashback chez Atelier Vendôme.',
  );
  await expect.poll(() => banner.activateButton.text()).toBe('Se connecter');
  expect(await recordedClicks(portal)).toEqual([]);
  expect(tab.url()).toBe(productUrl);

  // The popup's own form (its offer panel also has a "Se connecter", which leads to it).
  const popup = new FirefoxPopup(signInTab);
  await expect.poll(() => popup.emailField.isFocused()).toBe(true);
  await popup.emailField.fill(DEMO_MEMBER.email);
  await popup.passwordField.fill(DEMO_MEMBER.password);
  await popup.signInButton.click();

  const click = await theOnlyClick(portal);
  expect(click).toMatchObject({ merchantId: 'atelier-vendome', url: productUrl });
  await tab.waitForURL(`${productUrl}&rdclid=${click.id}`);
  await banner.expectText(ACTIVATED);
  // Its job done, the sign-in tab goes away.
  await expect.poll(() => signInTab.isGone()).toBe(true);
});
