/**
 * A hostile or broken portal, fuzzed with fast-check through the real code: the portal client
 * (caps, deadline, content type, redirects), the sync (lease, backoff) and the merchant store on
 * fake-indexeddb. Whatever the portal sends, the sync never throws, the member keeps the last
 * good list, and the sync state says why in a kind the options page explains.
 *
 * Bounded: each property runs at most its `*_RUNS` count and stops early past `TIME_LIMIT_MS`.
 * Seeded: `FUZZ_SEED=<n> npx vitest run tests/unit/hostile/merchant-list.test.ts` replays a
 * failure (fast-check prints the seed and the shrunk counterexample).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MerchantSchema } from '../../../utils/contract/schemas';
import { openRistourneDb, type RistourneDb, type SyncErrorKind } from '../../../utils/storage/db';
import { createMerchantStore, type MerchantStore } from '../../../utils/merchants/store';
import { syncMerchants } from '../../../utils/merchants/sync';
import { BACKOFF_MAX_MS } from '../../../utils/merchants/sync-policy';
import { createPortalClient, parseRetryAfter } from '../../../utils/contract/client';

/** Unusable answers tried against a synced good list. */
export const UNUSABLE_ANSWER_RUNS = 200;
/** Lists mixing valid merchants with hostile entries. */
export const MIXED_LIST_RUNS = 100;
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
const TIME_LIMIT_MS = 8_000;

const T0 = Date.parse('2026-11-23T10:00:00Z');
/** Small caps and deadline, so that "too large" and "too slow" stay cheap to play. */
const LIST_CAP = 256 * 1024;
const LIST_TIMEOUT_MS = 30;

// ---------- the good list the member already has ----------

const GOOD = {
  version: 'good-1',
  merchants: [
    { id: 'fnac', name: 'Fnac', domains: ['fnac.com'], cashback: { type: 'percent', value: 4 } },
    { id: 'cafe', name: 'Café', domains: ['café.fr'], cashback: { type: 'percent', value: 3 } },
    {
      id: 'hotel',
      name: 'Hotel & Co',
      domains: ['hotel-co.fr', 'hotel-co.de'],
      cashback: { type: 'amount', value: 1500, currency: 'EUR' },
    },
  ],
  standDown: { params: ['awc'], referrerHosts: [] },
};
const GOOD_JSON = JSON.stringify(GOOD);

// ---------- the portal, as data (fast-check prints and shrinks it) ----------

type Answer =
  | { type: 'list'; body: string }
  | {
      type: 'body';
      status: number;
      contentType: string | null;
      body: string;
      expect: SyncErrorKind;
    }
  | { type: 'endless'; declaredLength: boolean }
  | { type: 'trickle' }
  | { type: 'redirect'; status: number; location: string }
  | { type: 'error'; status: number; body: string; retryAfter: string | null }
  | { type: 'reject'; reason: unknown };

function expectedKind(answer: Answer): SyncErrorKind | null {
  switch (answer.type) {
    case 'list':
      return null;
    case 'body':
      return answer.expect;
    case 'endless':
      return 'too-large';
    case 'trickle':
      return 'timeout';
    case 'redirect':
    case 'error':
      return 'http';
    case 'reject':
      return 'network';
  }
}

const encoder = new TextEncoder();

function respond(answer: Answer): Response {
  switch (answer.type) {
    case 'list':
      return new Response(answer.body, { headers: { 'Content-Type': 'application/json' } });
    case 'body':
      return new Response(answer.body, {
        status: answer.status,
        headers: answer.contentType === null ? {} : { 'Content-Type': answer.contentType },
      });
    case 'endless': {
      const chunk = encoder.encode('{"version":"v","merchants":[' + '[0],'.repeat(4096));
      return new Response(
        new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(chunk) }),
        {
          headers: {
            'Content-Type': 'application/json',
            ...(answer.declaredLength ? { 'Content-Length': String(LIST_CAP * 4) } : {}),
          },
        },
      );
    }
    case 'trickle':
      return new Response(
        new ReadableStream<Uint8Array>({
          start: (controller) => controller.enqueue(encoder.encode(GOOD_JSON.slice(0, 20))),
          pull: () => new Promise<void>(() => undefined), // and ignores the fetch's signal
        }),
        { headers: { 'Content-Type': 'application/json' } },
      );
    case 'redirect':
      return new Response(null, { status: answer.status, headers: { Location: answer.location } });
    case 'error':
      return new Response(answer.body, {
        status: answer.status,
        headers: answer.retryAfter === null ? {} : { 'Retry-After': answer.retryAfter },
      });
    case 'reject':
      throw answer.reason;
  }
}

// ---------- generators ----------

const nested = (depth: number, open: string, close: string) =>
  open.repeat(depth) + '0' + close.repeat(depth);

const notJson = fc.oneof(
  fc.constant('<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>'),
  fc.integer({ min: 1, max: GOOD_JSON.length - 1 }).map((end) => GOOD_JSON.slice(0, end)),
  fc.string({ maxLength: 200 }).filter((text) => !parses(text)),
  fc.constant(''),
  fc.constant('\uFEFF{"version": "v", "merchants": []'),
  fc.constant('{"version": "v", "merchants": [NaN, Infinity]}'),
);

/** Never a valid value for the envelope's fields (an empty array is one for its lists). */
const wrongType = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.constant('   '),
  fc.integer(),
  fc.boolean(),
  fc.constant({}),
  fc.constant({ length: 1, 0: 'x' }),
);
const wrongVersion = fc.oneof(
  wrongType,
  fc.constant([]),
  fc.integer({ min: 101, max: 300 }).map((length) => 'v'.repeat(length)),
);

/** JSON that is not a merchant list envelope. */
const notAList = fc.oneof(
  fc
    .jsonValue()
    .filter(
      (value) =>
        !(
          typeof value === 'object' &&
          value !== null &&
          'version' in value &&
          'merchants' in value
        ),
    )
    .map((value) => JSON.stringify(value) ?? 'null'),
  fc.record({ version: wrongVersion, merchants: fc.constant([GOOD.merchants[0]]) }).map(stringify),
  fc.record({ version: fc.constant('v2'), merchants: wrongType }).map(stringify),
  fc.constant(stringify({ version: 'v2' })),
  fc.constant(stringify({ merchants: GOOD.merchants })),
  fc
    .record({ params: wrongType, referrerHosts: fc.constant([]) })
    .map((standDown) => stringify({ version: 'v2', merchants: GOOD.merchants, standDown })),
  fc.constant(stringify({ error: { code: 'internal', message: 'boom' } })),
  // Deep nesting, up to 10,000 levels: as the body, as the version, as the list.
  fc.constantFrom(1_000, 10_000).map((depth) => nested(depth, '[', ']')),
  fc.constantFrom(1_000, 10_000).map((depth) => nested(depth, '{"a":', '}')),
  fc
    .integer({ min: 1000, max: 10_000 })
    .map((depth) => `{"version": ${nested(depth, '[', ']')}, "merchants": []}`),
  // A huge string, under the byte cap.
  fc
    .integer({ min: 1000, max: 200_000 })
    .map((length) => stringify({ version: 'v'.repeat(length), merchants: GOOD.merchants })),
  // Entries, none of them usable.
  fc
    .array(fc.anything({ maxDepth: 3 }), { minLength: 1, maxLength: 20 })
    .filter((entries) => entries.every((entry) => !MerchantSchema.safeParse(entry).success))
    .map((entries) => stringify({ version: 'v2', merchants: entries })),
);

const retryAfter = fc.oneof(
  fc.constant(null),
  fc.integer({ min: 0, max: 100_000 }).map(String),
  fc
    .integer({ min: -3600, max: 48 * 3600 })
    .map((seconds) => new Date(T0 + seconds * 1000).toUTCString()),
  fc.string({ maxLength: 40 }),
);

const answer: fc.Arbitrary<Answer> = fc.oneof(
  notJson.map((body): Answer => ({
    type: 'body',
    status: 200,
    contentType: 'application/json',
    body,
    expect: 'invalid-response',
  })),
  fc
    .record({
      contentType: fc.constantFrom(
        'text/html; charset=utf-8',
        'text/plain',
        'application/xml',
        'application/octet-stream',
        'application/jsonp',
      ),
      body: fc.constantFrom(GOOD_JSON, '<html><body>Connexion requise</body></html>'),
    })
    .map(({ contentType, body }): Answer => ({
      type: 'body',
      status: 200,
      contentType,
      body,
      expect: 'invalid-response',
    })),
  fc
    .tuple(notAList, fc.constantFrom('application/json', 'application/json; charset=utf-8'))
    .map(([body, contentType]): Answer => ({
      type: 'body',
      status: 200,
      contentType,
      body,
      expect: 'not-a-list',
    })),
  fc.boolean().map((declaredLength): Answer => ({ type: 'endless', declaredLength })),
  fc.constant<Answer>({ type: 'trickle' }),
  fc
    .record({
      status: fc.constantFrom(301, 302, 303, 307, 308),
      location: fc.constantFrom('https://evil.example/api/v1/merchants', '//evil.example/', '/'),
    })
    .map((redirect): Answer => ({ type: 'redirect', ...redirect })),
  fc
    .record({
      status: fc.oneof(
        fc.constantFrom(429, 503, 500, 502, 401, 403, 404),
        fc.integer({ min: 400, max: 599 }),
      ),
      body: fc.oneof(
        fc.constant(''),
        fc.constant('<h1>Service Unavailable</h1>'),
        fc.constant(stringify({ error: { code: 'unavailable', message: 'Maintenance' } })),
        fc.jsonValue().map((value) => JSON.stringify(value) ?? ''),
        fc.string({ maxLength: 100 }),
        fc.integer({ min: 70_000, max: 200_000 }).map((length) => 'x'.repeat(length)),
      ),
      retryAfter,
    })
    .map((error): Answer => ({ type: 'error', ...error })),
  fc
    .oneof(
      fc.constant(new TypeError('Failed to fetch')),
      fc.anything({ withNullPrototype: true, maxDepth: 2 }),
    )
    .map((reason): Answer => ({ type: 'reject', reason })),
);

// ---------- the extension's side ----------

let db: RistourneDb;
let store: MerchantStore;
let now = T0;
let next: Answer | null = null;
const client = createPortalClient({
  baseUrl: 'http://portal.test',
  fetch: async () => {
    const current = next;
    if (!current)
      return new Response(GOOD_JSON, { headers: { 'Content-Type': 'application/json' } });
    return respond(current);
  },
  listTimeoutMs: LIST_TIMEOUT_MS,
  maxListBytes: LIST_CAP,
  now: () => now,
});
const sync = () => syncMerchants({ client, db, now: () => now, force: true, random: () => 0.5 });

async function expectGoodListKept(): Promise<void> {
  for (const merchant of GOOD.merchants) {
    for (const domain of merchant.domains) {
      const match = await store.matchUrl(`https://www.${domain}/panier`);
      expect(match?.id).toBe(merchant.id);
      expect(match?.cashback.value).toBe(merchant.cashback.value);
    }
  }
  expect(await store.getSyncState()).toMatchObject({
    version: 'good-1',
    etag: '"good"',
    counts: { merchants: 3 },
  });
}

beforeAll(async () => {
  db = openRistourneDb(`hostile-list-${Date.now()}`);
  store = createMerchantStore(db, { now: () => now });
});
afterAll(() => db.delete());

describe('a hostile portal and the merchant list', () => {
  it('an unusable answer never throws, keeps the last good list and records why', async () => {
    next = null;
    const first = await syncMerchants({
      client: createPortalClient({
        baseUrl: 'http://portal.test',
        fetch: async () =>
          new Response(GOOD_JSON, {
            headers: { 'Content-Type': 'application/json', ETag: '"good"' },
          }),
      }),
      db,
      now: () => now,
    });
    expect(first).toMatchObject({ status: 'updated', version: 'good-1' });

    await fc.assert(
      fc.asyncProperty(answer, async (hostile) => {
        now += 60_000;
        next = hostile;
        const outcome = await sync();

        expect(outcome.status).toBe('failed');
        if (outcome.status !== 'failed') return;
        expect(outcome.error.kind).toBe(expectedKind(hostile));
        expect((await store.getSyncState()).lastError).toMatchObject({
          kind: expectedKind(hostile),
          at: now,
        });
        // 429 and 503 say when to come back: never sooner, never past the backoff cap.
        const delay = outcome.nextAttemptAt - now;
        expect(delay).toBeLessThanOrEqual(BACKOFF_MAX_MS);
        if (hostile.type === 'error' && hostile.status !== 401) {
          const asked = parseRetryAfter(hostile.retryAfter, now) ?? 0;
          expect(delay).toBeGreaterThanOrEqual(Math.min(asked, BACKOFF_MAX_MS));
        }
        await expectGoodListKept();
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: UNUSABLE_ANSWER_RUNS, seed: FUZZ_SEED, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
  }, 30_000);
});

// ---------- lists that mix valid merchants and hostile entries ----------

interface ValidMerchant {
  id: string;
  name: string;
  domains: string[];
  cashback: { type: 'percent'; value: number };
}

const LABELS = ['boutique', 'café', 'bücher', 'élan', 'mañana', 'straße', 'shop', 'ünï'];
const TLDS = ['fr', 'com', 'de', 'co.uk', 'shop'];

const validMerchants = fc
  .array(
    fc.record({
      label: fc.constantFrom(...LABELS),
      tld: fc.constantFrom(...TLDS),
      value: fc.integer({ min: 1, max: 1000 }).map((tenths) => tenths / 10),
      extraDomains: fc.integer({ min: 0, max: 2 }),
      form: fc.constantFrom('as is', 'punycode', 'upper case, trailing dot'),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((specs) =>
    specs.map(({ label, tld, value, extraDomains, form }, i): ValidMerchant => ({
      id: `m-${i}`,
      name: `Marchand ${i}`,
      domains: Array.from({ length: extraDomains + 1 }, (_, d) => {
        const domain = `${label}-${i}-${d}.${tld}`;
        if (form === 'punycode') return punycodeOf(domain);
        return form === 'as is' ? domain : domain.toUpperCase() + '.';
      }),
      cashback: { type: 'percent', value },
    })),
  );

const DEEP = '(10,000 nested arrays)';

/** A valid merchant broken in one field: the entry must go, and only it. */
const NEAR_MISSES: [string, (m: Record<string, unknown>) => Record<string, unknown>][] = [
  ['empty id', (m) => ({ ...m, id: '  ' })],
  ['numeric id', (m) => ({ ...m, id: 42 })],
  ['id too long', (m) => ({ ...m, id: 'i'.repeat(201) })],
  ['no name', ({ name: _name, ...m }) => m],
  ['huge name', (m) => ({ ...m, name: 'n'.repeat(100_000) })],
  ['no domains', (m) => ({ ...m, domains: [] })],
  ['a public suffix only', (m) => ({ ...m, domains: ['co.uk'] })],
  ['an IP', (m) => ({ ...m, domains: ['192.168.0.1'] })],
  ['a URL, not a host', (m) => ({ ...m, domains: ['https://evil.example/path'] })],
  ['101 domains', (m) => ({ ...m, domains: Array.from({ length: 101 }, (_, i) => `d${i}.fr`) })],
  ['domains a string', (m) => ({ ...m, domains: 'shop.fr' })],
  ['0 %', (m) => ({ ...m, cashback: { type: 'percent', value: 0 } })],
  ['-5 %', (m) => ({ ...m, cashback: { type: 'percent', value: -5 } })],
  ['101 %', (m) => ({ ...m, cashback: { type: 'percent', value: 101 } })],
  ['1e308 %', (m) => ({ ...m, cashback: { type: 'percent', value: 1e308 } })],
  ['"5" %', (m) => ({ ...m, cashback: { type: 'percent', value: '5' } })],
  [
    'cents not integer',
    (m) => ({ ...m, cashback: { type: 'amount', value: 1.5, currency: 'EUR' } }),
  ],
  ['amount too big', (m) => ({ ...m, cashback: { type: 'amount', value: 1e9, currency: 'EUR' } })],
  [
    'currency lower case',
    (m) => ({ ...m, cashback: { type: 'amount', value: 5, currency: 'eur' } }),
  ],
  ['unknown cashback type', (m) => ({ ...m, cashback: { type: 'points', value: 5 } })],
  ['javascript: logo', (m) => ({ ...m, logoUrl: 'javascript:alert(1)' })],
  ['unknown prompts policy', (m) => ({ ...m, prompts: 'sometimes' })],
  ['relative checkout path', (m) => ({ ...m, checkoutPaths: ['panier'] })],
  ['terms too long', (m) => ({ ...m, terms: 't'.repeat(2001) })],
  ['10,000 levels of nesting as terms', (m) => ({ ...m, terms: DEEP })],
];

type Hostile =
  | { type: 'near-miss'; index: number }
  | { type: 'junk'; value: unknown }
  | { type: 'duplicate-id'; of: number }
  | { type: 'duplicate-domain'; of: number; punycode: boolean; ownDomain: boolean }
  | { type: 'proto' };

const hostileEntries = fc.array(
  fc.oneof(
    fc
      .integer({ min: 0, max: NEAR_MISSES.length - 1 })
      .map((index): Hostile => ({ type: 'near-miss', index })),
    fc
      .anything({ maxDepth: 3, withNullPrototype: true })
      .filter((value) => !MerchantSchema.safeParse(value).success)
      .map((value): Hostile => ({ type: 'junk', value })),
    fc.nat().map((of): Hostile => ({ type: 'duplicate-id', of })),
    fc
      .record({ of: fc.nat(), punycode: fc.boolean(), ownDomain: fc.boolean() })
      .map((spec): Hostile => ({ type: 'duplicate-domain', ...spec })),
    fc.constant<Hostile>({ type: 'proto' }),
  ),
  { maxLength: 10 },
);

const punycodeOf = (domain: string) => new URL(`http://${domain}`).hostname.replace(/\.$/, '');

describe('a list that mixes valid merchants and hostile entries', () => {
  it('keeps every valid merchant whole and drops each hostile entry alone', async () => {
    await fc.assert(
      fc.asyncProperty(validMerchants, hostileEntries, async (valid, hostile) => {
        // What the portal sends: the valid merchants, then the hostile entries (first-come
        // rules on ids and domains make their order matter; that is tested elsewhere).
        const expectedDomains = new Map<string, ValidMerchant>();
        for (const merchant of valid) {
          for (const domain of merchant.domains) expectedDomains.set(punycodeOf(domain), merchant);
        }
        const absentDomains: string[] = [];
        const entries: unknown[] = [...valid];
        hostile.forEach((entry, k) => {
          const base = { id: `h-${k}`, name: `Hostile ${k}`, domains: [`hostile-${k}.fr`] };
          const cashback = { type: 'percent', value: 50 };
          switch (entry.type) {
            case 'near-miss':
              entries.push(NEAR_MISSES[entry.index]![1]({ ...base, cashback }));
              absentDomains.push(`hostile-${k}.fr`);
              return;
            case 'junk':
              entries.push(entry.value);
              return;
            case 'duplicate-id':
              entries.push({ ...base, id: valid[entry.of % valid.length]!.id, cashback });
              absentDomains.push(`hostile-${k}.fr`);
              return;
            case 'duplicate-domain': {
              const owner = valid[entry.of % valid.length]!;
              const claimed = entry.punycode ? punycodeOf(owner.domains[0]!) : owner.domains[0]!;
              const own = `own-${k}.fr`;
              entries.push({
                ...base,
                domains: entry.ownDomain ? [claimed, own] : [claimed],
                cashback,
              });
              if (entry.ownDomain) {
                expectedDomains.set(own, { id: base.id, cashback: { value: 50 } } as never);
              } else absentDomains.push(own);
              return;
            }
            case 'proto':
              entries.push(
                JSON.parse(
                  `{"id": "h-${k}", "name": "Proto", "domains": ["proto-${k}.fr"],` +
                    ` "cashback": {"type": "percent", "value": 1}, "__proto__": {"polluted": true},` +
                    ` "constructor": {"prototype": {"polluted": true}}}`,
                ),
              );
              expectedDomains.set(`proto-${k}.fr`, {
                id: `h-${k}`,
                cashback: { value: 1 },
              } as never);
              return;
          }
        });
        // JSON.stringify recurses (JSON.parse does not): the deep value is spliced in as text.
        const body = JSON.stringify({ version: `mixed-${now}`, merchants: entries }).replaceAll(
          JSON.stringify(DEEP),
          nested(10_000, '[', ']'),
        );
        now += 60_000;
        next = { type: 'list', body };

        const outcome = await sync();

        const keptIds = new Set([...expectedDomains.values()].map((merchant) => merchant.id));
        expect(outcome).toMatchObject({ status: 'updated', counts: { merchants: keptIds.size } });
        for (const [domain, merchant] of expectedDomains) {
          const match = await store.matchUrl(`https://www.${domain}/`);
          expect(match?.id).toBe(merchant.id);
          expect(match?.cashback.value).toBe(merchant.cashback.value);
        }
        for (const merchant of valid) {
          expect((await store.getMerchant(merchant.id))?.name).toBe(merchant.name);
        }
        for (const domain of absentDomains)
          expect(await store.matchUrl(`https://${domain}/`)).toBeNull();
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: MIXED_LIST_RUNS, seed: FUZZ_SEED, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
  }, 30_000);
});

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function stringify(value: unknown): string {
  return JSON.stringify(value);
}
