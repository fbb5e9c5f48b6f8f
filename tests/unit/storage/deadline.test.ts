import { describe, expect, it } from 'vitest';
import { isDeadlineAhead } from '../../../utils/storage/deadline';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const HOUR = 60 * 60_000;
const YEAR = 365 * 24 * HOUR;

describe('isDeadlineAhead (a window of one hour)', () => {
  it.each<[string, number, boolean]>([
    ['an hour ahead: the longest this window sets', NOW + HOUR, true],
    ['a minute ahead', NOW + 60_000, true],
    ['now: passed', NOW, false],
    ['a minute ago', NOW - 60_000, false],
    ['an hour and a millisecond ahead: a clock that ran ahead', NOW + HOUR + 1, false],
    ['a year ahead: a clock that ran ahead', NOW + YEAR, false],
  ])('%s → %s', (_name, deadline, ahead) => {
    expect(isDeadlineAhead(deadline, NOW, HOUR)).toBe(ahead);
  });

  it.each<[string, number, boolean]>([
    ['done just now', NOW, true],
    ['done 59 minutes ago', NOW - 59 * 60_000, true],
    ['done an hour ago', NOW - HOUR, false],
    ['done a millisecond in the future', NOW + 1, false],
    ['done a year in the future', NOW + YEAR, false],
  ])('a window counted from the time it was %s → %s', (_name, at, ahead) => {
    expect(isDeadlineAhead(at + HOUR, NOW, HOUR)).toBe(ahead);
  });
});
