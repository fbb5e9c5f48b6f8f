/**
 * The options page in Firefox takes effect where the member sees it: reminders off and on
 * again, and a site muted from the banner, listed, then unmuted.
 */
import { expect, test } from './fixtures';
import { FirefoxBanner, FirefoxOptions, FirefoxShop } from './pages';

const VENDOME_OFFER = "Jusqu'à 6,5 % de cashback chez Atelier Vendôme";

test('with reminders off, a merchant page keeps its badge but shows no banner; back on, it returns', async ({
  firefox,
  portal,
  extension,
}) => {
  const options = await FirefoxOptions.open(extension);
  await expect.poll(() => options.remindersCheckbox.isChecked()).toBe(true);
  await options.remindersCheckbox.click();
  await expect.poll(() => options.saveStatus.text()).toBe('Réglage enregistré.');
  expect(await extension.call('settings:get')).toMatchObject({ reminders: false });

  const tab = await firefox.newTab();
  const shop = FirefoxShop.on(tab, 'atelier-vendome', portal.port);
  const banner = new FirefoxBanner(tab);
  await shop.openProduct(1);
  await expect.poll(() => extension.badgeText(tab)).toBe('6,5%');
  await banner.expectNone();

  // The choice survives the page, and turning it back on brings the reminder back.
  await options.tab.gotoExtensionPage('/options.html');
  await expect.poll(() => options.remindersCheckbox.isChecked()).toBe(false);
  await options.remindersCheckbox.click();
  await expect.poll(() => options.saveStatus.text()).toBe('Réglage enregistré.');
  await shop.addToCart();
  await banner.expectText('Votre panier peut vous rapporter');
});

test('a site muted from the banner is listed in the options; unmuting brings the banner back', async ({
  firefox,
  portal,
  extension,
}) => {
  const tab = await firefox.newTab();
  const shop = FirefoxShop.on(tab, 'atelier-vendome', portal.port);
  const banner = new FirefoxBanner(tab);
  await shop.openProduct(1);
  await banner.expectText(VENDOME_OFFER);
  await banner.mute();
  await expect.poll(() => banner.region.count()).toBe(0);

  const options = await FirefoxOptions.open(extension);
  await expect.poll(() => options.mutedSites.count()).toBe(1);
  const today = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short' }).format(
    new Date(),
  );
  expect(await options.mutedSites.text()).toContain(`Atelier Vendôme masqué le ${today}`);

  // Still muted on the next visit.
  await shop.openProduct(2);
  await banner.expectNone();

  await options.unmuteButton('Atelier Vendôme').click();
  await expect.poll(() => options.mutedSection.text()).toContain('Aucun site masqué.');
  expect(await options.mutedSites.count()).toBe(0);

  await shop.openProduct(3);
  await banner.expectText(VENDOME_OFFER);
});
