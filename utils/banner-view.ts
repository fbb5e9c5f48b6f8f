/**
 * What a tab's banner shows, from the stored state: the glue between storage and the pure
 * banner decision (utils/banner-decision.ts).
 */
import { activationStatus } from './activation-status';
import type { TabState } from './background-state';
import { getMerchantSession, isStandingDown } from './background-stores';
import type { BackgroundDeps } from './background-deps';
import { decideBanner } from './banner-decision';
import type { BannerView } from './messages';
import type { StoredMerchant } from './merchant-list';
import { summariseMerchant } from './merchant-summary';

export async function bannerViewFor(
  deps: BackgroundDeps,
  tabId: number,
  tab: TabState | null,
  /** The tab's merchant when the caller has it at hand (saves reading it again). */
  known?: StoredMerchant | null,
): Promise<BannerView | null> {
  if (!tab?.merchantId) return null;
  const merchant = known?.id === tab.merchantId ? known : await deps.merchants.get(tab.merchantId);
  if (!merchant) return null;
  const now = deps.now();
  const [session, standDown, muted, settings] = await Promise.all([
    getMerchantSession(merchant.id),
    isStandingDown(merchant.id, now),
    deps.merchants.isMuted(merchant.id),
    deps.settings(),
  ]);
  const status = activationStatus(session.activation, now, tabId);
  // A banner on screen when the activation completed (in another tab, say) turns into the
  // confirmation; a later page view of an activated merchant shows nothing.
  const confirmHere =
    tab.landedFromActivation ||
    (status.state === 'activated' && tab.bannerInjected && status.at >= tab.at);
  const decision = decideBanner({
    merchant,
    pageKind: tab.pageKind,
    activation: status.state === 'error' ? 'none' : status.state,
    landedFromActivation: confirmHere,
    standDown,
    dismissedThisSession: session.dismissed,
    mutedSite: muted,
    settings,
  });
  if (!decision.show) return null;
  const summary = summariseMerchant(merchant);
  if (status.state === 'error')
    return { merchant: summary, variant: 'error', failure: status.failure };
  return { merchant: summary, variant: decision.variant };
}
