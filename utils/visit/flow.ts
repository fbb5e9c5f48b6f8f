/**
 * The visit flow: main-frame navigation → match → stand-down or our own landing → tab state
 * → badge → banner. Each step is stored before the next, so the worker may stop anywhere.
 * Nothing here leaves the machine: matching is local, and no page view is reported.
 */
import { z } from 'zod';
import { ACTIVATED_MAX_MS } from '../activation/status';
import type { Navigation, TabState } from '../background/state';
import {
  getMerchantSession,
  lastingStandDowns,
  merchantSessions,
  navigations,
  sessionStandDowns,
  tabStates,
} from '../background/stores';
import type { BackgroundDeps } from '../background/deps';
import type { CompiledSignals } from './affiliate-signals';
import { readBannerFacts, type BannerFacts } from '../banner/view';
import type { StoredMerchant } from '../merchants/list';
import { classifyPage } from './checkout-page';
import { readTogether, recordFamily } from '../storage/records';
import { MAX_HOPS, storedHop, storedUrl } from './stored-url';
import { config } from '../config';
import {
  detectAffiliateReferral,
  isSameUrl,
  recogniseOwnLanding,
  standDownUntil,
  type OwnRedirectPassage,
} from './stand-down';

/**
 * own-redirect:<tab> (session): the tab came through our click's redirect URL onto a page that is
 * not the merchant yet (a network's hop page). It lasts while that page hands the tab over by
 * meta refresh or script, so the landing after it is still recognised as ours.
 */
export const ownRedirectPassages = recordFamily(
  'session',
  'own-redirect',
  z.object({ merchantId: z.string(), redirectUrl: z.string(), at: z.number() }),
);

/**
 * A main-frame request starts, or continues after a server redirect (same request id).
 * `written` holds what this worker last wrote per tab: a next hop continues it without reading
 * storage back (every page one opens comes through here). It is only ever a shortcut: a worker
 * that has not written for the tab (it just started) reads the stored record, and an entry left
 * after its request committed names a request that never continues.
 */
export async function recordNavigationRequest(
  tabId: number,
  details: { url: string; requestId: string; initiator?: string },
  now: number,
  written: Map<number, Navigation> = new Map(),
): Promise<void> {
  const current = written.get(tabId) ?? (await navigations.get(tabId));
  const continues = current?.requestId === details.requestId;
  // Bounded whatever the page does: storage.session is shared by every tab (stored-url.ts).
  const hop = storedHop(details.url);
  const chain = continues ? [...current.chain, hop].slice(-MAX_HOPS) : [hop];
  const next: Navigation = {
    chain,
    requestId: details.requestId,
    startedAt: continues ? current.startedAt : now,
    ...((continues ? current.initiator : details.initiator) === undefined
      ? {}
      : { initiator: continues ? current.initiator : details.initiator }),
  };
  written.set(tabId, next);
  await navigations.set(tabId, next);
}

/** What a committed navigation meant for its merchant, if any. */
export type Landing = 'own-activation' | 'stand-down' | 'plain';

export interface CommittedNavigation {
  tabId: number;
  url: string;
  /** The page was replaced by a script or meta refresh of the previous page (a network's hop). */
  clientRedirect: boolean;
  /** The browser's id of the new document, where it names documents (browser-target.ts). */
  documentId?: string | undefined;
}

/** The main frame committed a new document: decide everything about this tab's page. */
export async function handleCommittedNavigation(
  deps: BackgroundDeps,
  committed: CommittedNavigation,
): Promise<{
  state: TabState;
  landing: Landing;
  merchant: StoredMerchant | null;
  /** The merchant of the tab's page before this one, if it was one: its badge is still up. */
  previousMerchantId: string | null;
  /** What the banner decision needs, as it stands after this visit (merchant pages only). */
  facts?: BannerFacts;
}> {
  const now = deps.now();
  const { tabId, url } = committed;
  // Every read at once, and the ones about the merchant as soon as it is known: the banner
  // has to be ready when the page's document is, a few milliseconds after its commit.
  // The tab's three records in one round trip to the browser: this runs for every page.
  const [[navigation, previous, passage], merchant] = await Promise.all([
    readTogether([navigations, tabId], [tabStates, tabId], [ownRedirectPassages, tabId]),
    deps.merchants.matchUrl(url),
  ]);
  const [, merchantFacts] = await Promise.all([
    navigation && navigations.remove(tabId),
    merchant &&
      Promise.all([
        readBannerFacts(deps, merchant.id, now),
        deps.merchants.standDownSignals(),
      ] as const),
  ]);
  const chain = navigationChain(
    navigation,
    url,
    committed.clientRedirect ? previous?.url : undefined,
  );
  const handedOver =
    passage && isHandOver(committed, navigation, previous?.url) ? passage : undefined;
  let landing: Landing = 'plain';
  let facts: BannerFacts | undefined;
  if (merchant && merchantFacts) {
    const [read, signals] = merchantFacts;
    ({ landing, facts } = await settleLanding(deps, merchant, read, signals, {
      tabId,
      chain,
      now,
      ...(navigation?.initiator === undefined ? {} : { referrer: navigation.initiator }),
      ...(handedOver?.merchantId === merchant.id ? { handedOver } : {}),
    }));
  }
  const fromMerchantId =
    merchant || previous?.merchantId
      ? previous?.merchantId
      : await merchantActivatingFromElsewhere(tabId, chain);
  const nextPassage = merchant
    ? undefined
    : ((await passageThroughOwnRedirect(tabId, fromMerchantId, chain, now)) ?? handedOver);
  if (nextPassage) await ownRedirectPassages.set(tabId, nextPassage);
  else if (passage) await ownRedirectPassages.remove(tabId);
  const state: TabState = {
    url: storedUrl(url),
    merchantId: merchant?.id ?? null,
    pageKind: merchant ? classifyPage(url, merchant.checkoutPaths) : 'other',
    landedFromActivation: landing === 'own-activation',
    bannerInjected: false,
    at: now,
    ...(committed.documentId === undefined ? {} : { documentId: committed.documentId }),
  };
  await tabStates.set(tabId, state);
  return {
    state,
    landing,
    merchant,
    previousMerchantId: previous?.merchantId ?? null,
    ...(facts ? { facts } : {}),
  };
}

/** History API or fragment navigation: same document, maybe another page kind (a SPA's cart). */
export async function handleSameDocumentNavigation(
  deps: BackgroundDeps,
  tabId: number,
  url: string,
): Promise<{ state: TabState; previousMerchantId: string | null }> {
  const previous = await tabStates.get(tabId);
  const merchant = await deps.merchants.matchUrl(url);
  const state: TabState = {
    url: storedUrl(url),
    merchantId: merchant?.id ?? null,
    pageKind: merchant ? classifyPage(url, merchant.checkoutPaths) : 'other',
    landedFromActivation: false,
    bannerInjected: previous?.bannerInjected ?? false,
    at: previous?.at ?? deps.now(),
    // The same document: its id does not change.
    ...(previous?.documentId === undefined ? {} : { documentId: previous.documentId }),
  };
  await tabStates.set(tabId, state);
  return { state, previousMerchantId: previous?.merchantId ?? null };
}

/**
 * The URLs this document came through: the request's hops, preceded by the page that
 * redirected by script, and ending with the committed URL (a page restored from the
 * back/forward cache has no request at all).
 */
export function navigationChain(
  navigation: Navigation | null,
  committedUrl: string,
  clientRedirectFrom: string | undefined,
): string[] {
  const hops = navigation ? [...navigation.chain] : [];
  if (hops.at(-1) !== committedUrl) hops.push(committedUrl);
  return clientRedirectFrom ? [clientRedirectFrom, ...hops] : hops;
}

/**
 * This document was opened by the previous one of the tab itself (a meta refresh, a script, a
 * link on it), not by the member typing or coming from elsewhere.
 */
function isHandOver(
  committed: CommittedNavigation,
  navigation: Navigation | null,
  previousUrl: string | undefined,
): boolean {
  if (committed.clientRedirect) return true;
  if (navigation?.initiator === undefined || previousUrl === undefined) return false;
  try {
    return new URL(previousUrl).origin === navigation.initiator;
  } catch {
    return false;
  }
}

/**
 * A tab that was on no merchant's page (a search results page, where the member clicked a
 * result's mark) and went through the portal (our redirect URLs are on its origin): the merchant
 * whose activation sent it, if one did. Looked up only then: other navigations read nothing more.
 */
async function merchantActivatingFromElsewhere(
  tabId: number,
  chain: readonly string[],
): Promise<string | undefined> {
  const portal = `${new URL(config.portalUrl).origin}/`;
  if (!chain.some((url) => url.startsWith(portal))) return undefined;
  for (const [merchantId, session] of await merchantSessions.all()) {
    const activation = session.activation;
    if (activation?.state === 'activating' && activation.tabId === tabId) return merchantId;
  }
  return undefined;
}

/**
 * The tab left the merchant page where the member clicked "Activer" through our click's
 * redirect URL, and stopped on a page that is not the merchant's (a network's hop page).
 */
async function passageThroughOwnRedirect(
  tabId: number,
  fromMerchantId: string | null | undefined,
  chain: readonly string[],
  now: number,
): Promise<(OwnRedirectPassage & { merchantId: string }) | undefined> {
  if (!fromMerchantId) return undefined;
  const activation = (await getMerchantSession(fromMerchantId)).activation;
  if (activation?.state !== 'activating' || activation.tabId !== tabId) return undefined;
  const { redirectUrl } = activation;
  if (redirectUrl === undefined || !chain.some((hop) => isSameUrl(hop, redirectUrl))) {
    return undefined;
  }
  return { merchantId: fromMerchantId, redirectUrl, at: now };
}

/**
 * On a merchant's page: our own activation landing (→ activated), or another affiliate's
 * referral (→ stand-down for the merchant, in every tab), or neither.
 */
async function settleLanding(
  deps: BackgroundDeps,
  merchant: StoredMerchant,
  read: BannerFacts,
  signals: CompiledSignals,
  visit: {
    tabId: number;
    chain: string[];
    referrer?: string;
    now: number;
    handedOver?: OwnRedirectPassage;
  },
): Promise<{ landing: Landing; facts: BannerFacts }> {
  const activation = read.session.activation;
  const own =
    activation?.state === 'activating' &&
    activation.redirectUrl !== undefined &&
    recogniseOwnLanding(
      {
        tabId: activation.tabId,
        merchantId: merchant.id,
        redirectUrl: activation.redirectUrl,
        createdAt: activation.startedAt,
      },
      {
        tabId: visit.tabId,
        chain: visit.chain,
        landingMerchantId: merchant.id,
        now: visit.now,
        ...(visit.handedOver ? { handedOver: visit.handedOver } : {}),
      },
    );
  if (own) {
    const session = await deps.updateMerchantSession(merchant.id, (current) => ({
      ...current,
      activation: { state: 'activated', at: visit.now, until: visit.now + ACTIVATED_MAX_MS },
    }));
    return { landing: 'own-activation', facts: { ...read, session } };
  }

  const verdict = detectAffiliateReferral(
    {
      chain: visit.chain,
      ownActivation: false,
      ...(visit.referrer ? { referrer: visit.referrer } : {}),
    },
    signals,
  );
  if (verdict.standDown) {
    const record = { since: visit.now, until: standDownUntil(visit.now), signal: verdict.signal };
    const [, , session] = await Promise.all([
      sessionStandDowns.set(merchant.id, record),
      lastingStandDowns.set(merchant.id, record),
      // The other affiliate's cookie replaced ours: we no longer claim the purchase.
      deps.updateMerchantSession(merchant.id, (current) => ({ ...current, activation: null })),
    ]);
    return { landing: 'stand-down', facts: { ...read, session, standDown: true } };
  }
  return { landing: 'plain', facts: read };
}
