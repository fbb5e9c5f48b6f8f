/**
 * The toolbar popup against the reference portal: sign-in, the cagnotte in French, activation
 * for a given tab, the figures painted from cache while the portal is down, and sign-out.
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import type { AccountView } from '../../utils/protocol/messages';
import { badgeText, tabIdOf } from '../../scripts/harness/browser-state';
import { DEMO_MEMBER, expect, test, type ExtensionHandle, type PortalHandle } from './fixtures';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { PopupPage } from '../../scripts/harness/pages/popup';
import { ShopPage } from '../../scripts/harness/pages/shop';

declare const chrome: {
  storage: { local: { get(keys: string | null): Promise<Record<string, unknown>> } };
};

interface AdminClick {
  id: string;
  merchantId: string;
  url: string;
  followedAt: string | null;
}

interface AdminTransaction {
  id: string;
  merchantId: string;
  clickId: string | null;
  cashback: number;
  status: string;
}

const EUR = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

/**
 * The French amount as Intl writes it ("9,04 €", "1 234,50 €"), as a pattern that takes either
 * no-break space (U+00A0 or U+202F: it depends on the ICU version) but never a plain space.
 * (Playwright matches a RegExp against the raw text; it would turn a no-break space in a string
 * into a plain one.)
 */
function eurosPattern(minor: number): string {
  const text = EUR.format(minor / 100);
  expect(text).toMatch(/^\d{1,3}([\u00a0\u202f]\d{3})*,\d\d[\u00a0\u202f]€$/);
  return text.replace(/[\u00a0\u202f]/g, '[\\u00a0\\u202f]');
}

/** Exactly the amount, e.g. a total. */
const euros = (minor: number) => new RegExp(`^${eurosPattern(minor)}$`);

/** The account as the background tells any extension page. */
async function accountView(extension: ExtensionHandle): Promise<AccountView> {
  return await extension.call('account:get');
}

/**
 * What the background keeps of the session (the token among it), in the extension's IndexedDB
 * (utils/account/store.ts), read with the plain IndexedDB API from the worker.
 */
function storedAccount(worker: Worker): Promise<unknown> {
  return worker.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('ristourne');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('account')) return resolve(null);
          const read = db.transaction('account').objectStore('account').get('member');
          read.onsuccess = () =>
            resolve((read.result as { account?: unknown } | undefined)?.account ?? null);
          read.onerror = () => reject(read.error);
        };
      }),
  );
}

/** Everything personal the extension stores: the session's record and `storage.local`. */
async function everythingStored(worker: Worker): Promise<string> {
  const local = await worker.evaluate(async () =>
    JSON.stringify(await chrome.storage.local.get(null)),
  );
  return `${local}${JSON.stringify(await storedAccount(worker))}`;
}

async function openPopup(context: BrowserContext, extensionId: string, tabId?: number) {
  const popup = new PopupPage(await context.newPage(), extensionId);
  await popup.open(tabId);
  return popup;
}

async function signInAsDemo(popup: PopupPage): Promise<void> {
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  await expect(popup.pending).toHaveText(euros(904));
}

/** A merchant's page in its own tab, and that tab's id for the popup. */
async function merchantTab(
  context: BrowserContext,
  worker: Worker,
  portal: PortalHandle,
  slug: string,
  path = '/produit/1',
): Promise<{ page: Page; shop: ShopPage; tabId: number }> {
  const page = await context.newPage();
  const shop = ShopPage.on(page, slug, portal.port);
  await shop.goto(path);
  await page.waitForLoadState('load');
  return { page, shop, tabId: await tabIdOf(worker, page) };
}

test('a wrong password shows a clear error and stores nothing', async ({
  context,
  extensionId,
  serviceWorker,
  extension,
}) => {
  const popup = await openPopup(context, extensionId);
  await popup.signIn(DEMO_MEMBER.email, 'pas-le-bon-mot-de-passe');

  await expect(popup.signInError).toHaveText('Adresse e-mail ou mot de passe incorrect.');
  await expect(popup.signInButton).toHaveText('Se connecter');
  await expect(popup.pending).toHaveCount(0);
  expect(await accountView(extension)).toEqual({ signedIn: false });
  expect(await storedAccount(serviceWorker)).toBeNull();

  await popup.open();
  await expect(popup.emailField).toBeVisible();
  await expect(popup.signInError).toHaveCount(0);
  await expect(popup.cagnotte).toHaveCount(0);
});

test('signing in while the portal is down says it is unreachable', async ({
  context,
  extensionId,
  portal,
  serviceWorker,
  extension,
}) => {
  const popup = await openPopup(context, extensionId);
  await portal.stop();
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);

  await expect(popup.signInError).toHaveText(
    'Ristourne est injoignable pour le moment. Vérifiez votre connexion puis réessayez.',
  );
  expect(await accountView(extension)).toEqual({ signedIn: false });
  expect(await storedAccount(serviceWorker)).toBeNull();
});

test('signing in shows the cagnotte in French: totals, payout, latest transactions', async ({
  context,
  extensionId,
  serviceWorker,
  extension,
}) => {
  const popup = await openPopup(context, extensionId);
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);

  await expect(popup.pending).toHaveText(euros(904));
  await expect(popup.confirmed).toHaveText(euros(4295));
  await expect(popup.paid).toHaveText(euros(4643));
  // 42,95 € confirmed is over the 10,00 € threshold.
  await expect(popup.payout).toHaveText('Vous pouvez retirer votre cashback confirmé.');
  await expect(popup.cagnotte).toContainText(/Mis à jour (maintenant|à l’instant|à l'instant)/);
  await expect(popup.cagnotte).toContainText('Connecté en tant que Camille Martin');

  // The five most recent of the eight, each with its amount and status.
  await expect(popup.transactions).toHaveCount(5);
  const expected: [string, number, string][] = [
    ['Numéria', 325, 'En attente'],
    ['Atelier Vendôme', 579, 'En attente'],
    ['Belle de Jour', 496, 'Annulé'],
    ['Hôtel des Cimes', 2000, 'Confirmé'],
    ['La Grange aux Meubles', 2295, 'Confirmé'],
  ];
  for (const [index, [merchant, cashback, status]] of expected.entries()) {
    const row = popup.transaction(index);
    await expect(row.merchant).toHaveText(merchant);
    await expect(row.amount).toHaveText(euros(cashback));
    await expect(row.status).toHaveText(status);
  }

  expect(await accountView(extension)).toMatchObject({
    signedIn: true,
    user: { email: DEMO_MEMBER.email, displayName: 'Camille Martin' },
  });
  expect(await storedAccount(serviceWorker)).toMatchObject({ token: expect.any(String) });
});

test('a member below the payout threshold sees how much is missing', async ({
  context,
  extensionId,
  portal,
  extension: _ready,
}) => {
  const member = { email: 'nouveau@ristourne.test', password: 'un-mot-de-passe' };
  await portal.admin('/members', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...member, displayName: 'Noé Petit' }),
  });
  const popup = await openPopup(context, extensionId);
  await popup.signIn(member.email, member.password);

  await expect(popup.pending).toHaveText(euros(0));
  await expect(popup.confirmed).toHaveText(euros(0));
  await expect(popup.paid).toHaveText(euros(0));
  await expect(popup.payout).toHaveText(
    new RegExp(`^Encore ${eurosPattern(1000)} avant de pouvoir retirer$`),
  );
  await expect(popup.cagnotte).toContainText("Pas encore d'opération");
});

test('the popup activates the cashback for the merchant tab it was opened for', async ({
  context,
  extensionId,
  portal,
  serviceWorker,
  extension: _ready,
}) => {
  const merchant = await merchantTab(context, serviceWorker, portal, 'atelier-vendome');
  const popup = await openPopup(context, extensionId, merchant.tabId);
  await expect(popup.offer).toContainText('Atelier Vendôme');
  await expect(popup.offer).toContainText(/Jusqu'à 6,5[\u00a0\u202f]% de cashback/);
  await signInAsDemo(popup);

  await popup.activateButton.click();

  await expect(merchant.page).toHaveURL(/\/produit\/1\?rdclid=[^&]+$/);
  await expect(popup.activationStatus).toHaveText(
    'Cashback activé — Vos achats chez Atelier Vendôme sont maintenant suivis.',
  );
  await expect(popup.activateButton).toHaveCount(0);
  const clickId = new URL(merchant.page.url()).searchParams.get('rdclid');
  const { clicks } = await portal.admin<{ clicks: AdminClick[] }>('/clicks');
  expect(clicks).toHaveLength(1);
  expect(clicks[0]).toMatchObject({
    id: clickId,
    merchantId: 'atelier-vendome',
    url: portal.shopUrl('atelier-vendome', '/produit/1'),
    followedAt: expect.any(String),
  });
});

test('on a merchant that forbids prompts, the popup still offers activation', async ({
  context,
  extensionId,
  portal,
  serviceWorker,
  extension: _ready,
}) => {
  const merchant = await merchantTab(context, serviceWorker, portal, 'voltaire-electro', '/');
  await expect.poll(() => badgeText(serviceWorker, merchant.page)).toBe('15€');
  await merchant.page.waitForTimeout(500);
  expect(await new BannerPart(merchant.page).snapshot()).toBeNull();

  const popup = await openPopup(context, extensionId, merchant.tabId);
  await expect(popup.offer).toContainText('Voltaire Électro');
  await expect(popup.offer).toContainText(/15,00[\u00a0\u202f]€ de cashback/);
  await expect(popup.activateButton).toHaveText('Activer le cashback');
  await signInAsDemo(popup);

  await popup.activateButton.click();
  await expect(merchant.page).toHaveURL(/\?rdclid=[^&]+$/);
  const { clicks } = await portal.admin<{ clicks: AdminClick[] }>('/clicks');
  expect(clicks.map((click) => click.merchantId)).toEqual(['voltaire-electro']);
});

test('after a visit from another partner or on a muted site, the popup explains and offers activation', async ({
  context,
  extensionId,
  portal,
  serviceWorker,
  extension: _ready,
}) => {
  // Another cashback portal sent the member: the extension stands down on the page itself.
  const page = await context.newPage();
  const target = portal.shopUrl('numeria', '/produit/2');
  await page.goto(`http://www.igraal.com/?to=${encodeURIComponent(target)}`);
  await page.getByTestId('competitor-link').click();
  await expect(page).toHaveURL(target);
  await page.waitForTimeout(500);
  expect(await new BannerPart(page).snapshot()).toBeNull();

  const popup = await openPopup(context, extensionId, await tabIdOf(serviceWorker, page));
  await expect(popup.offer).toContainText('Numéria');
  await expect(popup.offer).toContainText(
    "Cette visite vient déjà d'un site partenaire ; vous pouvez tout de même activer votre cashback Ristourne.",
  );
  await expect(popup.activateButton).toHaveText('Activer le cashback');

  // A site the member muted from the banner.
  const muted = await merchantTab(context, serviceWorker, portal, 'lumen-deco');
  const banner = new BannerPart(muted.page);
  await banner.mute();
  await banner.expectGone();
  await popup.open(muted.tabId);
  await expect(popup.offer).toContainText('Lumen Déco');
  await expect(popup.offer).toContainText(
    'Vous avez masqué le bandeau sur ce site, mais le cashback reste disponible ici.',
  );
  await expect(popup.offer).not.toContainText("Cette visite vient déjà d'un site partenaire");
  await expect(popup.activateButton).toHaveText('Activer le cashback');
});

test('on a site that is not a merchant, the popup says so and searches the merchants', async ({
  context,
  extensionId,
  portal,
  serviceWorker,
  extension: _ready,
}) => {
  const page = await context.newPage();
  await page.goto(`${portal.url}/aide`);
  const popup = await openPopup(context, extensionId, await tabIdOf(serviceWorker, page));

  await expect(popup.offer).toContainText(
    'localhost ne fait pas partie des marchands partenaires de Ristourne.',
  );
  await expect(popup.activateButton).toHaveCount(0);

  // Lowercase and without accents: "Atelier Vendôme", "Épicerie Margaux".
  await popup.search('vendome');
  await expect(popup.searchResults).toHaveCount(1);
  await expect(popup.searchResults).toContainText('Atelier Vendôme');
  await expect(popup.searchResults).toContainText(/Jusqu'à 6,5[\u00a0\u202f]% de cashback/);

  await popup.search('epicerie');
  await expect(popup.searchResults.first()).toContainText('Épicerie Margaux');

  await popup.search('zzzz');
  await expect(popup.searchResults).toHaveCount(0);
  await expect(popup.offer).toContainText(/Aucun marchand partenaire ne correspond à « zzzz »/);
});

test('the popup paints the last known figures while the portal is down', async ({
  context,
  extensionId,
  portal,
  extension: _ready,
}) => {
  const popup = await openPopup(context, extensionId);
  await signInAsDemo(popup);
  await expect(popup.cagnotte).not.toContainText('injoignable');

  await portal.stop();
  await popup.open();

  await expect(popup.cagnotte).toContainText(
    'Ristourne est injoignable : voici vos derniers chiffres connus.',
  );
  await expect(popup.pending).toHaveText(euros(904));
  await expect(popup.confirmed).toHaveText(euros(4295));
  await expect(popup.paid).toHaveText(euros(4643));
  await expect(popup.transactions).toHaveCount(5);
  await expect(popup.signInForm).toHaveCount(0);
});

test('the figures move when an order is paid, then confirmed', async ({
  context,
  extensionId,
  portal,
  serviceWorker,
  extension: _ready,
}) => {
  const merchant = await merchantTab(context, serviceWorker, portal, 'atelier-vendome');
  const popup = await openPopup(context, extensionId, merchant.tabId);
  await signInAsDemo(popup);
  await popup.activateButton.click();
  await expect(merchant.page).toHaveURL(/rdclid=/);
  const clickId = new URL(merchant.page.url()).searchParams.get('rdclid');

  await merchant.shop.addToCart();
  expect((await merchant.shop.payOrder()).tracked).toBe(true);
  const { transactions } = await portal.admin<{ transactions: AdminTransaction[] }>(
    '/transactions',
  );
  const order = transactions.find((transaction) => transaction.clickId === clickId);
  expect(order).toMatchObject({ merchantId: 'atelier-vendome', status: 'pending' });
  const cashback = order!.cashback;
  expect(cashback).toBeGreaterThan(0);

  await popup.open(merchant.tabId);
  await expect(popup.pending).toHaveText(euros(904 + cashback));
  await expect(popup.confirmed).toHaveText(euros(4295));
  const latest = popup.transaction(0);
  await expect(latest.merchant).toHaveText('Atelier Vendôme');
  await expect(latest.amount).toHaveText(euros(cashback));
  await expect(latest.status).toHaveText('En attente');
  // The confirmation page was noticed after the activation, and its sale arrived: tracked.
  await expect(popup.orderStatuses).toHaveText(['Suivi ✓']);

  await portal.admin(`/transactions/${order!.id}/confirm`, { method: 'POST' });
  await popup.open(merchant.tabId);
  await expect(popup.confirmed).toHaveText(euros(4295 + cashback));
  await expect(popup.pending).toHaveText(euros(904));
  await expect(latest.status).toHaveText('Confirmé');
});

test('signing out forgets the session and every figure', async ({
  context,
  extensionId,
  serviceWorker,
  extension,
}) => {
  const popup = await openPopup(context, extensionId);
  await signInAsDemo(popup);

  await popup.signOut();
  await expect(popup.emailField).toBeVisible();
  await expect(popup.pending).toHaveCount(0);
  await expect(popup.cagnotte).toHaveCount(0);

  await popup.open();
  await expect(popup.emailField).toBeVisible();
  await expect(popup.page.getByText(euros(904))).toHaveCount(0);
  await expect(popup.cagnotte).toHaveCount(0);
  expect(await accountView(extension)).toEqual({ signedIn: false });
  expect(await storedAccount(serviceWorker)).toBeNull();
  const stored = await everythingStored(serviceWorker);
  expect(stored).not.toContain('Camille');
  expect(stored).not.toContain(DEMO_MEMBER.email);
});

test('a session the portal revoked ends in the signed-out popup', async ({
  context,
  extensionId,
  portal,
  serviceWorker,
  extension,
}) => {
  const popup = await openPopup(context, extensionId);
  await signInAsDemo(popup);
  // Revoked elsewhere (signed out on the portal's site, say): the next refresh gets a 401.
  const { token } = (await storedAccount(serviceWorker)) as { token: string };
  const logout = await fetch(`${portal.url}/api/v1/auth/logout`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(logout.status).toBe(204);

  await popup.open();
  await expect(popup.emailField).toBeVisible();
  await expect(popup.cagnotte).toHaveCount(0);
  expect(await accountView(extension)).toEqual({ signedIn: false });
  expect(await storedAccount(serviceWorker)).toBeNull();
});
