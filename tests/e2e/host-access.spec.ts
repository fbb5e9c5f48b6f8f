/**
 * The member takes the extension's host access back (Chrome's "site access: on click"), then
 * gives it back: the popup says so in place of the offer, and the merchant page already open
 * gets its banner back without being reloaded.
 */
import type { BrowserContext } from '@playwright/test';
import { badgeText, tabIdOf } from '../../scripts/harness/browser-state';
import { expect, test } from './fixtures';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { PopupPage } from '../../scripts/harness/pages/popup';

declare const chrome: {
  developerPrivate: {
    updateExtensionConfiguration(update: {
      extensionId: string;
      hostAccess: string;
    }): Promise<void>;
  };
};

/**
 * What the member does in the extensions menu. An extension cannot withdraw its own required
 * host access (`permissions.remove` answers "You cannot remove required permissions"), and
 * Playwright cannot click the menu, so the chrome://extensions page's own API does it.
 */
async function setSiteAccess(
  context: BrowserContext,
  extensionId: string,
  hostAccess: 'ON_CLICK' | 'ON_ALL_SITES',
): Promise<void> {
  const page = await context.newPage();
  await page.goto('chrome://extensions');
  await page.evaluate((update) => chrome.developerPrivate.updateExtensionConfiguration(update), {
    extensionId,
    hostAccess,
  });
  await page.close();
}

test('without host access the popup says so and offers it back; given back, the banner returns', async ({
  context,
  serviceWorker,
  extension,
  portal,
}) => {
  const shop = await context.newPage();
  await shop.goto(portal.shopUrl('atelier-vendome'));
  const banner = new BannerPart(shop);
  await banner.expectShown();
  // Without host access the browser hides the tab's address: its id is read before.
  const tabId = await tabIdOf(serviceWorker, shop);

  await setSiteAccess(context, extension.extensionId, 'ON_CLICK');
  await shop.goto(portal.shopUrl('atelier-vendome', '/panier'));
  await banner.expectNone();

  const popup = new PopupPage(await context.newPage(), extension.extensionId);
  await popup.open(tabId);
  await expect(popup.accessNotice).toHaveText(
    /^Ristourne n'a pas accès à atelier-vendome\.localhost : il ne peut pas savoir/,
  );
  await expect(popup.allowAccessButton).toBeVisible();
  await expect(popup.activateButton).toHaveCount(0);

  // "Autoriser" opens the browser's prompt (the click is the user gesture it needs), which
  // Playwright cannot answer: the member gives access back in the extensions menu instead.
  const pageErrors: Error[] = [];
  popup.page.on('pageerror', (error) => pageErrors.push(error));
  await popup.allowAccessButton.click();
  await setSiteAccess(context, extension.extensionId, 'ON_ALL_SITES');
  await expect(popup.activateButton).toBeVisible();
  await expect(popup.accessNotice).toHaveCount(0);
  await banner.expectShown();
  expect(await badgeText(serviceWorker, shop)).toBe('6,5%');
  expect(pageErrors).toEqual([]);
});
