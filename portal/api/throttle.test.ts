import { describe, expect, it } from 'vitest';
import { addressKey, createAttemptLimiter, createThrottles, DEFAULT_LIMITS } from './throttle';

const MINUTE = 60_000;

function clock(start = Date.parse('2026-11-23T08:00:00Z')) {
  let at = start;
  return {
    now: () => new Date(at),
    advance(ms: number) {
      at += ms;
    },
  };
}

/** Reserves `n` attempts; returns the verdicts' `ok`s. */
function attempts(limiter: ReturnType<typeof createAttemptLimiter>, key: string, n: number) {
  return Array.from({ length: n }, () => limiter.reserve(key).ok);
}

describe('createAttemptLimiter', () => {
  const limit = { max: 3, windowMs: 15 * MINUTE, maxBlockMs: 60 * MINUTE };

  it('allows max attempts per window, then refuses until the window ends', () => {
    const time = clock();
    const limiter = createAttemptLimiter(limit, time.now);
    expect(attempts(limiter, 'a', 3)).toEqual([true, true, true]);
    time.advance(5 * MINUTE);
    expect(limiter.reserve('a')).toEqual({ ok: false, retryAfterMs: 10 * MINUTE });
    // Other keys are not affected.
    expect(limiter.reserve('b').ok).toBe(true);
    time.advance(10 * MINUTE - 1);
    expect(limiter.reserve('a').ok).toBe(false);
    time.advance(1);
    expect(attempts(limiter, 'a', 4)).toEqual([true, true, true, false]);
  });

  it('doubles the wait each time in a row the allowance is spent, up to maxBlockMs', () => {
    const time = clock();
    const limiter = createAttemptLimiter(limit, time.now);
    const waits: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      expect(attempts(limiter, 'a', 3)).toEqual([true, true, true]);
      const verdict = limiter.reserve('a');
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) {
        waits.push(verdict.retryAfterMs / MINUTE);
        time.advance(verdict.retryAfterMs);
      }
    }
    expect(waits).toEqual([15, 30, 60, 60, 60]);
  });

  it('forgets the backoff after a window that ends without a block', () => {
    const time = clock();
    const limiter = createAttemptLimiter(limit, time.now);
    attempts(limiter, 'a', 4);
    time.advance(15 * MINUTE);
    expect(attempts(limiter, 'a', 2)).toEqual([true, true]);
    time.advance(15 * MINUTE);
    expect(attempts(limiter, 'a', 4)).toEqual([true, true, true, false]);
    const verdict = limiter.reserve('a');
    expect(verdict.ok || verdict.retryAfterMs).toBe(15 * MINUTE);
  });

  it('gives an attempt back on release, and forgets everything on reset', () => {
    const time = clock();
    const limiter = createAttemptLimiter(limit, time.now);
    attempts(limiter, 'a', 3);
    limiter.release('a');
    expect(attempts(limiter, 'a', 2)).toEqual([true, false]);
    time.advance(15 * MINUTE);
    attempts(limiter, 'a', 4); // second strike pending
    limiter.reset('a');
    expect(attempts(limiter, 'a', 4)).toEqual([true, true, true, false]);
    const verdict = limiter.reserve('a');
    expect(verdict.ok || verdict.retryAfterMs).toBe(15 * MINUTE);
  });

  it('remembers at most maxKeys keys, and a flood of new ones does not free a blocked key', () => {
    const time = clock();
    const limiter = createAttemptLimiter({ ...limit, max: 2 }, time.now, 3);
    attempts(limiter, 'blocked', 3);
    attempts(limiter, 'spent', 2);
    for (let i = 0; i < 10_000; i += 1) limiter.reserve(`flood-${i}`);
    expect(limiter.reserve('blocked').ok).toBe(false);
    // 'spent' was not blocked: it made room, and starts afresh.
    expect(attempts(limiter, 'spent', 3)).toEqual([true, true, false]);
  });

  it('makes room by forgetting finished keys before live ones', () => {
    const time = clock();
    const limiter = createAttemptLimiter({ ...limit, max: 2 }, time.now, 2);
    limiter.reserve('finished');
    time.advance(MINUTE);
    limiter.reserve('live');
    time.advance(13 * MINUTE);
    limiter.reserve('finished'); // seen last, but its window still ends first
    time.advance(90_000);
    limiter.reserve('new');
    // 'live' kept its attempt: one more, then refused.
    expect(attempts(limiter, 'live', 2)).toEqual([true, false]);
  });
});

describe('createThrottles().login', () => {
  const limits = {
    ...DEFAULT_LIMITS,
    loginFailuresPerAccount: { max: 2, windowMs: 15 * MINUTE, maxBlockMs: 60 * MINUTE },
    loginFailuresPerAddress: { max: 3, windowMs: MINUTE, maxBlockMs: 60 * MINUTE },
  };

  it('counts failures per account and per address', () => {
    const throttles = createThrottles(limits, clock().now);
    expect(throttles.login('1.2.3.4', 'a@x').ok).toBe(true);
    expect(throttles.login('1.2.3.4', 'a@x').ok).toBe(true);
    expect(throttles.login('5.6.7.8', 'a@x').ok).toBe(false); // the account, from anywhere
    expect(throttles.login('1.2.3.4', 'b@x').ok).toBe(true);
    expect(throttles.login('1.2.3.4', 'c@x').ok).toBe(false); // the address, for any account
  });

  it('does not count a refusal by the account against the address', () => {
    const throttles = createThrottles(limits, clock().now);
    throttles.login('1.2.3.4', 'a@x');
    throttles.login('1.2.3.4', 'a@x');
    for (let i = 0; i < 5; i += 1) expect(throttles.login('1.2.3.4', 'a@x').ok).toBe(false);
    expect(throttles.login('1.2.3.4', 'b@x').ok).toBe(true);
  });

  it('forgets the account’s failures on success, and never counts a success', () => {
    const throttles = createThrottles(limits, clock().now);
    throttles.login('1.2.3.4', 'a@x');
    for (let i = 0; i < 10; i += 1) {
      const attempt = throttles.login('1.2.3.4', 'a@x');
      expect(attempt.ok).toBe(true);
      if (attempt.ok) attempt.succeeded();
    }
    expect(throttles.login('1.2.3.4', 'a@x').ok).toBe(true);
    expect(throttles.login('1.2.3.4', 'a@x').ok).toBe(true);
    expect(throttles.login('1.2.3.4', 'a@x').ok).toBe(false);
  });

  it('gives both back when nothing was tried', () => {
    const throttles = createThrottles(limits, clock().now);
    for (let i = 0; i < 10; i += 1) {
      const attempt = throttles.login('1.2.3.4', 'a@x');
      expect(attempt.ok).toBe(true);
      if (attempt.ok) attempt.abandoned();
    }
  });
});

describe('addressKey', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::1', '0:0:0:0::/64'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    [undefined, 'unknown'],
    ['', 'unknown'],
  ])('%s → %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});
