/**
 * Gets the banner onto a tab, or updates the one already there. The banner script is injected
 * on demand into merchant pages only: other pages never receive any extension code.
 */
import { browser } from 'wxt/browser';
import type { BackgroundDeps } from './background-deps';
import { tabStates, tabsOfMerchant } from './background-stores';
import { bannerViewFor } from './banner-view';
import type { StoredMerchant } from './merchant-list';
import type { BannerUpdate, BannerView } from './messages';

/** An unlisted script (entrypoints/banner.tsx): not in the manifest, not web-accessible. */
export const BANNER_SCRIPT = '/banner.js';

/**
 * Puts the banner on the tab's page when its decision says so: right after the page commits
 * (the script then waits for the document), again at DOMContentLoaded if that failed, and after
 * a same-document navigation, when `update` also refreshes a banner already there.
 */
export async function deliverBanner(
  deps: BackgroundDeps,
  tabId: number,
  options: { update: boolean; merchant?: StoredMerchant | null },
): Promise<void> {
  const tab = await tabStates.get(tabId);
  if (!tab || (tab.bannerInjected && !options.update)) return;
  const view = await bannerViewFor(deps, tabId, tab, options.merchant);
  if (tab.bannerInjected) {
    await sendView(tabId, { type: 'background:banner-view', view });
    return;
  }
  if (!view) return;
  await tabStates.set(tabId, { ...tab, bannerInjected: true });
  try {
    // The view goes with the script, into the extension's isolated world (the page cannot see
    // it): the banner draws at once instead of asking for it again (one round trip less).
    await browser.scripting.executeScript({
      target: { tabId },
      func: (initial: BannerView) => {
        (globalThis as { ristourneInitialView?: BannerView }).ristourneInitialView = initial;
      },
      args: [view],
      injectImmediately: true,
    });
    await browser.scripting.executeScript({
      target: { tabId },
      files: [BANNER_SCRIPT],
      injectImmediately: true,
    });
  } catch {
    // The tab navigated away or is a page we may not script (the store, an error page).
    await tabStates.set(tabId, { ...tab, bannerInjected: false });
  }
}

/**
 * Every tab of the merchant whose banner is on screen gets its new view (activated, closed,
 * stand-down…); tabs without a banner get none injected by a change made elsewhere.
 */
export async function refreshMerchantBanners(
  deps: BackgroundDeps,
  merchantId: string,
): Promise<void> {
  const tabs = await tabsOfMerchant(merchantId);
  await Promise.all(
    tabs.map(async (tabId) => {
      const tab = await tabStates.get(tabId);
      if (!tab?.bannerInjected) return;
      const view = await bannerViewFor(deps, tabId, tab);
      await sendView(tabId, { type: 'background:banner-view', view });
    }),
  );
}

async function sendView(tabId: number, update: BannerUpdate): Promise<void> {
  try {
    await browser.tabs.sendMessage(tabId, update);
  } catch {
    // No banner listening any more (the page replaced its document): nothing to update.
  }
}
