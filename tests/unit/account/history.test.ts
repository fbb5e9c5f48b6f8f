/**
 * The background's side of the history page, over a scripted portal and the real account store:
 * the pages asked for with the session's token and their own cursors, a voucher's code never
 * passed on, a 401 that signs out, an older portal (404) that shows no link, another member's
 * cursors refused, and nothing of the history stored.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  HISTORY_PAGE_SIZE,
  HISTORY_SUPPORT_TTL_MS,
  createHistory,
} from '../../../utils/account/history';
import { createDatabaseAccountStore, type StoredAccount } from '../../../utils/account/store';
import type { PortalError, PortalResult } from '../../../utils/contract/client';
import type {
  Cagnotte,
  Payout,
  PayoutPage,
  Transaction,
  TransactionPage,
} from '../../../utils/contract/schemas';
import { openRistourneDb, type RistourneDb } from '../../../utils/storage/db';

const TRANSACTION: Transaction = {
  id: 't_1',
  merchantId: 'fnac',
  merchantName: 'Fnac',
  orderedAt: '2026-11-20T10:00:00Z',
  orderAmount: 12999,
  cashback: 585,
  status: 'pending',
  expectedConfirmationAt: '2027-01-19T10:00:00Z',
};

const VOUCHER: Payout = {
  id: 'p_1',
  method: 'voucher',
  amount: 1000,
  fee: 0,
  currency: 'EUR',
  status: 'paid',
  requestedAt: '2026-11-21T10:00:00Z',
  voucher: { brandId: 'bazar', brandName: 'Le Grand Bazar', code: 'GB-SECRET-1234' },
};

const FIGURES: Cagnotte = {
  currency: 'EUR',
  pending: 585,
  confirmed: 0,
  paid: 0,
  payoutThreshold: 1000,
  transactions: [],
};

const MEMBER: StoredAccount = {
  token: 'tok_1',
  user: { id: 'u_1', email: 'camille@example.fr', displayName: 'Camille' },
  cagnotte: { figures: FIGURES, fetchedAt: 1 },
  refreshError: null,
};

const ok = <T>(value: T): PortalResult<T> => ({ ok: true, value });
const fail = (error: PortalError) => ({ ok: false, error }) as const;
const NOT_FOUND: PortalError = { kind: 'http', status: 404, code: 'not_found' };
const UNAUTHORIZED: PortalError = { kind: 'unauthorized', code: 'unauthorized' };

let db: RistourneDb;
let databases = 0;

beforeEach(() => {
  databases += 1;
  db = openRistourneDb(`history-${databases}`);
});

afterEach(async () => {
  db.close();
  await db.delete();
});

async function setUp(account: StoredAccount | null = MEMBER) {
  let now = Date.parse('2026-11-23T10:00:00Z');
  const store = createDatabaseAccountStore(() => db);
  if (account) await store.save(account);
  const client = {
    transactions: vi.fn(async (): Promise<PortalResult<TransactionPage>> =>
      ok({ transactions: [TRANSACTION], nextCursor: 't-next' }),
    ),
    payouts: vi.fn(async (): Promise<PortalResult<PayoutPage>> =>
      ok({ payouts: [VOUCHER], nextCursor: null }),
    ),
    cagnotte: vi.fn(async (): Promise<PortalResult<Cagnotte>> => ok(FIGURES)),
  };
  const forgetSession = vi.fn(async (token: string) => {
    await store.clearSession(token);
  });
  const history = createHistory({ client, store, now: () => now, forgetSession });
  return {
    history,
    client,
    store,
    forgetSession,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const FIRST = { member: null, transactions: { cursor: null }, payouts: { cursor: null } };

describe('a page of the history', () => {
  it('asks each stream from its own cursor with the session’s token, and answers what came', async () => {
    const { history, client } = await setUp();
    const page = await history.handlers['history:page'](FIRST);
    expect(page).toEqual({
      state: 'page',
      member: 'u_1',
      currency: 'EUR',
      transactions: { items: [TRANSACTION], nextCursor: 't-next' },
      payouts: { items: [expect.objectContaining({ id: 'p_1' })], nextCursor: null },
    });
    expect(client.transactions).toHaveBeenCalledWith('tok_1', null, HISTORY_PAGE_SIZE);
    expect(client.payouts).toHaveBeenCalledWith('tok_1', null, HISTORY_PAGE_SIZE);

    await history.handlers['history:page']({
      member: 'u_1',
      transactions: { cursor: 't-next' },
      payouts: null,
    });
    expect(client.transactions).toHaveBeenLastCalledWith('tok_1', 't-next', HISTORY_PAGE_SIZE);
    // A stream not asked for is not fetched.
    expect(client.payouts).toHaveBeenCalledTimes(1);
  });

  it('never passes a voucher’s code on: the popup shows it once', async () => {
    const { history } = await setUp();
    const page = await history.handlers['history:page'](FIRST);
    expect(JSON.stringify(page)).not.toContain('GB-SECRET-1234');
    expect(page.state === 'page' && page.payouts?.items[0]?.voucher).toEqual({
      brandId: 'bazar',
      brandName: 'Le Grand Bazar',
    });
  });

  it('stores nothing of the history: the account record is as it was, but for the route known', async () => {
    const { history, store } = await setUp();
    await history.handlers['history:page'](FIRST);
    const stored = await store.load();
    expect(JSON.stringify(stored)).not.toContain('t_1');
    expect(JSON.stringify(stored)).not.toContain('p_1');
    expect(stored).toEqual({
      ...MEMBER,
      historySupport: { supported: true, checkedAt: Date.parse('2026-11-23T10:00:00Z') },
    });
  });

  it('reads the currency from the portal when no figures were kept yet', async () => {
    const { history, client } = await setUp({ ...MEMBER, cagnotte: null });
    client.cagnotte.mockResolvedValueOnce(ok({ ...FIGURES, currency: 'CHF' }));
    const page = await history.handlers['history:page'](FIRST);
    expect(page.state === 'page' && page.currency).toBe('CHF');
  });

  it.each([
    ['signed out', null, FIRST, { state: 'signed-out' }],
    [
      'asked with another member’s cursors',
      MEMBER,
      { member: 'u_2', transactions: { cursor: 'their-cursor' }, payouts: null },
      { state: 'member-changed' },
    ],
  ])('%s: asks the portal nothing', async (_name, account, request, expected) => {
    const { history, client } = await setUp(account);
    expect(await history.handlers['history:page'](request)).toEqual(expected);
    expect(client.transactions).not.toHaveBeenCalled();
    expect(client.payouts).not.toHaveBeenCalled();
  });

  it.each<[string, 'transactions' | 'payouts']>([
    ['the transactions', 'transactions'],
    ['the payouts', 'payouts'],
  ])('a 401 on %s signs the member out', async (_name, route) => {
    const { history, client, store, forgetSession } = await setUp();
    client[route].mockResolvedValueOnce(fail(UNAUTHORIZED));
    expect(await history.handlers['history:page'](FIRST)).toEqual({ state: 'signed-out' });
    expect(forgetSession).toHaveBeenCalledWith('tok_1');
    expect(await store.load()).toBeNull();
  });

  it('an older portal (404 on the transactions) has no history, and the popup forgets the link', async () => {
    const { history, client } = await setUp();
    client.transactions.mockResolvedValue(fail(NOT_FOUND));
    client.payouts.mockResolvedValue(fail(NOT_FOUND));
    expect(await history.handlers['history:page'](FIRST)).toEqual({ state: 'unavailable' });
    expect(await history.handlers['history:supported']({})).toBe(false);
    // Known: the popup does not ask the portal again.
    expect(client.transactions).toHaveBeenCalledTimes(1);
  });

  it('a portal with the history but no payouts: the transactions alone', async () => {
    const { history, client } = await setUp();
    client.payouts.mockResolvedValueOnce(fail(NOT_FOUND));
    const page = await history.handlers['history:page'](FIRST);
    expect(page).toMatchObject({
      state: 'page',
      transactions: { items: [TRANSACTION] },
      payouts: null,
    });
  });

  it.each<[string, PortalError, string]>([
    ['unreachable', { kind: 'network', message: 'offline' }, 'portal-unreachable'],
    ['slow', { kind: 'timeout' }, 'portal-unreachable'],
    ['in maintenance', { kind: 'http', status: 503, code: 'unavailable' }, 'portal-unreachable'],
    ['lying', { kind: 'invalid-response', message: 'transactions.0.status' }, 'failed'],
  ])('a portal %s: the page says so, and keeps what it has', async (_name, error, reason) => {
    const { history, client, store } = await setUp();
    client.payouts.mockResolvedValueOnce(fail(error));
    expect(await history.handlers['history:page'](FIRST)).toEqual({ state: 'failed', reason });
    expect(await store.load()).not.toBeNull();
  });
});

describe('whether the popup offers "Tout voir"', () => {
  it('asks the portal once for one entry, then trusts the answer for a while', async () => {
    const { history, client, advance } = await setUp();
    expect(await history.handlers['history:supported']({})).toBe(true);
    expect(client.transactions).toHaveBeenCalledWith('tok_1', null, 1);
    advance(HISTORY_SUPPORT_TTL_MS - 1);
    expect(await history.handlers['history:supported']({})).toBe(true);
    expect(client.transactions).toHaveBeenCalledTimes(1);
    // Later, it asks again: a portal upgraded (or downgraded) since is seen.
    advance(2);
    client.transactions.mockResolvedValueOnce(fail(NOT_FOUND));
    expect(await history.handlers['history:supported']({})).toBe(false);
    expect(client.transactions).toHaveBeenCalledTimes(2);
  });

  it('a time stored by a clock that ran ahead counts as old: it asks again', async () => {
    const { history, client, store } = await setUp();
    await store.save({
      ...MEMBER,
      historySupport: { supported: false, checkedAt: Date.parse('2027-06-01T00:00:00Z') },
    });
    expect(await history.handlers['history:supported']({})).toBe(true);
    expect(client.transactions).toHaveBeenCalledTimes(1);
  });

  it.each<[string, StoredAccount | null, PortalError | null, boolean]>([
    ['signed out: no link, nothing asked', null, null, false],
    ['an older portal: no link', MEMBER, NOT_FOUND, false],
    ['no answer and nothing known: no link yet', MEMBER, { kind: 'timeout' }, false],
    [
      'no answer but known to have it: the link',
      { ...MEMBER, historySupport: { supported: true, checkedAt: 0 } },
      { kind: 'timeout' },
      true,
    ],
  ])('%s', async (_name, account, error, expected) => {
    const { history, client } = await setUp(account);
    if (error) client.transactions.mockResolvedValueOnce(fail(error));
    expect(await history.handlers['history:supported']({})).toBe(expected);
    if (!account) expect(client.transactions).not.toHaveBeenCalled();
  });

  it('a 401 signs the member out, and shows no link', async () => {
    const { history, client, store } = await setUp();
    client.transactions.mockResolvedValueOnce(fail(UNAUTHORIZED));
    expect(await history.handlers['history:supported']({})).toBe(false);
    expect(await store.load()).toBeNull();
  });

  it('what was learnt goes with the session: the next member’s portal is asked afresh', async () => {
    const { history, client, store } = await setUp();
    client.transactions.mockResolvedValueOnce(fail(NOT_FOUND));
    expect(await history.handlers['history:supported']({})).toBe(false);
    await store.clear();
    await store.save({ ...MEMBER, token: 'tok_2', user: { ...MEMBER.user, id: 'u_2' } });
    expect(await history.handlers['history:supported']({})).toBe(true);
  });
});
