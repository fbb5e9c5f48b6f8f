/**
 * Activation, always started by the member's click (in the banner or the popup), never by us:
 *
 *   none ──click──▶ activating ──POST /clicks──▶ tab sent through the portal's redirect
 *     ▲                 │ failure                        │ landing seen on the merchant
 *     │                 ▼                                ▼
 *     └─── timeout ── error (in that tab)            activated (every tab, the session, ≤ 24 h)
 *
 * The background alone talks to the portal and navigates the tab; callers only name a tab.
 */
import { browser } from 'wxt/browser';
import { activationStatus } from './activation-status';
import type { ActivationRecord } from './background-state';
import {
  getMerchantSession,
  signInActivations,
  tabStates,
  updateMerchantSession,
} from './background-stores';
import type { BackgroundDeps } from './background-deps';
import { isLoopbackHost } from './build-config';
import { config } from './config';
import type { ActivationFailure, ActivationStatus } from './messages';
import type { PortalError } from './portal-client';

export type ActivationUpdate = (merchantId: string) => Promise<void>;

/** Starts an activation of the merchant open in `tabId`. */
export async function activateTab(
  deps: BackgroundDeps,
  tabId: number,
  onChange: ActivationUpdate,
  /** From the banner: a signed-out member gets the sign-in page (the popup has its own form). */
  options: { openSignIn: boolean } = { openSignIn: false },
): Promise<ActivationStatus> {
  const now = deps.now();
  const tab = await tabStates.get(tabId);
  const merchant = tab?.merchantId ? await deps.merchants.get(tab.merchantId) : null;
  if (!tab || !merchant) return { state: 'error', failure: { reason: 'not-a-merchant' } };

  const current = activationStatus((await getMerchantSession(merchant.id)).activation, now);
  // Two tabs (or a double click) activating at once create one click.
  if (current.state === 'activating') return current;

  const token = await deps.token();
  if (!token) {
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
      merchantId: merchant.id,
      at: now,
      ...(signInTabId === undefined ? {} : { signInTabId }),
    });
    return fail(deps, merchant.id, tabId, { reason: 'signed-out' }, onChange);
  }

  // The exact page the member is on, so the network lands them back on it.
  const pageUrl = (await browser.tabs.get(tabId).catch(() => null))?.url ?? tab.url;
  await setActivation(merchant.id, { state: 'activating', tabId, startedAt: now });
  await onChange(merchant.id);

  const click = await deps.portal.createClick(token, { merchantId: merchant.id, url: pageUrl });
  if (!click.ok) {
    if (click.error.kind === 'unauthorized') await deps.signedOut();
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
  await setActivation(merchant.id, {
    state: 'activating',
    tabId,
    startedAt: now,
    clickId: click.value.clickId,
    redirectUrl: click.value.redirectUrl,
  });
  try {
    await browser.tabs.update(tabId, { url: click.value.redirectUrl });
  } catch {
    return fail(deps, merchant.id, tabId, { reason: 'failed', detail: 'tab closed' }, onChange);
  }
  return { state: 'activating' };
}

/**
 * A main-frame navigation failed. When it is the redirect of an activation in that tab, the
 * member gets the reason, on the page they were on; `ERR_BLOCKED_BY_CLIENT` is another
 * extension (an ad blocker) blocking a hop: name the host to allow.
 */
export async function handleActivationNavigationError(
  deps: BackgroundDeps,
  error: { tabId: number; url: string; error: string },
  onChange: ActivationUpdate,
): Promise<void> {
  if (error.error === 'net::ERR_ABORTED') return;
  const tab = await tabStates.get(error.tabId);
  if (!tab?.merchantId) return;
  const activation = (await getMerchantSession(tab.merchantId)).activation;
  if (activation?.state !== 'activating' || activation.tabId !== error.tabId) return;
  const failure: ActivationFailure =
    error.error === 'net::ERR_BLOCKED_BY_CLIENT'
      ? { reason: 'blocked', host: hostOf(error.url) }
      : { reason: 'portal-unreachable' };
  await fail(deps, tab.merchantId, error.tabId, failure, onChange);
  // Back to the page the member was on, where the banner explains.
  await browser.tabs.update(error.tabId, { url: tab.url }).catch(() => undefined);
}

/** After sign-in: the activation the member asked for while signed out completes in its tab. */
export async function resumeActivationAfterSignIn(
  deps: BackgroundDeps,
  onChange: ActivationUpdate,
): Promise<void> {
  const pending = await signInActivations.get('pending');
  if (!pending) return;
  await signInActivations.remove('pending');
  if (deps.now() - pending.at > 30 * 60_000) return;
  const tab = await tabStates.get(pending.tabId);
  if (tab?.merchantId !== pending.merchantId) return;
  await updateMerchantSession(pending.merchantId, (session) => ({ ...session, activation: null }));
  await browser.tabs.update(pending.tabId, { active: true }).catch(() => undefined);
  if (pending.signInTabId !== undefined) {
    await browser.tabs.remove(pending.signInTabId).catch(() => undefined);
  }
  await activateTab(deps, pending.tabId, onChange);
}

/** The contract: https (or http on a loopback host), and on the portal's own origin. */
export function isPortalRedirect(raw: string, portalUrl = config.portalUrl): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  const secure =
    url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  return secure && url.origin === new URL(portalUrl).origin;
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
      return { reason: 'failed', detail: 'invalid response' };
  }
}

async function fail(
  deps: BackgroundDeps,
  merchantId: string,
  tabId: number,
  failure: ActivationFailure,
  onChange: ActivationUpdate,
): Promise<ActivationStatus> {
  await setActivation(merchantId, { state: 'error', tabId, at: deps.now(), failure });
  await onChange(merchantId);
  return { state: 'error', failure };
}

async function setActivation(merchantId: string, activation: ActivationRecord): Promise<void> {
  await updateMerchantSession(merchantId, (session) => ({ ...session, activation }));
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
