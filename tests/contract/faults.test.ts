import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  API,
  ErrorBodySchema,
  MERCHANT_LIST_MAX_BYTES,
  MerchantSchema,
} from '../../utils/contract/schemas';
import { createPortalClient, type PortalError } from '../../utils/contract/client';
import { admin, api, DEMO, login, startTestPortal, type TestPortal } from './helpers';

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(() => portal.stop());

const setFault = (fault: string | null) => admin(portal, 'PUT', '/faults', { api: fault });

describe('faults the portal plays on demand', () => {
  afterEach(() => setFault(null));

  it('counts downloads and 304s of the merchant list', async () => {
    const first = await api(portal, 'GET', API.merchants);
    await api(portal, 'GET', API.merchants, {
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    const faults = (await admin(portal, 'GET', '/faults')).json();
    expect(faults).toMatchObject({ api: null, stats: { downloads: 1, notModified: 1 } });
  });

  it('plays an outage with Retry-After, then recovers', async () => {
    await setFault('unavailable');
    const down = await api(portal, 'GET', API.merchants);
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('120');
    expect(ErrorBodySchema.safeParse(down.json()).success).toBe(true);
    await setFault(null);
    expect((await api(portal, 'GET', API.merchants)).status).toBe(200);
  });

  it('plays broken bodies', async () => {
    await setFault('invalid-json');
    const broken = (await api(portal, 'GET', API.merchants)).text();
    expect(() => JSON.parse(broken)).toThrow();
    await setFault('not-a-list');
    expect((await api(portal, 'GET', API.merchants)).headers['content-type']).toMatch(/text\/html/);
    await setFault(null);
  });

  it('plays a 429 with Retry-After as an HTTP date', async () => {
    await setFault('retry-after');
    const limited = await api(portal, 'GET', API.merchants);
    expect(limited.status).toBe(429);
    const retryAt = Date.parse(String(limited.headers['retry-after']));
    expect(retryAt).toBeGreaterThan(Date.now());
    expect(ErrorBodySchema.safeParse(limited.json()).success).toBe(true);
    await setFault(null);
  });

  it('plays a redirect to another origin, and a 200 HTML error page', async () => {
    await setFault('redirect-other-origin');
    const redirected = await api(portal, 'GET', API.merchants);
    expect(redirected.status).toBe(302);
    const location = new URL(String(redirected.headers.location));
    expect(location.origin).not.toBe(`http://localhost:${portal.port}`);
    expect(location.pathname).toBe(API.merchants);
    await setFault('html-error');
    const page = await api(portal, 'GET', API.merchants);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    await setFault(null);
  });

  it('streams a list past the cap, chunked, without a Content-Length', async () => {
    await setFault('too-large');
    // Counted as it comes, not kept: 65 MB parsed in a test would cost seconds.
    const seen = await new Promise<{
      headers: http.IncomingHttpHeaders;
      size: number;
      head: string;
      tail: string;
    }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: portal.port, path: API.merchants, agent: false }, (res) => {
          let size = 0;
          let head = '';
          let tail = '';
          res.on('data', (chunk: Buffer) => {
            size += chunk.byteLength;
            if (head.length < 500) head += chunk.toString('utf8', 0, 500);
            tail = (tail + chunk.toString('utf8')).slice(-500);
          });
          res.on('end', () => resolve({ headers: res.headers, size, head, tail }));
        })
        .on('error', reject);
    });
    expect(seen.headers['content-length']).toBeUndefined();
    expect(seen.headers['transfer-encoding']).toBe('chunked');
    expect(seen.size).toBeGreaterThan(MERCHANT_LIST_MAX_BYTES);
    const first = /^\{"version":"too-large","merchants":\[(\{.*?\}\}),/.exec(seen.head);
    const last = /,(\{[^{]*\{[^}]*\}\})\]\}$/.exec(seen.tail);
    for (const entry of [first?.[1], last?.[1]]) {
      expect(MerchantSchema.safeParse(JSON.parse(entry ?? 'null')).success).toBe(true);
    }
  }, 20_000);

  it('sends headers then a trickle, cut short when the fault is cleared', async () => {
    await setFault('slow-body');
    const { status, type, first, rest } = await new Promise<{
      status: number;
      type: string | undefined;
      first: string;
      rest: Promise<string>;
    }>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: portal.port, path: API.merchants, agent: false },
        (res) => {
          res.once('data', (chunk: Buffer) => {
            const chunks: Buffer[] = [chunk];
            const rest = new Promise<string>((done) => {
              res.on('data', (more: Buffer) => chunks.push(more));
              res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
            });
            resolve({
              status: res.statusCode ?? 0,
              type: res.headers['content-type'],
              first: chunk.toString('utf8'),
              rest,
            });
          });
        },
      );
      req.on('error', reject);
    });
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    expect(first).toMatch(/^\{"version":"slow"/);
    await setFault(null);
    const body = await rest;
    expect(() => JSON.parse(body) as unknown).toThrow();
  });

  it('refuses an unknown fault and keeps the current one', async () => {
    const refused = await setFault('explode');
    expect(refused.status).toBe(400);
    expect((await admin(portal, 'GET', '/faults')).json()).toMatchObject({ api: null });
  });
});

describe("the extension's portal client against each fault", () => {
  // Node's fetch stands in for the browser's: same API, same manual redirects, real sockets.
  // A short deadline makes slow-body quick; too-large must read 64 MiB first, which takes a
  // loaded machine more than that.
  const client = (listTimeoutMs = 2_000) =>
    createPortalClient({ baseUrl: `http://localhost:${portal.port}`, listTimeoutMs });
  afterEach(() => setFault(null));

  const cases: [string, Partial<PortalError>][] = [
    ['unavailable', { kind: 'http', status: 503, retryAfterMs: 120_000 }],
    ['retry-after', { kind: 'http', status: 429, code: 'too_many_requests' }],
    ['invalid-json', { kind: 'invalid-response' }],
    ['not-a-list', { kind: 'invalid-response' }],
    ['html-error', { kind: 'invalid-response' }],
    ['redirect-other-origin', { kind: 'http', status: 302, code: 'redirect_refused' }],
    ['too-large', { kind: 'too-large', limit: MERCHANT_LIST_MAX_BYTES }],
    ['slow-body', { kind: 'timeout' }],
  ];

  it.each(cases)(
    '%s: the merchant list is refused as an error value',
    async (fault, expected) => {
      await setFault(fault);
      const result = await client(fault === 'too-large' ? 30_000 : 2_000).merchants(null);
      expect(result).toEqual({ ok: false, error: expect.objectContaining(expected) });
      if (fault === 'retry-after' && !result.ok && result.error.kind === 'http') {
        expect(result.error.retryAfterMs).toBeGreaterThan(9 * 60_000);
      }
    },
    40_000,
  );

  it('every fault cleared, the list and the cagnotte come back', async () => {
    const token = await login(portal, DEMO);
    await setFault('html-error');
    expect(await client().cagnotte(token)).toMatchObject({
      ok: false,
      error: { kind: 'invalid-response' },
    });
    await setFault(null);
    expect(await client().merchants(null)).toMatchObject({
      ok: true,
      value: { notModified: false },
    });
    expect(await client().cagnotte(token)).toMatchObject({ ok: true, value: { currency: 'EUR' } });
  });
});
