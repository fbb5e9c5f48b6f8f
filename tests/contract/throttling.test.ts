/**
 * Password guessing and its costs: failed sign-ins are limited per account and per address (429
 * with Retry-After, the contract's error body), password hashes are bounded in number and made
 * at OWASP's cost (older hashes upgraded at sign-in), the sign-up form does not tell who has an
 * account, wrong admin keys are limited too, and expired sessions are purged on a timer.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API, ErrorBodySchema } from '../../utils/contract/schemas';
import { createPortalClient } from '../../utils/contract/client';
import { SESSION_TTL_MS } from '../../portal/api/members';
import { SCRYPT_PARAMS } from '../../portal/api/passwords';
import { DEFAULT_LIMITS } from '../../portal/api/throttle';
import { MAINTENANCE_INTERVAL_MS, type PortalOptions } from '../../portal/start';
import {
  ADMIN_KEY,
  DEMO,
  api,
  expectError,
  login,
  send,
  startTestPortal,
  type RawResponse,
  type TestPortal,
} from './helpers';

const MINUTE = 60_000;
const running: TestPortal[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(running.splice(0).map((portal) => portal.stop()));
});

/** A portal on a clock the test moves. */
async function portalAt(options: PortalOptions = {}) {
  let now = Date.parse('2026-11-23T08:00:00Z');
  const portal = await startTestPortal({ now: () => new Date(now), ...options });
  running.push(portal);
  return {
    portal,
    advance(ms: number) {
      now += ms;
    },
  };
}

const signIn = (portal: TestPortal, email: string, password: string, address?: string) =>
  send(portal, {
    method: 'POST',
    path: API.login,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    address,
  });

function retryAfter(response: RawResponse): number {
  expectError(response, 429, 'too_many_requests');
  const value = Number(response.headers['retry-after']);
  expect(Number.isInteger(value)).toBe(true);
  return value;
}

describe('failed sign-ins, per account', () => {
  it('stops 30 wrong passwords in a row at the fifth, and the right one with them', async () => {
    const { portal, advance } = await portalAt();
    const statuses: number[] = [];
    let last!: RawResponse;
    for (let i = 0; i < 30; i += 1) {
      last = await signIn(portal, DEMO.email, `essai-${i}`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(25).fill(429)]);
    expect(retryAfter(last)).toBeGreaterThan(14 * 60);
    expect(retryAfter(last)).toBeLessThanOrEqual(15 * 60);
    // The right password too: the guesser cannot tell when they found it.
    const right = await signIn(portal, DEMO.email, DEMO.password);
    expect(retryAfter(right)).toBeLessThanOrEqual(15 * 60);
    expect(right.text()).not.toContain('token');
    // The window over, the member signs in, which forgets the failures.
    advance(15 * MINUTE);
    expect((await signIn(portal, DEMO.email, DEMO.password)).status).toBe(200);
    for (let i = 0; i < 5; i += 1) {
      expect((await signIn(portal, DEMO.email, `encore-${i}`)).status).toBe(401);
    }
  });

  it('makes a guesser wait longer each time (backoff), up to an hour', async () => {
    const { portal, advance } = await portalAt();
    const waits: number[] = [];
    for (let round = 0; round < 4; round += 1) {
      for (let i = 0; i < 5; i += 1) {
        expect((await signIn(portal, DEMO.email, `essai-${round}-${i}`)).status).toBe(401);
      }
      const wait = retryAfter(await signIn(portal, DEMO.email, 'encore'));
      waits.push(Math.round(wait / 60));
      advance(wait * 1000);
    }
    expect(waits).toEqual([15, 30, 60, 60]);
  });

  it('limits an unknown email exactly like a member’s (no account enumeration)', async () => {
    const { portal } = await portalAt();
    const sequence = async (email: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i += 1) statuses.push((await signIn(portal, email, `x-${i}`)).status);
      return statuses;
    };
    expect(await sequence('personne@ristourne.test')).toEqual(await sequence(DEMO.email));
  });

  it('reads the email as the member would type it', async () => {
    const { portal } = await portalAt();
    for (const email of ['demo@ristourne.test', ' DEMO@ristourne.test', 'Demo@Ristourne.Test ']) {
      await signIn(portal, email, 'faux');
      await signIn(portal, email, 'faux');
    }
    retryAfter(await signIn(portal, DEMO.email, DEMO.password));
  });

  it('answers what the extension’s client reads as a 429 with its Retry-After', async () => {
    const { portal } = await portalAt();
    for (let i = 0; i < 5; i += 1) await signIn(portal, DEMO.email, 'faux');
    const client = createPortalClient({ baseUrl: `http://localhost:${portal.port}` });
    const result = await client.login({ email: DEMO.email, password: DEMO.password });
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'http', status: 429, code: 'too_many_requests' },
    });
    if (!result.ok && result.error.kind === 'http') {
      expect(result.error.retryAfterMs).toBeGreaterThan(14 * MINUTE);
    }
  });
});

describe('failed sign-ins, per address', () => {
  const limits = {
    loginFailuresPerAddress: { max: 3, windowMs: MINUTE, maxBlockMs: 60 * MINUTE },
  };

  it('stops one address trying many accounts, and only that address', async () => {
    const { portal, advance } = await portalAt({ limits });
    for (let i = 0; i < 3; i += 1) {
      expect((await signIn(portal, `cible-${i}@example.test`, 'azerty123')).status).toBe(401);
    }
    const wait = retryAfter(await signIn(portal, DEMO.email, DEMO.password, '127.0.0.1'));
    expect(wait).toBeLessThanOrEqual(60);
    // Another address (here ::1) is not affected.
    expect((await signIn(portal, DEMO.email, DEMO.password, '::1')).status).toBe(200);
    advance(wait * 1000);
    expect((await signIn(portal, DEMO.email, DEMO.password, '127.0.0.1')).status).toBe(200);
  });

  it('never counts a successful sign-in', async () => {
    const { portal } = await portalAt({ limits });
    for (let i = 0; i < 12; i += 1) await login(portal);
    expect((await signIn(portal, 'x@example.test', 'faux')).status).toBe(401);
  });

  it('has defaults a real member never meets', () => {
    expect(DEFAULT_LIMITS.loginFailuresPerAccount).toEqual({
      max: 5,
      windowMs: 15 * MINUTE,
      maxBlockMs: 60 * MINUTE,
    });
    expect(DEFAULT_LIMITS.loginFailuresPerAddress).toEqual({
      max: 20,
      windowMs: MINUTE,
      maxBlockMs: 60 * MINUTE,
    });
  });
});

describe('password hashing', () => {
  it('runs a bounded number of hashes; the excess gets 503 with Retry-After', async () => {
    const { portal } = await portalAt({
      scrypt: SCRYPT_PARAMS,
      limits: {
        concurrentHashes: 1,
        hashQueue: 2,
        loginFailuresPerAccount: { max: 1, windowMs: MINUTE, maxBlockMs: MINUTE },
        loginFailuresPerAddress: { max: 100, windowMs: MINUTE, maxBlockMs: MINUTE },
      },
    });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => signIn(portal, `flot-${i}@example.test`, 'azerty123')),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 401).length).toBeGreaterThanOrEqual(3);
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThanOrEqual(1);
    for (const answer of answers.filter((a) => a.status === 503)) {
      expectError(answer, 503, 'unavailable');
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    }
    // A busy answer tried nothing: it does not count against the account (one failure allowed).
    const refused = answers.findIndex((answer) => answer.status === 503);
    expect((await signIn(portal, `flot-${refused}@example.test`, 'x')).status).toBe(401);
    expect((await signIn(portal, `flot-${refused}@example.test`, 'x')).status).toBe(429);
  }, 120_000);

  it('signs the demo member in with OWASP’s parameters, and upgrades an older hash at sign-in', async () => {
    const { portal } = await portalAt({ scrypt: SCRYPT_PARAMS });
    expect(await login(portal)).toBeTruthy();
    // A member whose hash was made with the parameters this portal used before (N = 2^14).
    const salt = crypto.randomBytes(16);
    const legacy = `scrypt$16384$8$1$${salt.toString('base64')}$${crypto
      .scryptSync('ancien-mot-de-passe', salt, 32, { N: 16384, r: 8, p: 1 })
      .toString('base64')}`;
    portal.db
      .prepare(
        "INSERT INTO members (email, display_name, password_hash, created_at) VALUES (?, 'Ancien', ?, ?)",
      )
      .run('ancien@example.test', legacy, new Date().toISOString());
    const stored = () =>
      (
        portal.db
          .prepare('SELECT password_hash FROM members WHERE email = ?')
          .get('ancien@example.test') as { password_hash: string }
      ).password_hash;
    const credentials = { email: 'ancien@example.test', password: 'ancien-mot-de-passe' };
    expect(await login(portal, credentials)).toBeTruthy();
    expect(stored()).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await login(portal, credentials)).toBeTruthy();
    expectError(
      await signIn(portal, credentials.email, 'autre-mot-de-passe'),
      401,
      'invalid_credentials',
    );
  }, 120_000);
});

describe('the sign-up form', () => {
  const signUp = (portal: TestPortal, fields: Record<string, string>) =>
    send(portal, {
      method: 'POST',
      path: '/inscription',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  /** The page as the visitor sees it, their email and the answer's nonce aside. */
  const page = (response: RawResponse, email: string) =>
    response
      .text()
      .replaceAll(email, '<email>')
      .replace(/nonce="[^"]+"/g, 'nonce');

  it('answers the same whether the email has an account or not, after the same work', async () => {
    const { portal } = await portalAt();
    const timed = async (fields: Record<string, string>) => {
      const started = performance.now();
      const response = await signUp(portal, fields);
      return { response, ms: performance.now() - started };
    };
    const fresh: { response: RawResponse; ms: number }[] = [];
    const taken: { response: RawResponse; ms: number }[] = [];
    for (let i = 0; i < 3; i += 1) {
      const email = `nouveau-${i}@example.test`;
      fresh.push(await timed({ displayName: 'Nouveau', email, password: 'mot-de-passe-1' }));
      taken.push(
        await timed({ displayName: 'Nouveau', email: DEMO.email, password: 'mot-de-passe-1' }),
      );
    }
    for (let i = 0; i < 3; i += 1) {
      expect(taken[i]!.response.status).toBe(fresh[i]!.response.status);
      expect(page(taken[i]!.response, DEMO.email)).toBe(
        page(fresh[i]!.response, `nouveau-${i}@example.test`),
      );
    }
    // Both hash the password: the taken email is not answered at once. (A hash takes 100 ms or
    // more; answering without one, a few.)
    const fastest = (runs: { ms: number }[]) => Math.min(...runs.map((run) => run.ms));
    expect(fastest(taken)).toBeGreaterThan(fastest(fresh) * 0.4);
    // The member's account is untouched; the new one works.
    expect(await login(portal)).toBeTruthy();
    expect(
      (await signIn(portal, DEMO.email, 'mot-de-passe-1')).status,
      'the sign-up did not change the member’s password',
    ).toBe(401);
    expect(
      await login(portal, { email: 'nouveau-0@example.test', password: 'mot-de-passe-1' }),
    ).toBeTruthy();
  });

  it('limits sign-ups per address', async () => {
    const { portal, advance } = await portalAt({
      limits: { signUpsPerAddress: { max: 2, windowMs: 60 * MINUTE, maxBlockMs: 60 * MINUTE } },
    });
    const fields = (i: number) => ({
      displayName: 'Inscrit',
      email: `inscrit-${i}@example.test`,
      password: 'mot-de-passe-1',
    });
    expect((await signUp(portal, fields(1))).status).toBe(200);
    expect((await signUp(portal, fields(2))).status).toBe(200);
    const refused = await signUp(portal, fields(3));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
    expect(refused.text()).toContain('réessayez dans');
    expect((await signIn(portal, 'inscrit-3@example.test', 'mot-de-passe-1')).status).toBe(401);
    advance(60 * MINUTE);
    expect((await signUp(portal, fields(3))).status).toBe(200);
  });
});

describe('wrong admin keys', () => {
  it('are limited per address, in a header or in the form', async () => {
    const { portal } = await portalAt({
      limits: { adminFailuresPerAddress: { max: 3, windowMs: 15 * MINUTE, maxBlockMs: MINUTE } },
    });
    const withKey = (key: string) =>
      api(portal, 'GET', '/admin/api/transactions', { headers: { 'x-admin-key': key } });
    // The right key is not an error, however often.
    for (let i = 0; i < 5; i += 1) expect((await withKey(ADMIN_KEY)).status).toBe(200);
    for (let i = 0; i < 3; i += 1) expectError(await withKey(`faux-${i}`), 401, 'unauthorized');
    retryAfter(await withKey(ADMIN_KEY));
    const form = await send(portal, {
      method: 'POST',
      path: '/admin/connexion',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `key=${ADMIN_KEY}`,
    });
    expect(form.status).toBe(429);
    expect(form.headers['set-cookie']).toBeUndefined();
    expect(Number(form.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('expired sessions', () => {
  it('are purged on a timer, which stops when the portal closes', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { portal, advance } = await portalAt();
    expect(vi.getTimerCount()).toBe(1);
    const count = () =>
      (portal.db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
    await login(portal);
    await login(portal);
    advance(SESSION_TTL_MS / 2);
    const fresh = await login(portal);
    expect(count()).toBe(3);
    advance(SESSION_TTL_MS / 2 + 1);
    vi.advanceTimersByTime(MAINTENANCE_INTERVAL_MS);
    expect(count()).toBe(1);
    expect((await api(portal, 'GET', API.me, { token: fresh })).status).toBe(200);
    await running.pop()!.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('the error body', () => {
  it('is the contract’s', async () => {
    const { portal } = await portalAt();
    for (let i = 0; i < 5; i += 1) await signIn(portal, DEMO.email, 'faux');
    const response = await signIn(portal, DEMO.email, 'faux');
    const body = ErrorBodySchema.parse(response.json());
    expect(body.error).toMatchObject({ code: 'too_many_requests' });
    expect(body.error.message).toMatch(/réessayez dans 15 min/);
    expect(response.headers['cache-control']).toBe('no-store');
  });
});
