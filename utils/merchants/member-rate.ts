/**
 * The rate a member earns at a merchant (docs/portal-api.md §5): their tier's, where the merchant
 * names it in `tierCashback`; otherwise, and for everyone signed out, the public `cashback`.
 * Applied where the background reads a merchant (utils/background/deps.ts), so the badge, the
 * banner and the popup all show the member's own rate.
 */
import type { Cashback, Merchant } from '../contract/schemas';

export function memberCashback(
  merchant: Pick<Merchant, 'cashback' | 'tierCashback'>,
  tierId: string | null,
): Cashback {
  if (tierId === null) return merchant.cashback;
  // An own property only: a tier named "constructor" or "__proto__" is no tier of the entry's.
  const rates = merchant.tierCashback;
  return rates && Object.hasOwn(rates, tierId) ? rates[tierId]! : merchant.cashback;
}

/** The merchant with `cashback` the member's own rate. */
export function forMember<M extends Pick<Merchant, 'cashback' | 'tierCashback'>>(
  merchant: M,
  tierId: string | null,
): M {
  const cashback = memberCashback(merchant, tierId);
  return cashback === merchant.cashback ? merchant : { ...merchant, cashback };
}
