/**
 * After the purchase, when the network loses the sale (issue 13, docs/claims.md): the member
 * activates on a demo shop, pays while the network drops the postback, the confirmation page is
 * noticed; two days later (past the merchant's tracking delay, the clocks moved ahead: docs/
 * testing.md "Moving the clock") the popup says the cashback is missing and offers "Réclamer";
 * the claim, double-clicked, is filed once; the admin accepts it and the popup shows the cashback
 * pending. The next member signed in on the browser sees none of it; nor does a portal of Portal
 * API 1.0 (no order terms, no claims routes).
 */
import type { Page, Worker } from '@playwright/test';
import { ADMIN_KEY, DEMO_MEMBER, expect, test, type PortalHandle } from './fixtures';
import { tabIdOf } from '../../scripts/harness/browser-state';
import { advanceWorkerClock, HOUR_MS } from '../../scripts/harness/clock';
import { AdminPage } from '../../scripts/harness/pages/admin';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { PopupPage } from '../../scripts/harness/pages/popup';
import { ShopPage } from '../../scripts/harness/pages/shop';
import type { Faults } from '../../portal/admin/faults';
import {
  CAGNOTTE_CHECK_ALARM,
  MISSING_ORDER_NOTIFICATION_PREFIX,
} from '../../utils/account/notifications';

/** A shop that reports its sales within 48 h (portal/demo/demo-order-terms.ts). */
const SHOP = { slug: 'atelier-vendome', name: 'Atelier Vendôme', trackingDelayHours: 48 };
/** The demo member's pending cashback at seed (portal/demo/seed.ts). */
const DEMO_PENDING = 904;

interface AdminClaim {
  id: string;
  merchantId: string;
  clickId: string;
  orderRef: string;
  orderAmount: number;
  status: string;
  transactionId?: string;
}

interface AdminTransaction {
  id: string;
  merchantId: string;
  clickId: string | null;
  orderRef: string | null;
  cashback: number;
  status: string;
}

/** The French amount as Intl writes it, whichever no-break space ICU uses. */
function euros(minor: number): RegExp {
  const text = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(
    minor / 100,
  );
  return new RegExp(`^${text.replace(/[\u00a0\u202f]/g, '[\\u00a0\\u202f]')}$`);
}

async function setFaults(portal: PortalHandle, faults: Partial<Faults>): Promise<void> {
  await portal.admin('/faults', {
    method: 'PUT',
    body: JSON.stringify({ api: null, ...faults }),
    headers: { 'Content-Type': 'application/json' },
  });
}

const claimsOnPortal = async (portal: PortalHandle) =>
  (await portal.admin<{ claims: AdminClaim[] }>('/claims')).claims;

const transactionsOnPortal = async (portal: PortalHandle) =>
  (await portal.admin<{ transactions: AdminTransaction[] }>('/transactions')).transactions;

declare const chrome: {
  alarms: { create(name: string, info: { when: number }): Promise<void> };
  notifications: { getAll(): Promise<Record<string, boolean>> };
};

/**
 * Fires the background's cagnotte check (its own alarm, as if its 3-hour period had elapsed: an
 * unpacked extension's alarm may fire at once) and returns the ids of the "missing cashback"
 * notifications Chrome shows once it has run.
 */
async function missingOrderNotificationsAfterCheck(worker: Worker): Promise<string[]> {
  return worker.evaluate(
    async ({ alarm, prefix }) => {
      // The browser's time, not the realm's moved clock: `Date` runs days ahead here.
      await chrome.alarms.create(alarm, { when: performance.timeOrigin + performance.now() });
      const deadline = performance.now() + 10_000;
      for (;;) {
        const shown = Object.keys(await chrome.notifications.getAll());
        const ids = shown.filter((id) => id.startsWith(prefix));
        if (ids.length > 0 || performance.now() > deadline) return ids;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    { alarm: CAGNOTTE_CHECK_ALARM, prefix: MISSING_ORDER_NOTIFICATION_PREFIX },
  );
}

/** The demo member signs in from the popup, which shows their seeded figures. */
async function signInDemoMember(popup: PopupPage): Promise<void> {
  await popup.open();
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  await expect(popup.pending).toHaveText(euros(DEMO_PENDING));
}

/**
 * Signed in from the popup, the member activates on the shop's product page with the banner,
 * then buys: the confirmation page's URL, order number and amount as the page shows it.
 */
async function activateAndBuy(
  popup: PopupPage,
  shopPage: Page,
  portal: PortalHandle,
): Promise<{ clickId: string; orderRef: string; amount: string }> {
  await signInDemoMember(popup);

  const shop = ShopPage.on(shopPage, SHOP.slug, portal.port);
  await shop.openProduct(1);
  await new BannerPart(shopPage).activate();
  await expect(shopPage).toHaveURL(/\/produit\/1\?rdclid=[^&]+$/);
  const clickId = new URL(shopPage.url()).searchParams.get('rdclid')!;
  await shop.addToCart();
  const paid = await shop.payOrder();
  // The network dropped the sale: the shop has no word of a tracked cashback.
  expect(paid.tracked).toBe(false);
  const orderRef = /\/confirmation\/(CMD-[\w-]+)$/.exec(shopPage.url())?.[1];
  expect(orderRef).toBeTruthy();
  const amount = /(\d+(?:[\u00a0\u202f ]\d{3})*,\d\d)/.exec(paid.amount)?.[1];
  expect(amount).toBeTruthy();
  return { clickId, orderRef: orderRef!, amount: amount!.replace(/[\u00a0\u202f ]/g, '') };
}

test('a lost sale: the member is told, claims it once from the popup, the admin accepts, the popup shows it pending', async ({
  context,
  extensionId,
  portal,
  serviceWorker,
  extension: _ready,
}) => {
  await setFaults(portal, { postbacks: 'drop' });
  const popup = new PopupPage(await context.newPage(), extensionId);
  const shopPage = await context.newPage();
  const { clickId, orderRef, amount } = await activateAndBuy(popup, shopPage, portal);
  const tabId = await tabIdOf(serviceWorker, shopPage);

  // Nothing reached the portal, and the confirmation page was noticed: the cashback is expected.
  expect((await transactionsOnPortal(portal)).filter((t) => t.clickId === clickId)).toEqual([]);
  await popup.open(tabId);
  await expect(popup.orders).toHaveCount(1);
  await expect(popup.orders).toContainText(SHOP.name);
  await expect(popup.orders).toContainText(`Commande ${orderRef}`);
  await expect(popup.orderStatuses).toHaveText([/^Cashback attendu d'ici le /]);
  await expect(popup.claimButtons).toHaveCount(0);

  // Two days and an hour later, still nothing: the member is told, and may claim.
  const later = (SHOP.trackingDelayHours + 1) * HOUR_MS;
  portal.advanceClock(later);
  await advanceWorkerClock(serviceWorker, later);
  // The worker's periodic cagnotte check finds the order missing: one notification for it.
  expect(await missingOrderNotificationsAfterCheck(serviceWorker)).toHaveLength(1);
  await popup.open(tabId);
  await expect(popup.orderStatuses).toHaveText([/^Cashback manquant depuis le /]);
  await expect(popup.claimButtons).toHaveCount(1);
  await popup.claimButtons.click();

  // Pre-filled from the confirmation page, with our click id.
  await expect(popup.claimField('Référence de commande')).toHaveValue(orderRef);
  await expect(popup.claimField('Montant payé')).toHaveValue(amount);
  await expect(popup.claimForm).toContainText(clickId);
  await expect(popup.claimForm).toContainText(SHOP.name);
  // A double click files one claim.
  await popup.claimSendButton.dblclick();
  await expect(popup.claimForm).toHaveCount(0);
  await expect(popup.claims).toHaveCount(1);
  await expect(popup.claims).toContainText('Réclamation envoyée');
  await expect(popup.orderStatuses).toHaveText(['Réclamation envoyée']);
  const filed = await claimsOnPortal(portal);
  expect(filed).toHaveLength(1);
  expect(filed[0]).toMatchObject({
    merchantId: SHOP.slug,
    clickId,
    orderRef,
    orderAmount: Number(amount.replace(',', '')),
    status: 'submitted',
  });

  // The admin accepts it in the back office: the pending cashback is created.
  const admin = new AdminPage(await context.newPage(), portal.url);
  await admin.open('/admin/reclamations', ADMIN_KEY);
  await expect(admin.claimRow(0)).toContainText(orderRef);
  await admin.claimRow(0).getByRole('button', { name: 'Accepter' }).click();
  await expect(admin.claimRow(0).getByTestId('status')).toHaveText('acceptée');
  const [accepted] = await claimsOnPortal(portal);
  const transaction = (await transactionsOnPortal(portal)).find(
    (t) => t.id === accepted!.transactionId,
  );
  expect(transaction).toMatchObject({ merchantId: SHOP.slug, orderRef, status: 'pending' });
  expect(transaction!.cashback).toBeGreaterThan(0);

  // The popup shows it pending: in the claims, on the order, in the figures.
  await popup.open(tabId);
  await expect(popup.claims).toHaveText([/Acceptée : cashback en attente/]);
  await expect(popup.orderStatuses).toHaveText(['Acceptée : cashback en attente']);
  await expect(popup.claimButtons).toHaveCount(0);
  await expect(popup.pending).toHaveText(euros(DEMO_PENDING + transaction!.cashback));
  const latest = popup.transaction(0);
  await expect(latest.merchant).toHaveText(SHOP.name);
  await expect(latest.amount).toHaveText(euros(transaction!.cashback));
  await expect(latest.status).toHaveText('En attente');
});

test('a single-page shop that draws its confirmation without loading a page: the order is seen', async ({
  context,
  extensionId,
  portal,
  serviceWorker,
  extension,
}) => {
  // Bijoux Céleste pays by a request of its own and changes its address by the History API
  // (portal/demo/order-pages.ts): the document that showed the checkout shows the confirmation.
  const shop = { slug: 'bijoux-celeste', name: 'Bijoux Céleste' };
  const popup = new PopupPage(await context.newPage(), extensionId);
  await signInDemoMember(popup);
  const shopPage = await context.newPage();
  const page = ShopPage.on(shopPage, shop.slug, portal.port);
  await page.openProduct(1);
  await page.addToCart();
  // Activated at the checkout, where the banner reminds most: it stays there, saying so.
  await page.goto('/commande');
  await new BannerPart(shopPage).activate();
  await expect(shopPage).toHaveURL(/\/commande\?rdclid=[^&]+$/);
  const clickId = new URL(shopPage.url()).searchParams.get('rdclid')!;
  await shopPage.evaluate(() => Object.assign(window, { checkoutDocument: true }));
  await page.payButton.click();
  await expect(shopPage).toHaveURL(/\/commande\/confirmee\/CMD-[\w-]+$/);
  await expect(page.cashbackStatus).toBeVisible();
  expect(await shopPage.evaluate(() => 'checkoutDocument' in window)).toBe(true);
  const orderRef = /\/(CMD-[\w-]+)$/.exec(shopPage.url())![1]!;

  await expect
    .poll(async () => (await extension.call('orders:list')).map((o) => [o.clickId, o.orderRef]))
    .toEqual([[clickId, orderRef]]);
  await popup.open(await tabIdOf(serviceWorker, shopPage));
  await expect(popup.orders).toHaveCount(1);
  await expect(popup.orders).toContainText(shop.name);
  await expect(popup.orders).toContainText(`Commande ${orderRef}`);
});

test('the next member on the browser sees none of the first one’s orders nor activations', async ({
  context,
  extensionId,
  portal,
  serviceWorker,
  extension,
}) => {
  await setFaults(portal, { postbacks: 'drop' });
  const popup = new PopupPage(await context.newPage(), extensionId);
  const shopPage = await context.newPage();
  await activateAndBuy(popup, shopPage, portal);
  const tabId = await tabIdOf(serviceWorker, shopPage);
  await popup.open(tabId);
  await expect(popup.orders).toHaveCount(1);

  await popup.signOut();
  const next = { email: 'voisin@ristourne.test', password: 'un-autre-mot-de-passe' };
  await portal.admin('/members', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...next, displayName: 'Sacha Voisin' }),
  });
  await popup.signIn(next.email, next.password);
  await expect(popup.cagnotte).toContainText('Connecté en tant que Sacha Voisin');
  expect(await extension.call('orders:list')).toEqual([]);
  expect(await extension.call('history:activations')).toEqual([]);
  expect(await extension.call('claims:list')).toEqual([]);

  // Two days later, the first member's lost sale is nothing the next one can claim.
  const later = (SHOP.trackingDelayHours + 1) * HOUR_MS;
  portal.advanceClock(later);
  await advanceWorkerClock(serviceWorker, later);
  await popup.open(tabId);
  await expect(popup.cagnotte).toContainText("Pas encore d'opération");
  expect(await extension.call('orders:list')).toEqual([]);
  await expect(popup.orders).toHaveCount(0);
  await expect(popup.claimButtons).toHaveCount(0);
});

test.describe('against a portal of Portal API 1.0', () => {
  // The portal plays 1.0 before the extension first syncs: its list gives no order terms.
  test.use({
    portal: async ({ portal }, use) => {
      await setFaults(portal, { legacyPortal: true, postbacks: 'drop' });
      await use(portal);
    },
  });

  test('a lost sale shows no orders, no claims and no error', async ({
    context,
    extensionId,
    portal,
    serviceWorker,
    extension,
  }) => {
    const popup = new PopupPage(await context.newPage(), extensionId);
    const shopPage = await context.newPage();
    const { clickId } = await activateAndBuy(popup, shopPage, portal);
    const tabId = await tabIdOf(serviceWorker, shopPage);

    const later = (SHOP.trackingDelayHours + 1) * HOUR_MS;
    portal.advanceClock(later);
    await advanceWorkerClock(serviceWorker, later);
    // The background follows no order there and lists no claims (the portal answers 404)…
    expect(await extension.call('orders:list')).toEqual([]);
    expect(await extension.call('claims:list')).toBeNull();
    // …and keeps the activation in the member's history: it is local.
    const history = await extension.call('history:activations');
    expect(history.map((entry) => entry.clickId)).toEqual([clickId]);
    // So the popup is as before: the figures, no orders, no claims, no error.
    await popup.open(tabId);
    await expect(popup.pending).toHaveText(euros(DEMO_PENDING));
    await expect(popup.transactions).toHaveCount(5);
    await expect(popup.page.getByRole('heading', { name: 'Mes commandes' })).toHaveCount(0);
    await expect(popup.page.getByRole('heading', { name: 'Mes réclamations' })).toHaveCount(0);
    await expect(popup.orders).toHaveCount(0);
    await expect(popup.claimButtons).toHaveCount(0);
    await expect(popup.page.getByRole('alert')).toHaveCount(0);
  });
});
