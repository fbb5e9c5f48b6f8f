/**
 * What a tab's banner shows, from the stored state: the glue between storage and the pure
 * banner decision (utils/banner/decision.ts).
 */
import { activationStatus } from '../activation/status';
import type { MerchantSession, TabState } from '../background/state';
import { getMerchantSession, isStandingDown } from '../background/stores';
import type { BackgroundDeps } from '../background/deps';
import { decideBanner } from './decision';
import type { BannerText, BannerView, Settings } from '../protocol/messages';
import { bannerCopy } from './copy';
import { config } from '../config';
import type { StoredMerchant } from '../merchants/list';
import { summariseMerchant } from '../merchants/summary';
import { t } from '../format/i18n';
import { messagesLocale } from '../format/locale';
import { cashbackValue } from '../format/money';

/** What the banner decision needs to know of the merchant besides the tab's page. */
export interface BannerFacts {
  session: MerchantSession;
  standDown: boolean;
  muted: boolean;
  settings: Settings;
}

/** Reads the facts; the visit flow reads them along with its own reads instead (utils/visit/flow.ts). */
export async function readBannerFacts(
  deps: BackgroundDeps,
  merchantId: string,
  now: number,
): Promise<BannerFacts> {
  const [session, standDown, muted, settings] = await Promise.all([
    getMerchantSession(merchantId),
    isStandingDown(merchantId, now),
    deps.merchants.isMuted(merchantId),
    deps.settings(),
  ]);
  return { session, standDown, muted, settings };
}

export async function bannerViewFor(
  deps: BackgroundDeps,
  tabId: number,
  tab: TabState | null,
  /** The tab's merchant when the caller has it at hand (saves reading it again). */
  known?: StoredMerchant | null,
  /** Its facts, read by the caller (the visit flow) just before. */
  knownFacts?: BannerFacts,
): Promise<BannerView | null> {
  if (!tab?.merchantId) return null;
  const merchant = known?.id === tab.merchantId ? known : await deps.merchants.get(tab.merchantId);
  if (!merchant) return null;
  const now = deps.now();
  const { session, standDown, muted, settings } =
    knownFacts ?? (await readBannerFacts(deps, merchant.id, now));
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
  const figure = cashbackValue(merchant.cashback, messagesLocale(t));
  const view: BannerView =
    status.state === 'error'
      ? { merchant: summary, variant: 'error', failure: status.failure, figure }
      : { merchant: summary, variant: decision.variant, figure };
  return { ...view, text: bannerText(view) };
}

/** The banner's words for a view, written here: the page then starts neither i18n nor Intl. */
export function bannerText(view: BannerView): BannerText {
  const brand = config.brand.name;
  const { detail, action, ...copy } = bannerCopy(view, t, brand);
  return {
    ...copy,
    ...(detail === undefined ? {} : { detail }),
    ...(action === undefined ? {} : { action }),
    region: t('banner_region_label', [brand]),
    close: t('banner_close'),
    mute: t('banner_mute'),
  };
}
