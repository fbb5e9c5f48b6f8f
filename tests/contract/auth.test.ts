/** §1 of docs/portal-api.md: sign in, who am I, sign out, and every way a token stops working. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginResponseSchema, UserSchema } from '../../utils/contract/schemas';
import { SESSION_TTL_MS } from '../../portal/api/members';
import { DEMO, api, expectError, login, startTestPortal, type TestPortal } from './helpers';

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(() => portal.stop());

describe('POST /api/v1/auth/login', () => {
  it('signs the demo member in with an opaque token', async () => {
    const response = await api(portal, 'POST', '/api/v1/auth/login', { body: DEMO });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = LoginResponseSchema.parse(response.json());
    expect(body.user).toEqual({
      id: 'u_1',
      email: 'demo@ristourne.test',
      displayName: 'Camille Martin',
      tier: { id: 'free', name: 'Essentiel' },
    });
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('ignores the case of the email and surrounding spaces', async () => {
    const response = await api(portal, 'POST', '/api/v1/auth/login', {
      body: { email: '  Demo@Ristourne.TEST ', password: DEMO.password },
    });
    expect(response.status).toBe(200);
  });

  it('gives a different token per sign-in', async () => {
    expect(await login(portal)).not.toBe(await login(portal));
  });

  it('refuses a wrong password or an unknown email with 401 invalid_credentials', async () => {
    const wrong = await api(portal, 'POST', '/api/v1/auth/login', {
      body: { email: DEMO.email, password: 'cagnotte-dem0' },
    });
    expectError(wrong, 401, 'invalid_credentials');
    const unknown = await api(portal, 'POST', '/api/v1/auth/login', {
      body: { email: 'nobody@ristourne.test', password: DEMO.password },
    });
    expectError(unknown, 401, 'invalid_credentials');
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    for (const rawBody of ['{"email": "demo@ristourne.test",', '', 'email=demo']) {
      expectError(
        await api(portal, 'POST', '/api/v1/auth/login', { rawBody }),
        400,
        'invalid_json',
      );
    }
  });

  it('answers a body that does not validate with 400 invalid_request', async () => {
    for (const body of [
      {},
      { email: DEMO.email },
      { email: DEMO.email, password: '' },
      { email: 42, password: DEMO.password },
      [DEMO.email, DEMO.password],
      null,
    ]) {
      expectError(
        await api(portal, 'POST', '/api/v1/auth/login', { body }),
        400,
        'invalid_request',
      );
    }
  });

  it('refuses another method with 405 and the error shape', async () => {
    const response = await api(portal, 'GET', '/api/v1/auth/login');
    expectError(response, 405, 'method_not_allowed');
    expect(response.headers.allow).toBe('POST');
  });
});

describe('GET /api/v1/me', () => {
  it('returns the signed-in member', async () => {
    const token = await login(portal);
    const response = await api(portal, 'GET', '/api/v1/me', { token });
    expect(response.status).toBe(200);
    expect(UserSchema.parse(response.json())).toEqual({
      id: 'u_1',
      email: 'demo@ristourne.test',
      displayName: 'Camille Martin',
      tier: { id: 'free', name: 'Essentiel' },
    });
  });

  it('answers 401 unauthorized without a token, with an unknown one or another scheme', async () => {
    const token = await login(portal);
    for (const authorization of [
      undefined,
      'Bearer',
      'Bearer not-a-token',
      `Basic ${token}`,
      `Bearer ${token}x`,
    ]) {
      const response = await api(portal, 'GET', '/api/v1/me', {
        headers: authorization ? { authorization } : {},
      });
      expectError(response, 401, 'unauthorized');
    }
  });

  it('stores tokens hashed, never as sent', async () => {
    const token = await login(portal);
    const rows = portal.db.prepare('SELECT token_hash FROM sessions').all() as {
      token_hash: string;
    }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => row.token_hash === token)).toBe(false);
  });
});

describe('token expiry (30 days)', () => {
  it('accepts a token for 30 days and answers 401 after', async () => {
    let now = Date.parse('2026-11-23T08:00:00Z');
    const clocked = await startTestPortal({ now: () => new Date(now) });
    try {
      const token = await login(clocked);
      now += SESSION_TTL_MS - 60_000;
      expect((await api(clocked, 'GET', '/api/v1/me', { token })).status).toBe(200);
      now += 2 * 60_000;
      expectError(await api(clocked, 'GET', '/api/v1/me', { token }), 401, 'unauthorized');
      expectError(await api(clocked, 'GET', '/api/v1/me/cagnotte', { token }), 401, 'unauthorized');
    } finally {
      await clocked.stop();
    }
  });

  it('expires after 30 days exactly', () => {
    expect(SESSION_TTL_MS).toBe(30 * 24 * 60 * 60 * 1000);
  });
});

describe('POST /api/v1/auth/logout', () => {
  it('answers 204 with no body and revokes the token, not the others', async () => {
    const token = await login(portal);
    const other = await login(portal);
    const response = await api(portal, 'POST', '/api/v1/auth/logout', { token });
    expect(response.status).toBe(204);
    expect(response.body.length).toBe(0);
    expectError(await api(portal, 'GET', '/api/v1/me', { token }), 401, 'unauthorized');
    expectError(await api(portal, 'POST', '/api/v1/auth/logout', { token }), 401, 'unauthorized');
    expect((await api(portal, 'GET', '/api/v1/me', { token: other })).status).toBe(200);
  });

  it('answers 401 without a token', async () => {
    expectError(await api(portal, 'POST', '/api/v1/auth/logout'), 401, 'unauthorized');
  });
});
