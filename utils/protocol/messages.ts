/**
 * The one message protocol between the extension's contexts, as zod schemas: the types are
 * inferred from them, the background's router validates every request with them, and the
 * banner's hand-written check (banner-update.ts) is property-tested against them.
 *
 * Messages are named by direction: a `BackgroundRequest` goes to the background (from the
 * banner, the popup, the options and welcome pages); a `BannerUpdate` goes from the background to
 * a tab's banner. The banner script imports only types from here, so zod never reaches it.
 */
import { z } from 'zod';
import {
  CagnotteSchema,
  IdempotencyKeySchema,
  PayoutOptionsSchema,
  PayoutRequestSchema,
  PayoutSchema,
  PromptsPolicySchema,
  TransactionSchema,
  UserSchema,
} from '../contract/schemas';
import { HOSTNAME_PATTERN, SEARCH_MATCH_MAX_HOSTNAMES } from '../search/limits';
import { RawOrderPageSchema } from '../orders/order-reading';

const text = (max: number, min = 0) => z.string().min(min).max(max);
const tabId = z.number().int().nonnegative();
const timestamp = z.number();

// ---------- what the UI shows ----------

/**
 * A merchant's offer as the extension's contexts pass it along. Exact (strict) shapes: the
 * banner's receiver checks them key by key, and these schemas say the same.
 */
const CashbackViewSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('percent'),
    value: z.number().positive(),
    upTo: z.boolean(),
    currency: z.undefined().optional(),
  }),
  z.strictObject({
    type: z.literal('amount'),
    value: z.number().positive(),
    upTo: z.boolean(),
    currency: text(3, 3),
  }),
]);

/** What the UI needs of a merchant (never the whole stored record). */
export const MerchantSummarySchema = z.strictObject({
  id: text(200, 1),
  name: text(200, 1),
  cashback: CashbackViewSchema,
  terms: text(2000).optional(),
  logoUrl: text(2000).optional(),
  prompts: PromptsPolicySchema,
});
export type MerchantSummary = z.infer<typeof MerchantSummarySchema>;

export const ActivationFailureSchema = z.discriminatedUnion('reason', [
  z.strictObject({ reason: z.literal('signed-out') }),
  z.strictObject({ reason: z.literal('portal-unreachable') }),
  z.strictObject({ reason: z.literal('unknown-merchant') }),
  /** Another extension (an ad blocker, typically) blocked a hop of the affiliate redirect. */
  z.strictObject({ reason: z.literal('blocked'), host: text(253) }),
  z.strictObject({ reason: z.literal('not-a-merchant') }),
  z.strictObject({ reason: z.literal('failed'), detail: text(2000) }),
]);
export type ActivationFailure = z.infer<typeof ActivationFailureSchema>;

export const ActivationStatusSchema = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('none') }),
  z.strictObject({ state: z.literal('activating') }),
  z.strictObject({ state: z.literal('activated'), at: timestamp }),
  z.strictObject({ state: z.literal('error'), failure: ActivationFailureSchema }),
]);
export type ActivationStatus = z.infer<typeof ActivationStatusSchema>;

export const BannerTextSchema = z.strictObject({
  title: text(4000, 1),
  detail: text(4000).optional(),
  action: z.strictObject({ label: text(200, 1), busy: z.boolean() }).optional(),
  canMute: z.boolean(),
  /** The card's accessible name, the close button's label, the mute link. */
  region: text(400),
  close: text(200),
  mute: text(200),
});
export type BannerText = z.infer<typeof BannerTextSchema>;

/** What a tab's banner shows; `null` means no banner. */
export const BannerViewSchema = z.strictObject({
  merchant: MerchantSummarySchema,
  variant: z.enum(['offer', 'checkout-reminder', 'activating', 'activated', 'error']),
  failure: ActivationFailureSchema.optional(),
  /**
   * The offer's figure ("4,5 %", "15,00 €") as the background wrote it: a page's fresh process
   * takes tens of milliseconds to start Intl, which would hold the banner's first drawing.
   */
  figure: text(100, 1).optional(),
  /** The banner's words for this very view, written by the background for the same reason. */
  text: BannerTextSchema.optional(),
});
export type BannerView = z.infer<typeof BannerViewSchema>;

export const TabOfferSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('unsupported') }),
  /**
   * The member withdrew the extension's host access to this site (or to all sites, and then
   * the tab's address is unknown: `hostname` is null). Whether it is a merchant is unknown.
   */
  z.strictObject({ kind: z.literal('no-access'), hostname: z.string().nullable() }),
  z.strictObject({ kind: z.literal('not-merchant'), hostname: z.string() }),
  z.strictObject({
    kind: z.literal('merchant'),
    merchant: MerchantSummarySchema,
    activation: ActivationStatusSchema,
    /** This visit came through another affiliate: the popup says so neutrally. */
    standDown: z.boolean(),
    muted: z.boolean(),
  }),
]);
export type TabOffer = z.infer<typeof TabOfferSchema>;

export const AccountViewSchema = z.discriminatedUnion('signedIn', [
  z.strictObject({ signedIn: z.literal(false) }),
  z.strictObject({
    signedIn: z.literal(true),
    user: UserSchema,
    cagnotte: z.strictObject({ figures: CagnotteSchema, fetchedAt: timestamp }).nullable(),
    /** The last refresh failed: figures are the last known ones. */
    refreshError: z.enum(['portal-unreachable', 'failed']).nullable(),
  }),
]);
export type AccountView = z.infer<typeof AccountViewSchema>;

/** What the popup may offer to withdraw; absent on an older portal, or signed out. */
export const PayoutsViewSchema = z.discriminatedUnion('available', [
  z.strictObject({ available: z.literal(false) }),
  z.strictObject({
    available: z.literal(true),
    options: PayoutOptionsSchema,
    /** The latest payouts, newest first; a voucher's code only until the member noted it. */
    payouts: z.array(PayoutSchema).max(20),
  }),
]);
export type PayoutsView = z.infer<typeof PayoutsViewSchema>;

/** The portal's refusals of a payout the popup has words for (docs/portal-api.md §5). */
export const PAYOUT_REFUSALS = [
  'below_threshold',
  'insufficient_balance',
  'below_minimum',
  'no_bank_account',
  'invalid_amount',
  'unknown_voucher',
  'unknown_charity',
  'idempotency_conflict',
] as const;

/** Why a payout was not made: the portal's refusals, or no answer. */
export const PayoutFailureSchema = z.enum([
  ...PAYOUT_REFUSALS,
  'portal-unreachable',
  'signed-out',
  'failed',
]);
export type PayoutFailure = z.infer<typeof PayoutFailureSchema>;

export const PayoutOutcomeSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), payout: PayoutSchema }),
  z.strictObject({ ok: z.literal(false), reason: PayoutFailureSchema }),
]);
export type PayoutOutcome = z.infer<typeof PayoutOutcomeSchema>;

export const SettingsSchema = z.strictObject({
  /** Banners and checkout reminders on merchant sites. */
  reminders: z.boolean(),
  /** Only on cart and checkout pages. */
  checkoutOnly: z.boolean(),
  /** Notify when a transaction appears or is confirmed. */
  notifications: z.boolean(),
  /** Marks on the partner merchants' results in search engines (docs/search-marks.md). */
  searchMarks: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SignInResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), account: AccountViewSchema }),
  z.strictObject({
    ok: z.literal(false),
    reason: z.enum(['invalid-credentials', 'portal-unreachable', 'failed']),
  }),
]);
export type SignInResult = z.infer<typeof SignInResultSchema>;

/** Why the last sync failed, in words the options page translates. */
export const SyncFailureKindSchema = z.enum([
  'unreachable',
  'timeout',
  'portal-error',
  'unreadable',
  'too-large',
  'storage',
]);
export type SyncFailureKind = z.infer<typeof SyncFailureKindSchema>;

export const SyncStatusViewSchema = z.strictObject({
  merchantCount: z.number().int().nonnegative(),
  lastSuccessAt: timestamp.nullable(),
  /** `message` is the technical detail (for support), `kind` what the member is told. */
  lastError: z
    .strictObject({ kind: SyncFailureKindSchema, message: z.string(), at: timestamp })
    .nullable(),
  syncing: z.boolean(),
});
export type SyncStatusView = z.infer<typeof SyncStatusViewSchema>;

export const MutedSiteViewSchema = z.strictObject({
  merchantId: z.string(),
  name: z.string(),
  mutedAt: timestamp,
});
export type MutedSiteView = z.infer<typeof MutedSiteViewSchema>;

/**
 * A search result's mark: the words the background wrote for it (the page's script starts
 * neither i18n nor Intl), and the merchant it is for.
 */
export const SearchOfferSchema = z.strictObject({
  merchantId: text(200, 1),
  /** "4,5 % de cashback", "Jusqu'à 6,5 % de cashback". */
  label: text(200, 1),
  /** The mark's accessible name: "Activer 4,5 % de cashback chez Numéria avec Ristourne". */
  action: text(400, 1),
});
export type SearchOffer = z.infer<typeof SearchOfferSchema>;

/** What a mark says while its activation is under way, or when it failed. */
export const SearchMarkWordsSchema = z.strictObject({
  activating: text(200, 1),
  failed: text(200, 1),
  signIn: text(200, 1),
});
export type SearchMarkWords = z.infer<typeof SearchMarkWordsSchema>;

export const SearchMatchSchema = z.strictObject({
  /** Per hostname asked: its offer, or null (no merchant, or one that is not to be marked). */
  offers: z.record(z.string(), SearchOfferSchema.nullable()),
  words: SearchMarkWordsSchema,
});
export type SearchMatch = z.infer<typeof SearchMatchSchema>;

/** A result's hostname: lower-case ASCII labels, nothing else (no path, no query, no port). */
const ResultHostnameSchema = z.string().regex(HOSTNAME_PATTERN);

/** One activation of the member's history (utils/orders/journal.ts). */
export const ActivationHistoryEntrySchema = z.strictObject({
  merchantId: text(200, 1),
  merchantName: text(200),
  at: timestamp,
  source: z.enum(['banner', 'popup', 'search']),
  clickId: text(200, 1),
});
export type ActivationHistoryEntry = z.infer<typeof ActivationHistoryEntrySchema>;

const MoneyViewSchema = z.strictObject({
  value: z.number().int().positive(),
  currency: text(3, 3),
});

/** An order seen after an activation, and where it stands (utils/orders/tracking.ts). */
export const OrderViewSchema = z.strictObject({
  key: text(400, 1),
  merchantId: text(200, 1),
  merchantName: text(200),
  clickId: text(200, 1),
  activatedAt: timestamp,
  seenAt: timestamp,
  orderRef: text(100).optional(),
  amount: MoneyViewSchema.optional(),
  progress: z.discriminatedUnion('state', [
    z.strictObject({ state: z.literal('expected'), expectedBy: timestamp.nullable() }),
    z.strictObject({ state: z.literal('tracked'), transactionId: text(200, 1) }),
    z.strictObject({
      state: z.literal('missing'),
      since: timestamp,
      claimableUntil: timestamp.nullable(),
    }),
  ]),
});
export type OrderView = z.infer<typeof OrderViewSchema>;

/** A claim the member sent, as the popup lists it. */
export const ClaimViewSchema = z.strictObject({
  id: text(200, 1),
  merchantId: text(200, 1),
  merchantName: text(200),
  orderRef: text(100, 1),
  status: z.enum(['submitted', 'accepted', 'rejected']),
  reason: text(1000).optional(),
  submittedAt: text(40, 1),
});
export type ClaimView = z.infer<typeof ClaimViewSchema>;

export const ClaimSubmitResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), claim: ClaimViewSchema }),
  z.strictObject({
    ok: z.literal(false),
    reason: z.enum(['unsupported', 'signed-out', 'unreachable', 'refused', 'unknown-order']),
  }),
]);
export type ClaimSubmitResult = z.infer<typeof ClaimSubmitResultSchema>;

/** A `nextCursor` as the portal gave it (docs/portal-api.md §5): opaque, passed back as it is. */
const PageCursorSchema = text(500, 1);

/** Which page of one source of the history the page asks for; null: none of it this time. */
const HistorySourceRequestSchema = z
  .strictObject({ cursor: PageCursorSchema.nullable() })
  .nullable();

/**
 * A page of the member's whole history (utils/account/history.ts): the next page of each source
 * asked for, as the portal sent it (a voucher's code left out). `payouts` is null when not asked,
 * or when the portal has no payouts to list (an older portal).
 */
export const HistoryPageSchema = z.discriminatedUnion('state', [
  z.strictObject({
    state: z.literal('page'),
    /** Whose history it is: a page asked for another member's gets `member-changed`. */
    member: text(200, 1),
    /** The cagnotte's currency: the transactions' amounts are in it. */
    currency: text(3, 3),
    transactions: z
      .strictObject({
        items: z.array(TransactionSchema).max(100),
        nextCursor: PageCursorSchema.nullable(),
      })
      .nullable(),
    payouts: z
      .strictObject({
        items: z.array(PayoutSchema).max(100),
        nextCursor: PageCursorSchema.nullable(),
      })
      .nullable(),
  }),
  z.strictObject({ state: z.literal('signed-out') }),
  /** The portal has no history to page through (404: an older portal). */
  z.strictObject({ state: z.literal('unavailable') }),
  /** Another member signed in since the first page: the history starts again, theirs. */
  z.strictObject({ state: z.literal('member-changed') }),
  z.strictObject({ state: z.literal('failed'), reason: z.enum(['portal-unreachable', 'failed']) }),
]);
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

// ---------- requests to the background ----------

const none = z.object({});

/**
 * Every request to the background: what it carries, what it answers, and who may send it.
 * `content-script` requests come from the banner and always concern the sender's own tab (the
 * background uses `sender.tab.id`); the others only from the extension's own pages.
 */
export const BACKGROUND_PROTOCOL = {
  'banner:get-view': {
    from: 'content-script',
    request: none,
    response: BannerViewSchema.nullable(),
  },
  'banner:activate': { from: 'content-script', request: none, response: ActivationStatusSchema },
  'banner:dismiss': { from: 'content-script', request: none, response: z.null() },
  'banner:mute': { from: 'content-script', request: none, response: z.null() },
  /**
   * What an order page shows, read by the banner's script when the background sent it with an
   * order watch (utils/orders/flow.ts): capped in size; the background decides and keeps it.
   */
  'banner:order-page': {
    from: 'content-script',
    request: z.object({ page: RawOrderPageSchema }),
    response: z.object({ seen: z.boolean() }),
  },
  /**
   * A results page's script asks which of its results' hostnames are merchants to mark: only
   * hostnames (never the query nor the page's address), at most 50 at a time.
   */
  'search:match': {
    from: 'content-script',
    request: z.object({
      hostnames: z.array(ResultHostnameSchema).min(1).max(SEARCH_MATCH_MAX_HOSTNAMES),
    }),
    response: SearchMatchSchema,
  },
  /** The member clicked a result's mark: activate its merchant and land on the result's page. */
  'search:activate': {
    from: 'content-script',
    request: z.object({ url: z.url({ protocol: /^https?$/ }).max(8000) }),
    response: ActivationStatusSchema,
  },
  'popup:get-offer': { from: 'page', request: z.object({ tabId }), response: TabOfferSchema },
  'popup:activate': {
    from: 'page',
    request: z.object({ tabId }),
    response: ActivationStatusSchema,
  },
  'popup:search': {
    from: 'page',
    request: z.object({ query: z.string().max(200) }),
    response: z.array(MerchantSummarySchema),
  },
  'account:get': { from: 'page', request: none, response: AccountViewSchema },
  'account:refresh': { from: 'page', request: none, response: AccountViewSchema },
  'account:sign-in': {
    from: 'page',
    request: z.object({ email: z.string().max(320), password: z.string().max(1000) }),
    response: SignInResultSchema,
  },
  'account:sign-out': { from: 'page', request: none, response: AccountViewSchema },
  'payouts:get': { from: 'page', request: none, response: PayoutsViewSchema },
  /** One payout; `key` is made once per confirmation, so a second click is the same request. */
  'payouts:request': {
    from: 'page',
    request: z.object({ key: IdempotencyKeySchema, payout: PayoutRequestSchema }),
    response: PayoutOutcomeSchema,
  },
  'payouts:code-seen': {
    from: 'page',
    request: z.object({ payoutId: z.string().min(1).max(200) }),
    response: z.null(),
  },
  /** Whether the portal has the whole history (the popup's "Tout voir" shows only then). */
  'history:supported': { from: 'page', request: none, response: z.boolean() },
  /**
   * The next page of the member's history, each source from its own cursor (null: the first
   * page); `member` is whose history the earlier pages were (null for the first).
   */
  'history:page': {
    from: 'page',
    request: z.object({
      member: text(200, 1).nullable(),
      transactions: HistorySourceRequestSchema,
      payouts: HistorySourceRequestSchema,
    }),
    response: HistoryPageSchema,
  },
  'settings:get': { from: 'page', request: none, response: SettingsSchema },
  'settings:set': {
    from: 'page',
    request: z.object(SettingsSchema.shape).partial(),
    response: SettingsSchema,
  },
  'muted:list': { from: 'page', request: none, response: z.array(MutedSiteViewSchema) },
  'muted:unmute': {
    from: 'page',
    request: z.object({ merchantId: z.string().min(1).max(200) }),
    response: z.array(MutedSiteViewSchema),
  },
  /** The signed-in member's activations of the last 90 days, the most recent first. */
  'history:activations': {
    from: 'page',
    request: none,
    response: z.array(ActivationHistoryEntrySchema),
  },
  /** The orders seen after the member's activations, each with where it stands. */
  'orders:list': { from: 'page', request: none, response: z.array(OrderViewSchema) },
  /** The member's claims; null when the portal has none to list (a 1.0 portal: 404). */
  'claims:list': { from: 'page', request: none, response: z.array(ClaimViewSchema).nullable() },
  /**
   * The member checked and sends a claim for an order seen: the merchant and the click are the
   * stored order's, never the request's; one idempotency key per order makes a resend the same.
   */
  'claims:submit': {
    from: 'page',
    request: z.object({
      key: text(400, 1),
      orderRef: text(100, 1),
      orderedAt: z.iso.datetime({ offset: true }),
      orderAmount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
      currency: text(3, 3),
    }),
    response: ClaimSubmitResultSchema,
  },
  'sync:status': { from: 'page', request: none, response: SyncStatusViewSchema },
  'sync:now': { from: 'page', request: none, response: SyncStatusViewSchema },
} as const satisfies Record<
  string,
  { from: 'content-script' | 'page'; request: z.ZodObject; response: z.ZodType }
>;

type Protocol = typeof BACKGROUND_PROTOCOL;
export type BackgroundRequestType = keyof Protocol;

/** Every request with the type of its answer, as the senders and the handlers see them. */
export type BackgroundProtocol = {
  [T in BackgroundRequestType]: {
    request: z.infer<Protocol[T]['request']>;
    response: z.infer<Protocol[T]['response']>;
  };
};
export type BackgroundRequest = {
  [T in BackgroundRequestType]: { type: T } & BackgroundProtocol[T]['request'];
}[BackgroundRequestType];

const REQUEST_TYPES = Object.keys(BACKGROUND_PROTOCOL) as BackgroundRequestType[];

/**
 * A request as the background receives it: a known type, and fields of the right shape (extra
 * fields, such as a tab id smuggled into a banner request, are dropped).
 */
export const BackgroundRequestSchema = z.discriminatedUnion(
  'type',
  REQUEST_TYPES.map((type) =>
    BACKGROUND_PROTOCOL[type].request.extend({ type: z.literal(type) }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<BackgroundRequest>;

/**
 * Requests a content script may send: only about its own tab, never with a tab id; the one URL a
 * content script sends is a search result's, the member's click on its mark (`search:activate`).
 */
export const CONTENT_SCRIPT_REQUESTS: ReadonlySet<BackgroundRequestType> = new Set(
  REQUEST_TYPES.filter((type) => BACKGROUND_PROTOCOL[type].from === 'content-script'),
);

/** The background answers every request with this envelope, so a failure is a value. */
export type Answer<T> = { ok: true; value: T } | { ok: false; error: string };

// ---------- from the background to a banner ----------

export const BannerUpdateSchema = z.strictObject({
  type: z.literal('background:banner-view'),
  view: BannerViewSchema.nullable(),
});
export type BannerUpdate = z.infer<typeof BannerUpdateSchema>;
