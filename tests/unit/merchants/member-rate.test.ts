import { describe, expect, it } from 'vitest';
import { forMember, memberCashback } from '../../../utils/merchants/member-rate';
import type { Cashback } from '../../../utils/contract/schemas';

const PUBLIC: Cashback = { type: 'percent', value: 6.5, upTo: true };
const PREMIUM: Cashback = { type: 'percent', value: 8, upTo: true };
const GOLD: Cashback = { type: 'amount', value: 3000, currency: 'EUR', upTo: false };

describe('memberCashback', () => {
  const merchant = { cashback: PUBLIC, tierCashback: { premium: PREMIUM, gold: GOLD } };
  it.each([
    ['signed out', null, PUBLIC],
    ['a free member (no rate for the tier)', 'free', PUBLIC],
    ['a premium member', 'premium', PREMIUM],
    ['a gold member (an amount)', 'gold', GOLD],
    ['a tier named like an Object property', 'constructor', PUBLIC],
    ['a tier named __proto__', '__proto__', PUBLIC],
  ])('%s', (_case, tier, expected) => {
    expect(memberCashback(merchant, tier)).toEqual(expected);
  });

  it('is the public rate at a merchant without tier rates (an older portal)', () => {
    expect(memberCashback({ cashback: PUBLIC }, 'premium')).toBe(PUBLIC);
  });
});

describe('forMember', () => {
  it('gives the merchant with the member’s rate, and the same object when it is the public one', () => {
    const merchant = { id: 'a', cashback: PUBLIC, tierCashback: { premium: PREMIUM } };
    expect(forMember(merchant, 'premium')).toEqual({ ...merchant, cashback: PREMIUM });
    expect(forMember(merchant, null)).toBe(merchant);
  });
});
