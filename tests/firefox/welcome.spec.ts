/**
 * A fresh install in Firefox opens the welcome page. Firefox grants an MV3 extension its host
 * permissions at install only when its preference says so (the default since Firefox 127; not
 * where `extensions.originControls.grantByDefault` is off, as before 127): the welcome page then
 * asks for them, and once given the extension works without a restart.
 */
import { DEMO_MEMBER, expect, openTab, test } from './fixtures';
import { FirefoxBanner, FirefoxWelcome } from './pages';

const VENDOME_OFFER = "Jusqu'à 6,5 % de cashback chez Atelier Vendôme";

test('installed with host access, the welcome page in French asks only to sign in', async ({
  firefox,
  background,
}) => {
  const welcome = new FirefoxWelcome(await firefox.welcomeTab());
  await expect.poll(() => welcome.title.text()).toBe('Bienvenue dans Ristourne');
  expect(await background.hasAllSitesAccess()).toBe(true);
  await expect.poll(() => welcome.signInForm.count()).toBe(1);
  expect(await welcome.hostAccessSection.count()).toBe(0);

  await welcome.signInForm.getByLabel('Adresse e-mail').fill(DEMO_MEMBER.email);
  await welcome.signInForm.getByLabel('Mot de passe').fill(DEMO_MEMBER.password);
  await welcome.signInForm.getByRole('button', { name: 'Se connecter' }).click();
  await expect
    .poll(() => welcome.tab.getByText(/^C'est prêt/).text())
    .toBe("C'est prêt : vous êtes connecté en tant que Camille Martin.");
});

test.describe('installed where Firefox does not grant host access at install', () => {
  test.use({ firefoxPrefs: { 'extensions.originControls.grantByDefault': false } });

  test('the welcome page asks for host access; once given, the merchant page already open gets its banner', async ({
    firefox,
    portal,
    background,
  }) => {
    const welcome = new FirefoxWelcome(await firefox.welcomeTab());
    expect(await background.hasAllSitesAccess()).toBe(false);
    await expect
      .poll(() => welcome.hostAccessSection.text())
      .toContain("Ristourne n'a pas accès à tous les sites que vous visitez");
    // The portal answers without host access: the merchant list is there already.
    await background.untilMerchantListSynced();

    const shop = await openTab(firefox, portal.shopUrl('atelier-vendome', '/produit/1'));
    await new FirefoxBanner(shop).expectNone();

    await welcome.allowAccessButton.click();
    await expect.poll(() => background.hasAllSitesAccess()).toBe(true);
    await expect.poll(() => welcome.hostAccessSection.count()).toBe(0);
    expect(await welcome.hostAccessStatus.text()).toBe(
      "C'est fait : Ristourne peut maintenant vous rappeler le cashback chez les marchands partenaires.",
    );
    await new FirefoxBanner(shop).expectText(VENDOME_OFFER);
    expect(await background.badgeText(shop)).toBe('6,5%');
  });
});
