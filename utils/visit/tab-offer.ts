/**
 * What the popup shows about a tab: the merchant's offer with its activation state, also where
 * the banner stays quiet (a policy that forbids prompts, a stand-down, a muted site); or that
 * the member withdrew the host access it needs to tell.
 */
import { activationStatus } from '../activation/status';
import { getMerchantSession, isStandingDown, tabStates } from '../background/stores';
import type { BackgroundDeps } from '../background/deps';
import { hostnameOfUrl } from '../merchants/domain';
import type { TabOffer } from '../protocol/messages';
import { summariseMerchant } from '../merchants/summary';

/** Whether the member left the extension its host access (utils/platform/host-access.ts). */
export interface HostAccessProbe {
  allSites(): Promise<boolean>;
  site(url: string): Promise<boolean>;
}

export async function tabOffer(
  deps: BackgroundDeps,
  tabId: number,
  /** The tab's URL as the browser reports it, for tabs opened before the extension was. */
  currentUrl: string | undefined,
  /** Without it, the offer is computed as if the extension could see every site. */
  access?: HostAccessProbe,
): Promise<TabOffer> {
  const state = await tabStates.get(tabId);
  const url = state?.url ?? currentUrl;
  // Without host access (and without the `tabs` permission), the browser hides the address of
  // a tab opened meanwhile: this is not a browser page, it is a page we may not see.
  if (!url) {
    return access && !(await access.allSites())
      ? { kind: 'no-access', hostname: null }
      : { kind: 'unsupported' };
  }
  const hostname = hostnameOfUrl(url);
  if (!hostname) return { kind: 'unsupported' };
  // Navigation events still name the site, but neither the banner nor the redirect chain can
  // reach it: say that access is missing rather than offer half of the service.
  if (access && !(await access.site(url))) return { kind: 'no-access', hostname };
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
