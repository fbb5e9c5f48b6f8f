/**
 * The member takes the extension's host access back (Firefox's extensions panel, about:addons),
 * then gives it back from the popup: meanwhile no banner, the popup and the options page say so,
 * and the portal still answers; given back, the merchant page already open gets its banner.
 */
import { DEMO_MEMBER, expect, openTab, test } from './fixtures';
import { FirefoxBanner, FirefoxOptions, FirefoxPopup } from './pages';

test('without host access the popup and the options say so; given back from the popup, the open page gets its banner', async ({
  firefox,
  portal,
  extension,
}) => {
  const tab = await openTab(firefox, portal.shopUrl('atelier-vendome'));
  const banner = new FirefoxBanner(tab);
  await banner.expectText("Jusqu'à 6,5 % de cashback chez Atelier Vendôme");
  // Without host access the browser hides the tab's address: its id is read before.
  const tabId = await extension.tabIdOf(tab);

  await extension.withdrawAllSitesAccess();
  expect(await extension.hasAllSitesAccess()).toBe(false);
  await tab.goto(portal.shopUrl('atelier-vendome', '/panier'));
  await banner.expectNone();

  const options = await FirefoxOptions.open(extension);
  await expect
    .poll(() => options.hostAccessSection.text())
    .toContain("Ristourne n'a pas accès à tous les sites que vous visitez");

  const popup = await FirefoxPopup.open(extension, tabId);
  await expect
    .poll(() => popup.accessNotice.text())
    .toMatch(/^Ristourne n'a pas accès à atelier-vendome\.localhost : il ne peut pas savoir/);
  expect(await popup.activateButton.count()).toBe(0);
  // The portal is another site too: it still answers the extension (docs/portal-api.md, CORS).
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  await expect.poll(() => popup.cagnotte.text()).toContain('Connecté en tant que Camille Martin');

  // "Autoriser": the member's click calls permissions.request (its prompt answered yes).
  await popup.allowAccessButton.click();
  await expect.poll(() => extension.hasAllSitesAccess()).toBe(true);
  await expect.poll(() => popup.activateButton.count()).toBe(1);
  expect(await popup.accessNotice.count()).toBe(0);
  await banner.expectText('Votre panier peut vous rapporter');
  expect(await extension.badgeText(tab)).toBe('6,5%');
  await expect.poll(() => options.hostAccessSection.count()).toBe(0);
});
