import { describe, expect, it } from 'vitest';
import { largestAmount, parseAmount, planPayout } from '../../../utils/account/payout-plan';
import type { PayoutOptions } from '../../../utils/contract/schemas';

const OPTIONS: PayoutOptions = {
  currency: 'EUR',
  threshold: 1000,
  available: 4295,
  transfer: {
    minimum: 1000,
    fee: { fixed: 50, percent: 0 },
    account: { masked: 'FR76 •••• 0189' },
  },
  voucher: {
    minimum: 1000,
    fee: { fixed: 0, percent: 0 },
    brands: [{ id: 'bazar', name: 'Le Grand Bazar', denominations: [1000, 2000, 5000] }],
  },
  donation: {
    minimum: 100,
    fee: { fixed: 0, percent: 0 },
    charities: [{ id: 'forets', name: 'Forêts Vivantes', description: '' }],
  },
};

describe('parseAmount', () => {
  it.each([
    ['12,50', 'EUR', 1250],
    ['12.5', 'EUR', 1250],
    ['12', 'EUR', 1200],
    [' 1 200,05 ', 'EUR', 120005],
    ['0,07', 'EUR', 7],
    ['12,505', 'EUR', null],
    ['-3', 'EUR', null],
    ['1e3', 'EUR', null],
    ['', 'EUR', null],
    ['douze', 'EUR', null],
    ['1500', 'JPY', 1500],
    ['15.5', 'JPY', null],
  ])('%j in %s → %j', (text, currency, expected) => {
    expect(parseAmount(text, currency)).toBe(expected);
  });
});

describe('planPayout', () => {
  it.each([
    // A transfer: the fee on top, within the balance.
    [
      { method: 'transfer', amount: 4245 },
      { ok: true, fee: 50, debit: 4295 },
    ],
    [
      { method: 'transfer', amount: 4246 },
      { ok: false, problem: 'above-balance' },
    ],
    [
      { method: 'transfer', amount: 999 },
      { ok: false, problem: 'below-minimum', minimum: 1000 },
    ],
    [
      { method: 'transfer', amount: 0 },
      { ok: false, problem: 'invalid-amount' },
    ],
    [
      { method: 'transfer', amount: 12.5 },
      { ok: false, problem: 'invalid-amount' },
    ],
    // A voucher: only the brand's denominations.
    [
      { method: 'voucher', brandId: 'bazar', amount: 2000 },
      { ok: true, fee: 0, debit: 2000 },
    ],
    [
      { method: 'voucher', brandId: 'bazar', amount: 5000 },
      { ok: false, problem: 'above-balance' },
    ],
    [
      { method: 'voucher', brandId: 'bazar', amount: 1500 },
      { ok: false, problem: 'invalid-amount' },
    ],
    [
      { method: 'voucher', brandId: 'other', amount: 1000 },
      { ok: false, problem: 'unknown-target' },
    ],
    // A donation: all or part.
    [
      { method: 'donation', charityId: 'forets', amount: 4295 },
      { ok: true, fee: 0, debit: 4295 },
    ],
    [
      { method: 'donation', charityId: 'forets', amount: 100 },
      { ok: true, fee: 0, debit: 100 },
    ],
    [
      { method: 'donation', charityId: 'nobody', amount: 100 },
      { ok: false, problem: 'unknown-target' },
    ],
  ] as const)('%j → %j', (choice, expected) => {
    expect(planPayout(OPTIONS, choice)).toMatchObject(expected);
  });

  it('refuses everything below the threshold, and a transfer without an account', () => {
    expect(
      planPayout(
        { ...OPTIONS, available: 999 },
        { method: 'donation', charityId: 'forets', amount: 100 },
      ),
    ).toEqual({ ok: false, problem: 'below-threshold' });
    const noAccount = { ...OPTIONS, transfer: { ...OPTIONS.transfer!, account: null } };
    expect(planPayout(noAccount, { method: 'transfer', amount: 2000 })).toEqual({
      ok: false,
      problem: 'no-account',
    });
  });

  it('refuses a method the portal does not offer', () => {
    const { voucher: _voucher, ...noVoucher } = OPTIONS;
    expect(planPayout(noVoucher, { method: 'voucher', brandId: 'bazar', amount: 1000 })).toEqual({
      ok: false,
      problem: 'not-offered',
    });
  });

  it('builds the request the contract expects', () => {
    expect(
      planPayout(OPTIONS, { method: 'donation', charityId: 'forets', amount: 500 }),
    ).toMatchObject({
      request: { method: 'donation', amount: 500, currency: 'EUR', charityId: 'forets' },
    });
  });

  it('takes everything the balance allows, fees included', () => {
    expect(largestAmount(OPTIONS, 'transfer')).toBe(4245);
    expect(largestAmount(OPTIONS, 'donation')).toBe(4295);
  });
});
