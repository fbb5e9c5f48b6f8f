/** Fake dependencies for the background's flows: a tiny merchant directory and a scripted portal. */
import { vi } from 'vitest';
import { BUILT_IN_SIGNALS, mergeStandDownSignals } from '../../../utils/affiliate-signals';
import type { BackgroundDeps } from '../../../utils/background-deps';
import type { StoredMerchant } from '../../../utils/merchant-list';
import type { Settings } from '../../../utils/messages';
import type { PortalClient } from '../../../utils/portal-client';

export const FNAC: StoredMerchant = {
  id: 'fnac',
  name: 'Fnac',
  domains: ['fnac.com'],
  cashback: { type: 'percent', value: 4.5, upTo: true },
  checkoutPaths: ['/panier'],
  prompts: 'allowed',
};

export const HOTEL: StoredMerchant = {
  id: 'hotel-co',
  name: 'Hotel & Co',
  domains: ['hotel-co.fr'],
  cashback: { type: 'amount', value: 1500, currency: 'EUR', upTo: false },
  prompts: 'checkout-only',
};

export const PORTAL_URL = 'http://localhost:8787';

export function fakeDeps(overrides: Partial<BackgroundDeps> = {}) {
  let now = Date.parse('2026-11-23T10:00:00Z');
  const merchants = [FNAC, HOTEL];
  const muted = new Set<string>();
  const settings: Settings = { reminders: true, checkoutOnly: false, notifications: true };
  let token: string | null = 'tok';
  const portal = {
    createClick: vi.fn(async (_token: string, click: { merchantId: string; url: string }) => ({
      ok: true as const,
      value: { clickId: 'c_1', redirectUrl: `${PORTAL_URL}/go/c_1?m=${click.merchantId}` },
    })),
  };
  const signals = mergeStandDownSignals(BUILT_IN_SIGNALS, {
    params: ['rdclid'],
    referrerHosts: ['poulpeo.com'],
  });
  const deps: BackgroundDeps = {
    now: () => now,
    portal: portal as unknown as PortalClient,
    merchants: {
      async matchUrl(url) {
        const host = new URL(url).hostname;
        return (
          merchants.find((m) => m.domains.some((d) => host === d || host.endsWith(`.${d}`))) ?? null
        );
      },
      async get(id) {
        return merchants.find((m) => m.id === id) ?? null;
      },
      async standDownSignals() {
        return signals;
      },
      async isMuted(id) {
        return muted.has(id);
      },
      async mute(merchant) {
        muted.add(merchant.id);
      },
    },
    settings: async () => settings,
    token: async () => token,
    signedOut: vi.fn(async () => {
      token = null;
    }),
    ...overrides,
  };
  return {
    deps,
    portal,
    settings,
    muted,
    advance(ms: number) {
      now += ms;
    },
    signOut() {
      token = null;
    },
  };
}
