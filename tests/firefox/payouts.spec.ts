/**
 * Withdrawing in Firefox (issue 14): the member withdraws the cagnotte by transfer from the
 * popup; the portal pays it; the popup shows it paid and the balance moved.
 */
import { DEMO_MEMBER, expect, test } from './fixtures';
import { FirefoxPopup } from './pages';

interface AdminPayout {
  id: string;
  method: string;
  amount: number;
  status: string;
}

test('withdraws by transfer from the popup; once paid, the popup shows it paid', async ({
  extension,
  portal,
}) => {
  const popup = await FirefoxPopup.open(extension);
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  await expect.poll(() => popup.withdrawButton.count()).toBe(1);
  await popup.withdrawButton.click();
  await popup.continueButton.click();
  await expect.poll(() => popup.withdrawConfirmation.text()).toContain('FR76 •••• 0189');
  await popup.confirmButton.click();
  await expect.poll(() => popup.withdrawDone.text()).toContain('Virement demandé');

  const { payouts } = await portal.admin<{ payouts: AdminPayout[] }>('/payouts');
  expect(payouts).toHaveLength(1);
  expect(payouts[0]).toMatchObject({ method: 'transfer', amount: 4245, status: 'requested' });
  await portal.admin(`/payouts/${payouts[0]!.id}/pay`, { method: 'POST' });

  await popup.reopen();
  await expect.poll(() => popup.payoutRows.first().text()).toContain('Payé');
  expect(await popup.withdrawButton.count()).toBe(0);
});
