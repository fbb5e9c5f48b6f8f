/**
 * The background's state, kept in browser storage so that a stopped worker loses nothing.
 *
 *   navigation:<tab>  (session) the main-frame navigation in flight: its hops (each bounded:
 *                     utils/visit/stored-url.ts), initiator
 *        │ committed
 *        ▼
 *   tab:<tab>         (session) the tab's page: URL, merchant, page kind, landed from our click
 *   merchant:<id>     (session) per merchant: dismissed, activation (activating → activated | error)
 *   standdown:<id>    (session + local) another affiliate referred a visit: the session record
 *                     lasts the session, the local one at least 60 minutes (even across restarts)
 *   signin-activation (session) an "Activer" clicked while signed out, completed after sign-in
 */
import { z } from 'zod';
import { MAX_HOPS, MAX_WHOLE_URL_LENGTH } from '../visit/stored-url';

const PageKindSchema = z.enum(['checkout', 'other']);

export const NavigationSchema = z.object({
  /** Each hop bounded (utils/visit/stored-url.ts): a page decides its URLs. */
  chain: z.array(z.string().max(MAX_WHOLE_URL_LENGTH)).max(MAX_HOPS),
  /** The browser's id of the request: server redirects keep it, a new navigation changes it. */
  requestId: z.string(),
  /** Origin of the document that started the navigation (a competing portal's page, say). */
  initiator: z.string().optional(),
  startedAt: z.number(),
});
export type Navigation = z.infer<typeof NavigationSchema>;

export const TabStateSchema = z.object({
  /** The page's URL, whole up to the contract's limit (utils/visit/stored-url.ts). */
  url: z.string().max(MAX_WHOLE_URL_LENGTH),
  merchantId: z.string().nullable(),
  pageKind: PageKindSchema,
  /** This page is the landing of our own activation: the banner confirms it here only. */
  landedFromActivation: z.boolean(),
  /** The banner script has been injected into the current document. */
  bannerInjected: z.boolean().default(false),
  /**
   * The browser's id of the document that committed (Chrome 106+, Firefox 153+): the banner is
   * injected into it and its messages go to it, never to a later document of the tab.
   */
  documentId: z.string().max(200).optional(),
  at: z.number(),
});
export type TabState = z.infer<typeof TabStateSchema>;

const FailureSchema = z.discriminatedUnion('reason', [
  z.object({ reason: z.literal('signed-out') }),
  z.object({ reason: z.literal('portal-unreachable') }),
  z.object({ reason: z.literal('unknown-merchant') }),
  z.object({ reason: z.literal('blocked'), host: z.string() }),
  z.object({ reason: z.literal('not-a-merchant') }),
  z.object({ reason: z.literal('failed'), detail: z.string() }),
]);

export const ActivationRecordSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('activating'),
    tabId: z.number(),
    startedAt: z.number(),
    /**
     * The worker that started it. A worker stopped before the portal answered leaves a record of
     * another worker without a click: the next worker abandons it (the banner offers again).
     */
    worker: z.string().optional(),
    /** Set once the portal created the click and the tab was sent through it. */
    clickId: z.string().optional(),
    redirectUrl: z.string().optional(),
  }),
  z.object({ state: z.literal('activated'), at: z.number(), until: z.number() }),
  z.object({
    state: z.literal('error'),
    tabId: z.number(),
    at: z.number(),
    failure: FailureSchema,
  }),
]);
export type ActivationRecord = z.infer<typeof ActivationRecordSchema>;

export const MerchantSessionSchema = z.object({
  dismissed: z.boolean().default(false),
  activation: ActivationRecordSchema.nullable().default(null),
});
export type MerchantSession = z.infer<typeof MerchantSessionSchema>;

export const StandDownRecordSchema = z.object({
  since: z.number(),
  until: z.number(),
  signal: z.object({ kind: z.string(), value: z.string() }),
});
export type StandDownRecord = z.infer<typeof StandDownRecordSchema>;

export const SignInActivationSchema = z.object({
  tabId: z.number(),
  merchantId: z.string(),
  at: z.number(),
  /** Where the member clicked (absent in records written before the history existed). */
  source: z.enum(['banner', 'popup', 'search']).optional(),
  /** The sign-in page we opened for it, closed once the activation resumes. */
  signInTabId: z.number().optional(),
  /**
   * Clicked on a search result's mark (utils/search/): where the member lands, and the time of
   * the tab's page then (the activation resumes only on that same results page).
   */
  landingUrl: z.string().optional(),
  tabAt: z.number().optional(),
});
export type SignInActivation = z.infer<typeof SignInActivationSchema>;
