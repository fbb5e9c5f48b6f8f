/**
 * Who may act as the portal's back office or as the affiliate network: the admin key confirms
 * cashback and the postback secret credits orders, so a portal others can reach never runs on
 * the demo's published values; and the admin key never travels in a URL (history, logs,
 * Referer), only in a header or through a sign-in form that sets a strict session cookie.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRYPT_PARAMS } from '../../portal/api/passwords';
import { startPortal, type PortalOptions } from '../../portal/start';
import {
  ADMIN_KEY,
  admin,
  api,
  expectError,
  send,
  startTestPortal,
  tempDataDir,
  type RawResponse,
  type TestPortal,
} from './helpers';

const STRONG_KEY = 'k4Xq-8vTr2mWz9Lp_admin';
const STRONG_SECRET = 'Zr7u-Pq2Nw5Yt8Ks_postback';

describe('starting on an address others can reach', () => {
  async function refused(options: PortalOptions): Promise<string> {
    const dataDir = tempDataDir();
    try {
      const error = await startPortal({ port: 0, dataDir, log: false, ...options }).then(
        async (portal) => {
          await portal.close();
          return undefined;
        },
        (failure: unknown) => failure,
      );
      expect(error, JSON.stringify(options)).toBeInstanceOf(Error);
      // Refused before anything is written or bound.
      expect(fs.readdirSync(dataDir)).toEqual([]);
      return (error as Error).message;
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }

  it('refuses the demo secrets, naming the options and environment variables to set', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10']) {
      const message = await refused({ host });
      expect(message).toContain(host);
      expect(message).toMatch(/--admin-key/);
      expect(message).toMatch(/RISTOURNE_ADMIN_KEY/);
      expect(message).toMatch(/--postback-secret/);
      expect(message).toMatch(/RISTOURNE_POSTBACK_SECRET/);
    }
  });

  it('refuses one secret missing, a demo value given explicitly, a short or shared one', async () => {
    expect(await refused({ host: '0.0.0.0', adminKey: STRONG_KEY })).toMatch(/postback/i);
    expect(await refused({ host: '0.0.0.0', postbackSecret: STRONG_SECRET })).toMatch(/admin/i);
    expect(
      await refused({ host: '0.0.0.0', adminKey: 'demo-admin', postbackSecret: STRONG_SECRET }),
    ).toMatch(/admin/i);
    expect(
      await refused({
        host: '0.0.0.0',
        adminKey: STRONG_KEY,
        postbackSecret: 'reseau-demo-postback',
      }),
    ).toMatch(/postback/i);
    expect(
      await refused({ host: '0.0.0.0', adminKey: 'short', postbackSecret: STRONG_SECRET }),
    ).toMatch(/16/);
    expect(
      await refused({ host: '0.0.0.0', adminKey: STRONG_KEY, postbackSecret: STRONG_KEY }),
    ).toMatch(/differ/i);
    expect(
      await refused({
        host: '0.0.0.0',
        adminKey: STRONG_KEY,
        postbackSecret: STRONG_SECRET,
        scrypt: { N: 2 ** 14, r: 8, p: 1 },
      }),
    ).toMatch(/scrypt/);
  });

  it('starts with secrets of its own, and the demo values then open nothing', async () => {
    const portal = await startTestPortal({
      host: '0.0.0.0',
      adminKey: STRONG_KEY,
      postbackSecret: STRONG_SECRET,
      scrypt: SCRYPT_PARAMS,
    });
    try {
      expectError(await admin(portal, 'GET', '/transactions'), 401, 'unauthorized');
      const own = await api(portal, 'GET', '/admin/api/transactions', {
        headers: { 'x-admin-key': STRONG_KEY },
      });
      expect(own.status).toBe(200);
      const postback = await api(portal, 'POST', '/network/postback', {
        body: {},
        headers: { 'x-postback-secret': 'reseau-demo-postback' },
      });
      expectError(postback, 401, 'unauthorized');
    } finally {
      await portal.stop();
    }
  });

  it('starts on loopback with the demo secrets', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const portal = await startTestPortal({ host });
      try {
        expect(portal.adminKey).toBe(ADMIN_KEY);
      } finally {
        await portal.stop();
      }
    }
  });
});

describe('npm run portal', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
      const dataDir = tempDataDir();
      const child = spawn(
        process.execPath,
        [
          path.resolve('node_modules/tsx/dist/cli.mjs'),
          'portal/cli.ts',
          '--port',
          '0',
          '--data',
          dataDir,
          '--quiet',
          ...args,
        ],
        { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        // Started: stop it the way an operator would.
        if (out.includes('demo shops:')) child.kill('SIGTERM');
      });
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        fs.rmSync(dataDir, { recursive: true, force: true });
        resolve({ code, out, err });
      });
    });

  it('exits with the reason when asked to listen on 0.0.0.0 with the demo secrets', async () => {
    const { code, out, err } = await cli(['--host', '0.0.0.0']);
    expect(code).not.toBe(0);
    expect(out).not.toContain('Ristourne reference portal');
    expect(err).toMatch(/--admin-key.*RISTOURNE_ADMIN_KEY/s);
    expect(err).toMatch(/--postback-secret.*RISTOURNE_POSTBACK_SECRET/s);
  }, 30_000);

  it('takes the secrets from the environment, and never prints them', async () => {
    const { out } = await cli(['--host', '0.0.0.0'], {
      RISTOURNE_ADMIN_KEY: STRONG_KEY,
      RISTOURNE_POSTBACK_SECRET: STRONG_SECRET,
    });
    expect(out).toContain('Ristourne reference portal');
    expect(out).not.toContain(STRONG_KEY);
    expect(out).not.toContain(STRONG_SECRET);
    expect(out).not.toContain('key=');
  }, 30_000);
});

describe('the admin key', () => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal();
  });
  afterAll(() => portal.stop());

  it('opens nothing in the URL', async () => {
    const page = await send(portal, { path: `/admin?key=${ADMIN_KEY}` });
    expect(page.status).toBe(401);
    expect(page.text()).not.toContain('data-testid="admin-transactions"');
    expectError(
      await api(portal, 'GET', `/admin/api/transactions?key=${ADMIN_KEY}`),
      401,
      'unauthorized',
    );
  });

  it('opens the admin API in X-Admin-Key or as a bearer token', async () => {
    for (const headers of [
      { 'x-admin-key': ADMIN_KEY },
      { authorization: `Bearer ${ADMIN_KEY}` },
    ] as Record<string, string>[]) {
      expect((await api(portal, 'GET', '/admin/api/transactions', { headers })).status).toBe(200);
    }
    for (const headers of [
      { 'x-admin-key': `${ADMIN_KEY}x` },
      { authorization: `Bearer ${ADMIN_KEY}x` },
      { authorization: `Basic ${ADMIN_KEY}` },
    ] as Record<string, string>[]) {
      expectError(
        await api(portal, 'GET', '/admin/api/transactions', { headers }),
        401,
        'unauthorized',
      );
    }
  });
});

describe('the admin sign-in form', () => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal();
  });
  afterAll(() => portal.stop());

  const origin = () => `http://localhost:${portal.port}`;
  const form = (formPath: string, body: string, headers: Record<string, string> = {}) =>
    send(portal, {
      method: 'POST',
      path: formPath,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: origin(),
        ...headers,
      },
      body,
    });
  const cookieOf = (response: RawResponse) => {
    const line = (response.headers['set-cookie'] ?? []).find((c) =>
      c.startsWith('ristourne_admin='),
    );
    return line;
  };
  async function signIn(): Promise<string> {
    const response = await form('/admin/connexion', `key=${ADMIN_KEY}`);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/admin');
    return cookieOf(response)!.split(';')[0]!;
  }

  it('is what /admin shows to a visitor without a session', async () => {
    const page = await send(portal, { path: '/admin' });
    expect(page.status).toBe(401);
    const html = page.text();
    expect(html).toMatch(/<form[^>]*method="post"[^>]*action="\/admin\/connexion"/);
    expect(html).toMatch(
      /<input[^>]*name="key"[^>]*type="password"|type="password"[^>]*name="key"/,
    );
    expect(html).not.toContain('?key=');
  });

  it('refuses a wrong key, without a cookie', async () => {
    const response = await form('/admin/connexion', 'key=pas-la-cle');
    expect(response.status).toBe(401);
    expect(cookieOf(response)).toBeUndefined();
  });

  it('sets an HttpOnly, SameSite=Strict session cookie that is not the key', async () => {
    const response = await form('/admin/connexion', `key=${ADMIN_KEY}`);
    expect(response.status).toBe(303);
    const cookie = cookieOf(response)!;
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Strict/i);
    expect(cookie).toMatch(/; Path=\/admin/i);
    expect(cookie).not.toMatch(/; Secure/i);
    expect(cookie).not.toContain(ADMIN_KEY);
  });

  it('lets the session use the page and its buttons, with no key in any URL', async () => {
    const cookie = await signIn();
    const page = await send(portal, { path: '/admin', headers: { cookie } });
    expect(page.status).toBe(200);
    const html = page.text();
    expect(html).toContain('data-testid="admin-transactions"');
    expect(html).not.toContain('key=');
    expect(html).not.toContain(ADMIN_KEY);
    const action = /action="(\/admin\/transactions\/[^/"]+\/confirm)"/.exec(html)![1]!;
    const confirmed = await form(action, '', { cookie });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toBe('/admin');
    const id = action.split('/')[3];
    const { transactions } = (await admin(portal, 'GET', '/transactions')).json() as {
      transactions: { id: string; status: string }[];
    };
    expect(transactions.find((t) => t.id === id)?.status).toBe('confirmed');
    // And the admin API, from the same browser.
    expect((await send(portal, { path: '/admin/api/clicks', headers: { cookie } })).status).toBe(
      200,
    );
  });

  it('refuses a cross-site request carrying the session (CSRF)', async () => {
    const cookie = await signIn();
    const page = (await send(portal, { path: '/admin', headers: { cookie } })).text();
    const action = /action="(\/admin\/transactions\/[^/"]+\/cancel)"/.exec(page)![1]!;
    for (const headers of [
      { cookie, origin: 'http://evil.example' },
      { cookie, origin: `http://numeria.localhost:${portal.port}` },
      { cookie, origin: 'null' },
      { cookie, origin: origin(), 'sec-fetch-site': 'cross-site' },
      { cookie, origin: origin(), 'sec-fetch-site': 'same-site' },
    ] as Record<string, string>[]) {
      const response = await form(action, '', headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
    }
  });

  it('refuses a forged or signed-out session', async () => {
    expect(
      (await send(portal, { path: '/admin', headers: { cookie: 'ristourne_admin=forged' } }))
        .status,
    ).toBe(401);
    const cookie = await signIn();
    const out = await form('/admin/deconnexion', '', { cookie });
    expect(out.status).toBe(303);
    expect(cookieOf(out)).toMatch(/Max-Age=0/);
    expect((await send(portal, { path: '/admin', headers: { cookie } })).status).toBe(401);
  });

  it('marks the cookie Secure when the portal is served over https', async () => {
    const https = await startTestPortal({ publicUrl: 'https://cashback.example' });
    try {
      const response = await send(https, {
        method: 'POST',
        path: '/admin/connexion',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `key=${ADMIN_KEY}`,
      });
      expect(cookieOf(response)).toMatch(/; Secure/i);
    } finally {
      await https.stop();
    }
  });

  it('ends the session after 12 hours', async () => {
    let now = Date.parse('2026-11-23T08:00:00Z');
    const clocked = await startTestPortal({ now: () => new Date(now) });
    try {
      const response = await send(clocked, {
        method: 'POST',
        path: '/admin/connexion',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `key=${ADMIN_KEY}`,
      });
      const cookie = cookieOf(response)!.split(';')[0]!;
      now += 12 * 60 * 60_000 - 60_000;
      expect((await send(clocked, { path: '/admin', headers: { cookie } })).status).toBe(200);
      now += 2 * 60_000;
      expect((await send(clocked, { path: '/admin', headers: { cookie } })).status).toBe(401);
    } finally {
      await clocked.stop();
    }
  });
});
