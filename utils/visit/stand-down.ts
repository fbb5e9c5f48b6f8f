/**
 * Stand-down (docs/affiliate-signals.md): when another publisher referred the visit, the
 * extension shows nothing on that merchant and never overwrites the affiliation.
 */
import { matchHostSuffix, matchSignalHost, type CompiledSignals } from './affiliate-signals';
import { isDeadlineAhead } from '../storage/deadline';

export interface Visit {
  /** Main-frame navigation in order: first requested URL, every redirect hop, final landing URL. */
  chain: readonly string[];
  /** The landing document's referrer: a full URL, an origin only, or ''. */
  referrer?: string;
  /** The background recognised this navigation as the landing of a click we made. */
  ownActivation: boolean;
}

export interface StandDownSignal {
  kind: 'param' | 'network-host' | 'referrer';
  /** The lower-case parameter name, or the matched list host. */
  value: string;
}

export type StandDownVerdict = { standDown: false } | { standDown: true; signal: StandDownSignal };

const NO_STAND_DOWN: StandDownVerdict = { standDown: false };

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/**
 * Only the query counts: networks append their parameters there, the server never sees a
 * fragment, and a fragment echoing a name (an anchor, SPA state) is not a referral.
 */
function findParamSignal(url: URL, signals: CompiledSignals): string | undefined {
  for (const [rawName, value] of url.searchParams) {
    const name = rawName.toLowerCase();
    const rule = signals.params.get(name);
    if (rule === undefined) continue;
    if (rule.value !== undefined && value.trim() !== rule.value) continue;
    if (rule.onHosts !== undefined && matchHostSuffix(url.hostname, rule.onHosts) === undefined)
      continue;
    return name;
  }
  return undefined;
}

/**
 * Whether another affiliate referred this visit. Our own activation passes a network hop and lands
 * with network parameters too, hence `ownActivation` first. The landing is checked first so that
 * the reported signal is the most direct one; malformed URLs are skipped.
 */
export function detectAffiliateReferral(visit: Visit, signals: CompiledSignals): StandDownVerdict {
  if (visit.ownActivation) return NO_STAND_DOWN;
  for (let i = visit.chain.length - 1; i >= 0; i--) {
    const url = parseUrl(visit.chain[i] ?? '');
    if (url === undefined) continue;
    const param = findParamSignal(url, signals);
    if (param !== undefined) return { standDown: true, signal: { kind: 'param', value: param } };
    const host = matchSignalHost(url.hostname, signals);
    if (host !== undefined) {
      return { standDown: true, signal: { kind: 'network-host', value: host } };
    }
  }
  const referrer = visit.referrer ? parseUrl(visit.referrer) : undefined;
  const referrerHost = referrer && matchSignalHost(referrer.hostname, signals);
  if (referrerHost !== undefined) {
    return { standDown: true, signal: { kind: 'referrer', value: referrerHost } };
  }
  return NO_STAND_DOWN;
}

export const STAND_DOWN_MS = 60 * 60_000;

/**
 * The rule is "the browser session or 60 minutes, whichever is longer". The adapter stores the
 * record in storage.session (gone with the session, and kept as long as it lasts) and in
 * storage.local with this expiry (kept for at least 60 min, even across a browser restart).
 */
export const standDownUntil = (now: number): number => now + STAND_DOWN_MS;

/**
 * For the storage.local copy; the storage.session copy is active for as long as it exists. A
 * record further ahead than 60 minutes was written by a clock that ran ahead: expired.
 */
export const isStandDownActive = (record: { until: number } | null, now: number): boolean =>
  record !== null && isDeadlineAhead(record.until, now, STAND_DOWN_MS);

export interface PendingActivation {
  tabId: number;
  merchantId: string;
  /** The portal's redirect URL we navigated the tab to. */
  redirectUrl: string;
  createdAt: number;
}

export interface LandingNavigation {
  tabId: number;
  chain: readonly string[];
  landingMerchantId: string | null;
  now: number;
  /**
   * Set when an earlier document of this tab came through our redirect URL and handed the tab
   * over to this one (a network's hop page with a meta refresh or a script redirect): the browser
   * starts a new chain at that page, so our redirect URL is no longer in `chain`.
   */
  handedOver?: OwnRedirectPassage;
}

/** The tab passed our click's redirect URL at `at`, on a page that was not yet the landing. */
export interface OwnRedirectPassage {
  redirectUrl: string;
  at: number;
}

/** How long a network's hop page may take to hand the tab over to the merchant. */
export const HAND_OVER_MAX_MS = 60_000;

/** The browser may re-serialise a URL it reports (host case, a trailing `/` on an origin). */
const canonicalUrl = (raw: string): string => parseUrl(raw)?.href ?? raw;

export const isSameUrl = (a: string, b: string): boolean => canonicalUrl(a) === canonicalUrl(b);

/**
 * Whether this navigation is the landing of our own click: recognised by the click (same tab,
 * our exact redirect URL in the chain or in the hop page that handed over, same merchant,
 * recent), never by the URL's parameters, which anyone can forge.
 */
export function recogniseOwnLanding(
  pending: PendingActivation | undefined,
  navigation: LandingNavigation,
  maxAgeMs = 5 * 60_000,
): boolean {
  if (pending === undefined) return false;
  if (navigation.tabId !== pending.tabId) return false;
  if (navigation.landingMerchantId !== pending.merchantId) return false;
  const age = navigation.now - pending.createdAt;
  if (age < 0 || age > maxAgeMs) return false;
  if (navigation.chain.some((url) => isSameUrl(url, pending.redirectUrl))) return true;
  const handedOver = navigation.handedOver;
  if (handedOver === undefined || !isSameUrl(handedOver.redirectUrl, pending.redirectUrl)) {
    return false;
  }
  const sincePassage = navigation.now - handedOver.at;
  return sincePassage >= 0 && sincePassage <= HAND_OVER_MAX_MS;
}
