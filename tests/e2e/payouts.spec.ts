/**
 * Withdrawing the cagnotte from the popup against the reference portal (issue 14): a transfer
 * the admin pays, a voucher and its code, a donation that reaches the charity's total, and a
 * double-clicked "Confirmer" that makes one payout; and a premium member's own rate.
 */
import type { Page } from '@playwright/test';
import { ADMIN_KEY, DEMO_MEMBER, expect, test, type PortalHandle } from './fixtures';
import { PREMIUM_MEMBER } from '../../portal/demo/seed';
import { badgeText, tabIdOf } from '../../scripts/harness/browser-state';
import { AdminPage } from '../../scripts/harness/pages/admin';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { ShopPage } from '../../scripts/harness/pages/shop';
import { PopupPage } from '../../scripts/harness/pages/popup';

interface AdminPayout {
  id: string;
  method: string;
  amount: number;
  fee: number;
  status: string;
  voucher?: { code?: string };
}

/** The French amount as Intl writes it, whichever no-break space ICU uses. */
function euros(minor: number): RegExp {
  const text = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(
    minor / 100,
  );
  return new RegExp(text.replace(/[\u00a0\u202f]/g, '[\\u00a0\\u202f]'));
}

/** The demo member's confirmed cashback at seed (portal/demo/seed.ts). */
const DEMO_CONFIRMED = 4295;
/** What the demo member was paid before (portal/demo/seed.ts). */
const DEMO_PAID = 4643;
/** A transfer's fee (portal/demo/payout-catalogue.ts). */
const TRANSFER_FEE = 50;

async function signedInPopup(page: Page, extensionId: string): Promise<PopupPage> {
  const popup = new PopupPage(page, extensionId);
  await popup.open();
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  await expect(popup.confirmed).toHaveText(euros(DEMO_CONFIRMED));
  return popup;
}

async function payouts(portal: PortalHandle): Promise<AdminPayout[]> {
  return (await portal.admin<{ payouts: AdminPayout[] }>('/payouts')).payouts;
}

test('withdraws by transfer; the admin pays it; the popup shows it paid and the balance moved', async ({
  context,
  extension,
  portal,
}) => {
  const popup = await signedInPopup(await context.newPage(), extension.extensionId);
  await expect(popup.paid).toHaveText(euros(DEMO_PAID));
  await popup.withdrawButton.click();
  await expect(popup.payouts.getByTestId('withdraw-account')).toHaveText(
    'Vers votre compte FR76 •••• 0189',
  );
  await popup.continueButton.click();
  const amount = DEMO_CONFIRMED - TRANSFER_FEE;
  await expect(popup.withdrawConfirmation).toContainText(euros(amount));
  await expect(popup.withdrawConfirmation).toContainText('FR76 •••• 0189');
  await expect(popup.withdrawConfirmation).toContainText(euros(TRANSFER_FEE));
  await popup.confirmButton.click();
  await expect(popup.withdrawDone).toContainText('Virement demandé');
  await expect(popup.payoutRows.first()).toContainText('Demandé');
  await expect(popup.confirmed).toHaveText(euros(0));

  const admin = new AdminPage(await context.newPage(), portal.url);
  await admin.open('/admin', ADMIN_KEY);
  await admin.payoutRow(0).getByRole('button', { name: 'Payer' }).click();
  await expect(admin.payoutRow(0).getByTestId('status')).toHaveText('paid');

  await popup.page.reload();
  await expect(popup.payoutRows.first()).toContainText('Payé');
  await expect(popup.payoutRows.first()).toContainText(euros(amount));
  await expect(popup.confirmed).toHaveText(euros(0));
  // Paid: what it was, and the whole payout with its fee.
  await expect(popup.paid).toContainText(euros(DEMO_PAID + DEMO_CONFIRMED));
  // Below the threshold now: the popup says how much is missing, and offers no withdrawal.
  await expect(popup.payout).toContainText('avant de pouvoir retirer');
  await expect(popup.withdrawButton).toHaveCount(0);
});

test('a voucher, once paid, shows its code with a copy button', async ({
  context,
  extension,
  portal,
}) => {
  const popup = await signedInPopup(await context.newPage(), extension.extensionId);
  await popup.withdrawButton.click();
  await popup.withdrawMethod('Bon d’achat').click();
  await popup.continueButton.click();
  await expect(popup.withdrawConfirmation).toContainText('Bon d’achat Le Grand Bazar');
  await popup.confirmButton.click();
  await expect(popup.withdrawDone).toContainText('Bon d’achat demandé');

  const [payout] = await payouts(portal);
  const paid = await portal.admin<{ payout: AdminPayout }>(`/payouts/${payout!.id}/pay`, {
    method: 'POST',
  });
  const code = paid.payout.voucher!.code!;
  expect(code).toBeTruthy();

  await popup.page.reload();
  await expect(popup.voucherCode).toHaveText(code);
  await expect(popup.payouts.getByRole('button', { name: 'Copier' })).toBeVisible();
  // Noted: the code no longer shows in the popup (it stays on the portal).
  await popup.payouts.getByRole('button', { name: 'J’ai noté le code' }).click();
  await expect(popup.voucherCode).toHaveCount(0);
  await popup.page.reload();
  await expect(popup.payoutRows.first()).toContainText('Payé');
  await expect(popup.voucherCode).toHaveCount(0);
});

test('a donation reaches the charity’s total', async ({ context, extension, portal }) => {
  const popup = await signedInPopup(await context.newPage(), extension.extensionId);
  await popup.withdrawButton.click();
  await popup.withdrawMethod('Don à une association').click();
  await popup.payouts.getByLabel(/Forêts Vivantes/).check();
  // The charity's logo is served by the portal itself.
  const logo = popup.payouts.locator('.charity img').first();
  expect(new URL((await logo.getAttribute('src'))!).origin).toBe(portal.url);
  await popup.withdrawAmount.fill('5');
  await popup.continueButton.click();
  await expect(popup.withdrawConfirmation).toContainText('Don de');
  await expect(popup.withdrawConfirmation).toContainText('Forêts Vivantes');
  await popup.confirmButton.click();
  await expect(popup.withdrawDone).toContainText(
    /Merci ! Vous avez donné 5,00.€ à Forêts Vivantes/,
  );

  const [payout] = await payouts(portal);
  await portal.admin(`/payouts/${payout!.id}/pay`, { method: 'POST' });
  const { charities } = await portal.admin<{ charities: { id: string; raised: number }[] }>(
    '/charities',
  );
  expect(charities.find((charity) => charity.id === 'forets-vivantes')?.raised).toBe(500);
  await popup.page.reload();
  await expect(popup.confirmed).toHaveText(euros(DEMO_CONFIRMED - 500));
});

test('a double-clicked “Confirmer” creates one payout', async ({ context, extension, portal }) => {
  const popup = await signedInPopup(await context.newPage(), extension.extensionId);
  await popup.withdrawButton.click();
  await popup.withdrawMethod('Don à une association').click();
  await popup.withdrawAmount.fill('2');
  await popup.continueButton.click();
  await popup.confirmButton.dblclick();
  await expect(popup.withdrawDone).toBeVisible();
  const made = await payouts(portal);
  expect(made).toHaveLength(1);
  expect(made[0]).toMatchObject({ method: 'donation', amount: 200 });
});

test('a premium member sees the premium rate on the badge, the banner and the popup', async ({
  context,
  extension,
  portal,
  serviceWorker,
}) => {
  const popup = new PopupPage(await context.newPage(), extension.extensionId);
  await popup.open();
  // Atelier Vendôme pays "jusqu’à 6,5 %", and its premium members "jusqu’à 8 %" (portal/demo).
  const page = await context.newPage();
  const shop = ShopPage.on(page, 'atelier-vendome', portal.port);
  await shop.openProduct(1);
  await expect.poll(() => badgeText(serviceWorker, page)).toBe('6,5%');

  await popup.signIn(PREMIUM_MEMBER.email, PREMIUM_MEMBER.password);
  await expect(popup.cagnotte).toBeVisible();
  await shop.openProduct(2);
  await expect.poll(() => badgeText(serviceWorker, page)).toBe('8%');
  const banner = new BannerPart(page);
  await banner.expectText(/8[\u00a0\u202f]?%/);
  expect((await banner.snapshot())?.text).not.toContain('6,5');
  await popup.open(await tabIdOf(serviceWorker, page));
  await expect(popup.offer).toContainText(/8[\u00a0\u202f]?%/);
  await expect(popup.offer).not.toContainText('6,5');
});
