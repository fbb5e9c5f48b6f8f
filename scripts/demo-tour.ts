/**
 * The headless demo's scripted tour: what a member sees, step by step, with a screenshot each.
 * Shop → badge and banner → sign in → activate → landing → pay → the popup shows the pending
 * cashback → the portal's admin confirms it → the popup shows it confirmed.
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { join } from 'node:path';
import { BannerPart } from '../tests/e2e/pages/banner';
import { PopupPage } from '../tests/e2e/pages/popup';
import { ShopPage } from '../tests/e2e/pages/shop';
import { badgeText, tabIdOf } from '../tests/e2e/browser-state';

export interface TourOptions {
  context: BrowserContext;
  portalUrl: string;
  port: number;
  shop: string;
  adminKey: string;
  folder: string;
}

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
      console.log(`  ✗ ${title}: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
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
    await banner.region.waitFor();
    console.log(`    badge: ${await badgeText(worker, page)}`);
    await shoot(page, 'banner-offer');
  });
  await run('the cart shows the checkout reminder', async () => {
    await shop.addToCart();
    await banner.region.getByText(/Votre panier/).waitFor();
    await shoot(page, 'banner-reminder');
  });
  const tabId = await tabIdOf(worker, page).catch(() => -1);
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
    await banner.activateButton.click();
    await page.waitForURL(/rdclid=/);
    await banner.region.getByText('Cashback activé').waitFor();
    await shoot(page, 'activated');
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
  return failures === 0;
}
