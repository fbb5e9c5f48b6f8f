/**
 * The popup, options and first-run pages: no serious or critical axe violation in the states a
 * member meets, and the popup's sign-in usable by keyboard alone with a visible focus.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { tabIdOf } from '../../scripts/harness/browser-state';
import { DEMO_MEMBER, expect, test } from './fixtures';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { OptionsPage } from '../../scripts/harness/pages/options';
import { PopupPage } from '../../scripts/harness/pages/popup';
import { ShopPage } from '../../scripts/harness/pages/shop';

/** The serious and critical violations, each with the elements concerned, for a readable diff. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ` +
        violation.nodes.map((node) => node.target.join(' ')).join(', '),
    );
}

/** Checked in both colour schemes: the pages have a dark theme of their own. */
async function expectNoSeriousViolation(page: Page): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
      colorScheme === 'dark',
    );
    expect(await seriousViolations(page), `${colorScheme} colour scheme`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
}

/**
 * The focused element's focus indicator: an outline of 2 px or more (Chromium's own ring is 1 px,
 * so the pages' `:focus-visible` style must be there), or a box shadow.
 */
function focusIndicator(locator: Locator) {
  return locator.evaluate((element) => {
    const style = getComputedStyle(element);
    const outline =
      style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2
        ? `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}`
        : null;
    const shadow = style.boxShadow !== 'none' ? style.boxShadow : null;
    return { focusVisible: element.matches(':focus-visible'), indicator: outline ?? shadow };
  });
}

async function expectVisibleFocus(locator: Locator): Promise<void> {
  await expect(locator).toBeFocused();
  const focus = await focusIndicator(locator);
  expect(focus.focusVisible).toBe(true);
  expect(focus.indicator).not.toBeNull();
}

test('the popup, signed out, has no serious accessibility violation', async ({
  context,
  extensionId,
  extension: _ready,
}) => {
  const popup = new PopupPage(await context.newPage(), extensionId);
  await popup.open();
  await expect(popup.emailField).toBeVisible();
  await expect(popup.searchField).toBeVisible();
  await expectNoSeriousViolation(popup.page);

  // With an error on the form.
  await popup.signIn(DEMO_MEMBER.email, 'pas-le-bon-mot-de-passe');
  await expect(popup.signInError).toBeVisible();
  await expectNoSeriousViolation(popup.page);
});

test('the popup, signed in, has no serious accessibility violation', async ({
  context,
  extensionId,
  portal,
  extension: _ready,
}) => {
  const popup = new PopupPage(await context.newPage(), extensionId);
  await popup.open();
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  await expect(popup.transactions).toHaveCount(5);
  await expect(popup.cagnotte).not.toContainText('Mise à jour…');
  await expectNoSeriousViolation(popup.page);

  // The last known figures, with the warning that the portal cannot be reached.
  await portal.stop();
  await popup.open();
  await expect(popup.cagnotte).toContainText('derniers chiffres connus');
  await expectNoSeriousViolation(popup.page);
});

test('the popup on a merchant tab has no serious accessibility violation', async ({
  context,
  extensionId,
  portal,
  serviceWorker,
  extension: _ready,
}) => {
  const page = await context.newPage();
  await ShopPage.on(page, 'atelier-vendome', portal.port).openProduct(1);
  const tabId = await tabIdOf(serviceWorker, page);
  const popup = new PopupPage(await context.newPage(), extensionId);
  await popup.open(tabId);
  await popup.signIn(DEMO_MEMBER.email, DEMO_MEMBER.password);
  await expect(popup.transactions).toHaveCount(5);
  await expect(popup.activateButton).toBeVisible();
  await expectNoSeriousViolation(popup.page);

  // Activated: the button gives way to the confirmation.
  await popup.activateButton.click();
  await expect(popup.activationStatus).toContainText('Cashback activé');
  await expectNoSeriousViolation(popup.page);
});

test('the options page has no serious accessibility violation', async ({
  context,
  extensionId,
  portal,
  extension: _ready,
}) => {
  // With a muted site, so that the list is drawn too.
  const page = await context.newPage();
  await ShopPage.on(page, 'atelier-vendome', portal.port).openProduct(1);
  await new BannerPart(page).mute();

  const options = new OptionsPage(await context.newPage(), extensionId);
  await options.open();
  await expect(options.remindersCheckbox).toBeVisible();
  await expect(options.mutedSites).toHaveCount(1);
  await expect(options.lastSync).toBeVisible();
  await expect(options.page.getByLabel('Adresse e-mail')).toBeVisible();
  await expectNoSeriousViolation(options.page);

  await options.remindersCheckbox.uncheck();
  await expect(options.saveStatus).toHaveText('Réglage enregistré.');
  await expectNoSeriousViolation(options.page);
});

test('the first-run page has no serious accessibility violation', async ({
  context,
  extensionId,
  extension: _ready,
}) => {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/welcome.html`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bienvenue dans Ristourne');
  await expect(page.getByLabel('Adresse e-mail')).toBeVisible();
  await expectNoSeriousViolation(page);
});

test('the popup sign-in works with the keyboard alone, with a visible focus', async ({
  context,
  extensionId,
  extension: _ready,
}) => {
  const popup = new PopupPage(await context.newPage(), extensionId);
  const { keyboard } = popup.page;
  await popup.open();
  await expect(popup.emailField).toBeVisible();

  // From the top of the popup, Tab until the email field (past the header and the search).
  for (let presses = 0; presses < 10; presses++) {
    if (await popup.emailField.evaluate((element) => element === document.activeElement)) break;
    await keyboard.press('Tab');
  }
  await expectVisibleFocus(popup.emailField);
  await keyboard.type(DEMO_MEMBER.email);

  await keyboard.press('Tab');
  await expectVisibleFocus(popup.passwordField);
  await keyboard.type(DEMO_MEMBER.password);

  await keyboard.press('Tab');
  await expectVisibleFocus(popup.signInButton);

  await keyboard.press('Enter');
  await expect(popup.pending).toHaveText(/^9,04[\u00a0\u202f]€$/);
  await expect(popup.signInForm).toHaveCount(0);
});
