/**
 * The background's answer to every request of the protocol (utils/protocol/messages.ts), bound to the
 * flows that implement them. The router (utils/protocol/router.ts) has already validated the
 * request and who sent it; a banner request always concerns the sender's own tab.
 */
import { browser } from 'wxt/browser';
import { activateSearchResult, activateTab } from '../activation/flow';
import type { Account } from '../account/account';
import { tabStates } from './stores';
import type { BackgroundDeps } from './deps';
import { bannerViewFor } from '../banner/view';
import { hasAccessTo, hasAllSitesAccess } from '../platform/host-access';
import type { MerchantStore } from '../merchants/store';
import type { Handlers } from '../protocol/router';
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

  const merchantOfTab = async (tabId: number) => {
    const state = await tabStates.get(tabId);
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
      const tabId = ownTab(sender.tabId);
      return bannerViewFor(deps, tabId, await tabStates.get(tabId));
    },
    'banner:activate': async (_request, sender) =>
      activateTab(deps, ownTab(sender.tabId), ctx.onMerchantChange, { source: 'banner' }),
    'banner:dismiss': async (_request, sender) => {
      const merchant = await merchantOfTab(ownTab(sender.tabId));
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
      const merchant = await merchantOfTab(ownTab(sender.tabId));
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
      (await store.searchMerchants(query, 20)).map(summariseMerchant),
    ...ctx.account.handlers,
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
