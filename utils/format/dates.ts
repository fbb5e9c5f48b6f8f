/**
 * Dates as the member reads them: "il y a 5 min" / "5 min. ago" for recent moments, "20 nov." /
 * "Nov 20" for a transaction. Every function takes the locale (and "now" where it matters), so
 * the output is a pure function of its arguments.
 */

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 1],
  ['minute', 60],
  ['hour', 60 * 60],
  ['day', 24 * 60 * 60],
  ['month', 30 * 24 * 60 * 60],
  ['year', 365 * 24 * 60 * 60],
];

/** Below this, a moment is "now" rather than a count of seconds nobody needs. */
const JUST_NOW_SECONDS = 45;

/** "il y a 5 min", "hier", "maintenant" (fr); "5 min. ago", "yesterday", "now" (en). */
export function formatRelativeTime(then: number, now: number, locale: string): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  // A clock that runs behind the portal's would give "in 2 minutes": still "now" to the member.
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < JUST_NOW_SECONDS) return format.format(0, 'second');
  let unit: Intl.RelativeTimeFormatUnit = 'second';
  let size = 1;
  for (const [candidate, candidateSize] of UNITS) {
    if (seconds >= candidateSize) [unit, size] = [candidate, candidateSize];
  }
  return format.format(-Math.floor(seconds / size), unit);
}

/** "20 nov." (this year) or "20 nov. 2025" (fr); "Nov 20" or "Nov 20, 2025" (en). */
export function formatDate(value: number | string, locale: string, now = Date.now()): string {
  const date = new Date(value);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(date);
}

/** "20 nov. 2026, 15:03": the exact moment, for a tooltip next to a relative one. */
export function formatDateTime(value: number | string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(value),
  );
}
