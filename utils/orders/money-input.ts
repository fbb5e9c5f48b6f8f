/**
 * An amount as people write it, into integer minor units: "1 234,56 €", "€1,234.56", "42.5",
 * "12,90 EUR", "1.234,56". Pure. The last `,` or `.` followed by one or two digits is the decimal
 * mark; any other `,` `.` or space groups thousands. Used for a total read in a confirmation page
 * (order-reading.ts) and for the amount a member types in a claim (claim-form.ts).
 */

export interface Money {
  /** Minor units (cents). */
  value: number;
  currency: string;
}

const SYMBOLS: Record<string, string> = { '€': 'EUR', $: 'USD', '£': 'GBP' };
const CODES = new Set(['EUR', 'USD', 'GBP', 'CHF']);

/** The amount in minor units, with its currency when the text names one; undefined if none. */
export function parseAmount(text: string): { value: number; currency?: string } | undefined {
  let rest = text.trim();
  let currency: string | undefined;
  const takeCurrency = (pattern: RegExp) => {
    const match = pattern.exec(rest);
    if (!match) return;
    const token = match[1]!.toUpperCase();
    currency = SYMBOLS[token] ?? (CODES.has(token) ? token : undefined);
    if (currency !== undefined) rest = rest.replace(pattern, '').trim();
  };
  takeCurrency(/^([€$£]|[A-Za-z]{3})\s*/);
  if (currency === undefined) takeCurrency(/\s*([€$£]|[A-Za-z]{3})$/);
  // Spaces of any kind group thousands: "1 234,56", "1\u202f234,56".
  const digits = rest.replace(/[\s\u00a0\u202f']/g, '');
  if (!/^\d[\d.,]*$/.test(digits) || digits.length > 20) return undefined;
  const decimal = /[.,](\d{1,2})$/.exec(digits);
  const integer = decimal ? digits.slice(0, decimal.index) : digits;
  // Groups after the first are three digits: "1,2345" is a typo, not twelve thousand.
  const groups = integer.split(/[.,]/);
  if (groups.some((group, i) => group.length === 0 || (i > 0 && group.length !== 3))) {
    return undefined;
  }
  const whole = groups.join('');
  const cents = decimal ? Number(decimal[1]!.padEnd(2, '0')) : 0;
  const value = Number(whole) * 100 + cents;
  if (!Number.isSafeInteger(value)) return undefined;
  return currency === undefined ? { value } : { value, currency };
}
