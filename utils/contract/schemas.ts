/**
 * Portal API v1 (docs/portal-api.md) as zod schemas: the one definition used by the extension
 * (to validate what the portal sends), by the reference portal (to validate what it receives and
 * to type what it sends) and by the contract tests.
 * Objects are non-strict on purpose: unknown fields must be ignored (forward compatibility).
 */
import { z } from 'zod';

// MV3 extension pages forbid `new Function`, which zod's fast path would try.
z.config({ jitless: true });

const nonEmpty = (max: number) => z.string().trim().min(1).max(max);

/**
 * A field added to an object after 1.0 that is read leniently: a value that does not fit is
 * dropped alone (read as absent), so that a portal's mistake in a new field costs neither the
 * merchant entry nor the whole cagnotte that carry it. (`.catch` is invisible in JSON Schema: the
 * OpenAPI document says what a portal must send.)
 */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

// ---------- errors ----------

export const ErrorBodySchema = z.object({
  error: z.object({
    code: nonEmpty(100),
    message: z.string().max(2000).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

// ---------- 1. sign in / out ----------

export const LoginRequestSchema = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1000),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/** A membership tier's id: the key of a merchant's `tierCashback` (docs/portal-api.md §5). */
export const TierIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,50}$/, 'letters, digits, _ or -');

/** The member's membership tier (1.2): its id, and its name as the member reads it. */
export const TierSchema = z.object({ id: TierIdSchema, name: nonEmpty(100) });
export type Tier = z.infer<typeof TierSchema>;

export const UserSchema = z.object({
  id: nonEmpty(200),
  email: nonEmpty(320),
  displayName: z.string().max(200),
  // Optional and lenient (1.2): a tier that does not fit is dropped, not the sign-in.
  tier: TierSchema.optional().catch(undefined),
});
export type User = z.infer<typeof UserSchema>;

export const LoginResponseSchema = z.object({
  token: nonEmpty(4096),
  user: UserSchema,
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

// ---------- 2. merchant list ----------

export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code');

export const CashbackSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('percent'),
    value: z.number().positive().max(100),
    upTo: z.boolean().default(false),
  }),
  z.object({
    type: z.literal('amount'),
    value: z.number().int().positive().max(100_000_000),
    currency: CurrencySchema,
    upTo: z.boolean().default(false),
  }),
]);
export type Cashback = z.infer<typeof CashbackSchema>;

export const PromptsPolicySchema = z.enum(['allowed', 'checkout-only', 'never']);
export type PromptsPolicy = z.infer<typeof PromptsPolicySchema>;

// ---------- 2. merchant list: what happens after the purchase (1.3, optional) ----------

/** Paths of the merchant's order confirmation pages: prefixes on segment boundaries. */
const ConfirmationPathsSchema = z.array(z.string().startsWith('/').max(200)).max(50);
/** Hours after the order within which the sale normally shows as pending (0: at once). */
const TrackingDelayHoursSchema = z
  .number()
  .int()
  .min(0)
  .max(24 * 90);
/** Days after the order within which the merchant normally confirms the cashback. */
const ConfirmationDelayDaysSchema = z.number().int().min(0).max(730);
/** Days after the order during which a missing cashback may be claimed. */
const ClaimWindowDaysSchema = z.number().int().min(1).max(730);

/**
 * What a merchant's entry may say about the time after a purchase (all optional, since 1.3): a
 * portal that sends none of them leaves orders unfollowed for that merchant, as before.
 */
export const OrderTermsSchema = z.object({
  confirmationPaths: ConfirmationPathsSchema.optional(),
  trackingDelayHours: TrackingDelayHoursSchema.optional(),
  confirmationDelayDays: ConfirmationDelayDaysSchema.optional(),
  claimWindowDays: ClaimWindowDaysSchema.optional(),
});
export type OrderTerms = z.infer<typeof OrderTermsSchema>;

/** The same fields as the extension reads them in a merchant entry: each one leniently. */
const LENIENT_ORDER_TERMS = {
  confirmationPaths: lenient(ConfirmationPathsSchema),
  trackingDelayHours: lenient(TrackingDelayHoursSchema),
  confirmationDelayDays: lenient(ConfirmationDelayDaysSchema),
  claimWindowDays: lenient(ClaimWindowDaysSchema),
};

/**
 * One merchant entry as the portal sends it. Domains are checked for shape only here;
 * normalisation (punycode, public suffixes) happens in the extension's merchant-list module.
 */
export const MerchantSchema = z.object({
  id: nonEmpty(200),
  name: nonEmpty(200),
  domains: z.array(nonEmpty(253)).min(1).max(100),
  cashback: CashbackSchema,
  logoUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  checkoutPaths: z.array(z.string().startsWith('/').max(200)).max(50).optional(),
  prompts: PromptsPolicySchema.default('allowed'),
  terms: z.string().max(2000).optional(),
  /**
   * The rates of members of a tier, by tier id (1.2); a tier not named earns `cashback`.
   * Lenient: rates that do not fit are dropped together, never the merchant.
   */
  tierCashback: z.record(TierIdSchema, CashbackSchema).optional().catch(undefined),
  ...LENIENT_ORDER_TERMS,
});
export type Merchant = z.infer<typeof MerchantSchema>;
/** A merchant as the portal writes it (defaults may be omitted). */
export type MerchantInput = z.input<typeof MerchantSchema>;

export const StandDownListSchema = z.object({
  params: z.array(nonEmpty(100)).max(1000).default([]),
  referrerHosts: z.array(nonEmpty(253)).max(1000).default([]),
});
export type StandDownList = z.infer<typeof StandDownListSchema>;

/**
 * The list envelope. Entries are `unknown` here: each one is validated on its own with
 * MerchantSchema so that one malformed entry is dropped alone.
 */
export const MerchantListEnvelopeSchema = z.object({
  version: nonEmpty(100),
  merchants: z.array(z.unknown()),
  standDown: StandDownListSchema.default({ params: [], referrerHosts: [] }),
});
export type MerchantListEnvelope = z.infer<typeof MerchantListEnvelopeSchema>;

/**
 * The most the extension reads of the list's body, decoded (~25 MB at 100,000 merchants): past
 * it the sync is refused as too large and the last good list stays.
 */
export const MERCHANT_LIST_MAX_BYTES = 64 * 1024 * 1024;

/** The whole list validated strictly (every entry valid): what the reference portal must serve. */
export const MerchantListSchema = MerchantListEnvelopeSchema.extend({
  merchants: z.array(MerchantSchema),
});
export type MerchantList = z.infer<typeof MerchantListSchema>;

// ---------- 2b. changes of the merchant list (1.1) ----------

/** The query parameter of the changes route: the `version` of the list the client holds. */
export const SINCE_PARAM = 'since';

/**
 * The changes from the list `from` to the list `to`: what a client holding `from` applies to hold
 * `to`. Entries of `upserted` are whole merchants (added, or changed: the entry replaces the old
 * one) and, as in the list, `unknown` here: each is validated on its own with MerchantSchema.
 * `standDown`, when present, replaces the stand-down list; absent, it is unchanged.
 */
export const MerchantListDeltaEnvelopeSchema = z.object({
  from: nonEmpty(100),
  to: nonEmpty(100),
  upserted: z.array(z.unknown()),
  removed: z.array(nonEmpty(200)),
  standDown: StandDownListSchema.optional(),
});
export type MerchantListDeltaEnvelope = z.infer<typeof MerchantListDeltaEnvelopeSchema>;

/** The changes validated strictly (every entry valid): what the reference portal must serve. */
export const MerchantListDeltaSchema = MerchantListDeltaEnvelopeSchema.extend({
  upserted: z.array(MerchantSchema),
});
export type MerchantListDelta = z.infer<typeof MerchantListDeltaSchema>;

/** The error codes of a 410 on the changes route: the client then downloads the whole list. */
export const DELTA_GONE_CODES = ['version_too_old', 'unknown_version'] as const;

// ---------- 3. activation ----------

export const ClickRequestSchema = z.object({
  merchantId: nonEmpty(200),
  url: z.url({ protocol: /^https?$/ }).max(8000),
});
export type ClickRequest = z.infer<typeof ClickRequestSchema>;

export const ClickResponseSchema = z.object({
  clickId: nonEmpty(200),
  redirectUrl: z.url({ protocol: /^https?$/ }).max(8000),
});
export type ClickResponse = z.infer<typeof ClickResponseSchema>;

// ---------- 4. cagnotte ----------

export const TransactionStatusSchema = z.enum(['pending', 'confirmed', 'cancelled', 'paid']);
export type TransactionStatus = z.infer<typeof TransactionStatusSchema>;

const minorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const TransactionSchema = z.object({
  id: nonEmpty(200),
  merchantId: nonEmpty(200),
  merchantName: z.string().max(200),
  orderedAt: z.iso.datetime({ offset: true }),
  orderAmount: minorUnits,
  cashback: minorUnits,
  status: TransactionStatusSchema,
  /** When the merchant should confirm it (pending transactions; since 1.2 in the history, 1.3 in the cagnotte). */
  expectedConfirmationAt: lenient(z.iso.datetime({ offset: true })),
});
export type Transaction = z.infer<typeof TransactionSchema>;

export const CagnotteSchema = z.object({
  currency: CurrencySchema,
  pending: minorUnits,
  confirmed: minorUnits,
  paid: minorUnits,
  payoutThreshold: minorUnits,
  transactions: z.array(TransactionSchema).max(50),
});
export type Cagnotte = z.infer<typeof CagnotteSchema>;

// ---------- 5. payouts and the whole history (1.2) ----------

const positiveMinorUnits = minorUnits.min(1);
const isoDate = z.iso.datetime({ offset: true });
const portalUrl = z.url({ protocol: /^https?$/ }).max(2000);

/**
 * What a payout costs on top of its amount: `fixed` minor units plus `percent` of the amount
 * (rounded half up to the minor unit; payoutFee in ./payout-fee.ts). Missing means free.
 */
export const PayoutFeeSchema = z.object({
  fixed: minorUnits.default(0),
  percent: z.number().min(0).max(100).default(0),
});
export type PayoutFee = z.infer<typeof PayoutFeeSchema>;

/** The bank account a transfer goes to, as the portal shows it: never the whole IBAN. */
export const BankAccountSchema = z.object({
  /** e.g. "FR76 •••• 1234". */
  masked: nonEmpty(64),
  holder: z.string().max(200).optional(),
});
export type BankAccount = z.infer<typeof BankAccountSchema>;

export const VoucherBrandSchema = z.object({
  id: nonEmpty(200),
  name: nonEmpty(200),
  description: z.string().max(300).optional(),
  /** The face values on offer, in minor units: a voucher's amount is one of them. */
  denominations: z.array(positiveMinorUnits).min(1).max(20),
  logoUrl: portalUrl.optional(),
});
export type VoucherBrand = z.infer<typeof VoucherBrandSchema>;

export const CharitySchema = z.object({
  id: nonEmpty(200),
  name: nonEmpty(200),
  /** A line about what it does. */
  description: z.string().max(300).default(''),
  logoUrl: portalUrl.optional(),
  /** What the portal's members have given it so far, in minor units. */
  raised: minorUnits.optional(),
});
export type Charity = z.infer<typeof CharitySchema>;

/** Each method's smallest amount and its fee; absent from the options, the method is not offered. */
const payoutMethod = {
  minimum: minorUnits,
  fee: PayoutFeeSchema.default({ fixed: 0, percent: 0 }),
};

export const PayoutOptionsSchema = z.object({
  currency: CurrencySchema,
  /** Nothing can be withdrawn while `available` is below it (the cagnotte's `payoutThreshold`). */
  threshold: minorUnits,
  /** The confirmed balance: what the member may withdraw now, fees included. */
  available: minorUnits,
  transfer: z
    .object({
      ...payoutMethod,
      /** The member's registered account, or null: none yet (`accountUrl` adds one). */
      account: BankAccountSchema.nullable(),
      /** The portal's page where the member registers or changes the account. */
      accountUrl: portalUrl.optional(),
    })
    .optional(),
  voucher: z.object({ ...payoutMethod, brands: z.array(VoucherBrandSchema).max(100) }).optional(),
  donation: z.object({ ...payoutMethod, charities: z.array(CharitySchema).max(100) }).optional(),
});
export type PayoutOptions = z.infer<typeof PayoutOptionsSchema>;

/** The methods of this version of the contract (a request naming another gets `unknown_method`). */
export const PayoutMethodSchema = z.enum(['transfer', 'voucher', 'donation']);
export type PayoutMethod = z.infer<typeof PayoutMethodSchema>;

/** `amount` is what the member (or the charity) receives; the fee is taken on top of it. */
export const PayoutRequestSchema = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('transfer'),
    amount: positiveMinorUnits,
    currency: CurrencySchema,
  }),
  z.object({
    method: z.literal('voucher'),
    amount: positiveMinorUnits,
    currency: CurrencySchema,
    brandId: nonEmpty(200),
  }),
  z.object({
    method: z.literal('donation'),
    amount: positiveMinorUnits,
    currency: CurrencySchema,
    charityId: nonEmpty(200),
  }),
]);
export type PayoutRequest = z.infer<typeof PayoutRequestSchema>;

/**
 * The header that makes a POST safe to send again (`/me/payouts`, `/me/claims`): a retry with the
 * same key never pays or claims twice.
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{16,200}$/;
export const IdempotencyKeySchema = z.string().regex(IDEMPOTENCY_KEY_PATTERN);

export const PayoutStatusSchema = z.enum(['requested', 'paid', 'failed']);
export type PayoutStatus = z.infer<typeof PayoutStatusSchema>;

export const PayoutSchema = z.object({
  id: nonEmpty(200),
  /**
   * `transfer`, `voucher` or `donation`; a string rather than an enumeration, so that a method
   * added later reaches older extensions as a payout they name generically.
   */
  method: nonEmpty(50),
  amount: minorUnits,
  fee: minorUnits,
  currency: CurrencySchema,
  status: PayoutStatusSchema,
  requestedAt: isoDate,
  /** When it was paid, or failed (the money then went back to the confirmed balance). */
  settledAt: isoDate.optional(),
  /** A transfer: the masked account it goes to. */
  account: z.string().max(64).optional(),
  /** A voucher: its brand, and once paid its code (a secret: the extension never stores it). */
  voucher: z
    .object({
      brandId: nonEmpty(200),
      brandName: nonEmpty(200),
      code: z.string().min(1).max(200).optional(),
      expiresAt: isoDate.optional(),
    })
    .optional(),
  /** A donation: to whom. */
  charity: z.object({ id: nonEmpty(200), name: nonEmpty(200) }).optional(),
});
export type Payout = z.infer<typeof PayoutSchema>;

/** The query of the paged routes: the `nextCursor` of the previous page, and a page size. */
export const PAGE_CURSOR_PARAM = 'cursor';
export const PAGE_LIMIT_PARAM = 'limit';
export const PAGE_MAX_LIMIT = 100;
const nextCursor = z.string().min(1).max(500).nullable().default(null);

export const PayoutPageSchema = z.object({
  payouts: z.array(PayoutSchema).max(PAGE_MAX_LIMIT),
  nextCursor,
});
export type PayoutPage = z.infer<typeof PayoutPageSchema>;

export const TransactionPageSchema = z.object({
  transactions: z.array(TransactionSchema).max(PAGE_MAX_LIMIT),
  nextCursor,
});
export type TransactionPage = z.infer<typeof TransactionPageSchema>;

// ---------- 6. claims: a missing cashback (1.3, optional) ----------

export const ClaimStatusSchema = z.enum(['submitted', 'accepted', 'rejected']);
export type ClaimStatus = z.infer<typeof ClaimStatusSchema>;

/** An order reference as a merchant writes it: printable, no control characters. */
const OrderRefSchema = nonEmpty(100).regex(/^[^\p{Cc}]+$/u, 'printable characters only');

/** The most a claimed order may amount to, in minor units (10,000,000.00). */
export const MAX_CLAIM_AMOUNT = 1_000_000_000;

/**
 * A claim for an order whose cashback never showed: the click it came through, and the order as
 * the member saw it. One per order reference and merchant: the same reference claims nothing twice.
 */
export const ClaimRequestSchema = z.object({
  merchantId: nonEmpty(200),
  clickId: nonEmpty(200),
  orderRef: OrderRefSchema,
  orderedAt: z.iso.datetime({ offset: true }),
  orderAmount: z.number().int().min(1).max(MAX_CLAIM_AMOUNT),
  currency: CurrencySchema,
});
export type ClaimRequest = z.infer<typeof ClaimRequestSchema>;

export const ClaimSchema = z.object({
  id: nonEmpty(200),
  merchantId: nonEmpty(200),
  merchantName: z.string().max(200),
  clickId: nonEmpty(200),
  orderRef: OrderRefSchema,
  orderedAt: z.iso.datetime({ offset: true }),
  orderAmount: minorUnits,
  currency: CurrencySchema,
  status: ClaimStatusSchema,
  submittedAt: z.iso.datetime({ offset: true }),
  decidedAt: z.iso.datetime({ offset: true }).optional(),
  /** Why it was rejected, in words the member reads. */
  reason: z.string().max(1000).optional(),
  /** The transaction an accepted claim created (or found). */
  transactionId: nonEmpty(200).optional(),
});
export type Claim = z.infer<typeof ClaimSchema>;

export const ClaimListSchema = z.object({
  /** The member's claims, the most recent first: 100 at most. */
  claims: z.array(ClaimSchema).max(100),
});
export type ClaimList = z.infer<typeof ClaimListSchema>;

/** The API's paths, relative to the portal origin. */
export const API = {
  login: '/api/v1/auth/login',
  logout: '/api/v1/auth/logout',
  me: '/api/v1/me',
  merchants: '/api/v1/merchants',
  merchantChanges: '/api/v1/merchants/changes',
  clicks: '/api/v1/clicks',
  cagnotte: '/api/v1/me/cagnotte',
  transactions: '/api/v1/me/transactions',
  payoutOptions: '/api/v1/me/payout-options',
  payouts: '/api/v1/me/payouts',
  claims: '/api/v1/me/claims',
} as const;
