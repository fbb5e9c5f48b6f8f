/** §2 of docs/portal-api.md: the merchant list, its ETag and its compression. */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MerchantListSchema, type MerchantList } from '../../utils/contract/schemas';
import { api, expectError, send, startTestPortal, type TestPortal } from './helpers';

let portal: TestPortal;
let list: MerchantList;
let etag: string;

beforeAll(async () => {
  portal = await startTestPortal();
  const response = await api(portal, 'GET', '/api/v1/merchants');
  list = MerchantListSchema.parse(response.json());
  etag = String(response.headers.etag);
});
afterAll(() => portal.stop());

const byId = (id: string) => list.merchants.find((merchant) => merchant.id === id);

describe('GET /api/v1/merchants', () => {
  it('serves a list that validates strictly, with an ETag, cacheable by any shared cache', async () => {
    const response = await api(portal, 'GET', '/api/v1/merchants');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]{16,}"$/);
    // Public, for a CDN (docs/cdn.md): the extension revalidates past any browser cache itself.
    expect(response.headers['cache-control']).toMatch(
      /^public, max-age=\d+, stale-while-revalidate=\d+$/,
    );
    // By encoding, and by the caller's origin: extensions without host access get CORS headers.
    expect(String(response.headers.vary).split(/,\s*/)).toEqual(['Accept-Encoding', 'Origin']);
    expect(response.headers['content-length']).toBe(String(response.body.length));
    expect(() => MerchantListSchema.parse(response.json())).not.toThrow();
  });

  it('has a version that names the database and its last change', () => {
    expect(list.version).toMatch(/^[0-9a-f]{8}-\d+$/);
  });

  it('lists at least 30 demo merchants, each on its own .localhost host, ids unique', () => {
    expect(list.merchants.length).toBeGreaterThanOrEqual(30);
    expect(new Set(list.merchants.map((m) => m.id)).size).toBe(list.merchants.length);
    for (const merchant of list.merchants) {
      expect(merchant.domains.every((domain) => domain.endsWith('.localhost'))).toBe(true);
    }
    const domains = list.merchants.flatMap((m) => m.domains);
    expect(new Set(domains).size).toBe(domains.length);
  });

  it('exercises every field: rates, prompt policies, checkout paths, terms, logos', () => {
    const { merchants } = list;
    const percent = merchants.filter((m) => m.cashback.type === 'percent');
    const amount = merchants.filter((m) => m.cashback.type === 'amount');
    expect(percent.some((m) => !Number.isInteger(m.cashback.value))).toBe(true);
    expect(percent.some((m) => m.cashback.upTo)).toBe(true);
    expect(amount.length).toBeGreaterThanOrEqual(3);
    for (const m of amount) {
      expect(m.cashback).toMatchObject({ currency: 'EUR' });
      expect(Number.isInteger(m.cashback.value)).toBe(true);
    }
    const count = (policy: string) => merchants.filter((m) => m.prompts === policy).length;
    expect(count('allowed')).toBeGreaterThan(merchants.length / 2);
    expect(count('checkout-only')).toBeGreaterThanOrEqual(2);
    expect(count('never')).toBeGreaterThanOrEqual(2);
    expect(merchants.filter((m) => m.checkoutPaths).length).toBeGreaterThan(merchants.length / 2);
    expect(merchants.some((m) => !m.checkoutPaths)).toBe(true);
    expect(merchants.filter((m) => m.terms).length).toBeGreaterThanOrEqual(3);
    for (const m of merchants) {
      expect(m.logoUrl).toBe(`http://localhost:${portal.port}/logos/${m.id}.svg`);
    }
  });

  it('has a merchant with two domains and a nested merchant on a subdomain', () => {
    expect(byId('maison-lenoir')?.domains).toEqual([
      'maison-lenoir.localhost',
      'lenoir-paris.localhost',
    ]);
    expect(byId('grand-bazar')?.domains).toEqual(['grand-bazar.localhost']);
    expect(byId('grand-bazar-voyages')?.domains).toEqual(['voyages.grand-bazar.localhost']);
  });

  it('sends the stand-down signals of other affiliates', () => {
    expect(list.standDown.params).toEqual(
      expect.arrayContaining(['awc', 'cjevent', 'ranMID', 'ranSiteID', 'irclickid', 'clickref']),
    );
    expect(list.standDown.referrerHosts).toEqual(
      expect.arrayContaining(['igraal.com', 'poulpeo.com']),
    );
  });

  it('builds logo URLs on the public origin, not on the Host the request came to', async () => {
    const response = await api(portal, 'GET', '/api/v1/merchants', {
      headers: { host: `127.0.0.1:${portal.port}` },
    });
    const other = MerchantListSchema.parse(response.json());
    expect(other.merchants[0]!.logoUrl).toMatch(
      new RegExp(`^http://localhost:${portal.port}/logos/`),
    );
  });

  it('serves the logos it links to', async () => {
    const logo = await send(portal, { path: new URL(list.merchants[0]!.logoUrl!).pathname });
    expect(logo.status).toBe(200);
    expect(logo.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(logo.text()).toContain('<svg');
    expect(logo.text()).toMatch(/>\s*AV\s*<\/text>/); // Atelier Vendôme
    expectError(await send(portal, { path: '/logos/nobody.svg' }), 404, 'not_found');
  });
});

describe('conditional requests', () => {
  it('answers If-None-Match with the current ETag by 304 and an empty body', async () => {
    const response = await api(portal, 'GET', '/api/v1/merchants', {
      headers: { 'if-none-match': etag },
    });
    expect(response.status).toBe(304);
    expect(response.body.length).toBe(0);
    expect(response.headers.etag).toBe(etag);
  });

  it('compares weakly and accepts a list of tags', async () => {
    for (const ifNoneMatch of [`W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await api(portal, 'GET', '/api/v1/merchants', {
        headers: { 'if-none-match': ifNoneMatch },
      });
      expect(response.status).toBe(304);
    }
  });

  it('answers a stale ETag with the full list', async () => {
    const response = await api(portal, 'GET', '/api/v1/merchants', {
      headers: { 'if-none-match': '"stale"' },
    });
    expect(response.status).toBe(200);
    expect(MerchantListSchema.parse(response.json()).merchants.length).toBe(list.merchants.length);
  });

  it('keeps the ETag while the list does not change', async () => {
    const again = await api(portal, 'GET', '/api/v1/merchants');
    expect(again.headers.etag).toBe(etag);
  });
});

describe('compression', () => {
  it('gzips when asked, to the same JSON', async () => {
    const identity = await api(portal, 'GET', '/api/v1/merchants');
    const response = await api(portal, 'GET', '/api/v1/merchants', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers.etag).toBe(etag);
    const body = zlib.gunzipSync(response.body);
    expect(body.equals(identity.body)).toBe(true);
    expect(response.body.length).toBeLessThan(identity.body.length / 3);
  });

  it('prefers br when the client takes both, and follows q-values', async () => {
    const identity = await api(portal, 'GET', '/api/v1/merchants');
    const br = await api(portal, 'GET', '/api/v1/merchants', {
      headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.body).equals(identity.body)).toBe(true);

    const gzipPreferred = await api(portal, 'GET', '/api/v1/merchants', {
      headers: { 'accept-encoding': 'br;q=0.5, gzip;q=1' },
    });
    expect(gzipPreferred.headers['content-encoding']).toBe('gzip');

    const none = await api(portal, 'GET', '/api/v1/merchants', {
      headers: { 'accept-encoding': 'br;q=0, gzip;q=0, identity' },
    });
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.body.equals(identity.body)).toBe(true);
  });
});

describe('a change of the list', () => {
  it('changes the ETag and the version, and the old ETag no longer matches', async () => {
    const before = Number(list.version.split('-')[1]);
    expect(portal.store.merchants.syncGenerated(3)).toBe(true);
    try {
      const response = await api(portal, 'GET', '/api/v1/merchants', {
        headers: { 'if-none-match': etag },
      });
      expect(response.status).toBe(200);
      expect(response.headers.etag).not.toBe(etag);
      const changed = MerchantListSchema.parse(response.json());
      expect(changed.merchants.length).toBe(list.merchants.length + 3);
      expect(Number(changed.version.split('-')[1])).toBe(before + 3);
    } finally {
      portal.store.merchants.syncGenerated(0);
    }
    const restored = await api(portal, 'GET', '/api/v1/merchants');
    expect(MerchantListSchema.parse(restored.json()).merchants.length).toBe(list.merchants.length);
  });
});

describe('routing', () => {
  it('answers unknown routes with 404 and the error shape', async () => {
    expectError(await api(portal, 'GET', '/api/v1/nope'), 404, 'not_found');
    expectError(await api(portal, 'GET', '/api/v2/merchants'), 404, 'not_found');
  });

  it('refuses POST on the list with 405', async () => {
    expectError(
      await api(portal, 'POST', '/api/v1/merchants', { body: {} }),
      405,
      'method_not_allowed',
    );
  });
});
