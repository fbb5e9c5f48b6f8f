/**
 * A hostile or broken portal answering the cagnotte, fuzzed with fast-check through the real
 * portal client and the real account (its store on fake-indexeddb): whatever comes back, the
 * refresh never throws, the member stays signed in with the last good figures, and the popup is
 * told the refresh failed. A 401 alone signs out (tested in account.test.ts).
 *
 * Bounded: at most `CAGNOTTE_RUNS` cases, interrupted past `TIME_LIMIT_MS`. Seeded:
 * `FUZZ_SEED=<n>` replays a failure.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type Account } from '../../../utils/account/account';
import { createDatabaseAccountStore, type StoredAccount } from '../../../utils/account/store';
import { CagnotteSchema, type Cagnotte } from '../../../utils/contract/schemas';
import { openRistourneDb, type RistourneDb } from '../../../utils/storage/db';
import { createPortalClient, parseRetryAfter } from '../../../utils/contract/client';

/** Unusable cagnotte answers tried against a member with good figures. */
export const CAGNOTTE_RUNS = 200;
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
const TIME_LIMIT_MS = 8_000;

const T0 = Date.parse('2026-11-23T10:00:00Z');
const RESPONSE_CAP = 64 * 1024;
const TIMEOUT_MS = 30;

const GOOD: Cagnotte = {
  currency: 'EUR',
  pending: 904,
  confirmed: 4295,
  paid: 4643,
  payoutThreshold: 1000,
  transactions: [
    {
      id: 't_1',
      merchantId: 'fnac',
      merchantName: 'Fnac',
      orderedAt: '2026-11-20T14:03:00Z',
      orderAmount: 12999,
      cashback: 585,
      status: 'pending',
    },
  ],
};
const SIGNED_IN: StoredAccount = {
  token: 'tok_good',
  user: { id: 'u_1', email: 'demo@ristourne.test', displayName: 'Camille Martin' },
  cagnotte: { figures: GOOD, fetchedAt: T0 },
  refreshError: null,
};

// ---------- the portal, as data ----------

type Answer =
  | { type: 'body'; contentType: string | null; body: string }
  | { type: 'endless'; declaredLength: boolean }
  | { type: 'trickle' }
  | { type: 'redirect'; status: number }
  | { type: 'error'; status: number; body: string; retryAfter: RetryAfter }
  | { type: 'reject'; reason: unknown };

/** What the popup is told: the portal is down (try later), or it answered nonsense. */
function expectedRefreshError(answer: Answer): 'portal-unreachable' | 'failed' {
  if (answer.type === 'trickle' || answer.type === 'reject') return 'portal-unreachable';
  if (answer.type === 'error' && (answer.status >= 500 || answer.status === 429)) {
    return 'portal-unreachable';
  }
  return 'failed';
}

const encoder = new TextEncoder();

function respond(answer: Answer, now: number): Response {
  switch (answer.type) {
    case 'body':
      return new Response(answer.body, {
        headers: answer.contentType === null ? {} : { 'Content-Type': answer.contentType },
      });
    case 'endless': {
      const chunk = encoder.encode('{"currency":"EUR","transactions":[' + '{},'.repeat(4096));
      return new Response(
        new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(chunk) }),
        {
          headers: {
            'Content-Type': 'application/json',
            ...(answer.declaredLength ? { 'Content-Length': String(RESPONSE_CAP + 1) } : {}),
          },
        },
      );
    }
    case 'trickle':
      return new Response(
        new ReadableStream<Uint8Array>({
          start: (controller) => controller.enqueue(encoder.encode('{"currency": "EUR", "pen')),
          pull: () => new Promise<void>(() => undefined),
        }),
        { headers: { 'Content-Type': 'application/json' } },
      );
    case 'redirect':
      return new Response(null, {
        status: answer.status,
        headers: { Location: 'https://evil.example/api/v1/me/cagnotte' },
      });
    case 'error':
      return new Response(answer.body, {
        status: answer.status,
        headers: retryAfterHeader(answer.retryAfter, now),
      });
    case 'reject':
      throw answer.reason;
  }
}

// ---------- generators ----------

/** Retry-After as seconds, as an HTTP date (read against the clock when served), or junk. */
type RetryAfter =
  { form: 'none' } | { form: 'seconds' | 'date'; seconds: number } | { form: 'junk'; text: string };

const retryAfter: fc.Arbitrary<RetryAfter> = fc.oneof(
  fc.constant<RetryAfter>({ form: 'none' }),
  fc
    .record({
      form: fc.constantFrom('seconds', 'date'),
      seconds: fc.integer({ min: 0, max: 100_000 }),
    })
    .map((value) => value as RetryAfter),
  fc.string({ maxLength: 30 }).map((text): RetryAfter => ({ form: 'junk', text })),
);

function retryAfterHeader(value: RetryAfter, at: number): Record<string, string> {
  switch (value.form) {
    case 'none':
      return {};
    case 'seconds':
      return { 'Retry-After': String(value.seconds) };
    case 'date':
      return { 'Retry-After': new Date(at + value.seconds * 1000).toUTCString() };
    case 'junk':
      return { 'Retry-After': value.text };
  }
}

const DEEP = '(10,000 nested arrays)';
const nested = (depth: number) => '['.repeat(depth) + '0' + ']'.repeat(depth);

/** The good figures broken in one place: numbers out of range, wrong types, missing fields. */
const brokenFigures = fc
  .oneof(
    fc.constantFrom<keyof Cagnotte>(
      'pending',
      'confirmed',
      'paid',
      'payoutThreshold',
      'currency',
      'transactions',
    ),
  )
  .chain((field) =>
    fc
      .oneof(
        fc.constant(undefined),
        fc.constantFrom(-1, 1.5, 2 ** 53, 1e308, '904', null, true, 'eur', 'EURO', {}, DEEP),
        fc.constant(Array.from({ length: 51 }, () => GOOD.transactions[0])),
        fc.constant([{ ...GOOD.transactions[0], orderedAt: 'yesterday' }]),
        fc.constant([{ ...GOOD.transactions[0], status: 'refunded' }]),
        fc.constant([{ ...GOOD.transactions[0], cashback: -585 }]),
        fc.constant([{ ...GOOD.transactions[0], id: 'x'.repeat(100_000) }]),
        fc.anything({ maxDepth: 2 }),
      )
      .map((value) => ({ ...GOOD, [field]: value })),
  )
  .filter((figures) => !CagnotteSchema.safeParse(figures).success)
  .map((figures) => JSON.stringify(figures).replaceAll(JSON.stringify(DEEP), nested(10_000)));

const notACagnotte = fc.oneof(
  brokenFigures,
  fc
    .jsonValue()
    .filter((value) => !CagnotteSchema.safeParse(value).success)
    .map((value) => JSON.stringify(value) ?? 'null'),
  fc.constant(nested(10_000)),
  fc.constant('{"a":'.repeat(10_000) + '0' + '}'.repeat(10_000)),
  fc
    .integer({ min: 1, max: JSON.stringify(GOOD).length - 1 })
    .map((end) => JSON.stringify(GOOD).slice(0, end)),
  fc.constant('<!doctype html><h1>Maintenance</h1>'),
  fc.constant(''),
  fc.constant('{"__proto__": {"pending": 0}, "constructor": {"prototype": {"polluted": true}}}'),
);

const answer: fc.Arbitrary<Answer> = fc.oneof(
  fc
    .tuple(notACagnotte, fc.constantFrom('application/json', 'application/json; charset=utf-8'))
    .map(([body, contentType]): Answer => ({ type: 'body', contentType, body })),
  fc
    .constantFrom('text/html; charset=utf-8', 'text/plain', 'application/xml')
    .map((contentType): Answer => ({ type: 'body', contentType, body: JSON.stringify(GOOD) })),
  fc.boolean().map((declaredLength): Answer => ({ type: 'endless', declaredLength })),
  fc.constant<Answer>({ type: 'trickle' }),
  fc.constantFrom(301, 302, 303, 307, 308).map((status): Answer => ({ type: 'redirect', status })),
  fc
    .record({
      status: fc.oneof(
        fc.constantFrom(429, 503),
        fc.constantFrom(500, 403, 404),
        fc.integer({ min: 400, max: 599 }).filter((status) => status !== 401),
      ),
      body: fc.oneof(
        fc.constant(''),
        fc.constant('<h1>Bad gateway</h1>'),
        fc.constant('{"error": {"code": "unavailable"}}'),
        fc.string({ maxLength: 100 }),
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
let account: Account;
let now = T0;
let next: Answer = { type: 'trickle' };
let requests = 0;

beforeAll(() => {
  db = openRistourneDb(`hostile-cagnotte-${Date.now()}`);
  const store = createDatabaseAccountStore(() => db);
  const client = createPortalClient({
    baseUrl: 'http://portal.test',
    fetch: async () => {
      requests += 1;
      return respond(next, now);
    },
    timeoutMs: TIMEOUT_MS,
    maxResponseBytes: RESPONSE_CAP,
    now: () => now,
  });
  account = createAccount({ client, store, now: () => now });
});
afterAll(() => db.delete());

describe('a hostile portal and the cagnotte', () => {
  it('an unusable answer never throws and keeps the last good figures', async () => {
    const store = createDatabaseAccountStore(() => db);
    await fc.assert(
      fc.asyncProperty(answer, async (hostile) => {
        await store.save(SIGNED_IN);
        now += 3 * 60 * 60_000; // past any Retry-After a previous case set
        next = hostile;
        const before = requests;

        const outcome = await account.refreshCagnotte();

        expect(requests).toBe(before + 1);
        expect(outcome.change).toBeNull();
        expect(outcome.view).toEqual({
          signedIn: true,
          user: SIGNED_IN.user,
          cagnotte: { figures: GOOD, fetchedAt: T0 },
          refreshError: expectedRefreshError(hostile),
        });
        expect((await store.load())?.token).toBe('tok_good');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();

        // Told to come back later: the next refreshes (each opening of the popup) wait.
        const asked =
          hostile.type === 'error' && (hostile.status === 429 || hostile.status === 503)
            ? parseRetryAfter(retryAfterHeader(hostile.retryAfter, now)['Retry-After'] ?? null, now)
            : undefined;
        if (asked !== undefined && asked > 1000) {
          now += Math.min(asked, 60 * 60_000) - 1000;
          const again = await account.refreshCagnotte();
          expect(requests).toBe(before + 1);
          expect(again.view).toMatchObject({ cagnotte: { figures: GOOD } });
        }
      }),
      { numRuns: CAGNOTTE_RUNS, seed: FUZZ_SEED, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
  }, 30_000);
});
