/**
 * The background's answer to every request of the protocol (utils/protocol/messages.ts), bound to the
 * flows that implement them. The router (utils/protocol/router.ts) has already validated the
 * request and who sent it; a banner request always concerns the sender's own tab.
 */
import { browser } from 'wxt/browser';
import { activateSearchResult, activateTab } from '../activation/flow';
import type { Account } from '../account/account';
import type { Payouts } from '../account/payouts';
import { tabStates } from './stores';
import type { BackgroundDeps } from './deps';
import { bannerViewFor } from '../banner/view';
import { hasAccessTo, hasAllSitesAccess } from '../platform/host-access';
import type { MerchantStore } from '../merchants/store';
import type { Handlers, RequestSender } from '../protocol/router';
import { isSameDocument } from '../platform/browser-target';
import type { SyncErrorKind } from '../storage/db';
import type { SyncFailureKind, SyncStatusView } from '../protocol/messages';
import { summariseMerchant } from '../merchants/summary';
import { settingsHandlers } from '../storage/settings';
import { markableMerchant, matchSearchResults } from '../search/match';
import { syncSearchMarksScript } from '../search/registration';
import { tabOffer } from '../visit/tab-offer';
import { handleCommittedNavigation } from '../visit/flow';
import { handleOrderPage, orderViews } from '../orders/flow';
import { listClaims, submitClaim } from '../orders/claims';

const SYNC_FAILURE_KINDS: Record<SyncErrorKind, SyncFailureKind> = {
  network: 'unreachable',
  timeout: 'timeout',
  http: 'portal-error',
  'invalid-response': 'unreadable',
  'not-a-list': 'unreadable',
  'too-large': 'too-large',
  storage: 'storage',
};

export interface HandlerContext {
  deps: BackgroundDeps;
  store: MerchantStore;
  account: Account;
  payouts: Payouts;
  /** Every banner of the merchant follows a change of its state. */
  onMerchantChange: (merchantId: string) => Promise<void>;
  syncNow(): Promise<unknown>;
}

export function createBackgroundHandlers(ctx: HandlerContext): Handlers {
  const { deps, store } = ctx;

  const ownTab = (tabId: number | undefined): number => {
    if (tabId === undefined) throw new Error('no tab');
    return tabId;
  };

  /**
   * The banner's tab and what is known of its page, if the banner speaks from that very page:
   * a banner script that reached the tab's next document (a browser that names no document, a
   * quick redirect) must not show, activate, close nor mute the previous page's merchant.
   */
  const bannerTab = async (sender: RequestSender) => {
    const tabId = ownTab(sender.tabId);
    const state = await tabStates.get(tabId);
    const current = state !== null && (!sender.document || isSameDocument(state, sender.document));
    return { tabId, state: current ? state : null };
  };

  const merchantOfBanner = async (sender: RequestSender) => {
    const { state } = await bannerTab(sender);
    return state?.merchantId ? store.getMerchant(state.merchantId) : null;
  };

  const syncStatus = async (): Promise<SyncStatusView> => {
    const state = await store.getSyncState();
    return {
      merchantCount: state.counts?.merchants ?? 0,
      lastSuccessAt: state.lastSuccessAt,
      lastError: state.lastError && {
        kind: SYNC_FAILURE_KINDS[state.lastError.kind],
        message: state.lastError.message,
        at: state.lastError.at,
      },
      syncing: state.syncing,
    };
  };

  const mutedSites = async () =>
    (await store.listMutedSites()).map(({ merchantId, name, mutedAt }) => ({
      merchantId,
      name,
      mutedAt,
    }));

  return {
    'banner:get-view': async (_request, sender) => {
      const { tabId, state } = await bannerTab(sender);
      return bannerViewFor(deps, tabId, state);
    },
    'banner:activate': async (_request, sender) => {
      const { tabId, state } = await bannerTab(sender);
      if (!state) return { state: 'error', failure: { reason: 'not-a-merchant' } };
      return activateTab(deps, tabId, ctx.onMerchantChange, { source: 'banner' });
    },
    'banner:dismiss': async (_request, sender) => {
      const merchant = await merchantOfBanner(sender);
      if (merchant) {
        await deps.updateMerchantSession(merchant.id, (session) => ({
          ...session,
          dismissed: true,
        }));
        await ctx.onMerchantChange(merchant.id);
      }
      return null;
    },
    'banner:mute': async (_request, sender) => {
      const merchant = await merchantOfBanner(sender);
      if (merchant) {
        await store.muteSite(merchant);
        await ctx.onMerchantChange(merchant.id);
      }
      return null;
    },
    'banner:order-page': async ({ page }, sender) =>
      handleOrderPage(deps, ownTab(sender.tabId), page),
    'search:match': async ({ hostnames }) => matchSearchResults(deps, hostnames),
    'search:activate': async ({ url }, sender) => {
      const tabId = ownTab(sender.tabId);
      // The mark's own decision again: a mark left on screen after a stand-down, or after the
      // feature was turned off, activates nothing.
      const { searchMarks } = await deps.settings();
      if (!(await markableMerchant(deps, url, searchMarks))) {
        return { state: 'error', failure: { reason: 'not-a-merchant' } };
      }
      return activateSearchResult(deps, tabId, url, ctx.onMerchantChange);
    },
    'popup:get-offer': async ({ tabId }) => {
      const tab = await browser.tabs.get(tabId).catch(() => undefined);
      return tabOffer(deps, tabId, tab?.url, { allSites: hasAllSitesAccess, site: hasAccessTo });
    },
    'popup:activate': async ({ tabId }) => {
      // A tab opened before the extension was installed has no state yet.
      if (!(await tabStates.get(tabId))) {
        const url = (await browser.tabs.get(tabId).catch(() => undefined))?.url;
        if (url) await handleCommittedNavigation(deps, { tabId, url, clientRedirect: false });
      }
      return activateTab(deps, tabId, ctx.onMerchantChange, { source: 'popup' });
    },
    'popup:search': async ({ query }) =>
      (await store.searchMerchants(query, 20)).map((merchant) => summariseMerchant(merchant)),
    ...ctx.account.handlers,
    ...ctx.payouts.handlers,
    ...settingsHandlers,
    'settings:set': async (patch) => {
      const settings = await settingsHandlers['settings:set'](patch);
      // Off: the script is unregistered, and search pages get no code from the next one on.
      if (patch.searchMarks !== undefined) await syncSearchMarksScript(settings.searchMarks);
      return settings;
    },
    'muted:list': mutedSites,
    'muted:unmute': async ({ merchantId }) => {
      await store.unmuteSite(merchantId);
      return mutedSites();
    },
    'history:activations': async () => {
      const memberId = await deps.followUp?.memberId();
      if (!deps.followUp || !memberId) return [];
      const entries = await deps.followUp.journal.activations(memberId, deps.now());
      return entries.map(({ merchantId, merchantName, at, source, clickId }) => ({
        merchantId,
        merchantName,
        at,
        source,
        clickId,
      }));
    },
    'orders:list': async () => {
      const account = await ctx.account.getAccountView();
      return orderViews(deps, account.signedIn ? account.cagnotte : null);
    },
    'claims:list': async () => listClaims(deps),
    'claims:submit': async (request) => submitClaim(deps, request),
    'sync:status': syncStatus,
    'sync:now': async () => {
      await ctx.syncNow();
      return syncStatus();
    },
  };
}
