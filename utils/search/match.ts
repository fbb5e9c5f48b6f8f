/**
 * The background's answer to a results page: which of its results' hostnames are partner
 * merchants to mark, with the mark's words. Matching is local (the merchant index); nothing of
 * the request leaves the machine, and nothing of it is stored.
 */
import { config } from '../config';
import type { BackgroundDeps } from '../background/deps';
import { isStandingDown } from '../background/stores';
import { t as browserTranslate, type Translate } from '../format/i18n';
import { messagesLocale } from '../format/locale';
import { offerPhrase } from '../format/money';
import type { StoredMerchant } from '../merchants/list';
import type { SearchMatch, SearchOffer } from '../protocol/messages';
import { decideSearchMark } from './decision';

/** The merchant of a search result's URL when its result is to be marked, else null. */
export async function markableMerchant(
  deps: BackgroundDeps,
  url: string,
  enabled: boolean,
): Promise<StoredMerchant | null> {
  if (!enabled) return null;
  const merchant = await deps.merchants.matchUrl(url);
  if (!merchant) return null;
  const [standDown, muted] = await Promise.all([
    isStandingDown(merchant.id, deps.now()),
    deps.merchants.isMuted(merchant.id),
  ]);
  return decideSearchMark({ enabled, merchant, standDown, muted }).mark ? merchant : null;
}

export async function matchSearchResults(
  deps: BackgroundDeps,
  hostnames: readonly string[],
  translate: Translate = browserTranslate,
): Promise<SearchMatch> {
  const { searchMarks } = await deps.settings();
  const locale = messagesLocale(translate);
  const unique = [...new Set(hostnames)];
  const offers = await Promise.all(
    unique.map(async (hostname) => {
      const merchant = await markableMerchant(deps, `https://${hostname}/`, searchMarks);
      return [hostname, merchant && searchOffer(merchant, locale, translate)] as const;
    }),
  );
  return {
    offers: Object.fromEntries(offers),
    words: {
      activating: translate('search_mark_activating'),
      failed: translate('search_mark_failed'),
      signIn: translate('search_mark_sign_in'),
    },
  };
}

function searchOffer(merchant: StoredMerchant, locale: string, translate: Translate): SearchOffer {
  const label = offerPhrase(merchant.cashback, locale, translate);
  return {
    merchantId: merchant.id,
    label,
    action: translate('search_mark_action', [label, merchant.name, config.brand.name]),
  };
}
