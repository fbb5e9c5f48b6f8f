/**
 * The fee of a payout, as the contract defines it (docs/portal-api.md §5): `fixed` minor units plus
 * `percent` of the amount, rounded half up to the minor unit, taken on top of the amount. The
 * portal charges it and the extension shows it before the member confirms, with the same
 * arithmetic: integers only (the rate is scaled to 1e-4 %, and the product is a BigInt, so that
 * neither binary fractions nor large amounts round a cent the wrong way).
 */
import type { PayoutFee } from './schemas';

const RATE_SCALE = 10_000n;
const DIVISOR = 100n * RATE_SCALE;

export function payoutFee(fee: PayoutFee, amount: number): number {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`amount must be a non-negative integer: ${amount}`);
  }
  const scaledRate = BigInt(Math.round(fee.percent * Number(RATE_SCALE)));
  const proportional = (BigInt(amount) * scaledRate + DIVISOR / 2n) / DIVISOR;
  return fee.fixed + Number(proportional);
}

/** What leaves the cagnotte: the amount and its fee. */
export function payoutDebit(fee: PayoutFee, amount: number): number {
  return amount + payoutFee(fee, amount);
}

/**
 * The largest amount whose debit fits in `available` (0 when not even the fixed fee does): what
 * "everything" means for a transfer or a donation.
 */
export function maxPayoutAmount(fee: PayoutFee, available: number): number {
  if (available <= fee.fixed) return 0;
  const scaledRate = BigInt(Math.round(fee.percent * Number(RATE_SCALE)));
  // A first guess from the rate without its rounding, then the rounding settled one step at a time.
  let amount = Number((BigInt(available - fee.fixed) * DIVISOR) / (DIVISOR + scaledRate));
  while (amount > 0 && payoutDebit(fee, amount) > available) amount -= 1;
  while (payoutDebit(fee, amount + 1) <= available) amount += 1;
  return amount;
}
