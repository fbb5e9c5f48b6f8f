/**
 * Where each order seen stands against the member's transactions (docs/claims.md). Pure.
 *
 *   expected   no transaction yet, and the merchant's tracking delay has not passed
 *   tracked    a transaction of the same merchant, ordered within the window of the order's
 *              activation, and of a matching amount when the page showed one
 *   missing    the delay passed with no such transaction: the member may claim it (until the
 *              merchant's claim window closes, when the portal gives one)
 *
 * A transaction tracks one order at most, and an order one transaction: two orders at the same
 * shop are told apart by their amounts, then by time.
 */
import type { Transaction } from '../contract/schemas';
import type { OrderSeen } from './journal';

/** Clocks differ (the member's, the merchant's, the network's): the window's slack. */
export const CLOCK_SLACK_MS = 15 * 60_000;
/** A sale is reported with the order's time, at most this long after the page was seen. */
const REPORTED_WITHIN_MS = 24 * 60 * 60_000;

/**
 * Networks report the amount the commission is paid on: without shipping, often without VAT, so
 * lower than the page's total but never above it (a cent's rounding aside).
 */
export function amountMatches(seen: number, reported: number): boolean {
  return reported <= seen + 1 && reported >= Math.floor(seen * 0.6);
}

export type OrderProgress =
  | { state: 'expected'; expectedBy: number | null }
  | { state: 'tracked'; transaction: Transaction }
  | { state: 'missing'; since: number; claimableUntil: number | null };

export interface TrackedOrder<O extends { order: OrderSeen }> {
  entry: O;
  progress: OrderProgress;
}

function fits(order: OrderSeen, transaction: Transaction, currency: string): boolean {
  if (transaction.merchantId !== order.merchantId) return false;
  if (transaction.status === 'cancelled') return false;
  const at = Date.parse(transaction.orderedAt);
  if (at < order.activatedAt - CLOCK_SLACK_MS || at > order.seenAt + REPORTED_WITHIN_MS) {
    return false;
  }
  if (order.amount && order.amount.currency === currency) {
    return amountMatches(order.amount.value, transaction.orderAmount);
  }
  return true;
}

export function trackOrders<O extends { order: OrderSeen }>(
  entries: readonly O[],
  /** The cagnotte's transactions and when they were fetched (null: none yet). */
  figures: { currency: string; transactions: readonly Transaction[]; fetchedAt: number } | null,
  now: number,
): TrackedOrder<O>[] {
  const taken = new Set<string>();
  const byOrder = new Map<O, Transaction>();
  // Orders with an amount first: they are the most particular.
  const ordered = [...entries].sort(
    (a, b) =>
      Number(b.order.amount !== undefined) - Number(a.order.amount !== undefined) ||
      a.order.seenAt - b.order.seenAt,
  );
  for (const entry of ordered) {
    const { order } = entry;
    const candidates = (figures?.transactions ?? []).filter(
      (transaction) => !taken.has(transaction.id) && fits(order, transaction, figures!.currency),
    );
    const closeness = (transaction: Transaction) =>
      Math.abs(transaction.orderAmount - (order.amount?.value ?? transaction.orderAmount)) * 1e9 +
      Math.abs(Date.parse(transaction.orderedAt) - order.seenAt);
    const best = candidates.sort((a, b) => closeness(a) - closeness(b))[0];
    if (best) {
      taken.add(best.id);
      byOrder.set(entry, best);
    }
  }
  return entries.map((entry) => {
    const transaction = byOrder.get(entry);
    if (transaction) return { entry, progress: { state: 'tracked', transaction } };
    const expectedBy = entry.order.expectedBy ?? null;
    // Missing only by figures fetched after the delay: older ones could not show it yet.
    if (expectedBy === null || now < expectedBy || !figures || figures.fetchedAt < expectedBy) {
      return { entry, progress: { state: 'expected', expectedBy } };
    }
    return {
      entry,
      progress: {
        state: 'missing',
        since: expectedBy,
        claimableUntil: entry.order.claimUntil ?? null,
      },
    };
  });
}
