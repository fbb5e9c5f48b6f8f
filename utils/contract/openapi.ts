/**
 * Portal API v1 (docs/portal-api.md) as an OpenAPI 3.1 document, generated from the contract's
 * zod schemas: zod 4's own `z.toJSONSchema` writes `components.schemas` in JSON Schema 2020-12,
 * OpenAPI 3.1's dialect, so the document cannot drift from what the extension validates.
 *
 * Only the reference portal (which serves it at OPENAPI_DOCUMENT_PATH) and the tests import this
 * module: no entrypoint does, so it never reaches the extension's bundles. It uses no Node API.
 *
 * Every body is described by its schema's *input* side (`io: 'input'`), requests and responses
 * alike: in both directions the receiver parses the body with these schemas, so the input side
 * is what goes over the wire. A field with a `.default()` is optional there (its `default` says
 * what the receiver assumes), and objects stay open to unknown fields; the output side would
 * require every defaulted field and forbid unknown ones (`additionalProperties: false`), which
 * is what the extension holds after parsing, not what a portal must send.
 */
import { z } from 'zod';
import {
  API,
  CagnotteSchema,
  CashbackSchema,
  ClaimListSchema,
  ClaimRequestSchema,
  ClaimSchema,
  ClaimStatusSchema,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  ClickRequestSchema,
  ClickResponseSchema,
  CurrencySchema,
  BankAccountSchema,
  CharitySchema,
  ErrorBodySchema,
  PAGE_CURSOR_PARAM,
  PAGE_LIMIT_PARAM,
  PAGE_MAX_LIMIT,
  PayoutFeeSchema,
  PayoutOptionsSchema,
  PayoutPageSchema,
  PayoutRequestSchema,
  PayoutSchema,
  PayoutStatusSchema,
  TierIdSchema,
  TierSchema,
  TransactionPageSchema,
  VoucherBrandSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  MERCHANT_LIST_MAX_BYTES,
  MerchantListDeltaSchema,
  MerchantListSchema,
  MerchantSchema,
  SINCE_PARAM,
  PromptsPolicySchema,
  StandDownListSchema,
  TransactionSchema,
  TransactionStatusSchema,
  UserSchema,
} from './schemas';

/** Where the reference portal serves the document (not part of the contract itself). */
export const OPENAPI_DOCUMENT_PATH = '/api/v1/openapi.json';

/** The contract's version: 1.x for as long as it only grows (see the document's description). */
export const PORTAL_API_VERSION = '1.3.0';

/**
 * Entries past which the extension refuses the merchant list as too large. The extension's
 * constant (MAX_MERCHANT_ENTRIES in utils/merchants/list.ts) lives outside the contract, which
 * the portal must be able to import alone; tests/contract/openapi.test.ts holds the two equal.
 */
export const DOCUMENTED_MAX_MERCHANT_ENTRIES = 200_000;

// ---------- the subset of OpenAPI 3.1 this document uses ----------

export type JsonSchema = Record<string, unknown>;
export type Reference = { $ref: string };

export interface MediaType {
  schema: JsonSchema | Reference;
  examples?: Record<string, { summary?: string; value: unknown }>;
}

export interface Header {
  description: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface Response {
  description: string;
  headers?: Record<string, Header | Reference>;
  content?: Record<string, MediaType>;
}

export interface Parameter {
  name: string;
  in: 'header' | 'query' | 'path';
  description: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Record<string, MediaType> };
  responses: Record<string, Response | Reference>;
}

export type Method = 'get' | 'post';

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; summary: string; description: string };
  tags: { name: string; description: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, Partial<Record<Method, Operation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, Response>;
    headers: Record<string, Header>;
    securitySchemes: Record<string, Record<string, string>>;
  };
}

// ---------- components.schemas, from zod ----------

const SCHEMAS = {
  ErrorBody: [
    ErrorBodySchema,
    'The body of every non-2xx answer. `code` is machine-readable and stable; `message` is for ' +
      'people (the reference portal writes it in French). A client acts on the HTTP status and ' +
      'may refine on `code`: codes are added over time, so an unknown code is read by its status.',
  ],
  LoginRequest: [LoginRequestSchema, 'Credentials. The email is trimmed.'],
  LoginResponse: [LoginResponseSchema, 'A new session and the member it belongs to.'],
  User: [UserSchema, 'The signed-in member.'],
  MerchantList: [
    MerchantListSchema,
    'The whole merchant list: what a portal must serve. The extension validates the envelope ' +
      '(`version`, the `merchants` array, `standDown`) as a whole, but each entry of ' +
      '`merchants` on its own: see `Merchant`.',
  ],
  MerchantListDelta: [
    MerchantListDeltaSchema,
    'The changes from the list `from` to the list `to` (since 1.1). A client holding `from` ' +
      'replaces or adds each entry of `upserted` (validated on its own, as in `MerchantList`: ' +
      'an invalid one takes its id out of the list), takes out each id of `removed` (one it ' +
      'does not have is ignored), and then holds `to`. `standDown`, when present, replaces ' +
      'the stand-down list. An id both upserted and removed makes the whole answer unusable.',
  ],
  Merchant: [
    MerchantSchema,
    'One merchant. Leniency, on purpose: the extension validates each entry on its own, and an ' +
      'entry that does not validate against this schema is dropped alone, the rest of the list ' +
      'kept. So is a later entry whose `id` was already seen. Each domain is normalised on its ' +
      'own (lower case, punycode, no trailing dot): one that is invalid, a public suffix (`com`, ' +
      '`co.uk`, `github.io`) or already claimed by an earlier merchant is dropped alone, and an ' +
      'entry left with no domain is dropped.',
  ],
  Cashback: [
    CashbackSchema,
    '`percent`: `value` is a percentage (decimals allowed). `amount`: `value` is in minor units ' +
      'of `currency`. `upTo: true` means "up to".',
  ],
  Currency: [CurrencySchema, 'An ISO 4217 currency code.'],
  PromptsPolicy: [
    PromptsPolicySchema,
    'What the merchant lets the extension show on its site: `allowed` (a banner on any page), ' +
      '`checkout-only` (only on cart and checkout pages), `never` (no banner; activation from ' +
      'the toolbar popup only).',
  ],
  StandDownList: [
    StandDownListSchema,
    'Signs that a visit came through another affiliate, merged with the extension’s own list: ' +
      '`params` are query parameters of the landing URL, `referrerHosts` referrer hosts.',
  ],
  ClickRequest: [ClickRequestSchema, 'An activation asked for by the member, on one merchant.'],
  ClickResponse: [ClickResponseSchema, 'The recorded click, and where to send the member.'],
  Cagnotte: [
    CagnotteSchema,
    'The member’s cashback balance, in minor units of `currency`. `pending`: on orders the ' +
      'merchant has not validated yet (may still be cancelled). `confirmed`: validated, can be ' +
      'withdrawn once it reaches `payoutThreshold`. `paid`: withdrawn in total. `transactions`: ' +
      'the 50 most recent, newest first.',
  ],
  Transaction: [TransactionSchema, 'One order that earned (or will earn) cashback.'],
  TransactionStatus: [TransactionStatusSchema, 'Where the cashback of one order stands.'],
  TierId: [TierIdSchema, 'A membership tier’s id: the key of a merchant’s `tierCashback`.'],
  Tier: [
    TierSchema,
    'The member’s membership tier (since 1.2). Lenient: a tier that does not validate is ' +
      'ignored, and the member earns the public rates.',
  ],
  TransactionPage: [
    TransactionPageSchema,
    'A page of the member’s transactions, newest first. `nextCursor` is null on the last page.',
  ],
  PayoutFee: [
    PayoutFeeSchema,
    'A payout’s fee, taken on top of its amount: `fixed` minor units plus `percent` of the ' +
      'amount, rounded half up to the minor unit. Missing fields mean 0.',
  ],
  BankAccount: [
    BankAccountSchema,
    'The account a transfer goes to, masked (`FR76 •••• 1234`): never the whole IBAN.',
  ],
  VoucherBrand: [
    VoucherBrandSchema,
    'A voucher or gift card of the catalogue; its face values (`denominations`) are the ' +
      'amounts a member may ask for. `logoUrl` must be on the portal’s origin to be shown.',
  ],
  Charity: [
    CharitySchema,
    'A charity members may give to. `logoUrl` must be on the portal’s origin to be shown; ' +
      '`raised` is what the members gave it so far.',
  ],
  PayoutOptions: [
    PayoutOptionsSchema,
    'What the member may withdraw and how. A method that is absent is not offered. Nothing is ' +
      'paid out while `available` (the confirmed balance) is below `threshold`; an amount must ' +
      'be at least its method’s `minimum`, and it leaves the balance with its fee.',
  ],
  PayoutRequest: [
    PayoutRequestSchema,
    'A payout asked for by the member: `amount` is what they (or the charity) receive, the ' +
      'fee is taken on top. A voucher’s amount is one of its brand’s `denominations`.',
  ],
  PayoutStatus: [
    PayoutStatusSchema,
    '`requested`, then `paid` or `failed` (the money then counts as confirmed again). Closed: a ' +
      'new status needs a new major version.',
  ],
  Payout: [
    PayoutSchema,
    'A payout. `method` is a string, so that a method added later reaches older clients as a ' +
      'payout they name generically. A paid voucher carries its `code`.',
  ],
  PayoutPage: [
    PayoutPageSchema,
    'A page of the member’s payouts, newest first. `nextCursor` is null on the last page.',
  ],
  ClaimRequest: [
    ClaimRequestSchema,
    'A claim for an order whose cashback never showed: the member’s click it came through, and ' +
      'the order as the member saw it (its reference, date, amount). One claim per order ' +
      'reference of a merchant.',
  ],
  Claim: [ClaimSchema, 'A claim, and where it stands.'],
  ClaimList: [ClaimListSchema, 'The member’s claims, the most recent first.'],
  ClaimStatus: [
    ClaimStatusSchema,
    '`submitted`: waiting for the portal’s decision. `accepted`: the order is credited (a ' +
      'pending transaction, `transactionId`). `rejected`: not credited, `reason` says why.',
  ],
} satisfies Record<string, [z.ZodType, string]>;

export type SchemaName = keyof typeof SCHEMAS;

const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

/** Descriptions of single fields, which have no component of their own. */
const FIELDS: [z.ZodType, string][] = [
  [
    LoginResponseSchema.shape.token,
    'Opaque bearer token for the other calls, until logout or expiry.',
  ],
  [
    MerchantListSchema.shape.version,
    'The list’s revision (e.g. when it was built). Opaque to the extension.',
  ],
  [
    MerchantListSchema.shape.merchants,
    'Every merchant. Entries are validated one by one (see `Merchant`): an invalid one is ' +
      'dropped alone. A list none of whose entries is usable is refused whole, as are more than ' +
      `${thousands(DOCUMENTED_MAX_MERCHANT_ENTRIES)} entries; the member’s last good ` +
      'list stays.',
  ],
  [MerchantListSchema.shape.standDown, 'Missing means no stand-down signs from the portal.'],
  [
    MerchantListDeltaSchema.shape.from,
    'The version the changes start from: the `since` asked. Changes from any other version ' +
      'are not applied (the client downloads the whole list).',
  ],
  [MerchantListDeltaSchema.shape.to, 'The version the client holds once the changes applied.'],
  [MerchantListDeltaSchema.shape.removed, 'Ids of merchants that left the list.'],
  [MerchantListDeltaSchema.shape.standDown, 'Missing means the stand-down list is unchanged.'],
  [
    MerchantSchema.shape.domains,
    'Hostnames or registrable domains. A domain matches itself and each of its subdomains, ' +
      'case-insensitively, in its ASCII (punycode) form.',
  ],
  [MerchantSchema.shape.prompts, 'Missing means `allowed`.'],
  [
    MerchantSchema.shape.checkoutPaths,
    'Path prefixes of the merchant’s cart and checkout pages (the extension also detects them).',
  ],
  [MerchantSchema.shape.terms, 'Conditions shown to the member, in a line or two.'],
  [
    ClickRequestSchema.shape.url,
    'The page the member is on: the network lands them back there. It must be on one of the ' +
      'merchant’s domains (the reference portal answers 400 `invalid_request` otherwise).',
  ],
  [
    ClickResponseSchema.shape.redirectUrl,
    'Where the extension sends the same tab. It accepts only an `https:` URL (`http:` on a ' +
      'loopback host) on the portal’s own origin.',
  ],
  [TransactionSchema.shape.orderedAt, 'An ISO 8601 timestamp with its offset (UTC: `Z`).'],
  [
    MerchantSchema.shape.tierCashback,
    'Since 1.2: the rate of members of a tier, by tier id (`Tier.id`); a member of a tier not ' +
      'named, or signed out, earns `cashback`. Lenient: rates that do not validate are ignored ' +
      'together, never the merchant.',
  ],
  [UserSchema.shape.tier, 'Since 1.2: the member’s tier, which decides their rates.'],
  [
    MerchantSchema.shape.confirmationPaths,
    'Since 1.3. Path prefixes of the merchant’s order confirmation pages (the extension also ' +
      'detects them), on a page where the member activated: read locally, never reported.',
  ],
  [
    MerchantSchema.shape.trackingDelayHours,
    'Since 1.3. Hours after an order within which its sale normally shows as pending. Without ' +
      'it the extension follows no order of this merchant.',
  ],
  [
    MerchantSchema.shape.confirmationDelayDays,
    'Since 1.3. Days after an order within which the merchant normally confirms the cashback.',
  ],
  [
    MerchantSchema.shape.claimWindowDays,
    'Since 1.3. Days after an order during which a missing cashback may be claimed ' +
      '(`POST /api/v1/me/claims`). Without it the extension offers no claim for this merchant.',
  ],
  [
    TransactionSchema.shape.expectedConfirmationAt,
    'When the merchant should confirm this (pending) cashback: since 1.2 in the history, 1.3 in ' +
      'the cagnotte.',
  ],
  [ClaimSchema.shape.reason, 'Why the claim was rejected, for the member to read.'],
  [ClaimSchema.shape.transactionId, 'The transaction an accepted claim credited.'],
];

/** JSON Schema 2020-12 formats (and OpenAPI's own), the only ones worth keeping. */
const STANDARD_FORMATS = new Set([
  ...['date-time', 'date', 'time', 'duration', 'email', 'idn-email', 'hostname', 'idn-hostname'],
  ...['ipv4', 'ipv6', 'uri', 'uri-reference', 'iri', 'iri-reference', 'uuid', 'uri-template'],
  ...['json-pointer', 'relative-json-pointer', 'regex'],
  ...['int32', 'int64', 'float', 'double', 'password'],
]);

const COMPONENT_SCHEMAS = '#/components/schemas/';

function componentSchemas(): Record<SchemaName, JsonSchema> {
  const registry = z.registry<{ id?: string; description: string }>();
  for (const [id, [schema, description]] of Object.entries(SCHEMAS)) {
    registry.add(schema, { id, description });
  }
  for (const [schema, description] of FIELDS) registry.add(schema, { description });

  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'input',
    metadata: registry,
    uri: (id) => `${COMPONENT_SCHEMAS}${id}`,
    override({ zodSchema, jsonSchema }) {
      // zod names formats JSON Schema does not have (`starts_with` beside its `pattern`).
      if (jsonSchema.format !== undefined && !STANDARD_FORMATS.has(jsonSchema.format)) {
        delete jsonSchema.format;
      }
      // `z.url({ protocol })` becomes a bare `format: uri`: say which schemes, as zod checks them
      // (http and https, any case, followed by `//`).
      const def = zodSchema._zod.def as { format?: string; protocol?: RegExp };
      if (def.format === 'url' && def.protocol?.source === '^https?$') {
        jsonSchema.pattern = '^[Hh][Tt][Tt][Pp][Ss]?://';
      }
    },
  }) as { schemas: Record<string, JsonSchema> };

  const out: Partial<Record<SchemaName, JsonSchema>> = {};
  for (const name of Object.keys(SCHEMAS) as SchemaName[]) {
    // Each comes as a document of its own: `$schema` would override the document's dialect, and
    // an `$id` that is only a fragment is not allowed in 2020-12.
    const { $schema: _dialect, $id: _id, ...schema } = schemas[name]!;
    out[name] = schema;
  }
  const extra = Object.keys(schemas).filter((key) => !(key in SCHEMAS));
  if (extra.length > 0) throw new Error(`unexpected shared schemas: ${extra.join(', ')}`);
  return out as Record<SchemaName, JsonSchema>;
}

// ---------- helpers ----------

const ref = (name: SchemaName): Reference => ({ $ref: `${COMPONENT_SCHEMAS}${name}` });
const responseRef = (name: string): Reference => ({ $ref: `#/components/responses/${name}` });
const headerRef = (name: string): Reference => ({ $ref: `#/components/headers/${name}` });

const json = (schema: JsonSchema | Reference): Record<string, MediaType> => ({
  'application/json': { schema },
});

/** An error answer: the error body, with one example per code a portal answers there. */
function errorResponse(
  description: string,
  codes: Record<string, string>,
  headers?: Record<string, Header | Reference>,
): Response {
  return {
    description,
    ...(headers && { headers }),
    content: {
      'application/json': {
        schema: ref('ErrorBody'),
        examples: Object.fromEntries(
          Object.entries(codes).map(([code, summary]) => [
            code,
            { summary, value: { error: { code, message: summary } } },
          ]),
        ),
      },
    },
  };
}

const PUBLIC: Record<string, string[]>[] = [];

/** Answers any call may get: the portal under load, down for maintenance, or failing. */
const COMMON_ERRORS = {
  '429': responseRef('TooManyRequests'),
  '500': responseRef('InternalError'),
  '503': responseRef('Unavailable'),
  default: responseRef('Error'),
};

/** And a call that sends a body. */
const BODY_ERRORS = { '413': responseRef('PayloadTooLarge') };

// ---------- the document ----------

const DESCRIPTION = `The wire contract between the Ristourne browser extension and a cashback portal.
Any portal that serves it can be plugged into the extension at build time.

- JSON in UTF-8. Money is an integer in minor units (cents) beside an ISO 4217 \`currency\`;
  timestamps are ISO 8601.
- Authenticated calls send \`Authorization: Bearer <token>\` (the token of \`login\`). Any 401 means
  the token is no longer valid: the extension forgets it and shows the signed-out state.
- Errors: any non-2xx status, with the body \`ErrorBody\`. A known path called with another method
  answers 405 \`method_not_allowed\` with an \`Allow\` header; an unknown path 404 \`not_found\`.
  A \`Retry-After\` header (seconds or an HTTP date) on a 429 or 503 is honoured.
- The API never redirects: the extension refuses any 3xx but a 304 of the merchant list.
- The extension validates every answer with the schemas below and treats anything else as the
  portal's fault (a clear error; the last good data kept).

**Evolution is additive only** within 1.x: new optional fields, new operations and new error codes
may appear, so clients ignore unknown fields (no schema here forbids them) and read an unknown
error code by its status. Nothing is removed, renamed, made required or given a new meaning.
Enumerations are closed: a new cashback \`type\`, \`prompts\` policy or transaction \`status\`
would be dropped (a merchant entry) or refused (a whole cagnotte) by extensions already
installed, so it needs a new major version (\`/api/v2\`).

Bodies are described as their receiver parses them: a field with a \`default\` may be omitted.
Generated from the extension's zod schemas (utils/contract/schemas.ts).`;

/** Portal API v1 as an OpenAPI 3.1.0 document, built afresh from the contract's zod schemas. */
export function portalOpenApiDocument(): OpenApiDocument {
  const maxListMiB = MERCHANT_LIST_MAX_BYTES / (1024 * 1024);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ristourne Portal API',
      version: PORTAL_API_VERSION,
      summary: 'What the Ristourne extension calls on a cashback portal.',
      description: DESCRIPTION,
    },
    tags: [
      { name: 'session', description: 'Sign in and out; who is signed in.' },
      { name: 'merchants', description: 'The list of merchants that pay cashback.' },
      { name: 'activation', description: 'A click by the member, never automatic.' },
      { name: 'cagnotte', description: 'The member’s cashback balance.' },
      {
        name: 'payouts',
        description:
          'The member’s money leaving the cagnotte: a transfer, a voucher or a donation (since 1.2).',
      },
      {
        name: 'claims',
        description: 'A missing cashback, claimed by the member (since 1.3; may answer 404).',
      },
    ],
    security: [{ bearerAuth: [] }],
    paths: {
      [API.login]: {
        post: {
          operationId: 'login',
          summary: 'Sign in',
          tags: ['session'],
          security: PUBLIC,
          requestBody: { required: true, content: json(ref('LoginRequest')) },
          responses: {
            '200': {
              description: 'Signed in: a new session.',
              headers: { 'Cache-Control': headerRef('NoStore') },
              content: json(ref('LoginResponse')),
            },
            '400': responseRef('BadRequest'),
            '401': errorResponse('Wrong email or password.', {
              invalid_credentials: 'The email is unknown or the password wrong.',
            }),
            ...BODY_ERRORS,
            ...COMMON_ERRORS,
            '429': errorResponse(
              'Too many failed sign-ins for this email, or from this address: even the right ' +
                'password is refused until `Retry-After`. (The reference portal allows 5 per ' +
                'email per 15 minutes, then waits longer each time, up to an hour; and 20 per ' +
                'address per minute.)',
              { too_many_requests: 'Too many sign-in attempts: try again later.' },
              {
                'Retry-After': {
                  description: 'When to try again: seconds, or an HTTP date.',
                  required: true,
                  schema: { type: 'string', minLength: 1 },
                },
              },
            ),
          },
        },
      },
      [API.logout]: {
        post: {
          operationId: 'logout',
          summary: 'Sign out',
          description: 'Ends the session of the token sent. No request body.',
          tags: ['session'],
          responses: {
            '204': { description: 'Signed out: the token is no longer valid.' },
            '401': responseRef('Unauthorized'),
            ...COMMON_ERRORS,
          },
        },
      },
      [API.me]: {
        get: {
          operationId: 'me',
          summary: 'The signed-in member',
          tags: ['session'],
          responses: {
            '200': {
              description: 'The member the token belongs to.',
              headers: { 'Cache-Control': headerRef('NoStore') },
              content: json(ref('User')),
            },
            '401': responseRef('Unauthorized'),
            ...COMMON_ERRORS,
          },
        },
      },
      [API.merchants]: {
        get: {
          operationId: 'merchants',
          summary: 'The merchant list',
          description:
            'Public. Large (several MB for tens of thousands of merchants; the extension copes ' +
            'with 100,000): served compressed, and revalidated with `If-None-Match` so that an ' +
            'unchanged list costs a 304. The extension reads at most ' +
            `${maxListMiB} MiB of decoded body; past that the sync is refused and the last good ` +
            'list stays. It validates the envelope, then each entry on its own (see ' +
            '`MerchantList` and `Merchant`): one malformed entry is dropped, not the list.',
          tags: ['merchants'],
          security: PUBLIC,
          parameters: [
            {
              name: 'If-None-Match',
              in: 'header',
              description: 'The `ETag` of the list the client holds.',
              schema: { type: 'string' },
            },
            {
              name: 'Accept-Encoding',
              in: 'header',
              description: 'The portal compresses the list with `br` or `gzip` when accepted.',
              schema: { type: 'string' },
            },
          ],
          responses: {
            '200': {
              description: 'The whole list.',
              headers: {
                ETag: {
                  description:
                    'The list’s entity tag, sent back in `If-None-Match`. One over 512 ' +
                    'characters is ignored by the extension (the next sync downloads again).',
                  required: true,
                  schema: { type: 'string', minLength: 1 },
                },
                'Content-Encoding': {
                  description: '`br` or `gzip`, as negotiated from `Accept-Encoding`.',
                  schema: { type: 'string', enum: ['br', 'gzip'] },
                },
                'Cache-Control': headerRef('PublicCache'),
                Vary: headerRef('VaryPublic'),
              },
              content: json(ref('MerchantList')),
            },
            '304': {
              description: 'The list is unchanged since `If-None-Match`. No body.',
              headers: {
                ETag: {
                  description: 'The same entity tag.',
                  schema: { type: 'string', minLength: 1 },
                },
                'Cache-Control': headerRef('PublicCache'),
              },
            },
            ...COMMON_ERRORS,
          },
        },
      },
      [API.merchantChanges]: {
        get: {
          operationId: 'merchantChanges',
          summary: 'The changes of the merchant list since a version (1.1)',
          description:
            'Public, optional (a portal without it answers 404, and the extension downloads the ' +
            'whole list). What the list `since` needs to become the current list: the entries ' +
            'added or changed, the ids removed. An extension that holds a list asks this first ' +
            'and downloads the whole list only when the answer is not changes from the version it ' +
            'holds (404, 410, any other error but 429 and 503, a whole list, changes from another ' +
            'version). The same for every client that holds `since`: cacheable by any shared ' +
            'cache, like the list. An empty `upserted` and `removed` with `to` equal to `from` ' +
            'means the list is unchanged.',
          tags: ['merchants'],
          security: PUBLIC,
          parameters: [
            {
              name: SINCE_PARAM,
              in: 'query',
              description: 'The `version` of the list the client holds (of a list or of changes).',
              required: true,
              schema: { type: 'string', minLength: 1, maxLength: 100 },
            },
            {
              name: 'If-None-Match',
              in: 'header',
              description: 'The `ETag` of these changes, when the client or a cache has them.',
              schema: { type: 'string' },
            },
          ],
          responses: {
            '200': {
              description: 'The changes since `since`.',
              headers: {
                ETag: {
                  description: 'The entity tag of these changes.',
                  required: true,
                  schema: { type: 'string', minLength: 1 },
                },
                'Content-Encoding': {
                  description: '`br` or `gzip`, as negotiated from `Accept-Encoding`.',
                  schema: { type: 'string', enum: ['br', 'gzip'] },
                },
                'Cache-Control': headerRef('PublicCache'),
                Vary: headerRef('VaryPublic'),
              },
              content: json(ref('MerchantListDelta')),
            },
            '304': {
              description: 'The changes are those of `If-None-Match`. No body.',
              headers: {
                ETag: {
                  description: 'The same entity tag.',
                  schema: { type: 'string', minLength: 1 },
                },
                'Cache-Control': headerRef('PublicCache'),
              },
            },
            '400': errorResponse('`since` is missing or not a version of this portal’s form.', {
              invalid_request: '`since` is not a version of this portal’s list.',
            }),
            '410': errorResponse(
              'No changes can be given from `since`: download the whole list.',
              {
                version_too_old:
                  'The version is older than the portal keeps changes for, or so old that ' +
                  'the whole list costs less.',
                unknown_version: 'The portal never served this version (another database).',
              },
              { 'Cache-Control': headerRef('PublicCache') },
            ),
            ...COMMON_ERRORS,
          },
        },
      },
      [API.clicks]: {
        post: {
          operationId: 'createClick',
          summary: 'Activate cashback on a merchant',
          description:
            'Records the click and answers where to send the member: the portal redirects ' +
            'through the affiliate network, which lands them back on `url`. The extension then ' +
            'navigates the same tab to `redirectUrl`. Only on the member’s click, never on its own.',
          tags: ['activation'],
          requestBody: { required: true, content: json(ref('ClickRequest')) },
          responses: {
            '201': {
              description: 'The click is recorded.',
              headers: { 'Cache-Control': headerRef('NoStore') },
              content: json(ref('ClickResponse')),
            },
            '400': errorResponse(
              'The body is not JSON, does not validate, or `url` is elsewhere.',
              {
                invalid_json: 'The body is not JSON.',
                invalid_request:
                  'The body does not validate, or `url` is not on one of the merchant’s domains.',
              },
            ),
            '401': responseRef('Unauthorized'),
            '404': errorResponse('No merchant has this id.', {
              unknown_merchant: 'No merchant has this id.',
            }),
            ...BODY_ERRORS,
            ...COMMON_ERRORS,
          },
        },
      },
      [API.cagnotte]: {
        get: {
          operationId: 'cagnotte',
          summary: 'The member’s cashback balance',
          tags: ['cagnotte'],
          responses: {
            '200': {
              description: 'The balance and the most recent transactions.',
              headers: { 'Cache-Control': headerRef('NoStore') },
              content: json(ref('Cagnotte')),
            },
            '401': responseRef('Unauthorized'),
            ...COMMON_ERRORS,
          },
        },
      },
      ...historyAndPayoutPaths(),
      [API.claims]: {
        get: {
          operationId: 'claims',
          summary: 'The member’s claims',
          description:
            'Since 1.3. A portal without claims answers 404: the extension then offers none.',
          tags: ['claims'],
          responses: {
            '200': {
              description: 'The member’s claims (100 at most), the most recent first.',
              headers: { 'Cache-Control': headerRef('NoStore') },
              content: json(ref('ClaimList')),
            },
            '401': responseRef('Unauthorized'),
            ...COMMON_ERRORS,
          },
        },
        post: {
          operationId: 'createClaim',
          summary: 'Claim a missing cashback',
          description:
            'Since 1.3. Sent only when the member checks the pre-filled claim and sends it. ' +
            'Idempotent twice over: a request with an `Idempotency-Key` already used for the same ' +
            'claim answers that claim (200), and a claim for an order reference the member ' +
            'already claimed at that merchant answers the existing claim (200), never a second one.',
          tags: ['claims'],
          parameters: [
            {
              name: IDEMPOTENCY_KEY_HEADER,
              in: 'header',
              description:
                'The same random key for every retry of one claim (16–200 characters, ' +
                '`A–Z a–z 0–9 _ -`). Another claim under a key already used is refused (422).',
              schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
            },
          ],
          requestBody: { required: true, content: json(ref('ClaimRequest')) },
          responses: {
            '200': {
              description: 'This claim was already made (same key, or same order): it is answered.',
              headers: { 'Cache-Control': headerRef('NoStore') },
              content: json(ref('Claim')),
            },
            '201': {
              description: 'The claim is filed, `submitted`.',
              headers: { 'Cache-Control': headerRef('NoStore') },
              content: json(ref('Claim')),
            },
            '400': errorResponse(
              'The body is not JSON or does not validate, or the key is wrong.',
              {
                invalid_json: 'The body is not JSON.',
                invalid_request: 'The body, or the `Idempotency-Key`, does not validate.',
              },
            ),
            '401': responseRef('Unauthorized'),
            '403': errorResponse(
              'No click of this member has this id (someone else’s and none look the same).',
              { click_not_yours: 'No click of yours has this id.' },
            ),
            '404': errorResponse(
              'No merchant has this id (or, from a 1.0 portal, no such route).',
              {
                unknown_merchant: 'No merchant has this id.',
              },
            ),
            '409': errorResponse('This order is credited already, or claimed by someone else.', {
              order_already_tracked: 'The order is already in the cagnotte.',
              order_already_claimed: 'Another member claimed this order reference.',
            }),
            '422': errorResponse('The claim is well-formed but cannot be accepted.', {
              out_of_window:
                'The order is outside the claim window: older than `claimWindowDays`, before ' +
                'the click, in the future, or the merchant takes no claims.',
              click_merchant_mismatch: 'The click was made at another merchant.',
              idempotency_key_reused: 'The `Idempotency-Key` was used for another claim.',
            }),
            ...BODY_ERRORS,
            ...COMMON_ERRORS,
          },
        },
      },
    },
    components: {
      schemas: componentSchemas(),
      responses: {
        BadRequest: errorResponse('The body is not JSON, or does not validate.', {
          invalid_json: 'The body is not JSON.',
          invalid_request: 'The body does not validate.',
        }),
        Unauthorized: errorResponse('No token, or one that is unknown, revoked or expired.', {
          unauthorized: 'No valid session: sign in again.',
        }),
        PayloadTooLarge: errorResponse('The request body is over 64 KiB.', {
          payload_too_large: 'The request body is over 64 KiB.',
        }),
        TooManyRequests: errorResponse(
          'Too many requests.',
          { too_many_requests: 'Too many requests: try again later.' },
          { 'Retry-After': headerRef('RetryAfter') },
        ),
        InternalError: errorResponse('The portal failed to answer.', {
          internal_error: 'The portal failed to answer; try again.',
        }),
        Unavailable: errorResponse(
          'The portal is down for a while (maintenance).',
          { unavailable: 'Down for maintenance.' },
          { 'Retry-After': headerRef('RetryAfter') },
        ),
        BadPage: errorResponse('The cursor or the limit is not one the portal gave or takes.', {
          invalid_request: 'Invalid pagination.',
        }),
        Error: errorResponse('Any other error.', {
          not_found: 'No such route.',
          method_not_allowed: 'Another method is expected (see `Allow`).',
        }),
      },
      headers: {
        RetryAfter: {
          description: 'When to try again: seconds, or an HTTP date.',
          schema: { type: 'string' },
        },
        NoStore: {
          description: 'A member’s data: not to be stored by any cache.',
          schema: { type: 'string', const: 'no-store' },
        },
        PublicCache: {
          description:
            'The same for every client: any cache, a CDN included, may keep it (`public`, a ' +
            '`max-age`, and usually `stale-while-revalidate`). The extension revalidates its own ' +
            'copy at every sync.',
          schema: { type: 'string', pattern: '^public\\b' },
        },
        VaryPublic: {
          description:
            'The body depends on `Accept-Encoding`, and the CORS headers on `Origin` (only ' +
            'extension origins are answered); on nothing else: no cookie, no token.',
          schema: { type: 'string' },
        },
      },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The opaque `token` of `login`, in `Authorization: Bearer <token>`, valid until ' +
            '`logout` or expiry. Any 401 means it is no longer valid.',
        },
      },
    },
  };
}

/** The cursor and limit of the paged routes. */
function pageParameters(defaultLimit: number): Parameter[] {
  return [
    {
      name: PAGE_CURSOR_PARAM,
      in: 'query',
      description: 'The `nextCursor` of the previous page, as it came; absent for the first page.',
      schema: { type: 'string', minLength: 1, maxLength: 500 },
    },
    {
      name: PAGE_LIMIT_PARAM,
      in: 'query',
      description: `How many at most (1–${PAGE_MAX_LIMIT}; default ${defaultLimit}).`,
      schema: { type: 'integer', minimum: 1, maximum: PAGE_MAX_LIMIT, default: defaultLimit },
    },
  ];
}

/** Since 1.2: the whole history, a page at a time, and the member's payouts. */
function historyAndPayoutPaths(): OpenApiDocument['paths'] {
  const payoutBody = {
    headers: { 'Cache-Control': headerRef('NoStore') },
    content: json(ref('Payout')),
  };
  return {
    [API.transactions]: {
      get: {
        operationId: 'transactions',
        summary: 'The member’s whole transaction history',
        description:
          'Every transaction, newest first, a page at a time (the cagnotte keeps only the 50 ' +
          'most recent). Since 1.2: a portal without it answers 404, and the extension shows ' +
          'the cagnotte’s transactions alone.',
        tags: ['cagnotte'],
        parameters: pageParameters(50),
        responses: {
          '200': {
            description: 'A page of transactions.',
            headers: { 'Cache-Control': headerRef('NoStore') },
            content: json(ref('TransactionPage')),
          },
          '400': responseRef('BadPage'),
          '401': responseRef('Unauthorized'),
          ...COMMON_ERRORS,
        },
      },
    },
    [API.payoutOptions]: {
      get: {
        operationId: 'payoutOptions',
        summary: 'What the member may withdraw, and how',
        description:
          'The confirmed balance, the threshold, and each method the portal offers with its ' +
          'minimum and fee: a transfer to the member’s registered account, vouchers from the ' +
          'catalogue, donations to charities. Since 1.2: a portal without payouts answers 404.',
        tags: ['payouts'],
        responses: {
          '200': {
            description: 'The options.',
            headers: { 'Cache-Control': headerRef('NoStore') },
            content: json(ref('PayoutOptions')),
          },
          '401': responseRef('Unauthorized'),
          ...COMMON_ERRORS,
        },
      },
    },
    [API.payouts]: {
      get: {
        operationId: 'payouts',
        summary: 'The member’s payouts',
        description:
          'Newest first, a page at a time, with their status. A paid voucher carries its code.',
        tags: ['payouts'],
        parameters: pageParameters(20),
        responses: {
          '200': {
            description: 'A page of payouts.',
            headers: { 'Cache-Control': headerRef('NoStore') },
            content: json(ref('PayoutPage')),
          },
          '400': responseRef('BadPage'),
          '401': responseRef('Unauthorized'),
          ...COMMON_ERRORS,
        },
      },
      post: {
        operationId: 'requestPayout',
        summary: 'Withdraw: a transfer, a voucher or a donation',
        description:
          'Moves `amount` plus its fee out of the confirmed balance, in one transaction: the ' +
          'payout is `requested`, then `paid` or `failed` (the money then counts as confirmed ' +
          'again). Safe to send again: the same `Idempotency-Key` with the same body answers the ' +
          'payout it made (200), never a second one; with another body, 409.',
        tags: ['payouts'],
        parameters: [
          {
            name: IDEMPOTENCY_KEY_HEADER,
            in: 'header',
            description:
              'A key the client makes once per confirmation by the member and keeps across ' +
              'retries: 16 to 200 characters `A–Z a–z 0–9 - _`.',
            required: true,
            schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,200}$' },
          },
        ],
        requestBody: { required: true, content: json(ref('PayoutRequest')) },
        responses: {
          '201': { description: 'The payout is requested.', ...payoutBody },
          '200': {
            description: 'This key already made this payout: the same payout, unchanged since.',
            headers: {
              ...payoutBody.headers,
              'Idempotent-Replayed': {
                description: 'The answer is a replay.',
                required: true,
                schema: { type: 'string', const: 'true' },
              },
            },
            content: payoutBody.content,
          },
          '400': errorResponse(
            'The body is not JSON or does not validate, the currency is not the cagnotte’s, or ' +
              'the Idempotency-Key is missing or malformed.',
            {
              invalid_json: 'The body is not JSON.',
              invalid_request: 'The body, the currency or the Idempotency-Key is invalid.',
            },
          ),
          '401': responseRef('Unauthorized'),
          '409': errorResponse('The Idempotency-Key came before with another body.', {
            idempotency_conflict: 'This key was used for another request.',
          }),
          '422': errorResponse('The payout is refused; nothing moved.', {
            below_threshold: 'The confirmed balance is below the payout threshold.',
            insufficient_balance: 'The amount and its fee are more than the confirmed balance.',
            below_minimum: 'The amount is below the method’s minimum.',
            unknown_method: 'The portal does not offer this method.',
            no_bank_account: 'No bank account is registered for transfers.',
            unknown_voucher: 'No voucher of the catalogue has this id.',
            invalid_amount: 'The amount is not one of the voucher’s denominations.',
            unknown_charity: 'No charity has this id.',
          }),
          ...BODY_ERRORS,
          ...COMMON_ERRORS,
        },
      },
    },
  };
}
