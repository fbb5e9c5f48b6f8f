import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../../utils/orders/money-input';

describe('parseAmount', () => {
  it.each([
    ['42', { value: 4200 }],
    ['42,9', { value: 4290 }],
    ['42.50', { value: 4250 }],
    ['0,99 €', { value: 99, currency: 'EUR' }],
    ['1 234,56 €', { value: 123456, currency: 'EUR' }],
    ['1\u202f234,56\u00a0€', { value: 123456, currency: 'EUR' }],
    ['1.234,56', { value: 123456 }],
    ['1,234.56', { value: 123456 }],
    ['1,234', { value: 123400 }],
    ["1'234.50 CHF", { value: 123450, currency: 'CHF' }],
    ['€1,234.56', { value: 123456, currency: 'EUR' }],
    ['€42.50', { value: 4250, currency: 'EUR' }],
    ['12,90 EUR', { value: 1290, currency: 'EUR' }],
    ['eur 12', { value: 1200, currency: 'EUR' }],
    ['$12.99', { value: 1299, currency: 'USD' }],
    ['£5', { value: 500, currency: 'GBP' }],
  ])('reads %j', (text, expected) => {
    expect(parseAmount(text)).toEqual(expected);
  });

  it.each([
    '',
    'abc',
    '12 XYZ',
    '1,2345',
    '12.',
    ',5',
    '1..2',
    '-12',
    '12 €€',
    '99999999999999999999',
  ])('refuses %j', (text) => {
    expect(parseAmount(text)).toBeUndefined();
  });
});
