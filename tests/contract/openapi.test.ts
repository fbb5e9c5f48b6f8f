/**
 * The OpenAPI 3.1 document of Portal API v1 (utils/contract/openapi.ts) agrees with its three
 * sources of truth: it is a valid OpenAPI 3.1 document whose schemas say what the zod schemas
 * say, it names every route of the contract's `API` object, and the reference portal serves every
 * operation in it with answers (errors included) that validate against it, status by status.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  API,
  ClaimRequestSchema,
  ClickRequestSchema,
  ClickResponseSchema,
  MerchantListSchema,
  MerchantSchema,
  TransactionSchema,
} from '../../utils/contract/schemas';
import {
  DOCUMENTED_MAX_MERCHANT_ENTRIES,
  OPENAPI_DOCUMENT_PATH,
  portalOpenApiDocument,
  type Header,
  type JsonSchema,
  type Method,
  type OpenApiDocument,
  type Reference,
  type Response,
} from '../../utils/contract/openapi';
import { MAX_MERCHANT_ENTRIES } from '../../utils/merchants/list';
import {
  DEMO,
  admin,
  api,
  login,
  startTestPortal,
  type RawResponse,
  type TestPortal,
} from './helpers';

const document = portalOpenApiDocument();

// ---------- the document's schemas, in a JSON Schema 2020-12 validator ----------

/** The components under one id, their `#/components/schemas/` refs turned into `#/$defs/`. */
const COMPONENTS_ID = 'urn:ristourne:portal-api';
const toDefs = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"#/$defs/')) as T;

function schemaValidator(doc: OpenApiDocument = document) {
  // Strict: an unknown keyword or format in what zod generated fails here, not in some tool.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: toDefs(doc.components.schemas) });
  const compiled = new Map<string, ValidateFunction>();
  return (schema: JsonSchema | Reference, value: unknown): string[] => {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (!validate) {
      const local = toDefs(schema);
      validate = ajv.compile(
        '$ref' in local ? { $ref: `${COMPONENTS_ID}${String(local.$ref)}` } : { ...local },
      );
      compiled.set(key, validate);
    }
    return validate(value)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`);
  };
}

const validateSchema = schemaValidator();

/** The OpenAPI validator's verdict, on a copy: it writes into what it validates. */
const validateOpenApi = (doc: OpenApiDocument) =>
  new Validator().validate(structuredClone(doc) as unknown as Record<string, unknown>);

function resolve<T>(doc: OpenApiDocument, value: T | Reference): T {
  if (typeof value !== 'object' || value === null || !('$ref' in value)) return value;
  const target = value.$ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], doc);
  if (target === undefined) throw new Error(`unresolved ${value.$ref}`);
  return target as T;
}

/** The body as sent, decompressed and parsed. */
function bodyOf(response: RawResponse): unknown {
  const encoding = response.headers['content-encoding'];
  const raw =
    encoding === 'br'
      ? zlib.brotliDecompressSync(response.body)
      : encoding === 'gzip'
        ? zlib.gunzipSync(response.body)
        : response.body;
  return JSON.parse(raw.toString('utf8'));
}

/**
 * What, in an answer of the portal, the document does not describe: an undocumented status, a
 * required header missing, a header or body that breaks its schema, an error code not listed.
 */
function problemsWith(
  method: Method,
  path: string,
  response: RawResponse,
  doc: OpenApiDocument = document,
  check = validateSchema,
): string[] {
  const operation = doc.paths[path]?.[method];
  if (!operation) return [`${method.toUpperCase()} ${path} is not in the document`];
  const documented = operation.responses[String(response.status)] ?? operation.responses.default;
  if (!documented) return [`status ${response.status} is not documented`];
  const spec = resolve<Response>(doc, documented);
  const problems: string[] = [];
  for (const [name, headerOrRef] of Object.entries(spec.headers ?? {})) {
    const header = resolve<Header>(doc, headerOrRef);
    const value = response.headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) problems.push(`header ${name} missing`);
      continue;
    }
    problems.push(...check(header.schema, value).map((p) => `header ${name}: ${p}`));
  }
  if (!spec.content) {
    if (response.body.length > 0) problems.push('a body where none is documented');
    return problems;
  }
  const type = String(response.headers['content-type']).split(';')[0]!.trim();
  const media = spec.content[type];
  if (!media) return [...problems, `Content-Type ${type} is not documented`];
  let body: unknown;
  try {
    body = bodyOf(response);
  } catch (error) {
    return [...problems, `body is not JSON: ${String(error)}`];
  }
  problems.push(...check(media.schema, body).map((p) => `body ${p}`));
  if (media.examples) {
    const code = (body as { error?: { code?: unknown } }).error?.code;
    if (!(String(code) in media.examples)) {
      problems.push(
        `error code ${String(code)} is not among ${Object.keys(media.examples).join(',')}`,
      );
    }
  }
  return problems;
}

// ---------- the reference portal ----------

let portal: TestPortal;
let token: string;
/** A click the portal accepts: the first merchant, on its own domain. */
let click: { merchantId: string; url: string };
/** A claim the portal accepts: an order at the first merchant, through a click of the member. */
let claim: {
  merchantId: string;
  clickId: string;
  orderRef: string;
  orderedAt: string;
  orderAmount: number;
  currency: string;
};
/** `METHOD path status`, for every answer checked against the document. */
const seen = new Set<string>();

beforeAll(async () => {
  portal = await startTestPortal();
  token = await login(portal);
  const list = MerchantListSchema.parse((await api(portal, 'GET', API.merchants)).json());
  const first = list.merchants[0]!;
  click = { merchantId: first.id, url: `http://${first.domains[0]}:${portal.port}/produit/1` };
  const made = ClickResponseSchema.parse(
    (await api(portal, 'POST', API.clicks, { token, body: click })).json(),
  );
  claim = {
    merchantId: first.id,
    clickId: made.clickId,
    orderRef: 'CMD-OPENAPI',
    orderedAt: new Date().toISOString(),
    orderAmount: 4200,
    currency: 'EUR',
  };
});
afterAll(() => portal.stop());

/** Calls the portal and asserts that its answer is what the document says for its status. */
type CallOptions = Parameters<typeof api>[3] & { query?: string };

async function call(method: Method, path: string, options: CallOptions = {}): Promise<RawResponse> {
  const response = await api(portal, method.toUpperCase(), path + (options.query ?? ''), options);
  expect(
    problemsWith(method, path, response),
    `${method.toUpperCase()} ${path} → ${response.status}`,
  ).toEqual([]);
  seen.add(`${method} ${path} ${response.status}`);
  return response;
}

const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({
    path,
    method: method as Method,
    operation,
  })),
);

/** A request each operation accepts, by operationId: a new operation needs one here. */
async function sample(operationId: string): Promise<CallOptions> {
  switch (operationId) {
    case 'login':
      return { body: DEMO };
    case 'logout':
      // Its own session: the shared token must outlive this.
      return { token: await login(portal) };
    case 'createClick':
      return { token, body: click };
    case 'createClaim':
      return { token, body: claim, headers: { 'idempotency-key': 'openapi-sample-key' } };
    case 'me':
    case 'merchants':
    case 'cagnotte':
    case 'transactions':
    case 'payoutOptions':
    case 'payouts':
    case 'claims':
      return { token };
    case 'requestPayout':
      // A euro to a charity, under a new key each time: the demo member has 42,95 € confirmed.
      return {
        token,
        body: { method: 'donation', amount: 100, currency: 'EUR', charityId: 'forets-vivantes' },
        headers: { 'idempotency-key': newKey() },
      };
    case 'merchantChanges': {
      const list = MerchantListSchema.parse((await api(portal, 'GET', API.merchants)).json());
      return { query: `?since=${encodeURIComponent(list.version)}` };
    }
    default:
      throw new Error(`no sample request for operation ${operationId}`);
  }
}

const newKey = () => `openapi-${crypto.randomUUID()}`;

const setFault = (fault: string | null) => admin(portal, 'PUT', '/faults', { api: fault });

describe('the OpenAPI document', () => {
  it(`is served at ${OPENAPI_DOCUMENT_PATH}, public, as JSON, revalidated by its ETag`, async () => {
    const response = await api(portal, 'GET', OPENAPI_DOCUMENT_PATH);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json\b/);
    expect(response.json()).toEqual(document);
    const etag = response.headers.etag;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{16,}"$/);

    const again = await api(portal, 'GET', OPENAPI_DOCUMENT_PATH, {
      headers: { 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect((await api(portal, 'POST', OPENAPI_DOCUMENT_PATH)).status).toBe(405);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validateOpenApi(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toMatch(/^1\.\d+\.\d+$/);
    expect(document.info.description).toMatch(/additive only/i);
  });

  it('has schemas that compile as JSON Schema 2020-12 in a strict validator', () => {
    const ajv = new Ajv2020({ strict: true });
    addFormats(ajv);
    ajv.addSchema({ $id: COMPONENTS_ID, $defs: toDefs(document.components.schemas) });
    for (const name of Object.keys(document.components.schemas)) {
      expect(ajv.getSchema(`${COMPONENTS_ID}#/$defs/${name}`), name).toBeTypeOf('function');
    }
  });

  it('names every route of the contract’s API object, and no other', () => {
    expect(Object.keys(document.paths).sort()).toEqual(Object.values(API).sort());
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('says what the zod schemas say, value by value', () => {
    const merchant = {
      id: 'fnac',
      name: 'Fnac',
      domains: ['fnac.com'],
      cashback: { type: 'percent', value: 4.5 },
    };
    const cases: [
      JsonSchema | Reference,
      { safeParse(v: unknown): { success: boolean } },
      unknown,
    ][] = [];
    const merchantRef = { $ref: '#/components/schemas/Merchant' };
    for (const value of [
      merchant,
      { ...merchant, future: 'ignored' },
      { ...merchant, prompts: 'never', upTo: true, terms: 'Hors marketplace.' },
      { ...merchant, prompts: 'sometimes' },
      { ...merchant, domains: [] },
      { ...merchant, id: '' },
      { ...merchant, cashback: { type: 'percent', value: 101 } },
      { ...merchant, cashback: { type: 'amount', value: 1500 } },
      { ...merchant, cashback: { type: 'amount', value: 1500, currency: 'EUR', upTo: false } },
      { ...merchant, cashback: { type: 'amount', value: 15.5, currency: 'EUR' } },
      { ...merchant, cashback: { type: 'amount', value: 1500, currency: 'eur' } },
      { ...merchant, cashback: { type: 'bonus', value: 1 } },
      { ...merchant, logoUrl: 'https://portal.example/logos/fnac.png' },
      { ...merchant, logoUrl: 'ftp://portal.example/logos/fnac.png' },
      { ...merchant, checkoutPaths: ['/panier'] },
      { ...merchant, checkoutPaths: ['panier'] },
      {
        ...merchant,
        confirmationPaths: ['/commande/merci'],
        trackingDelayHours: 0,
        confirmationDelayDays: 60,
        claimWindowDays: 90,
      },
    ]) {
      cases.push([merchantRef, MerchantSchema, value]);
    }
    const clickRef = { $ref: '#/components/schemas/ClickRequest' };
    for (const url of ['https://www.fnac.com/a?b#c', 'http://fnac.localhost:8787/', 'ftp://x.y/']) {
      cases.push([clickRef, ClickRequestSchema, { merchantId: 'fnac', url }]);
    }
    const transaction = {
      id: 't_1',
      merchantId: 'fnac',
      merchantName: 'Fnac',
      orderAmount: 12999,
      cashback: 585,
      status: 'pending',
    };
    for (const orderedAt of ['2026-11-20T14:03:00Z', '2026-11-20T15:03:00+01:00', '2026-11-20']) {
      cases.push([
        { $ref: '#/components/schemas/Transaction' },
        TransactionSchema,
        { ...transaction, orderedAt },
      ]);
    }
    const claimRequest = {
      merchantId: 'fnac',
      clickId: 'c_9f2',
      orderRef: 'CMD-12',
      orderedAt: '2026-11-20T14:03:00Z',
      orderAmount: 12999,
      currency: 'EUR',
    };
    for (const value of [
      claimRequest,
      { ...claimRequest, orderAmount: 0 },
      { ...claimRequest, orderAmount: 12.5 },
      { ...claimRequest, orderRef: '' },
      { ...claimRequest, orderRef: 'x'.repeat(101) },
      { ...claimRequest, orderedAt: '2026-11-20' },
      { ...claimRequest, currency: 'eur' },
      { ...claimRequest, future: 'ignored' },
    ]) {
      cases.push([{ $ref: '#/components/schemas/ClaimRequest' }, ClaimRequestSchema, value]);
    }
    for (const [schema, zod, value] of cases) {
      const zodSays = zod.safeParse(value).success;
      expect(validateSchema(schema, value).length === 0, JSON.stringify(value)).toBe(zodSays);
    }
  });

  it('stays out of the extension: no extension code imports it', () => {
    const importers: string[] = [];
    for (const folder of ['entrypoints', 'components', 'utils', 'modules']) {
      for (const file of fs.readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
        if (!/\.tsx?$/.test(file)) continue;
        const text = fs.readFileSync(`${folder}/${file}`, 'utf8');
        if (/from\s+['"][^'"]*\bopenapi['"]/.test(text)) importers.push(`${folder}/${file}`);
      }
    }
    expect(importers).toEqual([]);
  });

  it('states the extension’s cap on the number of merchants as the extension has it', () => {
    expect(DOCUMENTED_MAX_MERCHANT_ENTRIES).toBe(MAX_MERCHANT_ENTRIES);
  });
});

describe('the reference portal, against the document', () => {
  afterEach(() => setFault(null));

  it('serves every operation of the document', async () => {
    for (const { path, method, operation } of operations) {
      const options = await sample(operation.operationId);
      const response = await api(
        portal,
        method.toUpperCase(),
        path + (options.query ?? ''),
        options,
      );
      const label = `${method.toUpperCase()} ${path}`;
      expect(response.status, label).not.toBe(404);
      expect(response.status, label).not.toBe(405);
      expect(response.status, label).toBeLessThan(300);
      expect(Object.keys(operation.responses), label).toContain(String(response.status));
    }
  });

  it('signs in and out as documented', async () => {
    await call('post', API.login, { body: DEMO });
    await call('post', API.login, { body: { email: DEMO.email, password: 'wrong' } });
    await call('post', API.login, { rawBody: '{"email":' });
    await call('post', API.login, { body: { email: DEMO.email } });
    await call('post', API.login, {
      rawBody: JSON.stringify({ ...DEMO, pad: 'x'.repeat(70_000) }),
    });
    await call('get', API.me, { token });
    await call('get', API.me);
    await call('get', API.me, { token: 'not-a-session' });
    // Failed sign-ins past the limit, for an email of their own (the demo member's is shared).
    const guessed = { email: 'devine@example.test', password: 'faux' };
    for (let i = 0; i < 5; i += 1) await call('post', API.login, { body: guessed });
    expect((await call('post', API.login, { body: guessed })).status).toBe(429);
    const ending = await login(portal);
    await call('post', API.logout, { token: ending });
    await call('post', API.logout, { token: ending });
  });

  it('serves the merchant list as documented: identity, gzip, br, 304', async () => {
    const plain = await call('get', API.merchants);
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const encoding of ['gzip', 'br']) {
      const compressed = await call('get', API.merchants, {
        headers: { 'accept-encoding': encoding },
      });
      expect(compressed.headers['content-encoding']).toBe(encoding);
    }
    const unchanged = await call('get', API.merchants, {
      headers: { 'if-none-match': plain.headers.etag! },
    });
    expect(unchanged.status).toBe(304);
  });

  it('serves the changes since a version as documented: 200, 304, 400, 410', async () => {
    const list = MerchantListSchema.parse((await api(portal, 'GET', API.merchants)).json());
    const since = `?since=${encodeURIComponent(list.version)}`;
    const changes = await call('get', API.merchantChanges, {
      query: since,
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(changes.status).toBe(200);
    const again = await call('get', API.merchantChanges, {
      query: since,
      headers: { 'if-none-match': changes.headers.etag! },
    });
    expect(again.status).toBe(304);
    expect((await call('get', API.merchantChanges, { query: '?since=nope' })).status).toBe(400);
    expect((await call('get', API.merchantChanges)).status).toBe(400);
    const [epoch] = list.version.split('-');
    const other = `?since=${epoch === '00000000' ? '11111111' : '00000000'}-1`;
    expect((await call('get', API.merchantChanges, { query: other })).status).toBe(410);
  });

  it('records clicks as documented, errors included', async () => {
    expect((await call('post', API.clicks, { token, body: click })).status).toBe(201);
    await call('post', API.clicks, { body: click });
    await call('post', API.clicks, { token, body: { ...click, merchantId: 'no-such-merchant' } });
    await call('post', API.clicks, {
      token,
      body: { ...click, url: 'https://elsewhere.example/' },
    });
    await call('post', API.clicks, { token, body: { merchantId: click.merchantId } });
    await call('post', API.clicks, { token, rawBody: 'merchantId=x' });
    await call('post', API.clicks, { token, body: { ...click, pad: 'x'.repeat(70_000) } });
  });

  it('serves the cagnotte as documented', async () => {
    expect((await call('get', API.cagnotte, { token })).status).toBe(200);
    await call('get', API.cagnotte);
  });

  it('pages the whole history as documented', async () => {
    const first = await call('get', API.transactions, { token });
    expect(first.status).toBe(200);
    await call('get', `${API.transactions}`, { token: 'not-a-session' });
    await call('get', API.payouts, { token });
    await call('get', API.payouts);
    for (const path of [API.transactions, API.payouts]) {
      const bad = await api(portal, 'GET', `${path}?limit=0`, { token });
      expect(problemsWith('get', path, bad)).toEqual([]);
      expect(bad.status).toBe(400);
      seen.add(`get ${path} 400`);
    }
  });

  it('pays out as documented, refusals included', async () => {
    await call('get', API.payoutOptions, { token });
    await call('get', API.payoutOptions);
    const body = { method: 'transfer', amount: 1000, currency: 'EUR' };
    const key = newKey();
    const headers = { 'idempotency-key': key };
    expect((await call('post', API.payouts, { token, body, headers })).status).toBe(201);
    expect((await call('post', API.payouts, { token, body, headers })).status).toBe(200);
    const conflict = { ...body, amount: 1100 };
    expect((await call('post', API.payouts, { token, body: conflict, headers })).status).toBe(409);
    await call('post', API.payouts, { body, headers: { 'idempotency-key': newKey() } });
    await call('post', API.payouts, { token, body });
    await call('post', API.payouts, {
      token,
      rawBody: '{',
      headers: { 'idempotency-key': newKey() },
    });
    const refused = [
      { method: 'paypal', amount: 1000, currency: 'EUR' },
      { method: 'donation', amount: 50, currency: 'EUR', charityId: 'forets-vivantes' },
      { method: 'donation', amount: 100, currency: 'EUR', charityId: 'nobody' },
      { method: 'voucher', amount: 1234, currency: 'EUR', brandId: 'grand-bazar' },
      { method: 'voucher', amount: 1000, currency: 'EUR', brandId: 'nobody' },
      { method: 'transfer', amount: 1_000_000, currency: 'EUR' },
    ];
    for (const refusal of refused) {
      const response = await call('post', API.payouts, {
        token,
        body: refusal,
        headers: { 'idempotency-key': newKey() },
      });
      expect(response.status, JSON.stringify(refusal)).toBe(422);
    }
    await call('post', API.payouts, {
      token,
      body: { ...body, pad: 'x'.repeat(70_000) },
      headers: { 'idempotency-key': newKey() },
    });
  });

  it('files and lists claims as documented, refusals included', async () => {
    const key = { 'idempotency-key': 'openapi-claims-1' };
    const fresh = { ...claim, orderRef: 'CMD-OPENAPI-2' };
    expect((await call('post', API.claims, { token, body: fresh, headers: key })).status).toBe(201);
    expect((await call('post', API.claims, { token, body: fresh, headers: key })).status).toBe(200);
    await call('post', API.claims, { body: fresh });
    await call('post', API.claims, { token, rawBody: '{"merchantId":' });
    await call('post', API.claims, { token, body: { ...fresh, orderAmount: 12.5 } });
    await call('post', API.claims, { token, body: fresh, headers: { 'idempotency-key': 'x' } });
    await call('post', API.claims, { token, body: { ...fresh, pad: 'x'.repeat(70_000) } });
    expect(
      (await call('post', API.claims, { token, body: { ...fresh, clickId: 'c_nobody' } })).status,
    ).toBe(403);
    expect(
      (await call('post', API.claims, { token, body: { ...fresh, merchantId: 'no-such-shop' } }))
        .status,
    ).toBe(404);
    const longAgo = new Date(Date.now() - 400 * 24 * 3600_000).toISOString();
    expect(
      (
        await call('post', API.claims, {
          token,
          body: { ...fresh, orderRef: 'CMD-OLD', orderedAt: longAgo },
        })
      ).status,
    ).toBe(422);
    // The seed's order DEMO-0001 at Numéria is credited already.
    const numeria = ClickResponseSchema.parse(
      (
        await api(portal, 'POST', API.clicks, {
          token,
          body: { merchantId: 'numeria', url: `http://numeria.localhost:${portal.port}/` },
        })
      ).json(),
    );
    expect(
      (
        await call('post', API.claims, {
          token,
          body: {
            ...fresh,
            merchantId: 'numeria',
            clickId: numeria.clickId,
            orderRef: 'DEMO-0001',
          },
        })
      ).status,
    ).toBe(409);
    expect((await call('get', API.claims, { token })).status).toBe(200);
    await call('get', API.claims);
  });

  it('answers an outage and a rate limit on every operation as documented', async () => {
    for (const [fault, status] of [
      ['unavailable', 503],
      ['retry-after', 429],
    ] as const) {
      const requests = [];
      for (const { path, method, operation } of operations) {
        requests.push({ path, method, options: await sample(operation.operationId) });
      }
      await setFault(fault);
      for (const { path, method, options } of requests) {
        expect((await call(method, path, options)).status).toBe(status);
      }
      await setFault(null);
    }
  });

  it('answers an unknown method with the documented error body', async () => {
    const response = await api(portal, 'DELETE', API.me, { token });
    expect(response.status).toBe(405);
    expect(problemsWith('get', API.me, response)).toEqual([]);
  });

  // Runs last in this block (tests in a file run in order): it reads what the others saw.
  it('has answered every status the document lists (but the 500 it cannot be made to)', () => {
    const untested: string[] = [];
    for (const { path, method, operation } of operations) {
      for (const status of Object.keys(operation.responses)) {
        if (status === 'default' || status === '500') continue;
        if (!seen.has(`${method} ${path} ${status}`)) untested.push(`${method} ${path} ${status}`);
      }
    }
    expect(untested).toEqual([]);
  });
});

describe('the checks can fail', () => {
  it('rejects a document that is not valid OpenAPI 3.1', async () => {
    const mutations: ((doc: OpenApiDocument) => void)[] = [
      (doc) => {
        delete (doc.info as Partial<OpenApiDocument['info']>).version;
      },
      (doc) => {
        delete (doc.paths[API.me]!.get!.responses['200'] as Partial<Response>).description;
      },
      (doc) => {
        doc.paths[API.me]!.get!.responses['200'] = { $ref: '#/components/responses/Missing' };
      },
      (doc) => {
        (doc.components.securitySchemes.bearerAuth as Record<string, string>).type = 'cookie';
      },
    ];
    for (const mutate of mutations) {
      const doc = structuredClone(document);
      mutate(doc);
      expect((await validateOpenApi(doc)).valid, mutate.toString()).toBe(false);
    }
  });

  it('rejects answers the document does not describe', async () => {
    const me = await api(portal, 'GET', API.me, { token });
    const body = me.json() as Record<string, unknown>;
    const forged = (status: number, value: unknown, headers = me.headers): RawResponse => ({
      ...me,
      status,
      headers,
      body: Buffer.from(JSON.stringify(value)),
    });
    const { email: _email, ...withoutEmail } = body;
    expect(problemsWith('get', API.me, forged(200, withoutEmail))).not.toEqual([]);
    expect(problemsWith('get', API.me, forged(200, { ...body, id: '' }))).not.toEqual([]);
    expect(
      problemsWith('get', API.me, forged(401, { error: { code: 'teapot', message: 'x' } })),
    ).not.toEqual([]);
    expect(problemsWith('get', API.me, forged(401, { message: 'no code' }))).not.toEqual([]);
    expect(problemsWith('get', '/api/v1/nowhere', me)).not.toEqual([]);

    const list = await api(portal, 'GET', API.merchants);
    const { etag: _etag, ...noEtag } = list.headers;
    expect(problemsWith('get', API.merchants, { ...list, headers: noEtag })).not.toEqual([]);
  });

  it('catches a document whose schema drifted from what the portal sends', async () => {
    const drifted = structuredClone(document);
    // Member ids become numbers in the document, not in the portal.
    (drifted.components.schemas.User!.properties as Record<string, JsonSchema>).id = {
      type: 'integer',
    };
    const me = await api(portal, 'GET', API.me, { token });
    expect(problemsWith('get', API.me, me, drifted, schemaValidator(drifted))).not.toEqual([]);
    expect(problemsWith('get', API.me, me)).toEqual([]);
  });
});
