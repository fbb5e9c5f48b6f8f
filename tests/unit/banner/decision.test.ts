import { describe, expect, it } from 'vitest';
import type { PromptsPolicy } from '../../../utils/contract/schemas';
import {
  decideBanner,
  type BannerDecision,
  type BannerHiddenReason,
  type BannerInput,
} from '../../../utils/banner/decision';

const base: BannerInput = {
  merchant: { prompts: 'allowed' },
  pageKind: 'other',
  activation: 'none',
  landedFromActivation: false,
  standDown: false,
  dismissedThisSession: false,
  mutedSite: false,
  settings: { reminders: true, checkoutOnly: false },
};

const input = (
  overrides: Partial<Omit<BannerInput, 'merchant' | 'settings'>> & {
    prompts?: PromptsPolicy;
    reminders?: boolean;
    checkoutOnly?: boolean;
  },
): BannerInput => {
  const { prompts, reminders, checkoutOnly, ...rest } = overrides;
  return {
    ...base,
    ...rest,
    merchant: { prompts: prompts ?? base.merchant.prompts },
    settings: {
      reminders: reminders ?? base.settings.reminders,
      checkoutOnly: checkoutOnly ?? base.settings.checkoutOnly,
    },
  };
};

describe('decideBanner: named rows', () => {
  it.each<[string, BannerInput, BannerDecision]>([
    ['an allowed merchant, product page', input({}), { show: true, variant: 'offer' }],
    [
      'an allowed merchant, cart page',
      input({ pageKind: 'checkout' }),
      { show: true, variant: 'checkout-reminder' },
    ],
    [
      'stand-down beats even the activation confirmation',
      input({ standDown: true, activation: 'activated', landedFromActivation: true }),
      { show: false, reason: 'stand-down' },
    ],
    [
      'stand-down on a checkout page: no reminder, no warning',
      input({ standDown: true, pageKind: 'checkout' }),
      { show: false, reason: 'stand-down' },
    ],
    [
      'policy never, even on checkout with every setting allowing',
      input({ prompts: 'never', pageKind: 'checkout' }),
      { show: false, reason: 'policy-never' },
    ],
    [
      'policy checkout-only on a product page',
      input({ prompts: 'checkout-only' }),
      { show: false, reason: 'policy-checkout-only' },
    ],
    [
      'policy checkout-only on the cart',
      input({ prompts: 'checkout-only', pageKind: 'checkout' }),
      { show: true, variant: 'checkout-reminder' },
    ],
    [
      'the policy outranks the user muting the site',
      input({ prompts: 'never', mutedSite: true }),
      { show: false, reason: 'policy-never' },
    ],
    ['muted site', input({ mutedSite: true }), { show: false, reason: 'muted' }],
    [
      'closed this session',
      input({ dismissedThisSession: true, pageKind: 'checkout' }),
      { show: false, reason: 'dismissed' },
    ],
    ['reminders off', input({ reminders: false }), { show: false, reason: 'reminders-off' }],
    [
      "user's checkout-only setting on a product page",
      input({ checkoutOnly: true }),
      { show: false, reason: 'checkout-only-setting' },
    ],
    [
      "user's checkout-only setting on the cart",
      input({ checkoutOnly: true, pageKind: 'checkout' }),
      { show: true, variant: 'checkout-reminder' },
    ],
    ['activating', input({ activation: 'activating' }), { show: true, variant: 'activating' }],
    [
      'activated, on the landing of our activation',
      input({ activation: 'activated', landedFromActivation: true }),
      { show: true, variant: 'activated' },
    ],
    [
      'activated, any later page view',
      input({ activation: 'activated' }),
      { show: false, reason: 'already-activated' },
    ],
    [
      'activated, on the cart later: no reminder',
      input({ activation: 'activated', pageKind: 'checkout' }),
      { show: false, reason: 'already-activated' },
    ],
  ])('%s', (_name, given, expected) => {
    expect(decideBanner(given)).toEqual(expected);
  });
});

describe('decideBanner: the full cross product against an oracle', () => {
  const bools = [false, true] as const;
  const rows: BannerInput[] = [];
  for (const prompts of ['allowed', 'checkout-only', 'never'] as const)
    for (const pageKind of ['checkout', 'other'] as const)
      for (const activation of ['none', 'activating', 'activated'] as const)
        for (const landedFromActivation of bools)
          for (const standDown of bools)
            for (const dismissedThisSession of bools)
              for (const mutedSite of bools)
                for (const reminders of bools)
                  for (const checkoutOnly of bools)
                    rows.push({
                      merchant: { prompts },
                      pageKind,
                      activation,
                      landedFromActivation,
                      standDown,
                      dismissedThisSession,
                      mutedSite,
                      settings: { reminders, checkoutOnly },
                    });

  /** Written as "every blocker that applies, then the highest ranked one" rather than guards. */
  function oracle(row: BannerInput): BannerDecision {
    const offCheckout = row.pageKind !== 'checkout';
    const blockers: Record<BannerHiddenReason, boolean> = {
      'stand-down': row.standDown,
      'policy-never': row.merchant.prompts === 'never',
      'policy-checkout-only': row.merchant.prompts === 'checkout-only' && offCheckout,
      muted: row.mutedSite,
      dismissed: row.dismissedThisSession,
      'reminders-off': !row.settings.reminders,
      'checkout-only-setting': row.settings.checkoutOnly && offCheckout,
      'already-activated': row.activation === 'activated' && !row.landedFromActivation,
    };
    const ranked: BannerHiddenReason[] = [
      'stand-down',
      'policy-never',
      'policy-checkout-only',
      'muted',
      'dismissed',
      'reminders-off',
      'checkout-only-setting',
      'already-activated',
    ];
    const reason = ranked.find((r) => blockers[r]);
    if (reason) return { show: false, reason };
    const variant = {
      activated: 'activated',
      activating: 'activating',
      none: offCheckout ? 'offer' : 'checkout-reminder',
    } as const;
    return { show: true, variant: variant[row.activation] };
  }

  it('covers every combination', () => {
    expect(rows).toHaveLength(3 * 2 * 3 * 2 ** 6);
  });

  it('agrees with the oracle on every combination', () => {
    const disagreements = rows.filter(
      (row) => JSON.stringify(decideBanner(row)) !== JSON.stringify(oracle(row)),
    );
    expect(disagreements).toEqual([]);
  });

  it('holds the invariants on every combination', () => {
    for (const row of rows) {
      const decision = decideBanner(row);
      if (!decision.show) continue;
      expect(row.standDown).toBe(false);
      expect(row.merchant.prompts).not.toBe('never');
      expect(row.mutedSite || row.dismissedThisSession || !row.settings.reminders).toBe(false);
      if (row.merchant.prompts === 'checkout-only' || row.settings.checkoutOnly) {
        expect(row.pageKind).toBe('checkout');
      }
      if (row.activation === 'activated') {
        expect(decision.variant).toBe('activated');
        expect(row.landedFromActivation).toBe(true);
      }
    }
  });
});
