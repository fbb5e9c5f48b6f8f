import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createAccount, getToken } from '../../../utils/account/account';
import {
  createDatabaseAccountStore,
  type AccountStore,
  type StoredAccount,
} from '../../../utils/account/store';
import type { Cagnotte, LoginResponse } from '../../../utils/contract/schemas';
import { openRistourneDb, type RistourneDb } from '../../../utils/storage/db';
import type { PortalError, PortalResult } from '../../../utils/contract/client';

const USER = { id: 'u_1', email: 'demo@ristourne.test', displayName: 'Camille' };
const FIGURES: Cagnotte = {
  currency: 'EUR',
  pending: 1250,
  confirmed: 4200,
  paid: 10000,
  payoutThreshold: 1000,
  transactions: [
    {
      id: 't_1',
      merchantId: 'fnac',
      merchantName: 'Fnac',
      orderedAt: '2026-11-20T14:03:00Z',
      orderAmount: 12999,
      cashback: 585,
      status: 'pending',
    },
  ],
};
const NEWER: Cagnotte = { ...FIGURES, pending: 0, confirmed: 5450 };

const ok = <T>(value: T): PortalResult<T> => ({ ok: true, value });
const fail = (error: PortalError): PortalResult<never> => ({ ok: false, error });
const OFFLINE = fail({ kind: 'network', message: 'Failed to fetch' });
const UNAUTHORIZED = fail({ kind: 'unauthorized', code: 'invalid_token' });

function memoryStore(initial: StoredAccount | null = null) {
  let stored = initial;
  const store: AccountStore = {
    load: vi.fn(async () => stored),
    save: vi.fn(async (account: StoredAccount) => {
      stored = account;
    }),
    clear: vi.fn(async () => {
      stored = null;
    }),
    updateSession: vi.fn(
      async (token: string, change: (current: StoredAccount) => StoredAccount) => {
        if (stored?.token !== token) return { updated: false, account: stored };
        stored = change(stored);
        return { updated: true, account: stored };
      },
    ),
    clearSession: vi.fn(async (token: string) => {
      if (stored?.token !== token) return false;
      stored = null;
      return true;
    }),
  };
  return { store, current: () => stored };
}

function setUp(initial: StoredAccount | null = null) {
  const { store, current } = memoryStore(initial);
  let now = Date.parse('2026-11-23T10:00:00Z');
  const client = {
    login: vi.fn(async (): Promise<PortalResult<LoginResponse>> =>
      ok({ token: 'tok_1', user: USER }),
    ),
    logout: vi.fn(async (): Promise<PortalResult<void>> => ok(undefined)),
    cagnotte: vi.fn(async (): Promise<PortalResult<Cagnotte>> => ok(FIGURES)),
  };
  const onSignedIn = vi.fn(async () => undefined);
  const onSignedOut = vi.fn(async () => undefined);
  const account = createAccount({ client, store, now: () => now, onSignedIn, onSignedOut });
  return {
    account,
    client,
    store,
    current,
    onSignedIn,
    onSignedOut,
    advance: (ms: number) => (now += ms),
  };
}

const SIGNED_IN: StoredAccount = {
  token: 'tok_1',
  user: USER,
  cagnotte: { figures: FIGURES, fetchedAt: Date.parse('2026-11-23T09:00:00Z') },
  refreshError: null,
};

describe('sign-in', () => {
  it('stores the token and the user, and answers the signed-in view', async () => {
    const { account, client, current, onSignedIn } = setUp();
    const result = await account.handlers['account:sign-in']({
      email: ' demo@ristourne.test ',
      password: 'cagnotte-demo',
    });
    expect(client.login).toHaveBeenCalledWith({
      email: 'demo@ristourne.test',
      password: 'cagnotte-demo',
    });
    expect(result).toEqual({
      ok: true,
      account: { signedIn: true, user: USER, cagnotte: null, refreshError: null },
    });
    expect(current()).toEqual({ token: 'tok_1', user: USER, cagnotte: null, refreshError: null });
    expect(await account.getToken()).toBe('tok_1');
    expect(onSignedIn).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['wrong credentials', UNAUTHORIZED, 'invalid-credentials'],
    ['offline', OFFLINE, 'portal-unreachable'],
    ['a timeout', fail({ kind: 'timeout' }), 'portal-unreachable'],
    ['a portal down', fail({ kind: 'http', status: 503, code: 'http_503' }), 'portal-unreachable'],
    ['a bad request', fail({ kind: 'http', status: 400, code: 'bad' }), 'failed'],
    ['a garbled answer', fail({ kind: 'invalid-response', message: 'x' }), 'failed'],
  ] as const)('on %s, says %s and stores nothing', async (_, answer, reason) => {
    const { account, client, store, onSignedIn } = setUp();
    client.login.mockResolvedValueOnce(answer);
    const result = await account.signIn({ email: 'demo@ristourne.test', password: 'nope' });
    expect(result).toEqual({ ok: false, reason });
    expect(store.save).not.toHaveBeenCalled();
    expect(await account.getAccountView()).toEqual({ signedIn: false });
    expect(onSignedIn).not.toHaveBeenCalled();
  });
});

describe('the cagnotte', () => {
  it('answers the cached figures without asking the portal', async () => {
    const { account, client } = setUp(SIGNED_IN);
    expect(await account.handlers['account:get']({})).toEqual({
      signedIn: true,
      user: USER,
      cagnotte: SIGNED_IN.cagnotte,
      refreshError: null,
    });
    expect(client.cagnotte).not.toHaveBeenCalled();
  });

  it('caches fresh figures with the time they were fetched', async () => {
    const { account, client, current } = setUp(SIGNED_IN);
    client.cagnotte.mockResolvedValueOnce(ok(NEWER));
    const outcome = await account.refreshCagnotte();
    expect(client.cagnotte).toHaveBeenCalledWith('tok_1');
    const fetchedAt = Date.parse('2026-11-23T10:00:00Z');
    expect(current()?.cagnotte).toEqual({ figures: NEWER, fetchedAt });
    expect(outcome.view).toMatchObject({ cagnotte: { figures: NEWER, fetchedAt } });
    expect(outcome.change).toEqual({ previous: SIGNED_IN.cagnotte, next: NEWER });
  });

  it('keeps the last figures and says why when offline', async () => {
    const { account, client, current } = setUp(SIGNED_IN);
    client.cagnotte.mockResolvedValueOnce(OFFLINE);
    const view = await account.handlers['account:refresh']({});
    expect(view).toEqual({
      signedIn: true,
      user: USER,
      cagnotte: SIGNED_IN.cagnotte,
      refreshError: 'portal-unreachable',
    });
    expect(current()?.refreshError).toBe('portal-unreachable');
  });

  it('keeps the last figures on a garbled answer, and clears the error once it works', async () => {
    const { account, client } = setUp(SIGNED_IN);
    client.cagnotte.mockResolvedValueOnce(fail({ kind: 'invalid-response', message: 'x' }));
    expect(await account.handlers['account:refresh']({})).toMatchObject({
      cagnotte: SIGNED_IN.cagnotte,
      refreshError: 'failed',
    });
    expect(await account.handlers['account:refresh']({})).toMatchObject({ refreshError: null });
  });

  it('forgets the token and every figure on a 401', async () => {
    const { account, client, current, onSignedOut } = setUp(SIGNED_IN);
    client.cagnotte.mockResolvedValueOnce(UNAUTHORIZED);
    expect(await account.handlers['account:refresh']({})).toEqual({ signedIn: false });
    expect(current()).toBeNull();
    expect(await account.getToken()).toBeNull();
    expect(onSignedOut).toHaveBeenCalledTimes(1);
  });

  it('does not resurrect a session signed out while the refresh ran', async () => {
    const { account, client, current } = setUp(SIGNED_IN);
    client.cagnotte.mockImplementationOnce(async () => {
      await account.signOut();
      return ok(NEWER);
    });
    const outcome = await account.refreshCagnotte();
    expect(outcome).toEqual({ view: { signedIn: false }, change: null });
    expect(current()).toBeNull();
  });

  it("does not give one member's figures to another who signed in meanwhile", async () => {
    const { account, client, current } = setUp(SIGNED_IN);
    const other = { id: 'u_2', email: 'other@ristourne.test', displayName: 'Alex' };
    client.login.mockResolvedValueOnce(ok({ token: 'tok_2', user: other }));
    client.cagnotte.mockImplementationOnce(async () => {
      await account.signIn({ email: 'other@ristourne.test', password: 'x' });
      return ok(NEWER);
    });
    const outcome = await account.refreshCagnotte();
    expect(outcome.change).toBeNull();
    expect(current()).toEqual({ token: 'tok_2', user: other, cagnotte: null, refreshError: null });
  });

  it('waits for a Retry-After, but not for one written with a clock that ran ahead', async () => {
    const hour = 60 * 60_000;
    const now = Date.parse('2026-11-23T10:00:00Z');
    const waiting = setUp({ ...SIGNED_IN, retryAt: now + hour });
    await waiting.account.refreshCagnotte();
    expect(waiting.client.cagnotte).not.toHaveBeenCalled();

    // An hour is the longest a portal may make the member wait: a later time was never right.
    const ahead = setUp({ ...SIGNED_IN, retryAt: now + 365 * 24 * hour });
    await ahead.account.refreshCagnotte();
    expect(ahead.client.cagnotte).toHaveBeenCalledTimes(1);
  });

  it('asks nothing of the portal when signed out', async () => {
    const { account, client } = setUp();
    expect(await account.refreshCagnotte()).toEqual({ view: { signedIn: false }, change: null });
    expect(client.cagnotte).not.toHaveBeenCalled();
  });
});

describe('sign-out', () => {
  it('forgets the token and every figure, and tells the portal', async () => {
    const { account, client, current, onSignedOut } = setUp(SIGNED_IN);
    expect(await account.handlers['account:sign-out']({})).toEqual({ signedIn: false });
    expect(current()).toBeNull();
    expect(client.logout).toHaveBeenCalledWith('tok_1');
    expect(onSignedOut).toHaveBeenCalledTimes(1);
  });

  it('forgets locally even when the portal cannot be told', async () => {
    const { account, client, current } = setUp(SIGNED_IN);
    client.logout.mockResolvedValueOnce(OFFLINE);
    expect(await account.signOut()).toEqual({ signedIn: false });
    expect(current()).toBeNull();
  });

  it('forgets the session when another part of the background met a 401', async () => {
    const { account, current } = setUp(SIGNED_IN);
    await account.forgetSession();
    expect(current()).toBeNull();
  });
});

describe('the database account store', () => {
  let db: RistourneDb;
  beforeEach(() => {
    fakeBrowser.reset();
    db = openRistourneDb(`account-${Math.random()}`);
  });

  it('reads back what it saved, and never puts the token where content scripts can read', async () => {
    const store = createDatabaseAccountStore(() => db);
    await store.save(SIGNED_IN);
    expect(await store.load()).toEqual(SIGNED_IN);
    expect(await getToken(store)).toBe('tok_1');
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    await store.clear();
    expect(await store.load()).toBeNull();
    expect(await getToken(store)).toBeNull();
  });

  it('treats unreadable data (after an upgrade, say) as signed out, and removes it', async () => {
    await db.account.put({
      key: 'member',
      account: { token: 'tok_old', user: USER, cagnotte: { figures: { pending: 'a lot' } } },
    });
    const store = createDatabaseAccountStore(() => db);
    expect(await store.load()).toBeNull();
    expect(await db.account.count()).toBe(0);
  });
});
