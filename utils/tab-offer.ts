/**
 * What the popup shows about a tab: the merchant's offer with its activation state, also where
 * the banner stays quiet (a policy that forbids prompts, a stand-down, a muted site).
 */
import { activationStatus } from './activation-status';
import { getMerchantSession, isStandingDown, tabStates } from './background-stores';
import type { BackgroundDeps } from './background-deps';
import { hostnameOfUrl } from './domain';
import type { TabOffer } from './messages';
import { summariseMerchant } from './merchant-summary';

export async function tabOffer(
  deps: BackgroundDeps,
  tabId: number,
  /** The tab's URL as the browser reports it, for tabs opened before the extension was. */
  currentUrl: string | undefined,
): Promise<TabOffer> {
  const state = await tabStates.get(tabId);
  const url = state?.url ?? currentUrl;
  if (!url) return { kind: 'unsupported' };
  const hostname = hostnameOfUrl(url);
  if (!hostname) return { kind: 'unsupported' };
  const merchant = state
    ? state.merchantId
      ? await deps.merchants.get(state.merchantId)
      : null
    : await deps.merchants.matchUrl(url);
  if (!merchant) return { kind: 'not-merchant', hostname };
  const now = deps.now();
  const [session, standDown, muted] = await Promise.all([
    getMerchantSession(merchant.id),
    isStandingDown(merchant.id, now),
    deps.merchants.isMuted(merchant.id),
  ]);
  return {
    kind: 'merchant',
    merchant: summariseMerchant(merchant),
    activation: activationStatus(session.activation, now, tabId),
    standDown,
    muted,
  };
}
