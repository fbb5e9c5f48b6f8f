/**
 * Money and cashback rates as the member reads them. The portal sends money as an integer in
 * minor units with an ISO 4217 currency; Intl knows how many minor digits each currency has
 * (2 for EUR, 0 for JPY, 3 for KWD). Every function takes the locale: "12,50 €" in French,
 * "€12.50" in English.
 */
import type { Cashback } from '../contract/schemas';
import type { Translate } from './i18n';

function currencyFormat(currency: string, locale: string, options: Intl.NumberFormatOptions = {}) {
  return new Intl.NumberFormat(locale, { style: 'currency', currency, ...options });
}

/** How many minor units digits the currency has (2 for EUR, 0 for JPY). */
export function minorUnitDigits(currency: string): number {
  return currencyFormat(currency, 'en').resolvedOptions().maximumFractionDigits ?? 2;
}

/** 1250 EUR → "12,50 €" (fr), "€12.50" (en). */
export function formatMoney(minor: number, currency: string, locale: string): string {
  return currencyFormat(currency, locale).format(minor / 10 ** minorUnitDigits(currency));
}

/** 4.5 → "4,5 %" (fr), "4.5%" (en). The portal sends percentages, not fractions. */
export function formatPercent(value: number, locale: string, maximumFractionDigits = 2): string {
  // A unit rather than `style: 'percent'`: dividing by 100 would turn 4.5 into 0.045…
  // and bring binary rounding errors into the digits we show.
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'percent',
    maximumFractionDigits,
  }).format(value);
}

/** The rate alone: "4,5 %" or "15,00 €". */
export function cashbackValue(cashback: Cashback, locale: string): string {
  return cashback.type === 'percent'
    ? formatPercent(cashback.value, locale)
    : formatMoney(cashback.value, cashback.currency, locale);
}

/** The rate with its "up to": "Jusqu'à 4,5 %", "Up to 4.5%", "15,00 €". */
export function offerText(cashback: Cashback, locale: string, translate: Translate): string {
  const value = cashbackValue(cashback, locale);
  return cashback.upTo ? translate('common_up_to', [value]) : value;
}

/** The offer as a phrase: "Jusqu'à 4,5 % de cashback", "15,00 € de cashback". */
export function offerPhrase(cashback: Cashback, locale: string, translate: Translate): string {
  const value = cashbackValue(cashback, locale);
  return translate(cashback.upTo ? 'common_offer_up_to' : 'common_offer', [value]);
}

const BADGE_MAX_LENGTH = 4;

/**
 * The toolbar badge: "4,5%", "15€", at most 4 characters where possible (Chrome cuts longer
 * text). Shorter forms round down, never up: the badge must not promise more than the offer.
 */
export function badgeText(cashback: Cashback, locale: string): string {
  const full = cashbackValue(cashback, locale);
  const shorter =
    cashback.type === 'percent'
      ? percentForms(cashback.value, locale)
      : amountForms(cashback.value, cashback.currency, locale);
  // Spaces (no-break ones included) cost a character and read fine without.
  const forms = [full, ...shorter].map((text) => text.replace(/\s/g, ''));
  return forms.find((text) => text.length <= BADGE_MAX_LENGTH) ?? forms[forms.length - 1]!;
}

/** "12,5 %" then "12 %": fewer decimals, rounded down; none that would read 0. */
function percentForms(value: number, locale: string): string[] {
  return ([1, 0] as const).flatMap((digits) => {
    const floored = floorTo(value, digits);
    return floored > 0 ? [formatPercent(floored, locale, digits)] : [];
  });
}

/** "15 €" then "1,5 k€": whole units, then the compact notation, rounded down. */
function amountForms(minor: number, currency: string, locale: string): string[] {
  const units = minor / 10 ** minorUnitDigits(currency);
  if (units < 1) return [];
  const whole = currencyFormat(currency, locale, {
    maximumFractionDigits: 0,
    roundingMode: 'floor',
  });
  const compact = currencyFormat(currency, locale, {
    notation: 'compact',
    maximumFractionDigits: 1,
    roundingMode: 'floor',
  });
  return [whole.format(units), compact.format(units)];
}

/** Rounds down to 0 or 1 decimal (for those, `value * 10` of a one-decimal rate is exact). */
function floorTo(value: number, digits: 0 | 1): number {
  const scale = 10 ** digits;
  return Math.floor(value * scale) / scale;
}
