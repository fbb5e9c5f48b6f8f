/**
 * One-click activation: "Activer" sends the same tab through the portal's redirect and the
 * network's hop, back to the very page the shopper was on, now tracked; signed out, the sign-in
 * page first; the portal down, an honest error and a retry that works.
 */
import type { Page } from '@playwright/test';
import { tabIdOf } from '../../scripts/harness/browser-state';
import { DEMO_MEMBER, expect, test, type ExtensionHandle, type PortalHandle } from './fixtures';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { PopupPage } from '../../scripts/harness/pages/popup';
import { ShopPage } from '../../scripts/harness/pages/shop';

const VENDOME_OFFER = "Jusqu'à 6,5 % de cashback chez Atelier Vendôme";
const ACTIVATED = 'Cashback activé';

interface RecordedClick {
  id: string;
  memberId: string;
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

async function signIn(extension: ExtensionHandle): Promise<void> {
  const answer = await extension.ask('account:sign-in', DEMO_MEMBER);
  expect(answer).toMatchObject({ ok: true, value: { ok: true } });
}

/** Every URL the tab's main frame requested, redirects included, in order. */
function recordMainFrameRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      urls.push(request.url());
    }
  });
  return urls;
}

test('signed in, Activer goes through the portal and the network and lands back on the same page, tracked', async ({
  context,
  portal,
  serviceWorker,
  extensionId,
  extension,
}) => {
  await signIn(extension);

  // A second tab of the merchant, with its banner on screen before the activation.
  const other = await context.newPage();
  const otherBanner = new BannerPart(other);
  await ShopPage.on(other, 'atelier-vendome', portal.port).openProduct(3);
  await otherBanner.expectText(VENDOME_OFFER);

  const page = await context.newPage();
  const hops = recordMainFrameRequests(page);
  const shop = ShopPage.on(page, 'atelier-vendome', portal.port);
  const banner = new BannerPart(page);
  // The fragment is never requested, but it is part of the page the shopper comes back to.
  const requested = shop.url('/produit/2?couleur=bleu&taille=M');
  const productUrl = `${requested}#avis`;
  await page.goto(productUrl);
  await banner.expectText(VENDOME_OFFER);

  await banner.activate();
  await banner.expectText(ACTIVATED);

  const click = await theOnlyClick(portal);
  expect(click).toMatchObject({ merchantId: 'atelier-vendome', url: productUrl, followCount: 1 });
  expect(click.followedAt).not.toBeNull();
  await expect(page).toHaveURL(`${requested}&rdclid=${click.id}#avis`);
  expect(hops).toEqual([
    requested,
    `${portal.url}/go/${click.id}`,
    `http://clic.reseau-demo.localhost:${portal.port}/clk?c=${click.id}`,
    `${requested}&rdclid=${click.id}`,
  ]);
  await otherBanner.expectText(ACTIVATED);

  // Activated for the session: nothing on the next page views, the cart included.
  await shop.openProduct(4);
  await banner.expectNone();
  await shop.addToCart();
  await banner.expectNone();

  const popup = new PopupPage(await context.newPage(), extensionId);
  await popup.open(await tabIdOf(serviceWorker, page));
  await expect(popup.offer).toContainText(
    `${ACTIVATED} — Vos achats chez Atelier Vendôme sont maintenant suivis.`,
  );
  await expect(popup.activateButton).toHaveCount(0);
  await popup.page.close();

  const order = await shop.payOrder();
  expect(order.tracked).toBe(true);
});

test('signed out, Activer opens the sign-in page; signing in completes the activation in the tab', async ({
  context,
  portal,
  serviceWorker,
  extensionId,
  extension: _ready,
}) => {
  const page = await context.newPage();
  const shop = ShopPage.on(page, 'atelier-vendome', portal.port);
  const banner = new BannerPart(page);
  const productUrl = shop.url('/produit/1?utm_source=lettre&ref=accueil');
  await page.goto(productUrl);
  await banner.expectText(VENDOME_OFFER);
  const tabId = await tabIdOf(serviceWorker, page);

  const signInOpens = context.waitForEvent('page');
  await banner.activate();
  const signInPage = await signInOpens;
  await expect(signInPage).toHaveURL(
    `chrome-extension://${extensionId}/popup.html?tabId=${tabId}&signin=1`,
  );
  await banner.expectText(
    'Connectez-vous à Ristourne pour activer votre cashback chez Atelier Vendôme.',
  );
  await banner.expectAction('Se connecter');
  expect(await recordedClicks(portal)).toEqual([]);
  expect(page.url()).toBe(productUrl);

  // The popup's own form (its offer panel also has a "Se connecter", which leads to it).
  const popup = new PopupPage(signInPage, extensionId);
  await expect(popup.emailField).toBeFocused();
  await popup.emailField.fill(DEMO_MEMBER.email);
  await popup.passwordField.fill(DEMO_MEMBER.password);
  await popup.signInButton.click();

  const click = await theOnlyClick(portal);
  expect(click).toMatchObject({ merchantId: 'atelier-vendome', url: productUrl });
  await expect(page).toHaveURL(`${productUrl}&rdclid=${click.id}`);
  await banner.expectText(ACTIVATED);
  // Its job done, the sign-in tab goes away.
  await expect.poll(() => signInPage.isClosed()).toBe(true);
});

test('with the portal down, the banner says it is unreachable, and Réessayer works once it is back', async ({
  context,
  portal,
  extension,
}) => {
  await signIn(extension);
  const page = await context.newPage();
  const shop = ShopPage.on(page, 'atelier-vendome', portal.port);
  const banner = new BannerPart(page);
  const productUrl = shop.url('/produit/5?taille=38');
  await page.goto(productUrl);
  await banner.expectText(VENDOME_OFFER);

  await portal.stop();
  await banner.activate();
  await banner.expectText(
    'Ristourne est injoignable pour le moment. Vérifiez votre connexion puis réessayez.',
  );
  await banner.expectAction('Réessayer');
  expect(page.url()).toBe(productUrl);

  await portal.start();
  await banner.activate();
  await banner.expectText(ACTIVATED);
  const click = await theOnlyClick(portal);
  expect(click).toMatchObject({ merchantId: 'atelier-vendome', url: productUrl });
  await expect(page).toHaveURL(`${productUrl}&rdclid=${click.id}`);
});

test('after a sign-out, the next member on the browser sees the offer and activates with their own click', async ({
  context,
  portal,
  serviceWorker,
  extensionId,
  extension,
}) => {
  await signIn(extension);
  const page = await context.newPage();
  const shop = ShopPage.on(page, 'atelier-vendome', portal.port);
  const banner = new BannerPart(page);
  await shop.openProduct(2);
  await banner.activate();
  await banner.expectText(ACTIVATED);
  const first = await theOnlyClick(portal);

  const popup = new PopupPage(await context.newPage(), extensionId);
  await popup.open(await tabIdOf(serviceWorker, page));
  await expect(popup.activationStatus).toContainText(ACTIVATED);
  await expect(popup.activateButton).toHaveCount(0);
  await popup.signOut();
  // The banner on screen offers again at once: the activation left with the member.
  await banner.expectText(VENDOME_OFFER);
  await banner.expectAction('Activer');

  const second = { email: 'alex@ristourne.test', password: 'un-autre-secret' };
  const { user } = await portal.admin<{ user: { id: string } }>('/members', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...second, displayName: 'Alex Durand' }),
  });
  await popup.signIn(second.email, second.password);
  await popup.open(await tabIdOf(serviceWorker, page));
  await expect(popup.activateButton).toHaveText('Activer le cashback');
  await popup.page.close();

  // A new page of the merchant: the banner offers, and the click is the new member's own.
  await shop.openProduct(3);
  await banner.expectText(VENDOME_OFFER);
  await banner.activate();
  await banner.expectText(ACTIVATED);
  await expect.poll(async () => (await recordedClicks(portal)).length).toBe(2);
  const clicks = await recordedClicks(portal);
  expect(clicks.find((click) => click.id !== first.id)).toMatchObject({
    memberId: user.id,
    merchantId: 'atelier-vendome',
  });
});
