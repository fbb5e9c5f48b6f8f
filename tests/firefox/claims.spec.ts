/**
 * A lost sale in Firefox (issue 13, docs/claims.md), as in Chromium's tests/e2e/claims.spec.ts:
 * the member activates with the banner, pays while the network drops the postback, and the
 * confirmation page is noticed; two days later (the portal's and the event page's clocks moved
 * ahead: docs/testing.md "Moving the clock") the popup offers "Réclamer"; the claim,
 * double-clicked, is filed once; the admin accepts it and the popup shows the cashback pending.
 */
import { HOUR_MS } from '../../scripts/harness/clock';
import type { Faults } from '../../portal/admin/faults';
import { ADMIN_KEY, DEMO_MEMBER, expect, openTab, test, type PortalHandle } from './fixtures';
import { FirefoxAdmin, FirefoxBanner, FirefoxPopup, FirefoxShop } from './pages';

/** A shop that reports its sales within 48 h (portal/demo/demo-order-terms.ts). */
const SHOP = { slug: 'atelier-vendome', name: 'Atelier Vendôme', trackingDelayHours: 48 };
/** The demo member's pending cashback at seed (portal/demo/seed.ts). */
const DEMO_PENDING = 904;

// The moved clock lives in the event page: it must not be suspended during the test.
test.use({ firefoxPrefs: { 'extensions.background.idle.timeout': 10 * 60_000 } });

interface AdminClaim {
  id: string;
  clickId: string;
  orderRef: string;
  orderAmount: number;
  status: string;
  transactionId?: string;
}

/** The French amount ("9,04 €"), whichever no-break space the ICU in use writes. */
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

test('a lost sale: claimed once from the popup, accepted by the admin, shown pending', async ({
  firefox,
  portal,
  extension,
}) => {
  await setFaults(portal, { postbacks: 'drop' });
  const popup = await FirefoxPopup.open(extension);
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  await expect.poll(() => popup.pending.rawText()).toMatch(euros(DEMO_PENDING));

  const tab = await openTab(firefox, portal.shopUrl(SHOP.slug, '/produit/1'));
  const shop = new FirefoxShop(tab, new URL(portal.shopUrl(SHOP.slug)).origin);
  await new FirefoxBanner(tab).activate();
  await tab.waitForURL(/\/produit\/1\?rdclid=[^&]+$/);
  const clickId = new URL(tab.url()).searchParams.get('rdclid')!;
  await shop.addToCart();
  const paid = await shop.payOrder();
  expect(paid.tracked).toBe(false);
  const orderRef = /\/confirmation\/(CMD-[\w-]+)$/.exec(tab.url())?.[1];
  expect(orderRef).toBeTruthy();
  const amount = /(\d+(?:[\u00a0\u202f ]\d{3})*,\d\d)/.exec(paid.amount)?.[1]?.replace(/\s/g, '');
  expect(amount).toBeTruthy();
  const tabId = await extension.tabIdOf(tab);

  // The confirmation page was noticed: the cashback is expected.
  await popup.reopen(tabId);
  await expect
    .poll(() => popup.orderStatuses.allTexts())
    .toEqual([expect.stringMatching(/^Cashback attendu d'ici le /)]);
  expect(await popup.orders.text()).toContain(`Commande ${orderRef}`);
  expect(await popup.claimButtons.count()).toBe(0);

  // Two days and an hour later, still nothing: the popup offers to claim it.
  const later = (SHOP.trackingDelayHours + 1) * HOUR_MS;
  portal.advanceClock(later);
  await extension.advanceBackgroundClock(later);
  await popup.reopen(tabId);
  await expect
    .poll(() => popup.orderStatuses.allTexts())
    .toEqual([expect.stringMatching(/^Cashback manquant depuis le /)]);
  await popup.claimButtons.click();
  await expect.poll(() => popup.claimField('Référence de commande').inputValue()).toBe(orderRef);
  expect(await popup.claimField('Montant payé').inputValue()).toBe(amount);
  expect(await popup.claimForm.text()).toContain(clickId);
  await popup.claimSendButton.dblclick();
  await expect
    .poll(() => popup.claims.allTexts())
    .toEqual([expect.stringContaining('Réclamation envoyée')]);
  expect(await popup.claimForm.count()).toBe(0);
  const filed = await claimsOnPortal(portal);
  expect(filed).toHaveLength(1);
  expect(filed[0]).toMatchObject({ clickId, orderRef, status: 'submitted' });

  // The admin accepts it in the back office.
  const admin = new FirefoxAdmin(await firefox.newTab(), portal.url);
  await admin.open('/admin/reclamations', ADMIN_KEY);
  await admin.claimRow(0).getByRole('button', { name: 'Accepter' }).click();
  await expect.poll(() => admin.claimRow(0).getByTestId('status').text()).toBe('acceptée');
  const [accepted] = await claimsOnPortal(portal);
  const { transactions } = await portal.admin<{ transactions: { id: string; cashback: number }[] }>(
    '/transactions',
  );
  const cashback = transactions.find((t) => t.id === accepted!.transactionId)?.cashback ?? 0;
  expect(cashback).toBeGreaterThan(0);

  await popup.reopen(tabId);
  await expect
    .poll(() => popup.orderStatuses.allTexts())
    .toEqual(['Acceptée : cashback en attente']);
  await expect.poll(() => popup.pending.rawText()).toMatch(euros(DEMO_PENDING + cashback));
  expect(await popup.transaction(0).merchant.text()).toBe(SHOP.name);
  expect(await popup.transaction(0).status.text()).toBe('En attente');
});

test('a single-page shop that draws its confirmation without loading a page: the order is seen', async ({
  firefox,
  portal,
  extension,
}) => {
  // Bijoux Céleste pays by a request of its own and changes its address by the History API
  // (portal/demo/order-pages.ts): the checkout's document, banner and all, shows the confirmation.
  const popup = await FirefoxPopup.open(extension);
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  await expect.poll(() => popup.pending.rawText()).toMatch(euros(DEMO_PENDING));
  const tab = await openTab(firefox, portal.shopUrl('bijoux-celeste', '/produit/1'));
  const shop = new FirefoxShop(tab, new URL(portal.shopUrl('bijoux-celeste')).origin);
  await shop.addToCart();
  await shop.goto('/commande');
  await new FirefoxBanner(tab).activate();
  await tab.waitForURL(/\/commande\?rdclid=[^&]+$/);
  await tab.waitForLoad();
  const clickId = new URL(tab.url()).searchParams.get('rdclid')!;
  await tab.evaluate(() => Object.assign(window, { checkoutDocument: true }));
  await shop.payButton.click();
  await expect.poll(() => shop.cashbackStatus.count()).toBe(1);
  const href = await tab.href();
  expect(href).toMatch(/\/commande\/confirmee\/CMD-[\w-]+$/);
  expect(await tab.evaluate(() => 'checkoutDocument' in window)).toBe(true);
  const orderRef = /\/(CMD-[\w-]+)$/.exec(href)![1]!;

  await expect
    .poll(async () => (await extension.call('orders:list')).map((o) => [o.clickId, o.orderRef]))
    .toEqual([[clickId, orderRef]]);
  await popup.reopen(await extension.tabIdOf(tab));
  await expect.poll(() => popup.orders.text()).toContain(`Commande ${orderRef}`);
});
