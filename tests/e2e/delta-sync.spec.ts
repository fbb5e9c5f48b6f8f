/**
 * The merchant list kept up to date by its changes: the portal's admin changes one merchant's
 * rate in its catalogue, the member presses "Synchroniser maintenant", and the banner shows the
 * new rate — the portal having served changes, not the whole list again.
 */
import { DEMO_MERCHANTS } from '../../portal/demo/demo-merchants';
import { badgeText } from '../../scripts/harness/browser-state';
import { AdminPage } from '../../scripts/harness/pages/admin';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { OptionsPage } from '../../scripts/harness/pages/options';
import { ShopPage } from '../../scripts/harness/pages/shop';
import { ADMIN_KEY, expect, test } from './fixtures';

interface Stats {
  downloads: number;
  notModified: number;
  changes: number;
  changesApplied: number;
  changesGone: number;
}

const SHOP = 'atelier-vendome';

test("a rate changed in the portal's admin reaches the banner as changes, not as the whole list", async ({
  context,
  portal,
  extension,
  extensionId,
  serviceWorker,
}) => {
  const stats = async () => (await portal.admin<{ stats: Stats }>('/faults')).stats;
  const before = await stats();
  expect(before.downloads).toBe(1); // the list at install

  const page = await context.newPage();
  await ShopPage.on(page, SHOP, portal.port).openProduct(1);
  const banner = new BannerPart(page);
  await banner.expectText("Jusqu'à 6,5 % de cashback chez Atelier Vendôme");

  // The admin signs in and changes the rate in the catalogue's form.
  const admin = new AdminPage(await context.newPage(), portal.url);
  await admin.setRate(SHOP, '9', ADMIN_KEY);

  // The member syncs from the options page.
  const options = new OptionsPage(await context.newPage(), extensionId);
  await options.open();
  await expect(options.syncNowButton).toHaveText('Synchroniser maintenant');
  const synced = (await extension.call('sync:status')).lastSuccessAt!;
  await options.page.waitForTimeout(1100); // a later sync has a later timestamp
  await options.syncNowButton.click();
  await expect
    .poll(async () => (await extension.call('sync:status')).lastSuccessAt)
    .toBeGreaterThan(synced);
  expect(await extension.call('sync:status')).toMatchObject({
    merchantCount: DEMO_MERCHANTS.length,
    lastError: null,
  });

  await page.reload();
  await banner.expectText("Jusqu'à 9 % de cashback chez Atelier Vendôme");
  await expect.poll(() => badgeText(serviceWorker, page)).toBe('9%');

  const after = await stats();
  expect(after.downloads).toBe(before.downloads); // no whole list
  expect(after.changesApplied - before.changesApplied).toBe(1);
  expect(after.changesGone).toBe(before.changesGone);
});

test('a portal whose changes cannot be used gets asked for the whole list, and the rate arrives', async ({
  context,
  portal,
  extension,
}) => {
  const stats = async () => (await portal.admin<{ stats: Stats }>('/faults')).stats;
  await portal.admin('/faults', {
    method: 'PUT',
    body: JSON.stringify({ api: null, changes: 'wrong-base' }),
    headers: { 'Content-Type': 'application/json' },
  });
  await portal.admin(`/merchants/${SHOP}`, {
    method: 'PATCH',
    body: JSON.stringify({ cashback: { type: 'percent', value: 8, upTo: false } }),
    headers: { 'Content-Type': 'application/json' },
  });
  const before = await stats();
  expect(await extension.call('sync:now')).toMatchObject({
    lastError: null,
    merchantCount: DEMO_MERCHANTS.length,
  });
  expect((await stats()).downloads).toBe(before.downloads + 1);

  const page = await context.newPage();
  await ShopPage.on(page, SHOP, portal.port).openProduct(1);
  await new BannerPart(page).expectText('8 % de cashback chez Atelier Vendôme');
});
