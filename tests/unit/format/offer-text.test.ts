import { describe, expect, it } from 'vitest';
import type { Cashback } from '../../../utils/contract/schemas';
import { translator } from '../helpers/i18n';
import { offerText, offerValue } from '../../../utils/format/offer-text';

/** Intl writes French with narrow and ordinary no-break spaces ("4,5 %", "15,00 €"). */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

const upTo45: Cashback = { type: 'percent', value: 4.5, upTo: true };
const flat3: Cashback = { type: 'percent', value: 3, upTo: false };
const eur15: Cashback = { type: 'amount', value: 1500, currency: 'EUR', upTo: false };
const upToEur1250: Cashback = { type: 'amount', value: 1250, currency: 'EUR', upTo: true };

describe('offerText', () => {
  it.each([
    [upTo45, "Jusqu'à 4,5 % de cashback"],
    [flat3, '3 % de cashback'],
    [eur15, '15,00 € de cashback'],
    [upToEur1250, "Jusqu'à 12,50 € de cashback"],
    [{ type: 'percent', value: 0.25, upTo: false } as Cashback, '0,25 % de cashback'],
  ])('in French: %j → %s', (cashback, expected) => {
    expect(plain(offerText(cashback, translator('fr')))).toBe(expected);
  });

  it.each([
    [upTo45, 'Up to 4.5% cashback'],
    [flat3, '3% cashback'],
    [eur15, '€15.00 cashback'],
    [upToEur1250, 'Up to €12.50 cashback'],
  ])('in English: %j → %s', (cashback, expected) => {
    expect(plain(offerText(cashback, translator('en')))).toBe(expected);
  });
});

describe('offerText figures', () => {
  it('reads amounts in the minor units of their currency', () => {
    const en = translator('en');
    expect(offerText({ type: 'amount', value: 500, currency: 'JPY', upTo: false }, en)).toBe(
      '¥500 cashback',
    );
    expect(offerText({ type: 'amount', value: 999, currency: 'USD', upTo: false }, en)).toBe(
      '$9.99 cashback',
    );
  });

  it('keeps at most two decimals of a percentage', () => {
    const cashback: Cashback = { type: 'percent', value: 7.125, upTo: false };
    expect(plain(offerText(cashback, translator('fr')))).toBe('7,13 % de cashback');
  });
});

describe('offerValue', () => {
  it('is the figure alone, written in the language of the messages', () => {
    expect(plain(offerValue(upTo45, translator('fr')))).toBe('4,5 %');
    expect(offerValue(upTo45, translator('en'))).toBe('4.5%');
    expect(plain(offerValue(eur15, translator('fr')))).toBe('15,00 €');
    expect(offerValue(eur15, translator('en'))).toBe('€15.00');
  });
});
