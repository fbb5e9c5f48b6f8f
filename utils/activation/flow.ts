/**
 * Activation, always started by the member's click (in the banner or the popup), never by us:
 *
 *   none ──click──▶ activating ──POST /clicks──▶ tab sent through the portal's redirect
 *     ▲                 │ failure                        │ landing seen on the merchant
 *     │                 ▼                                ▼
 *     └─── timeout ── error (in that tab)            activated (every tab, the session, ≤ 24 h)
 *
 * The background alone talks to the portal and navigates the tab; callers only name a tab.
 * Every step is stored before the next (the worker may stop anywhere): an activation stopped
 * before the portal answered is abandoned by the next worker, one stopped after waits for its
 * landing or times out, and a sign-in's waiting activation resumes at the next start.
 */
import { browser } from 'wxt/browser';
import { activationStatus } from './status';
import type { ActivationRecord } from '../background/state';
import {
  getMerchantSession,
  merchantSessions,
  signInActivations,
  tabStates,
} from '../background/stores';
import type { BackgroundDeps } from '../background/deps';
import { navigationFailure } from '../platform/browser-target';
import { isDeadlineAhead } from '../storage/deadline';
import { config } from '../config';
import type { ActivationFailure, ActivationStatus } from '../protocol/messages';
import type { StoredMerchant } from '../merchants/list';
import type { PortalError } from '../contract/client';
import { isSecurePortalUrl } from '../contract/origin';
import type { ActivationSource } from '../storage/db';

export type ActivationUpdate = (merchantId: string) => Promise<void>;

/** How long an "Activer" clicked while signed out waits for the sign-in. */
export const SIGN_IN_WAIT_MS = 30 * 60_000;

/** What the claim of a merchant's activation decided. */
type Claim =
  | { kind: 'answered'; status: ActivationStatus; changed: boolean }
  | { kind: 'claimed'; token: string; pageUrl: string; startedAt: number };

/** Starts an activation of the merchant open in `tabId`. */
export async function activateTab(
  deps: BackgroundDeps,
  tabId: number,
  onChange: ActivationUpdate,
  /**
   * Where the member clicked (kept in the activation history). From the banner, a signed-out
   * member gets the sign-in page (the popup has its own form).
   */
  options: { source: 'banner' | 'popup' } = { source: 'popup' },
): Promise<ActivationStatus> {
  const tab = await tabStates.get(tabId);
  const merchant = tab?.merchantId ? await deps.merchants.get(tab.merchantId) : null;
  if (!tab || !merchant) return { state: 'error', failure: { reason: 'not-a-merchant' } };
  // The exact page the member is on, so the network lands them back on it.
  const pageUrl = async () => (await browser.tabs.get(tabId).catch(() => null))?.url ?? tab.url;
  return activateMerchant(deps, { tabId, merchant, pageUrl, source: options.source }, onChange, {
    openSignIn: options.source === 'banner',
  });
}

/**
 * Starts an activation from a search result's mark (utils/search/): the merchant is the
 * result's, the tab is the results page's, and the network lands the member on the result's own
 * page. The URL is matched again here: the page's script only named a result.
 */
export async function activateSearchResult(
  deps: BackgroundDeps,
  tabId: number,
  resultUrl: string,
  onChange: ActivationUpdate,
): Promise<ActivationStatus> {
  const merchant = await deps.merchants.matchUrl(resultUrl);
  if (!merchant) return { state: 'error', failure: { reason: 'not-a-merchant' } };
  const tab = await tabStates.get(tabId);
  return activateMerchant(
    deps,
    {
      tabId,
      merchant,
      pageUrl: () => Promise.resolve(resultUrl),
      source: 'search',
      // A sign-in first: the activation resumes only if the tab still shows this very page.
      ...(tab ? { resume: { landingUrl: resultUrl, tabAt: tab.at } } : {}),
    },
    onChange,
    { openSignIn: true },
  );
}

interface ActivationTarget {
  tabId: number;
  merchant: StoredMerchant;
  /** Where the network lands the member: read once the activation is claimed. */
  pageUrl(): Promise<string>;
  source: ActivationSource;
  /** A search result's activation, to resume after a sign-in (see SignInActivation). */
  resume?: { landingUrl: string; tabAt: number };
}

async function activateMerchant(
  deps: BackgroundDeps,
  target: ActivationTarget,
  onChange: ActivationUpdate,
  options: { openSignIn: boolean },
): Promise<ActivationStatus> {
  const { tabId, merchant } = target;
  // Checked and claimed in one update of the merchant's record: two tabs (or a double click)
  // activating at once create one click, and the claim is stored before the portal is asked.
  let claim = { kind: 'answered', status: { state: 'none' }, changed: false } as Claim;
  await deps.updateMerchantSession(merchant.id, async (session) => {
    const now = deps.now();
    const record = session.activation;
    const current = activationStatus(record, now);
    if (current.state === 'activating' && !isAbandoned(record, deps.worker)) {
      claim = { kind: 'answered', status: current, changed: false };
      return session;
    }
    const token = await deps.token();
    if (!token) {
      await waitForSignIn(merchant.id, tabId, now, options, target.source, target.resume);
      const failure: ActivationFailure = { reason: 'signed-out' };
      claim = { kind: 'answered', status: { state: 'error', failure }, changed: true };
      return { ...session, activation: { state: 'error', tabId, at: now, failure } };
    }
    const pageUrl = await target.pageUrl();
    claim = { kind: 'claimed', token, pageUrl, startedAt: now };
    return {
      ...session,
      activation: { state: 'activating', tabId, startedAt: now, worker: deps.worker },
    };
  });
  if (claim.kind === 'answered') {
    if (claim.changed) await onChange(merchant.id);
    return claim.status;
  }
  await onChange(merchant.id);

  const { token, pageUrl, startedAt } = claim;
  const click = await deps.portal.createClick(token, { merchantId: merchant.id, url: pageUrl });
  if (!click.ok) {
    if (click.error.kind === 'unauthorized') await deps.signedOut(token);
    return fail(deps, merchant.id, tabId, failureOf(click.error), onChange);
  }
  if (!isPortalRedirect(click.value.redirectUrl)) {
    return fail(
      deps,
      merchant.id,
      tabId,
      { reason: 'failed', detail: 'redirect outside the portal' },
      onChange,
    );
  }
  await recordInHistory(deps, merchant, target.source, click.value.clickId, startedAt);
  // Stored before the tab moves: the landing is recognised by this record, even by a worker
  // started after this one stopped. Only while the claim is still ours: a sign-out meanwhile
  // withdrew it, and the click belongs to a session that no longer exists.
  let stillClaimed = false;
  await deps.updateMerchantSession(merchant.id, (session) => {
    const current = session.activation;
    stillClaimed =
      current?.state === 'activating' &&
      current.startedAt === startedAt &&
      current.worker === deps.worker &&
      current.redirectUrl === undefined;
    if (!stillClaimed) return session;
    return {
      ...session,
      activation: {
        state: 'activating',
        tabId,
        startedAt,
        worker: deps.worker,
        clickId: click.value.clickId,
        redirectUrl: click.value.redirectUrl,
      },
    };
  });
  if (!stillClaimed) {
    await onChange(merchant.id);
    return { state: 'none' };
  }
  try {
    await browser.tabs.update(tabId, { url: click.value.redirectUrl });
  } catch {
    return fail(deps, merchant.id, tabId, { reason: 'failed', detail: 'tab closed' }, onChange);
  }
  return { state: 'activating' };
}

/**
 * An activation whose worker stopped before the portal answered: nothing will complete it (no
 * tab was sent anywhere). One with a click may still land: the tab was (or was about to be)
 * sent through it, so it waits for the landing or expires (ACTIVATING_TIMEOUT_MS).
 */
function isAbandoned(record: ActivationRecord | null, worker: string): boolean {
  return (
    record?.state === 'activating' && record.worker !== worker && record.redirectUrl === undefined
  );
}

/** Signed out: the activation waits for the sign-in (opened for the member from the banner). */
async function waitForSignIn(
  merchantId: string,
  tabId: number,
  now: number,
  options: { openSignIn: boolean },
  source: ActivationSource,
  resume?: { landingUrl: string; tabAt: number },
): Promise<void> {
  let signInTabId: number | undefined;
  if (options.openSignIn) {
    const signInTab = await browser.tabs.create({
      url: browser.runtime.getURL(`/popup.html?tabId=${tabId}&signin=1`),
      openerTabId: tabId,
    });
    signInTabId = signInTab.id;
  }
  await signInActivations.set('pending', {
    tabId,
    merchantId,
    at: now,
    source,
    ...(signInTabId === undefined ? {} : { signInTabId }),
    ...resume,
  });
}

/**
 * At every start of the worker: what a stopped worker left half-done. Activations it started
 * and never sent anywhere are abandoned (their tabs offer to activate again), and an activation
 * that waited for a sign-in which completed meanwhile resumes.
 */
export async function recoverInterruptedActivations(
  deps: BackgroundDeps,
  onChange: ActivationUpdate,
): Promise<void> {
  for (const [merchantId, session] of await merchantSessions.all()) {
    if (!isAbandoned(session.activation, deps.worker)) continue;
    let abandoned = false;
    await deps.updateMerchantSession(merchantId, (current) => {
      // Read again in the merchant's turn: a click of this worker may have claimed it since.
      if (!isAbandoned(current.activation, deps.worker)) return current;
      abandoned = true;
      return { ...current, activation: null };
    });
    if (abandoned) await onChange(merchantId);
  }
  if (await deps.token()) await resumeActivationAfterSignIn(deps, onChange);
}

/**
 * A main-frame navigation failed. When it is the redirect of an activation in that tab, the
 * member gets the reason, on the page they were on; blocked by the client is another
 * extension (an ad blocker) blocking a hop: name the host to allow.
 */
export async function handleActivationNavigationError(
  deps: BackgroundDeps,
  error: { tabId: number; url: string; error: string },
  onChange: ActivationUpdate,
): Promise<void> {
  const failed = navigationFailure(error.error);
  if (failed === 'aborted') return;
  const tab = await tabStates.get(error.tabId);
  if (!tab?.merchantId) return;
  const activation = (await getMerchantSession(tab.merchantId)).activation;
  if (activation?.state !== 'activating' || activation.tabId !== error.tabId) return;
  const failure: ActivationFailure =
    failed === 'blocked-by-client'
      ? { reason: 'blocked', host: hostOf(error.url) }
      : { reason: 'portal-unreachable' };
  await fail(deps, tab.merchantId, error.tabId, failure, onChange);
  // Back to the page the member was on, where the banner explains.
  await browser.tabs.update(error.tabId, { url: tab.url }).catch(() => undefined);
}

/**
 * The session ended (sign-out, or a 401 anywhere): what the member who leaves activated, or asked
 * to activate after signing in, is theirs. A next member on the same browser must see the offer
 * and activate for themselves, never ride on the last one's click: every merchant's activation
 * and the waiting sign-in request are forgotten, and the banners on screen follow.
 */
export async function forgetActivations(
  deps: BackgroundDeps,
  onChange: ActivationUpdate,
): Promise<void> {
  await signInActivations.remove('pending');
  for (const [merchantId, session] of await merchantSessions.all()) {
    if (session.activation === null) continue;
    await deps.updateMerchantSession(merchantId, (current) => ({ ...current, activation: null }));
    await onChange(merchantId);
  }
}

/**
 * After sign-in: the activation the member asked for while signed out completes in its tab. The
 * request is forgotten only once the activation is claimed, so a worker stopped in between
 * resumes it at its next start (recoverInterruptedActivations).
 */
export async function resumeActivationAfterSignIn(
  deps: BackgroundDeps,
  onChange: ActivationUpdate,
): Promise<void> {
  const pending = await signInActivations.get('pending');
  if (!pending) return;
  const tab = await tabStates.get(pending.tabId);
  const activation = (await getMerchantSession(pending.merchantId)).activation;
  const fromSearch = pending.landingUrl !== undefined;
  const stillWanted =
    isDeadlineAhead(pending.at + SIGN_IN_WAIT_MS, deps.now(), SIGN_IN_WAIT_MS) &&
    // The tab still shows the merchant, or the very results page the mark was clicked on.
    (fromSearch ? tab?.at === pending.tabAt : tab?.merchantId === pending.merchantId) &&
    // Done already (by a worker that stopped before forgetting the request): never a second click.
    activationStatus(activation, deps.now()).state !== 'activated';
  if (stillWanted) {
    await deps.updateMerchantSession(pending.merchantId, (session) =>
      session.activation?.state === 'error' ? { ...session, activation: null } : session,
    );
    await browser.tabs.update(pending.tabId, { active: true }).catch(() => undefined);
    if (pending.signInTabId !== undefined) {
      await browser.tabs.remove(pending.signInTabId).catch(() => undefined);
    }
    const merchant = fromSearch ? await deps.merchants.get(pending.merchantId) : null;
    if (merchant && pending.landingUrl !== undefined) {
      const landingUrl = pending.landingUrl;
      await activateMerchant(
        deps,
        {
          tabId: pending.tabId,
          merchant,
          pageUrl: () => Promise.resolve(landingUrl),
          source: 'search',
        },
        onChange,
        { openSignIn: false },
      );
    } else if (!fromSearch) {
      await activateTab(deps, pending.tabId, onChange, {
        source: pending.source === 'banner' ? 'banner' : 'popup',
      });
    }
  }
  await signInActivations.remove('pending');
}

/** The contract: https (or http on a loopback host), and on the portal's own origin. */
export function isPortalRedirect(raw: string, portalUrl = config.portalUrl): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return isSecurePortalUrl(url) && url.origin === new URL(portalUrl).origin;
}

export function failureOf(error: PortalError): ActivationFailure {
  switch (error.kind) {
    case 'network':
    case 'timeout':
      return { reason: 'portal-unreachable' };
    case 'unauthorized':
      return { reason: 'signed-out' };
    case 'http':
      if (error.status === 404 && error.code === 'unknown_merchant') {
        return { reason: 'unknown-merchant' };
      }
      return error.status >= 500
        ? { reason: 'portal-unreachable' }
        : { reason: 'failed', detail: error.code };
    case 'invalid-response':
    case 'too-large':
      return { reason: 'failed', detail: 'invalid response' };
  }
}

/**
 * The click the portal recorded, in the member's activation history (utils/orders/journal.ts):
 * what a claim names later. A history that cannot be written never stops the activation.
 */
async function recordInHistory(
  deps: BackgroundDeps,
  merchant: StoredMerchant,
  source: ActivationSource,
  clickId: string,
  at: number,
): Promise<void> {
  if (!deps.followUp) return;
  try {
    const memberId = await deps.followUp.memberId();
    if (memberId === null) return;
    await deps.followUp.journal.recordActivation({
      memberId,
      merchantId: merchant.id,
      merchantName: merchant.name,
      at,
      source,
      clickId,
    });
  } catch (error) {
    console.warn('[ristourne] activation history not written:', error);
  }
}

async function fail(
  deps: BackgroundDeps,
  merchantId: string,
  tabId: number,
  failure: ActivationFailure,
  onChange: ActivationUpdate,
): Promise<ActivationStatus> {
  await setActivation(deps, merchantId, { state: 'error', tabId, at: deps.now(), failure });
  await onChange(merchantId);
  return { state: 'error', failure };
}

async function setActivation(
  deps: BackgroundDeps,
  merchantId: string,
  activation: ActivationRecord,
): Promise<void> {
  await deps.updateMerchantSession(merchantId, (session) => ({ ...session, activation }));
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
