/**
 * Which transaction tracks which order seen: same merchant, within the activation's window, a
 * matching amount when known; one for one; and when an order is expected, tracked or missing.
 */
import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../../utils/contract/schemas';
import type { OrderSeen } from '../../../utils/orders/journal';
import { amountMatches, trackOrders } from '../../../utils/orders/tracking';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const HOUR = 60 * 60_000;

const order = (patch: Partial<OrderSeen> = {}): { key: string; order: OrderSeen } => ({
  key: patch.orderRef ?? 'k',
  order: {
    merchantId: 'fnac',
    merchantName: 'Fnac',
    clickId: 'c_1',
    activatedAt: T0 - 10 * 60_000,
    seenAt: T0,
    detection: 'portal-path',
    orderRef: 'CMD-1',
    amount: { value: 5990, currency: 'EUR' },
    expectedBy: T0 + 48 * HOUR,
    claimUntil: T0 + 90 * 24 * HOUR,
    ...patch,
  },
});

const transaction = (patch: Partial<Transaction> = {}): Transaction => ({
  id: 't_1',
  merchantId: 'fnac',
  merchantName: 'Fnac',
  orderedAt: new Date(T0 + 60_000).toISOString(),
  orderAmount: 4992,
  cashback: 225,
  status: 'pending',
  ...patch,
});

const figures = (transactions: Transaction[], fetchedAt = T0 + 49 * HOUR) => ({
  currency: 'EUR',
  transactions,
  fetchedAt,
});

describe('amountMatches', () => {
  it.each([
    [5990, 5990, true],
    [5990, 4992, true], // without VAT
    [5990, 5991, true], // a cent's rounding
    [5990, 6100, false], // above the page's total
    [5990, 2000, false], // another, smaller order
  ])('seen %i, reported %i → %s', (seen, reported, expected) => {
    expect(amountMatches(seen, reported)).toBe(expected);
  });
});

describe('trackOrders', () => {
  it.each<[string, Partial<OrderSeen>, Transaction[], number, string]>([
    ['a matching transaction', {}, [transaction()], T0 + HOUR, 'tracked'],
    ['another merchant’s', {}, [transaction({ merchantId: 'darty' })], T0 + 49 * HOUR, 'missing'],
    [
      'one ordered before the activation',
      {},
      [transaction({ orderedAt: new Date(T0 - 2 * HOUR).toISOString() })],
      T0 + 49 * HOUR,
      'missing',
    ],
    [
      'one ordered days after the page',
      {},
      [transaction({ orderedAt: new Date(T0 + 72 * HOUR).toISOString() })],
      T0 + 80 * HOUR,
      'missing',
    ],
    ['one of another amount', {}, [transaction({ orderAmount: 15000 })], T0 + 49 * HOUR, 'missing'],
    ['a cancelled one', {}, [transaction({ status: 'cancelled' })], T0 + 49 * HOUR, 'missing'],
    [
      'any amount when the page showed none',
      { amount: undefined },
      [transaction({ orderAmount: 15000 })],
      T0 + HOUR,
      'tracked',
    ],
    ['nothing yet, within the delay', {}, [], T0 + 47 * HOUR, 'expected'],
    ['nothing, the delay passed', {}, [], T0 + 49 * HOUR, 'missing'],
    ['nothing, no delay known', { expectedBy: undefined }, [], T0 + 900 * HOUR, 'expected'],
  ])('%s → %s', (_what, patch, transactions, now, state) => {
    const [tracked] = trackOrders([order(patch)], figures(transactions, now), now);
    expect(tracked!.progress.state).toBe(state);
  });

  it('never says missing from figures fetched before the delay passed', () => {
    const [tracked] = trackOrders([order()], figures([], T0 + HOUR), T0 + 49 * HOUR);
    expect(tracked!.progress).toEqual({ state: 'expected', expectedBy: T0 + 48 * HOUR });
    expect(trackOrders([order()], null, T0 + 49 * HOUR)[0]!.progress.state).toBe('expected');
  });

  it('gives each transaction to one order: two orders at one shop told apart by amount', () => {
    const small = order({ orderRef: 'CMD-S', amount: { value: 1000, currency: 'EUR' } });
    const large = order({ orderRef: 'CMD-L', amount: { value: 9000, currency: 'EUR' } });
    const result = trackOrders(
      [small, large],
      figures([transaction({ id: 't_large', orderAmount: 8500 })]),
      T0 + 49 * HOUR,
    );
    expect(result.map((r) => r.progress.state)).toEqual(['missing', 'tracked']);
    expect(result[1]!.progress).toMatchObject({ transaction: { id: 't_large' } });
  });

  it('says until when a missing order may be claimed', () => {
    const [tracked] = trackOrders([order()], figures([]), T0 + 49 * HOUR);
    expect(tracked!.progress).toEqual({
      state: 'missing',
      since: T0 + 48 * HOUR,
      claimableUntil: T0 + 90 * 24 * HOUR,
    });
  });
});
