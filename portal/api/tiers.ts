/**
 * Membership tiers: a free one, and a paid one whose members earn more at the merchants that say
 * so (`tierCashback` in the merchant list, docs/portal-api.md §5). A member's tier is sent with
 * the member (`tier` of /me and of the sign-in); conversions credit the member's own rate.
 */
import type { Cashback, Tier } from '../../utils/contract/schemas';

export const TIER_IDS = ['free', 'premium'] as const;
export type TierId = (typeof TIER_IDS)[number];

export const TIERS: Record<TierId, Tier> = {
  free: { id: 'free', name: 'Essentiel' },
  premium: { id: 'premium', name: 'Premium' },
};

export function isTierId(value: unknown): value is TierId {
  return typeof value === 'string' && (TIER_IDS as readonly string[]).includes(value);
}

/** The rate a member of `tier` earns: the tier's own when the merchant has one, else the public rate. */
export function rateFor(
  merchant: { cashback: Cashback; tierCashback?: Partial<Record<string, Cashback>> },
  tier: TierId,
): Cashback {
  return merchant.tierCashback?.[tier] ?? merchant.cashback;
}
