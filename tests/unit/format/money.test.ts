import { describe, expect, it } from 'vitest';
import type { Cashback } from '../../../utils/contract/schemas';
import {
  badgeText,
  cashbackValue,
  formatMoney,
  formatPercent,
  minorUnitDigits,
  offerPhrase,
  offerText,
} from '../../../utils/format/money';
import { plain, translator } from '../helpers/i18n';

const fr = translator('fr');
const en = translator('en');

const percent = (value: number, upTo = false): Cashback => ({ type: 'percent', value, upTo });
const amount = (value: number, currency = 'EUR', upTo = false): Cashback => ({
  type: 'amount',
  value,
  currency,
  upTo,
});

describe('formatMoney', () => {
  it.each([
    [1250, 'EUR', 'fr', '12,50 €'],
    [1250, 'EUR', 'en', '€12.50'],
    [340, 'EUR', 'fr', '3,40 €'],
    [0, 'EUR', 'fr', '0,00 €'],
    [123450, 'EUR', 'fr', '1 234,50 €'],
    [123450, 'EUR', 'en', '€1,234.50'],
    [1500, 'JPY', 'en', '¥1,500'],
    [1500, 'JPY', 'fr', '1 500 JPY'],
    [12345, 'KWD', 'en', 'KWD 12.345'],
    [999, 'USD', 'en', '$9.99'],
  ])('%i minor units of %s in %s → %s', (minor, currency, locale, expected) => {
    expect(plain(formatMoney(minor, currency, locale))).toBe(expected);
  });

  it('reads the minor-unit digits from Intl', () => {
    expect(minorUnitDigits('EUR')).toBe(2);
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('KWD')).toBe(3);
  });

  it('writes French amounts with a no-break space before the euro sign', () => {
    expect(formatMoney(1250, 'EUR', 'fr')).toBe('12,50\u00a0€');
  });
});

describe('formatPercent and the offer wording', () => {
  it.each([
    [4.5, 'fr', '4,5 %'],
    [4.5, 'en', '4.5%'],
    [3, 'fr', '3 %'],
    [0.25, 'en', '0.25%'],
    [12.125, 'fr', '12,13 %'],
  ])('%s %% in %s → %s', (value, locale, expected) => {
    expect(plain(formatPercent(value, locale))).toBe(expected);
  });

  it('gives the rate alone', () => {
    expect(plain(cashbackValue(percent(4.5), 'fr'))).toBe('4,5 %');
    expect(plain(cashbackValue(amount(1500), 'fr'))).toBe('15,00 €');
    expect(plain(cashbackValue(amount(1500), 'en'))).toBe('€15.00');
  });

  it('says "up to" only when the offer is a maximum', () => {
    expect(plain(offerText(percent(4.5, true), 'fr', fr))).toBe("Jusqu'à 4,5 %");
    expect(plain(offerText(percent(4.5, true), 'en', en))).toBe('Up to 4.5%');
    expect(plain(offerText(percent(4.5), 'fr', fr))).toBe('4,5 %');
    expect(plain(offerText(amount(1500, 'EUR', true), 'en', en))).toBe('Up to €15.00');
  });

  it.each([
    [percent(4.5, true), 'fr', "Jusqu'à 4,5 % de cashback"],
    [percent(3), 'fr', '3 % de cashback'],
    [amount(1500), 'fr', '15,00 € de cashback'],
    [amount(1250, 'EUR', true), 'fr', "Jusqu'à 12,50 € de cashback"],
    [percent(0.25), 'fr', '0,25 % de cashback'],
    [percent(7.125), 'fr', '7,13 % de cashback'],
    [percent(4.5, true), 'en', 'Up to 4.5% cashback'],
    [percent(3), 'en', '3% cashback'],
    [amount(1250, 'EUR', true), 'en', 'Up to €12.50 cashback'],
    [amount(500, 'JPY'), 'en', '¥500 cashback'],
    [amount(999, 'USD'), 'en', '$9.99 cashback'],
  ])('words the offer %j in %s: %s', (cashback, locale, expected) => {
    expect(plain(offerPhrase(cashback, locale, translator(locale as 'fr' | 'en')))).toBe(expected);
  });

  it('makes a phrase of the offer', () => {
    expect(plain(offerPhrase(percent(4.5, true), 'fr', fr))).toBe("Jusqu'à 4,5 % de cashback");
    expect(plain(offerPhrase(amount(1500), 'fr', fr))).toBe('15,00 € de cashback');
    expect(plain(offerPhrase(amount(1500), 'en', en))).toBe('€15.00 cashback');
  });
});

describe('badgeText', () => {
  it.each([
    [percent(4.5), 'fr', '4,5%'],
    [percent(4.5), 'en', '4.5%'],
    [percent(3), 'fr', '3%'],
    [percent(100), 'en', '100%'],
    // Shorter forms round down: the badge never promises more than the offer.
    [percent(12.5), 'fr', '12%'],
    [percent(4.25), 'en', '4.2%'],
    [percent(4.1), 'en', '4.1%'],
    [percent(0.5), 'fr', '0,5%'],
    [amount(1500), 'fr', '15€'],
    [amount(1500), 'en', '€15'],
    [amount(1599), 'fr', '15€'],
    [amount(500), 'en', '€5'],
  ])('%j in %s → %s', (cashback, locale, expected) => {
    expect(badgeText(cashback, locale)).toBe(expected);
  });

  it('keeps within 4 characters where it can, else gives the shortest form', () => {
    expect(badgeText(amount(150_000), 'en')).toBe('€1.5K');
    expect(badgeText(amount(50), 'fr')).toBe('0,50€');
  });
});
