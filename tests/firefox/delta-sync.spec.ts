/**
 * The merchant list kept up to date by its changes, in Firefox: the portal's admin changes a
 * merchant's rate in the catalogue, the member presses "Synchroniser maintenant", and the banner
 * and the badge show the new rate — the portal having served changes, not the whole list again.
 */
import { DEMO_MERCHANTS } from '../../portal/demo/demo-merchants';
import { ADMIN_KEY, expect, test } from './fixtures';
import { FirefoxAdmin, FirefoxBanner, FirefoxOptions, FirefoxShop } from './pages';

interface Stats {
  downloads: number;
  changesApplied: number;
  changesGone: number;
}

const SHOP = 'atelier-vendome';

test("a rate changed in the portal's admin reaches the banner as changes, not as the whole list", async ({
  firefox,
  portal,
  extension,
}) => {
  const stats = async () => (await portal.admin<{ stats: Stats }>('/faults')).stats;
  const before = await stats();
  expect(before.downloads).toBe(1); // the list at install

  const tab = await firefox.newTab();
  const shop = FirefoxShop.on(tab, SHOP, portal.port);
  const banner = new FirefoxBanner(tab);
  await shop.openProduct(1);
  await banner.expectText("Jusqu'à 6,5 % de cashback chez Atelier Vendôme");

  // The admin signs in and changes the rate in the catalogue's form.
  await new FirefoxAdmin(await firefox.newTab(), portal.url).setRate(SHOP, '9', ADMIN_KEY);

  // The member syncs from the options page.
  const options = await FirefoxOptions.open(extension);
  await options.syncNowButton.click();
  await expect.poll(async () => (await stats()).changesApplied).toBe(before.changesApplied + 1);
  await expect
    .poll(() => extension.call('sync:status'))
    .toMatchObject({ syncing: false, merchantCount: DEMO_MERCHANTS.length, lastError: null });

  await shop.openProduct(1);
  await banner.expectText("Jusqu'à 9 % de cashback chez Atelier Vendôme");
  await expect.poll(() => extension.badgeText(tab)).toBe('9%');

  const after = await stats();
  expect(after.downloads).toBe(before.downloads); // no whole list
  expect(after.changesGone).toBe(before.changesGone);
});
