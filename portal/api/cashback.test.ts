import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cashbackFor, formatCashback } from './cashback';

/** orderAmount × percent / 100, rounded half up, in exact integer arithmetic. */
function exact(orderAmount: number, hundredthsOfPercent: number): number {
  const numerator = BigInt(orderAmount) * BigInt(hundredthsOfPercent);
  return Number((numerator * 2n + 10_000n) / 20_000n);
}

describe('cashbackFor', () => {
  it('rounds orderAmount × rate to the cent, half up', () => {
    expect(cashbackFor({ type: 'percent', value: 2.5, upTo: true }, 12999)).toBe(325);
    expect(cashbackFor({ type: 'percent', value: 2.25, upTo: false }, 1000)).toBe(23);
    expect(cashbackFor({ type: 'percent', value: 1.15, upTo: false }, 1000)).toBe(12);
    expect(cashbackFor({ type: 'percent', value: 6.5, upTo: false }, 8900)).toBe(579);
    expect(cashbackFor({ type: 'percent', value: 4, upTo: false }, 0)).toBe(0);
  });

  it('matches exact arithmetic for every rate with two decimals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (orderAmount, hundredths) => {
          const cashback = cashbackFor(
            { type: 'percent', value: hundredths / 100, upTo: false },
            orderAmount,
          );
          expect(cashback).toBe(exact(orderAmount, hundredths));
        },
      ),
    );
  });

  it('credits the fixed amount whatever the order', () => {
    const cashback = { type: 'amount', value: 1500, currency: 'EUR', upTo: false } as const;
    expect(cashbackFor(cashback, 100)).toBe(1500);
    expect(cashbackFor(cashback, 1_000_000)).toBe(1500);
  });

  it('refuses a negative or fractional order amount', () => {
    const cashback = { type: 'percent', value: 3, upTo: false } as const;
    expect(() => cashbackFor(cashback, -1)).toThrow(RangeError);
    expect(() => cashbackFor(cashback, 10.5)).toThrow(RangeError);
  });
});

describe('formatCashback', () => {
  it('writes rates the French way', () => {
    expect(formatCashback({ type: 'percent', value: 4.5, upTo: true })).toBe("jusqu'à 4,5\u00a0%");
    expect(formatCashback({ type: 'percent', value: 10, upTo: false })).toBe('10\u00a0%');
    expect(formatCashback({ type: 'amount', value: 1500, currency: 'EUR', upTo: false })).toBe(
      '15,00\u00a0€',
    );
  });
});
