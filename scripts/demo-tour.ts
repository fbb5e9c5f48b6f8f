/**
 * The headless demo's scripted tour: what a member sees, step by step, with a screenshot each.
 * Shop → badge and banner → sign in → activate → landing → pay → the popup shows the pending
 * cashback → the portal's admin confirms it → the popup shows it confirmed → a search results page
 * marks the partner merchants' results → a lost sale: the network drops another shop's sale, two
 * days later the popup says its cashback is missing, the member claims it, the admin accepts it
 * → the member withdraws the cagnotte, and the admin pays it.
 * With `storeFolder`, it also takes the store's screenshots, exactly 1280×800: the banner on
 * the shop, and the popup at its own size over the shop, where the toolbar would drop it.
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BannerPart } from './harness/pages/banner';
import { HistoryPage } from './harness/pages/history';
import { PopupPage } from './harness/pages/popup';
import { ShopPage } from './harness/pages/shop';
import { SearchResultsPage } from './harness/pages/search-results';
import { badgeText, tabIdOf } from './harness/browser-state';
import { advanceWorkerClock, HOUR_MS } from './harness/clock';
import { AdminPage } from './harness/pages/admin';

export interface TourOptions {
  context: BrowserContext;
  portalUrl: string;
  port: number;
  shop: string;
  adminKey: string;
  folder: string;
  /** Where the store screenshots go (banner.png, popup.png); none when absent. */
  storeFolder?: string;
  /** Moves the portal's clock ahead (its `now`: scripts/harness/clock.ts), for the lost sale. */
  advancePortalClock(ms: number): void;
}

/** The lost sale's shop: it reports its sales within 48 h (portal/demo/demo-order-terms.ts). */
const LOST_SALE_SHOP = 'maison-lenoir';
const LOST_SALE_DELAY_HOURS = 48;

/** The Chrome Web Store's screenshot size. */
export const STORE_SCREENSHOT = { width: 1280, height: 800 } as const;
/** The toolbar popup's width (components/popup/popup.css). */
const POPUP_WIDTH = 360;
/** The tallest popup Chrome shows. */
const POPUP_MAX_HEIGHT = 600;

const MEMBER = { email: 'demo@ristourne.test', password: 'cagnotte-demo' };

export async function playTour(options: TourOptions): Promise<boolean> {
  const { context, folder } = options;
  let step = 0;
  let failures = 0;
  const shoot = async (page: Page, name: string) => {
    step += 1;
    const file = join(folder, `${String(step).padStart(2, '0')}-${name}.png`);
    // Finished animations: the banner fades in.
    await page.screenshot({ path: file, animations: 'disabled' });
  };
  const run = async (title: string, action: () => Promise<void>) => {
    try {
      await action();
      console.log(`  ✓ ${title}`);
    } catch (error) {
      failures += 1;
      console.log(
        `  ✗ ${title}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
    }
  };

  const worker: Worker =
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1280, height: 800 });
  const shop = ShopPage.on(page, options.shop, options.port);
  const banner = new BannerPart(page);
  const popupTab = await context.newPage();
  await popupTab.setViewportSize({ width: 1280, height: 800 });
  const popup = new PopupPage(popupTab, new URL(worker.url()).host);
  console.log('Demo tour:');

  await run('the portal lists its demo shops', async () => {
    await page.goto(options.portalUrl);
    await shoot(page, 'portal');
  });
  await run('a product page of a demo shop shows the badge and the banner', async () => {
    await shop.openProduct(1);
    await banner.expectShown();
    console.log(`    badge: ${await badgeText(worker, page)}`);
    await shoot(page, 'banner-offer');
    if (options.storeFolder) {
      await mkdir(options.storeFolder, { recursive: true });
      await page.screenshot({
        path: join(options.storeFolder, 'banner.png'),
        animations: 'disabled',
      });
    }
  });
  await run('the cart shows the checkout reminder', async () => {
    await shop.addToCart();
    await banner.expectText(/Votre panier/);
    await shoot(page, 'banner-reminder');
  });
  const tabId = await tabIdOf(worker, page).catch(() => -1);
  let shopBackdrop: Buffer | null = null;
  await run('the member signs in from the popup', async () => {
    await popup.open(tabId);
    await popup.signIn(MEMBER.email, MEMBER.password);
    await popup.cagnotte.waitFor();
    await popup.page.bringToFront();
    await shoot(popupTab, 'popup-signed-in');
  });
  await run('one click activates: through the affiliate link and back to the cart', async () => {
    await page.bringToFront();
    await page.reload();
    await banner.activate();
    await page.waitForURL(/rdclid=/);
    await banner.expectText('Cashback activé');
    await shoot(page, 'activated');
    // The backdrop of the popup's store screenshot: the shop, cashback activated.
    shopBackdrop = await page.screenshot({ animations: 'disabled' });
  });
  await run('paying the order reports the cashback to the portal', async () => {
    const order = await shop.payOrder();
    if (!order.tracked) throw new Error('the order was not tracked');
    await shoot(page, 'order-paid');
  });
  await run('the popup shows the pending cashback of the order', async () => {
    await popup.open(tabId);
    await popup.cagnotte.waitFor();
    console.log(`    pending: ${await popup.pending.innerText()}`);
    await popup.page.bringToFront();
    await shoot(popupTab, 'popup-pending');
  });
  if (options.storeFolder) {
    const storeFolder = options.storeFolder;
    await run('the store screenshot of the popup over the shop', async () => {
      if (!shopBackdrop) throw new Error('no shop to put behind the popup');
      await shootPopupOverShop({
        context,
        extensionId: new URL(worker.url()).host,
        tabId,
        backdrop: shopBackdrop,
        path: join(storeFolder, 'popup.png'),
      });
    });
  }
  await run('the admin confirms it and the popup shows it confirmed', async () => {
    const headers = { 'X-Admin-Key': options.adminKey };
    const list = (await (
      await fetch(`${options.portalUrl}/admin/api/transactions?limit=1`, { headers })
    ).json()) as { transactions: { id: string }[] };
    const latest = list.transactions[0];
    if (!latest) throw new Error('no transaction');
    const confirmed = await fetch(
      `${options.portalUrl}/admin/api/transactions/${latest.id}/confirm`,
      { method: 'POST', headers },
    );
    if (!confirmed.ok) throw new Error(`confirm: ${confirmed.status}`);
    await popup.open(tabId);
    await popup.cagnotte.waitFor();
    console.log(`    confirmed: ${await popup.confirmed.innerText()}`);
    await shoot(popupTab, 'popup-confirmed');
  });
  await run('a search results page marks the partner merchants’ results', async () => {
    await page.bringToFront();
    const results = new SearchResultsPage(page, 'google');
    await results.open('téléviseur 4k');
    await results.marks.first().waitFor();
    console.log(`    marks: ${(await results.marks.allInnerTexts()).join(' · ')}`);
    await shoot(page, 'search-marks');
  });
  await run('a lost sale: missing two days later, claimed from the popup, accepted', async () => {
    await lostSale({ ...options, worker, popup, shoot });
  });
  await run('the member withdraws the cagnotte by transfer, and the admin pays it', async () => {
    await popup.open(tabId);
    await popup.page.bringToFront();
    await popup.withdrawButton.click();
    await popup.continueButton.click();
    await popup.withdrawConfirmation.waitFor();
    console.log(`    ${await popup.withdrawConfirmation.locator('p').first().innerText()}`);
    await shoot(popupTab, 'withdraw-confirm');
    await popup.confirmButton.click();
    await popup.withdrawDone.waitFor();
    await shoot(popupTab, 'withdraw-requested');
    const headers = { 'X-Admin-Key': options.adminKey };
    const list = (await (
      await fetch(`${options.portalUrl}/admin/api/payouts?limit=1`, { headers })
    ).json()) as { payouts: { id: string }[] };
    const latest = list.payouts[0];
    if (!latest) throw new Error('no payout');
    const paid = await fetch(`${options.portalUrl}/admin/api/payouts/${latest.id}/pay`, {
      method: 'POST',
      headers,
    });
    if (!paid.ok) throw new Error(`pay: ${paid.status}`);
    await popup.open(tabId);
    await popup.payoutRows.first().getByText('Payé').waitFor();
    console.log(`    paid: ${await popup.paid.innerText()}`);
    await shoot(popupTab, 'withdraw-paid');
  });
  await run('"Tout voir": the whole history, the payout paid above the sales', async () => {
    const [historyTab] = await Promise.all([
      context.waitForEvent('page'),
      popup.historyLink.click(),
    ]);
    await historyTab.setViewportSize({ width: 1280, height: 800 });
    const history = new HistoryPage(historyTab, new URL(worker.url()).host);
    await history.rows.first().getByText('Payé').waitFor();
    console.log(`    ${await history.count.innerText()}`);
    await shoot(historyTab, 'history');
    await historyTab.close();
  });
  return failures === 0;
}

/**
 * The network drops the postback of a sale at another shop (admin faults); the confirmation page
 * is noticed; two days later (the portal's and the worker's clocks moved ahead) the popup says
 * the cashback is missing; the member claims it; the admin accepts it; the popup shows it pending.
 */
async function lostSale(
  options: TourOptions & {
    worker: Worker;
    popup: PopupPage;
    shoot: (page: Page, name: string) => Promise<void>;
  },
): Promise<void> {
  const { context, popup, shoot } = options;
  const headers = { 'X-Admin-Key': options.adminKey, 'Content-Type': 'application/json' };
  const setPostbacks = async (postbacks: 'drop' | 'deliver') => {
    const set = await fetch(`${options.portalUrl}/admin/api/faults`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ api: null, postbacks }),
    });
    if (!set.ok) throw new Error(`faults: ${set.status}`);
  };
  const page = await context.newPage();
  await page.setViewportSize(STORE_SCREENSHOT);
  await setPostbacks('drop');
  let orderRef: string;
  try {
    const shop = ShopPage.on(page, LOST_SALE_SHOP, options.port);
    await shop.openProduct(1);
    await new BannerPart(page).activate();
    await page.waitForURL(/rdclid=/);
    await shop.addToCart();
    const order = await shop.payOrder();
    if (order.tracked) throw new Error('the sale was reported: the network was to drop it');
    orderRef = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await shoot(page, 'lost-sale-paid');
  } finally {
    await setPostbacks('deliver');
  }
  const tabId = await tabIdOf(options.worker, page);
  await popup.open(tabId);
  await popup.page.bringToFront();
  await popup.orderStatuses.getByText("Cashback attendu d'ici le").first().waitFor();
  await popup.orders.first().scrollIntoViewIfNeeded();
  await shoot(popup.page, 'lost-sale-expected');

  const later = (LOST_SALE_DELAY_HOURS + 1) * HOUR_MS;
  options.advancePortalClock(later);
  await advanceWorkerClock(options.worker, later);
  await popup.open(tabId);
  await popup.claimButtons.first().click();
  await popup.claimForm.scrollIntoViewIfNeeded();
  console.log(`    ${await popup.orderStatuses.first().innerText()}`);
  await shoot(popup.page, 'lost-sale-claim-form');
  await popup.claimSendButton.click();
  await popup.claims.getByText('Réclamation envoyée').first().waitFor();
  await popup.claims.first().scrollIntoViewIfNeeded();
  await shoot(popup.page, 'lost-sale-claimed');

  const admin = new AdminPage(await context.newPage(), options.portalUrl);
  await admin.open('/admin/reclamations', options.adminKey);
  // Its row (the portal's data may hold claims of earlier tours).
  const row = admin.page.getByTestId('admin-claim').filter({ hasText: orderRef });
  await row.getByRole('button', { name: 'Accepter' }).click();
  await row.getByTestId('status').getByText('acceptée').waitFor();
  await shoot(admin.page, 'lost-sale-accepted-by-admin');
  await admin.page.close();

  await popup.open(tabId);
  await popup.page.bringToFront();
  await popup.claims.getByText('Acceptée : cashback en attente').first().waitFor();
  await popup.claims.first().scrollIntoViewIfNeeded();
  console.log(`    pending: ${await popup.pending.innerText()}`);
  await shoot(popup.page, 'lost-sale-pending');
  await page.close();
}

/**
 * The popup as the toolbar shows it (360 px wide, its own height up to 600), laid over a shot of
 * the shop at the top right, where the toolbar button would open it: one 1280×800 image.
 */
async function shootPopupOverShop(options: {
  context: BrowserContext;
  extensionId: string;
  tabId: number;
  backdrop: Buffer;
  path: string;
}): Promise<void> {
  const popupPage = await options.context.newPage();
  const canvas = await options.context.newPage();
  try {
    await popupPage.setViewportSize({ width: POPUP_WIDTH, height: POPUP_MAX_HEIGHT });
    const popup = new PopupPage(popupPage, options.extensionId);
    await popup.open(options.tabId);
    await popup.cagnotte.waitFor();
    // The toolbar shows a popup at most 600 px tall (it scrolls beyond), without a focus ring.
    await popupPage.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const height = await popupPage.evaluate(() => document.documentElement.scrollHeight);
    const popupImage = await popupPage.screenshot({
      animations: 'disabled',
      clip: { x: 0, y: 0, width: POPUP_WIDTH, height: Math.min(height, POPUP_MAX_HEIGHT) },
    });

    await canvas.setViewportSize(STORE_SCREENSHOT);
    const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;
    await canvas.setContent(
      `<body style="margin:0;width:${STORE_SCREENSHOT.width}px;height:${STORE_SCREENSHOT.height}px;` +
        `overflow:hidden;background:url(${dataUrl(options.backdrop)}) 0 0/cover">` +
        `<img alt="" src="${dataUrl(popupImage)}" style="position:absolute;top:8px;right:24px;` +
        `width:${POPUP_WIDTH}px;border-radius:8px;box-shadow:0 8px 28px rgba(0,0,0,.35)"></body>`,
    );
    await canvas.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    await canvas.screenshot({ path: options.path });
  } finally {
    await popupPage.close();
    await canvas.close();
  }
}
