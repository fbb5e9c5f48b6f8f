/**
 * A payout as the member composes it in the popup, checked before it is sent: the amount typed
 * (in the currency's units, "12,50" or "12.50") read as integer minor units, the method's
 * minimum and fee, the balance. Pure: the popup shows what it returns, and the portal checks it
 * all again (docs/payouts.md).
 */
import { maxPayoutAmount, payoutFee } from '../contract/payout-fee';
import type { PayoutOptions, PayoutRequest } from '../contract/schemas';
import { minorUnitDigits } from '../format/money';

export type PayoutChoice =
  | { method: 'transfer'; amount: number }
  | { method: 'voucher'; brandId: string; amount: number }
  | { method: 'donation'; charityId: string; amount: number };

export type PayoutProblem =
  | 'below-threshold'
  | 'not-offered'
  | 'no-account'
  | 'unknown-target'
  | 'invalid-amount'
  | 'below-minimum'
  | 'above-balance';

export type PayoutPlan =
  | { ok: true; request: PayoutRequest; amount: number; fee: number; debit: number }
  | { ok: false; problem: PayoutProblem; minimum?: number };

/**
 * "12,50", "12.50", "12", " 1 200,5 " → minor units of `currency`; null for anything else
 * (negative, more decimals than the currency has, letters, empty).
 */
export function parseAmount(text: string, currency: string): number | null {
  const digits = minorUnitDigits(currency);
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  const pattern =
    digits === 0 ? /^(\d{1,12})$/ : new RegExp(`^(\\d{1,12})(?:\\.(\\d{1,${digits}}))?$`);
  const match = pattern.exec(cleaned);
  if (!match) return null;
  const fraction = (match[2] ?? '').padEnd(digits, '0');
  return Number(match[1]) * 10 ** digits + (fraction === '' ? 0 : Number(fraction));
}

/** The most the member can take by `method` (fees included in the balance), or 0. */
export function largestAmount(options: PayoutOptions, method: 'transfer' | 'donation'): number {
  const rules = options[method];
  return rules ? maxPayoutAmount(rules.fee, options.available) : 0;
}

export function planPayout(options: PayoutOptions, choice: PayoutChoice): PayoutPlan {
  if (options.available < options.threshold) return { ok: false, problem: 'below-threshold' };
  const rules = options[choice.method];
  if (!rules) return { ok: false, problem: 'not-offered' };
  if (choice.method === 'transfer' && options.transfer?.account == null) {
    return { ok: false, problem: 'no-account' };
  }
  if (choice.method === 'voucher') {
    const brand = options.voucher?.brands.find((candidate) => candidate.id === choice.brandId);
    if (!brand) return { ok: false, problem: 'unknown-target' };
    if (!brand.denominations.includes(choice.amount))
      return { ok: false, problem: 'invalid-amount' };
  }
  if (
    choice.method === 'donation' &&
    !options.donation?.charities.some((charity) => charity.id === choice.charityId)
  ) {
    return { ok: false, problem: 'unknown-target' };
  }
  if (!Number.isSafeInteger(choice.amount) || choice.amount <= 0) {
    return { ok: false, problem: 'invalid-amount' };
  }
  if (choice.amount < rules.minimum) {
    return { ok: false, problem: 'below-minimum', minimum: rules.minimum };
  }
  const fee = payoutFee(rules.fee, choice.amount);
  const debit = choice.amount + fee;
  if (debit > options.available) return { ok: false, problem: 'above-balance' };
  const currency = options.currency;
  const request: PayoutRequest =
    choice.method === 'transfer'
      ? { method: 'transfer', amount: choice.amount, currency }
      : choice.method === 'voucher'
        ? { method: 'voucher', amount: choice.amount, currency, brandId: choice.brandId }
        : { method: 'donation', amount: choice.amount, currency, charityId: choice.charityId };
  return { ok: true, request, amount: choice.amount, fee, debit };
}
