/**
 * When the member gives host access back, the merchant pages already open get their badge and
 * banner at once, instead of at their next navigation. Called synchronously at the top of the
 * background's `main`, so a worker woken by the permission change has its listener in place.
 */
import { browser } from 'wxt/browser';
import { tabStates } from '../background/stores';
import type { BackgroundDeps } from '../background/deps';
import { showBadge } from '../visit/badge';
import { deliverBanner } from '../banner/delivery';
import { hasAllSitesAccess, hasAccessTo, onHostAccessChange } from './host-access';
import { inTabOrder } from '../visit/tab-queue';

export function setUpHostAccessWatch(deps: BackgroundDeps): void {
  onHostAccessChange(() => {
    void restoreOpenMerchantTabs(deps).catch((error: unknown) =>
      console.warn('[ristourne] host access change:', error),
    );
  });
}

export async function restoreOpenMerchantTabs(deps: BackgroundDeps): Promise<void> {
  // A withdrawal needs nothing: the browser itself stops the banner and hides the addresses.
  const [allSites, tabs] = await Promise.all([hasAllSitesAccess(), browser.tabs.query({})]);
  await Promise.all(
    tabs.map(async ({ id: tabId }) => {
      if (tabId === undefined) return;
      const state = await tabStates.get(tabId);
      if (!state?.merchantId || !(allSites || (await hasAccessTo(state.url)))) return;
      const merchant = await deps.merchants.get(state.merchantId);
      await inTabOrder(tabId, () =>
        Promise.all([showBadge(tabId, merchant), deliverBanner(deps, tabId, { update: false })]),
      );
    }),
  );
}
