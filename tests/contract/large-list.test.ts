/**
 * `merchants: 100000`: the benchmark list. Every entry valid, ids and domains unique, served from
 * memory. Prints the timings (start, first and cached responses) for the report; the speed targets
 * themselves live in the benchmarks (`npm run bench`), never in a timed assertion here.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MerchantListSchema, type MerchantList } from '../../utils/contract/schemas';
import { api, startTestPortal, visit, type TestPortal } from './helpers';

const N = 100_000;
let portal: TestPortal;
let startMs: number;
const timings: Record<string, string> = {};

beforeAll(async () => {
  const started = performance.now();
  portal = await startTestPortal({ merchants: N });
  startMs = performance.now() - started;
  timings.start = `${startMs.toFixed(0)} ms`;
}, 60_000);

afterAll(async () => {
  console.log(`[portal ${N} merchants]`, timings);
  await portal?.stop();
});

async function timed(label: string, headers: Record<string, string> = {}) {
  const started = performance.now();
  const response = await api(portal, 'GET', '/api/v1/merchants', { headers });
  const ms = performance.now() - started;
  timings[label] = `${ms.toFixed(1)} ms, ${(response.body.length / 1e6).toFixed(2)} MB`;
  return { response, ms };
}

describe(`${N} merchants`, () => {
  let list: MerchantList;

  it('serves them all, each valid, with unique ids and domains', async () => {
    const { response } = await timed('first identity');
    expect(response.status).toBe(200);
    list = MerchantListSchema.parse(response.json());
    expect(list.merchants).toHaveLength(N);
    expect(list.merchants[0]!.id).toBe('atelier-vendome'); // demo merchants first
    expect(new Set(list.merchants.map((m) => m.id)).size).toBe(N);
    const domains = list.merchants.flatMap((m) => m.domains);
    expect(new Set(domains).size).toBe(domains.length);
    expect(list.merchants.filter((m) => m.domains.length > 1).length).toBeGreaterThan(N / 20);
    expect(list.merchants.filter((m) => m.cashback.type === 'amount').length).toBeGreaterThan(
      N / 5,
    );
    for (const policy of ['allowed', 'checkout-only', 'never']) {
      expect(list.merchants.some((m) => m.prompts === policy)).toBe(true);
    }
  }, 30_000);

  it('serves the same cached list again, compressed either way', async () => {
    const first = await timed('second identity');
    const cached = await timed('cached identity');
    expect(cached.response.headers.etag).toBe(first.response.headers.etag);
    expect(cached.response.body.equals(first.response.body)).toBe(true);
    const gzip = await timed('cached gzip', { 'accept-encoding': 'gzip' });
    expect(gzip.response.headers['content-encoding']).toBe('gzip');
    expect(gzip.response.body.length).toBeLessThan(5_000_000);
    expect(zlib.gunzipSync(gzip.response.body).equals(cached.response.body)).toBe(true);
    const br = await timed('cached br', { 'accept-encoding': 'br' });
    expect(br.response.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.response.body).equals(cached.response.body)).toBe(true);
  }, 30_000); // four 25 MB answers and two decompressions: a budget on a busy machine, not a goal

  it('answers a revalidation with 304', async () => {
    const etag = String((await api(portal, 'HEAD', '/api/v1/merchants')).headers.etag);
    const started = performance.now();
    const response = await api(portal, 'GET', '/api/v1/merchants', {
      headers: { 'if-none-match': etag },
    });
    timings['304'] = `${(performance.now() - started).toFixed(1)} ms`;
    expect(response.status).toBe(304);
  });

  it('opens a shop on a generated merchant’s real-looking domain', async () => {
    const merchant = list.merchants[N - 1]!;
    const response = await visit(portal, `http://www.${merchant.domains[0]}/`);
    expect(response.status).toBe(200);
    expect(response.text()).toContain(`Bienvenue chez ${merchant.name.replace(/&/g, '&amp;')}`);
  });
});
