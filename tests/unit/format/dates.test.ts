import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatRelativeTime } from '../../../utils/format/dates';
import { plain } from '../helpers/i18n';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const ago = (ms: number) => NOW - ms;
const MINUTE = 60_000;

describe('formatRelativeTime', () => {
  it.each([
    [0, 'fr', 'maintenant'],
    [30_000, 'en', 'now'],
    [5 * MINUTE, 'fr', 'il y a 5 min'],
    [5 * MINUTE, 'en', '5 min. ago'],
    [3 * 60 * MINUTE, 'fr', 'il y a 3 h'],
    [3 * 60 * MINUTE, 'en', '3 hr. ago'],
    [24 * 60 * MINUTE, 'fr', 'hier'],
    [24 * 60 * MINUTE, 'en', 'yesterday'],
    [5 * 24 * 60 * MINUTE, 'fr', 'il y a 5 j'],
    [60 * 24 * 60 * MINUTE, 'en', '2 mo. ago'],
  ])('%i ms ago in %s → %s', (elapsed, locale, expected) => {
    expect(plain(formatRelativeTime(ago(elapsed), NOW, locale))).toBe(expected);
  });

  it('says "now" for a moment slightly in the future (clock skew)', () => {
    expect(formatRelativeTime(NOW + 90_000, NOW, 'en')).toBe('now');
  });
});

describe('formatDate', () => {
  // Midday UTC: the same calendar day in every time zone the tests may run in.
  const noon = '2026-11-20T12:00:00Z';

  it('gives day and month in the current year', () => {
    expect(plain(formatDate(noon, 'fr', NOW))).toBe('20 nov.');
    expect(formatDate(noon, 'en', NOW)).toBe('Nov 20');
  });

  it('adds the year otherwise', () => {
    expect(plain(formatDate('2025-11-20T12:00:00Z', 'fr', NOW))).toBe('20 nov. 2025');
    expect(formatDate('2025-11-20T12:00:00Z', 'en', NOW)).toBe('Nov 20, 2025');
  });

  it('gives the exact moment for a tooltip', () => {
    expect(plain(formatDateTime(noon, 'fr'))).toMatch(/^20 nov\. 2026, \d\d:\d\d$/);
  });
});
