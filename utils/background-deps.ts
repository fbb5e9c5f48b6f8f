/**
 * What the background's flows need from the rest of the extension, as one interface: the
 * flows stay testable with fakes, and entrypoints/background.ts binds the real modules.
 */
import type { CompiledSignals } from './affiliate-signals';
import type { Merchant } from './contract';
import type { Settings } from './messages';
import type { PortalClient } from './portal-client';

/** A merchant as the extension stores it (validated, domains normalised). */
export type KnownMerchant = Merchant;

export interface BackgroundDeps {
  now(): number;
  portal: PortalClient;
  merchants: {
    matchUrl(url: string): Promise<KnownMerchant | null>;
    get(id: string): Promise<KnownMerchant | null>;
    standDownSignals(): Promise<CompiledSignals>;
    isMuted(merchantId: string): Promise<boolean>;
    mute(merchant: KnownMerchant): Promise<void>;
  };
  settings(): Promise<Settings>;
  /** The member's token, or null when signed out. */
  token(): Promise<string | null>;
  /** A 401 from the portal: forget the token and every personal figure. */
  signedOut(): Promise<void>;
}
