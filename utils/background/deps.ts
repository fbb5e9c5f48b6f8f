/**
 * What the background's flows need from the rest of the extension, as one interface: the
 * flows stay testable with fakes, and `bindBackgroundDeps` binds the real modules (for
 * entrypoints/background.ts, and for tests that start a whole background over fake storage).
 */
import type { Account } from '../account/account';
import {
  BUILT_IN_SIGNALS,
  mergeStandDownSignals,
  type CompiledSignals,
} from '../visit/affiliate-signals';
import type { StoredMerchant } from '../merchants/list';
import { forMember } from '../merchants/member-rate';
import type { MerchantStore } from '../merchants/store';
import type { Settings } from '../protocol/messages';
import type { PortalClient } from '../contract/client';
import { getSettings } from '../storage/settings';
import { merchantSessionUpdater, type MerchantSessionUpdate } from './stores';
import type { OrderJournal } from '../orders/journal';

export interface BackgroundDeps {
  now(): number;
  /** This worker's incarnation (random at each start): tells what a stopped worker left half-done. */
  worker: string;
  portal: PortalClient;
  merchants: {
    /** The merchant with the member's own rate (member-rate.ts). */
    matchUrl(url: string): Promise<StoredMerchant | null>;
    get(id: string): Promise<StoredMerchant | null>;
    standDownSignals(): Promise<CompiledSignals>;
    isMuted(merchantId: string): Promise<boolean>;
    mute(merchant: StoredMerchant): Promise<void>;
  };
  settings(): Promise<Settings>;
  /** The member's token, or null when signed out. */
  token(): Promise<string | null>;
  /** The portal answered 401 to `token`: forget the session if it is still that one. */
  signedOut(token: string): Promise<void>;
  /** Changes a merchant's session record, one change at a time per merchant (stores.ts). */
  updateMerchantSession: MerchantSessionUpdate;
  /**
   * What follows the click (utils/orders/): the member's activation history and the orders seen
   * after them, and whose they are. Absent, activations are not followed.
   */
  followUp?: { journal: OrderJournal; memberId(): Promise<string | null> };
}

export function bindBackgroundDeps(parts: {
  now: () => number;
  worker: string;
  portal: PortalClient;
  store: MerchantStore;
  account: Pick<Account, 'getToken' | 'getTier' | 'getMemberId' | 'forgetSession'>;
  journal?: OrderJournal;
}): BackgroundDeps {
  const { store, account } = parts;
  // The member's own rate, read only for the merchants that have tier rates (most have none).
  const ownRate = async (merchant: StoredMerchant | null) =>
    merchant?.tierCashback ? forMember(merchant, await account.getTier()) : merchant;
  return {
    now: parts.now,
    worker: parts.worker,
    portal: parts.portal,
    merchants: {
      matchUrl: async (url) => ownRate(await store.matchUrl(url)),
      get: async (id) => ownRate(await store.getMerchant(id)),
      standDownSignals: async () =>
        mergeStandDownSignals(BUILT_IN_SIGNALS, await store.getStandDownList()),
      isMuted: (id) => store.isMuted(id),
      mute: (merchant) => store.muteSite(merchant),
    },
    settings: getSettings,
    token: () => account.getToken(),
    signedOut: (token) => account.forgetSession(token),
    updateMerchantSession: merchantSessionUpdater(),
    ...(parts.journal
      ? { followUp: { journal: parts.journal, memberId: () => account.getMemberId() } }
      : {}),
  };
}
