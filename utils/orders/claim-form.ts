/**
 * The claim form's check, before anything is sent (docs/claims.md). Pure. The member corrects
 * what the page showed (or fills what it did not); the click and the merchant are ours, never
 * typed. Errors name the field to fix.
 */
import { MAX_CLAIM_AMOUNT } from '../contract/schemas';
import { parseAmount } from './money-input';

export interface ClaimDraft {
  orderRef: string;
  /** `yyyy-mm-dd`, as a date input gives it. */
  orderedOn: string;
  /** As typed: "59,90", "59.90 €". */
  amount: string;
}

export type ClaimField = 'orderRef' | 'orderedOn' | 'amount';

export interface CheckedClaim {
  orderRef: string;
  orderedAt: string;
  orderAmount: number;
  currency: string;
}

const DAY_MS = 24 * 60 * 60_000;

export function checkClaimDraft(
  draft: ClaimDraft,
  order: { activatedAt: number; seenAt: number; currency: string },
  now: number,
): { ok: true; claim: CheckedClaim } | { ok: false; errors: ClaimField[] } {
  const errors: ClaimField[] = [];
  const orderRef = draft.orderRef.trim();
  if (orderRef.length === 0 || orderRef.length > 100 || /\p{Cc}/u.test(orderRef)) {
    errors.push('orderRef');
  }
  // The day of the order: not before the activation's day, not after today (a day of slack
  // either way for time zones).
  const day = /^\d{4}-\d{2}-\d{2}$/.test(draft.orderedOn)
    ? Date.parse(`${draft.orderedOn}T12:00:00Z`)
    : NaN;
  const validDay = Number.isFinite(day) && day >= order.activatedAt - DAY_MS && day <= now + DAY_MS;
  if (!validDay) errors.push('orderedOn');
  const amount = parseAmount(draft.amount);
  const amountOk =
    amount !== undefined &&
    amount.value > 0 &&
    amount.value <= MAX_CLAIM_AMOUNT &&
    (amount.currency === undefined || amount.currency === order.currency);
  if (!amountOk) errors.push('amount');
  if (errors.length > 0 || !amount) return { ok: false, errors };
  // The moment the page was seen when it is that day: the portal checks it against the click.
  const sameDay = new Date(order.seenAt).toISOString().slice(0, 10) === draft.orderedOn;
  return {
    ok: true,
    claim: {
      orderRef,
      orderedAt: new Date(sameDay ? order.seenAt : day).toISOString(),
      orderAmount: amount.value,
      currency: order.currency,
    },
  };
}
