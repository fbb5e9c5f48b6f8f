/**
 * The one message protocol between the extension's contexts. Messages are named by direction:
 * `BackgroundRequest` goes to the background (from the banner, the popup, the options and
 * welcome pages); `BannerUpdate` goes from the background to a tab's banner.
 * This file holds types and the tiny send helper only, so the banner script can import it
 * without zod; the background validates every request with utils/protocol/message-schemas.ts.
 */
import { browser } from 'wxt/browser';
import type { Cagnotte, Cashback, PromptsPolicy, User } from '../contract/schemas';

/** What the UI needs of a merchant (never the whole stored record). */
export interface MerchantSummary {
  id: string;
  name: string;
  cashback: Cashback;
  terms?: string;
  logoUrl?: string;
  prompts: PromptsPolicy;
}

export type ActivationFailure =
  | { reason: 'signed-out' }
  | { reason: 'portal-unreachable' }
  | { reason: 'unknown-merchant' }
  /** Another extension (an ad blocker, typically) blocked a hop of the affiliate redirect. */
  | { reason: 'blocked'; host: string }
  | { reason: 'not-a-merchant' }
  | { reason: 'failed'; detail: string };

export type ActivationStatus =
  | { state: 'none' }
  | { state: 'activating' }
  | { state: 'activated'; at: number }
  | { state: 'error'; failure: ActivationFailure };

/** What a tab's banner shows; `null` means no banner. */
export interface BannerView {
  merchant: MerchantSummary;
  variant: 'offer' | 'checkout-reminder' | 'activating' | 'activated' | 'error';
  failure?: ActivationFailure;
  /**
   * The offer's figure ("4,5 %", "15,00 €") as the background wrote it: a page's fresh process
   * takes tens of milliseconds to start Intl, which would hold the banner's first drawing.
   */
  figure?: string;
  /** The banner's words for this very view, written by the background for the same reason. */
  text?: BannerText;
}

export interface BannerText {
  title: string;
  detail?: string;
  action?: { label: string; busy: boolean };
  canMute: boolean;
  /** The card's accessible name, the close button's label, the mute link. */
  region: string;
  close: string;
  mute: string;
}

export type TabOffer =
  | { kind: 'unsupported' }
  /**
   * The member withdrew the extension's host access to this site (or to all sites, and then
   * the tab's address is unknown: `hostname` is null). Whether it is a merchant is unknown.
   */
  | { kind: 'no-access'; hostname: string | null }
  | { kind: 'not-merchant'; hostname: string }
  | {
      kind: 'merchant';
      merchant: MerchantSummary;
      activation: ActivationStatus;
      /** This visit came through another affiliate: the popup says so neutrally. */
      standDown: boolean;
      muted: boolean;
    };

export type AccountView =
  | { signedIn: false }
  | {
      signedIn: true;
      user: User;
      cagnotte: { figures: Cagnotte; fetchedAt: number } | null;
      /** The last refresh failed: figures are the last known ones. */
      refreshError: 'portal-unreachable' | 'failed' | null;
    };

export interface Settings {
  /** Banners and checkout reminders on merchant sites. */
  reminders: boolean;
  /** Only on cart and checkout pages. */
  checkoutOnly: boolean;
  /** Notify when a transaction appears or is confirmed. */
  notifications: boolean;
}

export type SignInResult =
  | { ok: true; account: AccountView }
  | { ok: false; reason: 'invalid-credentials' | 'portal-unreachable' | 'failed' };

/** Why the last sync failed, in words the options page translates. */
export type SyncFailureKind =
  'unreachable' | 'timeout' | 'portal-error' | 'unreadable' | 'too-large' | 'storage';

export interface SyncStatusView {
  merchantCount: number;
  lastSuccessAt: number | null;
  /** `message` is the technical detail (for support), `kind` what the member is told. */
  lastError: { kind: SyncFailureKind; message: string; at: number } | null;
  syncing: boolean;
}

export interface MutedSiteView {
  merchantId: string;
  name: string;
  mutedAt: number;
}

/** Every request to the background, with the type of its answer. */
export interface BackgroundProtocol {
  // from the banner: always about the sender's own tab (the background uses sender.tab.id)
  'banner:get-view': { request: Record<string, never>; response: BannerView | null };
  'banner:activate': { request: Record<string, never>; response: ActivationStatus };
  'banner:dismiss': { request: Record<string, never>; response: null };
  'banner:mute': { request: Record<string, never>; response: null };
  // from the popup
  'popup:get-offer': { request: { tabId: number }; response: TabOffer };
  'popup:activate': { request: { tabId: number }; response: ActivationStatus };
  'popup:search': { request: { query: string }; response: MerchantSummary[] };
  // from any extension page
  'account:get': { request: Record<string, never>; response: AccountView };
  'account:refresh': { request: Record<string, never>; response: AccountView };
  'account:sign-in': { request: { email: string; password: string }; response: SignInResult };
  'account:sign-out': { request: Record<string, never>; response: AccountView };
  'settings:get': { request: Record<string, never>; response: Settings };
  'settings:set': { request: Partial<Settings>; response: Settings };
  'muted:list': { request: Record<string, never>; response: MutedSiteView[] };
  'muted:unmute': { request: { merchantId: string }; response: MutedSiteView[] };
  'sync:status': { request: Record<string, never>; response: SyncStatusView };
  'sync:now': { request: Record<string, never>; response: SyncStatusView };
}

export type BackgroundRequestType = keyof BackgroundProtocol;
export type BackgroundRequest = {
  [T in BackgroundRequestType]: { type: T } & BackgroundProtocol[T]['request'];
}[BackgroundRequestType];

/** The background answers every request with this envelope, so a failure is a value. */
export type Answer<T> = { ok: true; value: T } | { ok: false; error: string };

export async function sendToBackground<T extends BackgroundRequestType>(
  type: T,
  request: BackgroundProtocol[T]['request'],
): Promise<BackgroundProtocol[T]['response']> {
  const answer = (await browser.runtime.sendMessage({ type, ...request })) as
    Answer<BackgroundProtocol[T]['response']> | undefined;
  if (!answer) throw new Error(`No answer to ${type}`);
  if (!answer.ok) throw new Error(answer.error);
  return answer.value;
}

/** From the background to one tab's banner. */
export interface BannerUpdate {
  type: 'background:banner-view';
  view: BannerView | null;
}
