/**
 * Gets the banner onto a tab, or updates the one already there. The banner script is injected
 * on demand into merchant pages only: other pages never receive any extension code.
 */
import { browser } from 'wxt/browser';
import type { BackgroundDeps } from '../background/deps';
import { tabStates, tabsOfMerchant } from '../background/stores';
import type { TabState } from '../background/state';
import { bannerViewFor, type BannerFacts } from './view';
import type { StoredMerchant } from '../merchants/list';
import { hasAccessTo } from '../platform/host-access';
import { injectionTarget, messageTarget } from '../platform/browser-target';
import type { BannerUpdate, BannerView } from '../protocol/messages';
import { orderWatchFor } from '../orders/flow';
import type { OrderUrlKind } from '../orders/order-url';

/** An unlisted script (entrypoints/banner.tsx): not in the manifest, not web-accessible. */
export const BANNER_SCRIPT = '/banner.js';
/** The order watch (entrypoints/order-watch.ts), only where the member activated. */
export const ORDER_WATCH_SCRIPT = '/order-watch.js';

/**
 * Puts the banner on the tab's page when its decision says so: right after the page commits
 * (the script then waits for the document), again at DOMContentLoaded if that failed, and after
 * a same-document navigation, when `update` also refreshes a banner already there.
 */
export async function deliverBanner(
  deps: BackgroundDeps,
  tabId: number,
  options: {
    update: boolean;
    merchant?: StoredMerchant | null;
    /**
     * What the visit flow has just stored and read (utils/visit/flow.ts): the tab's state and the
     * merchant's facts, so that the banner leaves without reading them again.
     */
    visit?: { state: TabState; facts?: BannerFacts };
  },
): Promise<void> {
  const tab = options.visit?.state ?? (await tabStates.get(tabId));
  if (!tab || (tab.bannerInjected && !options.update)) return;
  // No merchant and no banner to take down: nothing more to read (most pages one browses).
  if (!tab.merchantId && !tab.bannerInjected) return;
  const merchant =
    options.merchant ?? (tab.merchantId ? await deps.merchants.get(tab.merchantId) : null);
  if (tab.bannerInjected) {
    const [view, orderWatch] = await Promise.all([
      bannerViewFor(deps, tabId, tab, merchant, options.visit?.facts),
      // A same-document navigation loads no page: a single-page shop's checkout, where the
      // member activated, becomes its confirmation in the same document. The watch goes again.
      orderWatchFor(deps, tab, merchant, options.visit?.facts?.session),
    ]);
    await Promise.all([
      sendView(tabId, tab, { type: 'background:banner-view', view }),
      orderWatch && sendOrderWatch(tabId, tab, orderWatch),
    ]);
    return;
  }
  const [view, access, orderWatch] = await Promise.all([
    bannerViewFor(deps, tabId, tab, merchant, options.visit?.facts),
    // Chrome leaves an injection pending for good where the member withheld our access.
    hasAccessTo(tab.url),
    // After an activation, the script also comes to notice the order (utils/orders/flow.ts).
    orderWatchFor(deps, tab, merchant, options.visit?.facts?.session),
  ]);
  if ((!view && !orderWatch) || !access) return;
  await tabStates.set(tabId, { ...tab, bannerInjected: true });
  try {
    // One round trip: the view and the script leave together. The view is sent as it is while
    // the script's file is read first, so the view normally arrives first and the banner draws
    // at once; either order works (handOverView), the other one only asks for the view again.
    // Both go to the document that committed, not to whatever the tab shows by then.
    // The order watch, which reads what the handover left, follows it: it waits for the page's
    // load anyway.
    const target = injectionTarget(tabId, tab.documentId);
    await Promise.all([handOver(target, tab, view, orderWatch), injectBannerScript(target)]);
  } catch {
    // The tab navigated away or is a page we may not script (the store, an error page).
    await tabStates.set(tabId, { ...tab, bannerInjected: false });
  }
}

/** The handover (view and order watch), then the order watch's script that reads it. */
async function handOver(
  target: ReturnType<typeof injectionTarget>,
  tab: TabState,
  view: BannerView | null,
  orderWatch: OrderUrlKind | null,
): Promise<void> {
  await browser.scripting.executeScript({
    target,
    func: handOverView,
    args: [view, orderWatch, originOf(tab.url)],
    injectImmediately: true,
  });
  if (orderWatch) await browser.scripting.executeScript({ target, files: [ORDER_WATCH_SCRIPT] });
}

/** Async, so that a call that throws at once rejects like one that fails later: both are caught. */
async function injectBannerScript(target: ReturnType<typeof injectionTarget>): Promise<void> {
  await browser.scripting.executeScript({
    target,
    files: [BANNER_SCRIPT],
    injectImmediately: true,
  });
}

/** The order watch alone, into the document the banner is already in. */
async function sendOrderWatch(tabId: number, tab: TabState, orderWatch: OrderUrlKind) {
  try {
    await handOver(injectionTarget(tabId, tab.documentId), tab, null, orderWatch);
  } catch {
    // The document is gone (the tab moved on): its next page gets its own delivery.
  }
}

/**
 * Runs in the page's isolated world (the page cannot see it), serialised on its own: the banner
 * already there takes the view, or the script about to start finds it (entrypoints/banner.tsx).
 * A page of another origin than the merchant's is not the document the view was meant for (a
 * browser that names no document injected into the tab's next one): the view is dropped there,
 * and a banner script started there asks the background, which checks who asks.
 */
export function handOverView(
  view: BannerView | null,
  orderWatch: OrderUrlKind | null,
  origin: string,
): void {
  if (location.origin !== origin) return;
  const world = globalThis as {
    ristourneInitialView?: BannerView;
    ristourneReceiveView?: (view: BannerView) => void;
    ristourneOrderWatch?: OrderUrlKind;
  };
  if (orderWatch) world.ristourneOrderWatch = orderWatch;
  if (!view) return;
  if (world.ristourneReceiveView) world.ristourneReceiveView(view);
  else world.ristourneInitialView = view;
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
      await sendView(tabId, tab, { type: 'background:banner-view', view });
    }),
  );
}

async function sendView(tabId: number, tab: TabState, update: BannerUpdate): Promise<void> {
  try {
    await browser.tabs.sendMessage(tabId, update, messageTarget(tab.documentId));
  } catch {
    // No banner listening any more (the page replaced its document): nothing to update.
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}
