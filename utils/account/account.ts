/**
 * The member's account, in the background only (extension pages ask through messages; content
 * scripts never see any of it):
 *
 *   signed out ──sign-in ok──▶ signed in (token, user, figures: none yet)
 *       ▲                         │ refresh ok → figures cached with fetchedAt
 *       │                         │ refresh offline / portal error → last figures + refreshError
 *       └── sign-out, or any 401 ─┘ (token, every personal figure and, through onSignedOut,
 *                                     every activation forgotten: the next member starts afresh)
 *
 * All state is in the AccountStore, none in memory: the worker may stop between two calls.
 */
import type { Cagnotte } from '../contract/schemas';
import { config } from '../config';
import type { AccountView, BackgroundProtocol, SignInResult } from '../protocol/messages';
import { createPortalClient, type PortalClient, type PortalError } from '../contract/client';
import { accountStore, type AccountStore, type StoredAccount } from './store';
import { isDeadlineAhead } from '../storage/deadline';

export interface AccountDeps {
  client: Pick<PortalClient, 'login' | 'logout' | 'cagnotte'>;
  store: AccountStore;
  now(): number;
  /** After a successful sign-in (e.g. resume the activation the member asked for). */
  onSignedIn?(): Promise<void>;
  /** After the session is forgotten, whatever the reason (sign-out, 401). */
  onSignedOut?(): Promise<void>;
}

/** What a refresh learnt: the figures before and after, for the notifications to compare. */
export interface FiguresChange {
  previous: { figures: Cagnotte; fetchedAt: number } | null;
  next: Cagnotte;
}

export interface RefreshOutcome {
  view: AccountView;
  /** Null when nothing new was fetched (signed out, offline, portal error). */
  change: FiguresChange | null;
}

type AccountRequestType =
  'account:get' | 'account:refresh' | 'account:sign-in' | 'account:sign-out';
export type AccountHandlers = {
  [T in AccountRequestType]: (
    request: BackgroundProtocol[T]['request'],
  ) => Promise<BackgroundProtocol[T]['response']>;
};

const SIGNED_OUT: AccountView = { signedIn: false };

function accountView(stored: StoredAccount | null): AccountView {
  if (!stored) return SIGNED_OUT;
  return {
    signedIn: true,
    user: stored.user,
    cagnotte: stored.cagnotte,
    refreshError: stored.refreshError,
  };
}

export function createAccount(deps: AccountDeps) {
  const { client, store } = deps;

  /**
   * Forgets the session; with a `token`, only if the session is still that one: a 401 that
   * answers a request of an earlier session must not sign out the member who came since.
   */
  async function forgetSession(token?: string): Promise<void> {
    if (token === undefined) await store.clear();
    else if (!(await store.clearSession(token))) return;
    await deps.onSignedOut?.();
  }

  async function getAccountView(): Promise<AccountView> {
    return accountView(await store.load());
  }

  async function signIn(credentials: { email: string; password: string }): Promise<SignInResult> {
    const result = await client.login({
      email: credentials.email.trim(),
      password: credentials.password,
    });
    if (!result.ok) return { ok: false, reason: signInFailure(result.error) };
    const stored: StoredAccount = {
      token: result.value.token,
      user: result.value.user,
      cagnotte: null,
      refreshError: null,
    };
    await store.save(stored);
    await deps.onSignedIn?.();
    return { ok: true, account: accountView(stored) };
  }

  async function signOut(): Promise<AccountView> {
    const stored = await store.load();
    // Forget locally first: the member's intent holds even if the portal never answers.
    await forgetSession();
    if (stored) await client.logout(stored.token).catch(() => undefined);
    return SIGNED_OUT;
  }

  async function refreshCagnotte(): Promise<RefreshOutcome> {
    const before = await store.load();
    if (!before) return { view: SIGNED_OUT, change: null };
    // Each opening of the popup refreshes: a portal that asked to wait gets its quiet.
    if (
      before.retryAt !== undefined &&
      isDeadlineAhead(before.retryAt, deps.now(), MAX_REFRESH_WAIT_MS)
    ) {
      return { view: accountView(before), change: null };
    }
    const result = await client.cagnotte(before.token);
    if (!result.ok && result.error.kind === 'unauthorized') {
      await forgetSession(before.token);
      return { view: accountView(await store.load()), change: null };
    }
    // Compared and written in one transaction: the member may have signed out (or in as someone
    // else) while the request ran, and what it brought back belongs to a session that no longer
    // exists. A check followed by a separate write would let a sign-out in between be undone.
    let previous: StoredAccount['cagnotte'] = null;
    const { updated, account } = await store.updateSession(before.token, (current) => {
      previous = current.cagnotte;
      return result.ok
        ? {
            ...current,
            cagnotte: { figures: result.value, fetchedAt: deps.now() },
            refreshError: null,
            retryAt: undefined,
          }
        : {
            ...current,
            refreshError: refreshFailure(result.error),
            retryAt: retryAtOf(result.error, deps.now()),
          };
    });
    return {
      view: accountView(account),
      change: updated && result.ok ? { previous, next: result.value } : null,
    };
  }

  const handlers: AccountHandlers = {
    'account:get': () => getAccountView(),
    'account:refresh': async () => (await refreshCagnotte()).view,
    'account:sign-in': (request) => signIn(request),
    'account:sign-out': () => signOut(),
  };

  return {
    getToken: () => getToken(store),
    /** The member's tier id (their own rates), or null: signed out, or no tier said. */
    getTier: async () => (await store.load())?.user.tier?.id ?? null,
    /** Whose session it is: the activation history and orders are kept per member. */
    getMemberId: async () => (await store.load())?.user.id ?? null,
    getAccountView,
    signIn,
    signOut,
    refreshCagnotte,
    forgetSession,
    handlers,
  };
}

export type Account = ReturnType<typeof createAccount>;

/**
 * The account bound to the real portal and storage, for the background worker; it may pass
 * its own portal client and the hooks.
 */
export function createBackgroundAccount(overrides: Partial<AccountDeps> = {}): Account {
  return createAccount({
    client: overrides.client ?? createPortalClient({ baseUrl: config.portalUrl }),
    store: accountStore,
    now: () => Date.now(),
    ...overrides,
  });
}

/** The member's token, or null when signed out: for the background's other calls (activation). */
export async function getToken(store: AccountStore = accountStore): Promise<string | null> {
  return (await store.load())?.token ?? null;
}

function isPortalDown(error: PortalError): boolean {
  return (
    error.kind === 'network' ||
    error.kind === 'timeout' ||
    (error.kind === 'http' && (error.status >= 500 || error.status === 429))
  );
}

function signInFailure(error: PortalError): Extract<SignInResult, { ok: false }>['reason'] {
  if (error.kind === 'unauthorized') return 'invalid-credentials';
  return isPortalDown(error) ? 'portal-unreachable' : 'failed';
}

/** A portal's Retry-After keeps the figures unrefreshed an hour at most. */
const MAX_REFRESH_WAIT_MS = 60 * 60_000;

function retryAtOf(error: PortalError, now: number): number | undefined {
  if (error.kind !== 'http' || error.retryAfterMs === undefined) return undefined;
  return now + Math.min(error.retryAfterMs, MAX_REFRESH_WAIT_MS);
}

function refreshFailure(error: PortalError): 'portal-unreachable' | 'failed' {
  return isPortalDown(error) ? 'portal-unreachable' : 'failed';
}
