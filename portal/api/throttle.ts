/**
 * Attempt limits: how many failed sign-ins an account or an address may make, how many sign-ups
 * an address may make, how many wrong admin keys. In memory (one process), bounded.
 *
 * An `AttemptLimiter` gives each key `max` attempts per window. An attempt is reserved before the
 * work it guards (the password hash), so that requests racing in parallel cannot all slip through,
 * and given back when it turns out not to count (a sign-in that succeeds). Past `max` the key is
 * refused until the window ends; each further time in a row that it spends its allowance, the
 * wait doubles, up to `maxBlockMs` (backoff). A window that ends without a block forgets the
 * backoff.
 *
 * At most `maxKeys` keys are remembered: past that, finished entries go first, then the least
 * recently seen one that is not blocked, so that a flood of new keys cannot wash a blocked one out.
 */
import net from 'node:net';
import type { Clock } from '../store/clock';

export interface AttemptLimit {
  /** Attempts allowed per window. */
  max: number;
  windowMs: number;
  /** The longest a key is refused after spending its allowance again and again. */
  maxBlockMs: number;
}

export type Verdict = { ok: true } | { ok: false; retryAfterMs: number };

interface Entry {
  count: number;
  windowStart: number;
  /** Refused until then; 0 when the current window has not been blocked. */
  blockedUntil: number;
  /** Windows in a row whose allowance was spent. */
  strikes: number;
}

const MAX_KEYS = 10_000;

export function createAttemptLimiter(limit: AttemptLimit, now: Clock, maxKeys = MAX_KEYS) {
  const entries = new Map<string, Entry>();

  /** The time after which an entry holds nothing worth remembering. */
  const forgetAt = (entry: Entry) =>
    Math.max(entry.windowStart + limit.windowMs, entry.blockedUntil) +
    (entry.strikes > 0 ? limit.windowMs : 0);

  function sweep(at = now().getTime()): void {
    for (const [key, entry] of entries) if (forgetAt(entry) <= at) entries.delete(key);
  }

  function makeRoom(at: number): void {
    if (entries.size < maxKeys) return;
    sweep(at);
    if (entries.size < maxKeys) return;
    for (const [key, entry] of entries) {
      if (entry.blockedUntil <= at) {
        entries.delete(key);
        return;
      }
    }
    entries.delete(entries.keys().next().value!);
  }

  return {
    /** Counts one attempt for `key`, or says how long it must wait. */
    reserve(key: string): Verdict {
      const at = now().getTime();
      let entry = entries.get(key);
      if (entry) {
        // Most recently seen last: eviction takes from the front.
        entries.delete(key);
        entries.set(key, entry);
      } else {
        makeRoom(at);
        entry = { count: 0, windowStart: at, blockedUntil: 0, strikes: 0 };
        entries.set(key, entry);
      }
      if (entry.blockedUntil > at) return { ok: false, retryAfterMs: entry.blockedUntil - at };
      if (entry.blockedUntil > 0 || at - entry.windowStart >= limit.windowMs) {
        if (entry.blockedUntil === 0) entry.strikes = 0;
        entry.count = 0;
        entry.windowStart = at;
        entry.blockedUntil = 0;
      }
      if (entry.count >= limit.max) {
        entry.strikes += 1;
        const wait = Math.min(limit.windowMs * 2 ** (entry.strikes - 1), limit.maxBlockMs);
        entry.blockedUntil = Math.max(entry.windowStart + wait, at + 1);
        return { ok: false, retryAfterMs: entry.blockedUntil - at };
      }
      entry.count += 1;
      return { ok: true };
    },

    /** Gives back an attempt that did not count. */
    release(key: string): void {
      const entry = entries.get(key);
      if (entry && entry.count > 0) entry.count -= 1;
    },

    /** Forgets the key altogether (its attempts and its backoff). */
    reset(key: string): void {
      entries.delete(key);
    },

    sweep(): void {
      sweep();
    },
  };
}

export type AttemptLimiter = ReturnType<typeof createAttemptLimiter>;

/**
 * The key of a client's address: IPv4 as is (an IPv4-mapped IPv6 address too), IPv6 by its /64,
 * the block one subscriber gets (and can change the rest of at will).
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!net.isIPv6(address)) return address;
  const [head = '', tail] = address.toLowerCase().split('::');
  const groups = (part: string | undefined) =>
    part ? part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group])) : [];
  const first = groups(head);
  const last = groups(tail);
  const full =
    tail === undefined
      ? first
      : [...first, ...Array<string>(8 - first.length - last.length).fill('0'), ...last];
  return `${full
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** The limits the portal applies; `DEFAULT_LIMITS` says why each. */
export interface PortalLimits {
  /** Failed sign-ins per account (the email as typed, whether it has an account or not). */
  loginFailuresPerAccount: AttemptLimit;
  /** Failed sign-ins per client address, whatever the email. */
  loginFailuresPerAddress: AttemptLimit;
  /** Sign-ups (the form) per client address. */
  signUpsPerAddress: AttemptLimit;
  /** Wrong admin keys (form or header) per client address. */
  adminFailuresPerAddress: AttemptLimit;
  /** Password hashes running at once; `hashQueue` more may wait, the rest get a 503. */
  concurrentHashes: number;
  hashQueue: number;
}

const MINUTE = 60_000;

export const DEFAULT_LIMITS: PortalLimits = {
  // A member who mistypes tries a few times, then resets their password: 5 in 15 minutes never
  // stops them, and holds a guesser to 5 tries per account per quarter of an hour, then 5 per
  // half hour, hour… (OWASP's Authentication Cheat Sheet: lock out by account, with backoff).
  // Capped at an hour: anyone can spend an account's allowance, so the lock must stay short;
  // a signed-in member keeps their session (30 days) meanwhile.
  loginFailuresPerAccount: { max: 5, windowMs: 15 * MINUTE, maxBlockMs: 60 * MINUTE },
  // One address trying many accounts (credential stuffing). 20 failures a minute is far more than
  // a household or an office behind one address makes by mistake.
  loginFailuresPerAddress: { max: 20, windowMs: MINUTE, maxBlockMs: 60 * MINUTE },
  // A household signs up a few accounts, once; each sign-up costs a hash and a row.
  signUpsPerAddress: { max: 10, windowMs: 60 * MINUTE, maxBlockMs: 60 * MINUTE },
  // The admin types the key; a script sends it right. Ten wrong ones is a guesser.
  adminFailuresPerAddress: { max: 10, windowMs: 15 * MINUTE, maxBlockMs: 60 * MINUTE },
  // Two cores here; each hash takes 128 MiB. Two at once leave libuv's other two threads to
  // compression and files; 16 waiting is about 10 s of queue.
  concurrentHashes: 2,
  hashQueue: 16,
};

/** The portal's limiters, built from its limits. */
export function createThrottles(limits: PortalLimits, now: Clock) {
  const loginByAccount = createAttemptLimiter(limits.loginFailuresPerAccount, now);
  const loginByAddress = createAttemptLimiter(limits.loginFailuresPerAddress, now);
  const signUps = createAttemptLimiter(limits.signUpsPerAddress, now);
  const admin = createAttemptLimiter(limits.adminFailuresPerAddress, now);

  return {
    /**
     * Reserves a sign-in attempt for the address and the account; on success the caller says how
     * it ended: `succeeded` (the account's failures are forgotten, the address's attempt given
     * back) or `abandoned` (nothing was tried: both given back). A failure keeps both.
     */
    login(
      address: string,
      account: string,
    ): { ok: true; succeeded(): void; abandoned(): void } | { ok: false; retryAfterMs: number } {
      const byAddress = loginByAddress.reserve(address);
      if (!byAddress.ok) return byAddress;
      const byAccount = loginByAccount.reserve(account);
      if (!byAccount.ok) {
        loginByAddress.release(address);
        return byAccount;
      }
      return {
        ok: true,
        succeeded() {
          loginByAccount.reset(account);
          loginByAddress.release(address);
        },
        abandoned() {
          loginByAccount.release(account);
          loginByAddress.release(address);
        },
      };
    },
    signUps,
    admin,
    sweep(): void {
      for (const limiter of [loginByAccount, loginByAddress, signUps, admin]) limiter.sweep();
    },
  };
}

export type Throttles = ReturnType<typeof createThrottles>;
