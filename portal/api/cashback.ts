/**
 * What a conversion earns the member: `orderAmount × rate` rounded to the cent (half up), or the
 * merchant's fixed amount. Integer arithmetic on a rate scaled to 1e-4 %, so that 2.25 % of 10.00 €
 * is 23 cents and not 22 because of binary floating point.
 */
import type { Cashback } from '../../utils/contract/schemas';

const RATE_SCALE = 10_000;

export function cashbackFor(cashback: Cashback, orderAmount: number): number {
  if (!Number.isSafeInteger(orderAmount) || orderAmount < 0) {
    throw new RangeError(`orderAmount must be a non-negative integer: ${orderAmount}`);
  }
  if (cashback.type === 'amount') return cashback.value;
  const scaledRate = Math.round(cashback.value * RATE_SCALE);
  const divisor = 100 * RATE_SCALE;
  return Math.floor((orderAmount * scaledRate + divisor / 2) / divisor);
}

/** "4,5 %", "jusqu'à 15,00 €" (no-break spaces): the rate as the pages show it. */
export function formatCashback(cashback: Cashback): string {
  const value =
    cashback.type === 'percent'
      ? `${cashback.value.toLocaleString('fr-FR', { maximumFractionDigits: 2 })}\u00a0%`
      : formatMoney(cashback.value, cashback.currency);
  return cashback.upTo ? `jusqu'à ${value}` : value;
}

export function formatMoney(minorUnits: number, currency = 'EUR'): string {
  return (minorUnits / 100).toLocaleString('fr-FR', { style: 'currency', currency });
}
