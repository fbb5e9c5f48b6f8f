/**
 * What the background's flows need from the rest of the extension, as one interface: the
 * flows stay testable with fakes, and entrypoints/background.ts binds the real modules.
 */
import type { CompiledSignals } from './affiliate-signals';
import type { StoredMerchant } from './merchant-list';
import type { Settings } from './messages';
import type { PortalClient } from './portal-client';

export interface BackgroundDeps {
  now(): number;
  portal: PortalClient;
  merchants: {
    matchUrl(url: string): Promise<StoredMerchant | null>;
    get(id: string): Promise<StoredMerchant | null>;
    standDownSignals(): Promise<CompiledSignals>;
    isMuted(merchantId: string): Promise<boolean>;
    mute(merchant: StoredMerchant): Promise<void>;
  };
  settings(): Promise<Settings>;
  /** The member's token, or null when signed out. */
  token(): Promise<string | null>;
  /** A 401 from the portal: forget the token and every personal figure. */
  signedOut(): Promise<void>;
}
