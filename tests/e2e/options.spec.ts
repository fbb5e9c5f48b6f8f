/**
 * The options page takes effect where the member sees it: on the merchants' pages (reminders,
 * cart and checkout only, muted sites), on the merchant list, and in the disclosure.
 */
import type { BrowserContext } from '@playwright/test';
import type { Settings, SyncStatusView } from '../../utils/protocol/messages';
import { badgeText } from '../../scripts/harness/browser-state';
import { expect, test, type ExtensionHandle, type PortalHandle } from './fixtures';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { OptionsPage } from '../../scripts/harness/pages/options';
import { PopupPage } from '../../scripts/harness/pages/popup';
import { ShopPage } from '../../scripts/harness/pages/shop';

/** Long enough for the banner script to have asked the background and drawn its banner. */
const BANNER_SETTLE_MS = 1000;

async function openOptions(context: BrowserContext, extensionId: string): Promise<OptionsPage> {
  const options = new OptionsPage(await context.newPage(), extensionId);
  await options.open();
  // The settings are drawn once the background answered.
  await expect(options.remindersCheckbox).toBeVisible();
  return options;
}

async function openShop(context: BrowserContext, portal: PortalHandle, slug = 'atelier-vendome') {
  const page = await context.newPage();
  return { page, shop: ShopPage.on(page, slug, portal.port), banner: new BannerPart(page) };
}

async function settings(extension: ExtensionHandle): Promise<Settings> {
  return await extension.call('settings:get');
}

async function syncStatus(extension: ExtensionHandle): Promise<SyncStatusView> {
  return await extension.call('sync:status');
}

test('with reminders off, a merchant page keeps its badge but shows no banner', async ({
  context,
  extensionId,
  portal,
  serviceWorker,
  extension,
}) => {
  const options = await openOptions(context, extensionId);
  await expect(options.remindersCheckbox).toBeChecked();
  await options.remindersCheckbox.uncheck();
  await expect(options.saveStatus).toHaveText('Réglage enregistré.');
  // "Only on cart and checkout pages" means nothing without reminders.
  await expect(options.checkoutOnlyCheckbox).toBeDisabled();
  expect(await settings(extension)).toEqual({
    reminders: false,
    checkoutOnly: false,
    notifications: true,
    searchMarks: true,
  });

  const { page, shop, banner } = await openShop(context, portal);
  await shop.openProduct(1);
  await expect.poll(() => badgeText(serviceWorker, page)).toBe('6,5%');
  await page.waitForTimeout(BANNER_SETTLE_MS);
  await banner.expectGone();
  // Nor the checkout reminder.
  await shop.addToCart();
  await page.waitForTimeout(BANNER_SETTLE_MS);
  await banner.expectGone();

  // The choice survives the page, and turning it back on brings the reminder back.
  await options.open();
  await expect(options.remindersCheckbox).not.toBeChecked();
  await options.remindersCheckbox.check();
  await expect(options.saveStatus).toHaveText('Réglage enregistré.');
  await page.reload();
  await banner.expectText('Votre panier peut vous rapporter');
});

test('"only on cart and checkout pages": no banner on a product, the reminder on the cart', async ({
  context,
  extensionId,
  portal,
  serviceWorker,
  extension,
}) => {
  const options = await openOptions(context, extensionId);
  await options.checkoutOnlyCheckbox.check();
  await expect(options.saveStatus).toHaveText('Réglage enregistré.');
  expect(await settings(extension)).toMatchObject({ reminders: true, checkoutOnly: true });

  const { page, shop, banner } = await openShop(context, portal);
  await shop.openProduct(1);
  await expect.poll(() => badgeText(serviceWorker, page)).toBe('6,5%');
  await page.waitForTimeout(BANNER_SETTLE_MS);
  await banner.expectGone();

  await shop.addToCart();
  await banner.expectText(
    /Votre panier peut vous rapporter jusqu'à 6,5[\u00a0\u202f]% de cashback chez Atelier Vendôme/,
  );
  await banner.boxOf('activate');
});

test('a site muted from the banner is listed in the options; unmuting brings the banner back', async ({
  context,
  extensionId,
  portal,
  serviceWorker,
  extension,
}) => {
  const { page, shop, banner } = await openShop(context, portal);
  await shop.openProduct(1);
  await banner.expectText("Jusqu'à 6,5 % de cashback chez Atelier Vendôme");
  await banner.mute();
  await banner.expectGone();

  const options = await openOptions(context, extensionId);
  await expect(options.mutedSites).toHaveCount(1);
  const today = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short' }).format(
    new Date(),
  );
  await expect(options.mutedSites).toContainText(`Atelier Vendôme masqué le ${today}`);
  expect((await extension.call('muted:list')).length).toBe(1);

  // Still muted on the next visit, with the badge: the offer is one click away in the toolbar.
  await page.reload();
  await expect.poll(() => badgeText(serviceWorker, page)).toBe('6,5%');
  await page.waitForTimeout(BANNER_SETTLE_MS);
  await banner.expectGone();

  await options.unmuteButton('Atelier Vendôme').click();
  await expect(options.mutedSection).toContainText(
    "Le bandeau s'affichera de nouveau sur Atelier Vendôme.",
  );
  await expect(options.mutedSection).toContainText('Aucun site masqué.');
  await expect(options.mutedSites).toHaveCount(0);
  // The button pressed is gone: the focus stays in the section, on its heading.
  await expect(options.mutedSection.getByRole('heading', { name: 'Sites masqués' })).toBeFocused();

  await page.reload();
  await banner.expectText("Jusqu'à 6,5 % de cashback chez Atelier Vendôme");
});

test('the merchant list shows its count and last sync; "Synchroniser maintenant" syncs again', async ({
  context,
  extensionId,
  extension,
}) => {
  const before = await syncStatus(extension);
  expect(before.lastSuccessAt).not.toBeNull();
  const count = new Intl.NumberFormat('fr-FR').format(before.merchantCount);

  const options = await openOptions(context, extensionId);
  await expect(options.syncSection).toContainText(`${count} marchands partenaires`);
  await expect(options.lastSync).toHaveText('Dernière mise à jour : maintenant');
  await expect(options.lastSync).toHaveAttribute(
    'datetime',
    new Date(before.lastSuccessAt!).toISOString(),
  );

  // A later sync gets a later timestamp.
  await options.page.waitForTimeout(1100);
  await options.syncNowButton.click();
  await expect(options.lastSync).not.toHaveAttribute(
    'datetime',
    new Date(before.lastSuccessAt!).toISOString(),
  );
  await expect(options.syncNowButton).toHaveText('Synchroniser maintenant');
  const after = await syncStatus(extension);
  expect(after.lastSuccessAt!).toBeGreaterThan(before.lastSuccessAt!);
  expect(after).toMatchObject({
    merchantCount: before.merchantCount,
    lastError: null,
    syncing: false,
  });
  await expect(options.lastSync).toHaveAttribute(
    'datetime',
    new Date(after.lastSuccessAt!).toISOString(),
  );
  await expect(options.syncSection).toContainText(`${count} marchands partenaires`);
  await expect(options.syncSection.locator('.notice')).toHaveCount(0);
});

test('a sync that fails keeps the list and says so', async ({
  context,
  extensionId,
  portal,
  extension,
}) => {
  const before = await syncStatus(extension);
  const options = await openOptions(context, extensionId);
  await portal.stop();

  await options.syncNowButton.click();
  // In French words, the technical detail only in the tooltip.
  await expect(options.syncSection).toContainText(
    'Dernier échec (maintenant) : le portail est injoignable',
  );
  await expect(options.syncNowButton).toHaveText('Synchroniser maintenant');
  await expect(options.syncSection).toContainText(
    `${new Intl.NumberFormat('fr-FR').format(before.merchantCount)} marchands partenaires`,
  );
  expect(await syncStatus(extension)).toMatchObject({
    merchantCount: before.merchantCount,
    lastSuccessAt: before.lastSuccessAt,
    lastError: { message: expect.any(String) },
  });
});

test('the options page discloses the affiliate model, what is kept and what is sent', async ({
  context,
  extensionId,
  extension: _ready,
}) => {
  const options = await openOptions(context, extensionId);
  const disclosure = options.disclosure;
  await expect(disclosure.getByRole('heading', { level: 2 })).toHaveText(
    'Confidentialité et affiliation',
  );
  await expect(disclosure.getByRole('heading', { level: 3 })).toHaveText([
    'Comment Ristourne est rémunéré',
    'Ce qui reste sur votre appareil',
    'Ce qui est envoyé à Ristourne, et quand',
  ]);
  await expect(disclosure).toContainText(
    "les marchands partenaires lui versent une commission, par l'intermédiaire de réseaux",
  );
  await expect(disclosure).toContainText(
    'Ristourne vous en reverse une partie dans votre cagnotte',
  );
  await expect(disclosure).toContainText(
    "aucun cookie d'affiliation n'est déposé sans votre clic sur « Activer »",
  );
  await expect(disclosure).toContainText(
    "Rien n'est envoyé quand vous visitez une page : ni son adresse, ni votre historique.",
  );

  // The popup's one-line disclosure links to it, and the link lands on it with the focus.
  const popup = new PopupPage(await context.newPage(), extensionId);
  await popup.open();
  await expect(popup.page.getByRole('contentinfo')).toContainText(
    'Ristourne touche une commission des marchands partenaires et vous en reverse une partie.',
  );
  const opened = context.waitForEvent('page');
  await popup.page.getByRole('link', { name: /Affiliation et confidentialité/ }).click();
  const disclosurePage = new OptionsPage(await opened, extensionId);
  await expect(disclosurePage.page).toHaveURL(/\/options\.html#disclosure$/);
  await expect(
    disclosurePage.disclosure.getByRole('heading', { name: 'Confidentialité et affiliation' }),
  ).toBeFocused();
});
