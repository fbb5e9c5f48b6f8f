/**
 * The background's payouts: a payout is stored with its key before it is sent, and sent again
 * with the same key until the portal answers; an older portal leaves the feature absent; logos
 * and links off the portal's origin are dropped.
 */
import { describe, expect, it, vi } from 'vitest';
import { createPayouts } from '../../../utils/account/payouts';
import type { AccountStore, StoredAccount } from '../../../utils/account/store';
import type { PortalResult } from '../../../utils/contract/client';
import type { Payout, PayoutOptions, PayoutPage } from '../../../utils/contract/schemas';

const PORTAL = 'http://localhost:8787';
const KEY = 'k_0123456789abcdef';

const OPTIONS: PayoutOptions = {
  currency: 'EUR',
  threshold: 1000,
  available: 4295,
  transfer: {
    minimum: 1000,
    fee: { fixed: 50, percent: 0 },
    account: { masked: 'FR76 •••• 0189' },
    accountUrl: `${PORTAL}/compte/rib`,
  },
  donation: {
    minimum: 100,
    fee: { fixed: 0, percent: 0 },
    charities: [
      { id: 'a', name: 'A', description: '', logoUrl: `${PORTAL}/logos/associations/a.svg` },
      { id: 'b', name: 'B', description: '', logoUrl: 'https://tracker.example/b.svg' },
    ],
  },
};

const PAYOUT: Payout = {
  id: 'p_1',
  method: 'voucher',
  amount: 1000,
  fee: 0,
  currency: 'EUR',
  status: 'paid',
  requestedAt: '2026-11-23T10:00:00Z',
  settledAt: '2026-11-23T11:00:00Z',
  voucher: { brandId: 'bazar', brandName: 'Le Grand Bazar', code: 'GB-1234' },
};

const SIGNED_IN: StoredAccount = {
  token: 'tok_1',
  user: { id: 'u_1', email: 'a@b.c', displayName: 'A' },
  cagnotte: null,
  refreshError: null,
};

const ok = <T>(value: T): PortalResult<T> => ({ ok: true, value });

function setUp(initial: StoredAccount | null = SIGNED_IN) {
  let stored = initial;
  const store: AccountStore = {
    load: async () => (stored === null ? null : structuredClone(stored)),
    save: async (account) => {
      stored = structuredClone(account);
    },
    clear: async () => {
      stored = null;
    },
    updateSession: async (token, change) => {
      if (stored?.token !== token) return { updated: false, account: stored };
      stored = change(stored);
      return { updated: true, account: stored };
    },
    clearSession: async (token) => {
      if (stored?.token !== token) return false;
      stored = null;
      return true;
    },
  };
  const client = {
    payoutOptions: vi.fn(async (): Promise<PortalResult<PayoutOptions>> => ok(OPTIONS)),
    requestPayout: vi.fn(async (): Promise<PortalResult<Payout>> => ok(PAYOUT)),
    payouts: vi.fn(async (): Promise<PortalResult<PayoutPage>> =>
      ok({ payouts: [PAYOUT], nextCursor: null }),
    ),
  };
  const forgetSession = vi.fn(async () => {
    stored = null;
  });
  const payouts = createPayouts({ client, store, now: () => 1, portalUrl: PORTAL, forgetSession });
  return { payouts, client, current: () => stored, forgetSession };
}

const DONATION = { method: 'donation', amount: 500, currency: 'EUR', charityId: 'a' } as const;
const unreachable = { ok: false, error: { kind: 'network', message: 'down' } } as const;

describe('payouts', () => {
  it('keeps the request and its key when the portal does not answer, and sends it again with that key', async () => {
    const { payouts, client, current } = setUp();
    client.requestPayout.mockResolvedValueOnce(unreachable);
    expect(await payouts.handlers['payouts:request']({ key: KEY, payout: DONATION })).toEqual({
      ok: false,
      reason: 'portal-unreachable',
    });
    expect(current()?.pendingPayout).toMatchObject({ key: KEY, request: DONATION });

    // A new worker (or the popup opened again): the pending request goes first, same key.
    await payouts.handlers['payouts:get']({});
    expect(client.requestPayout).toHaveBeenCalledTimes(2);
    expect(client.requestPayout.mock.calls[1]).toEqual(['tok_1', DONATION, KEY]);
    expect(current()?.pendingPayout).toBeUndefined();
  });

  it('stores the request before sending it: a worker stopped mid-request leaves it to resend', async () => {
    const { payouts, client, current } = setUp();
    let seenPending: unknown;
    client.requestPayout.mockImplementationOnce(async () => {
      seenPending = current()?.pendingPayout;
      return ok(PAYOUT);
    });
    await payouts.handlers['payouts:request']({ key: KEY, payout: DONATION });
    expect(seenPending).toMatchObject({ key: KEY });
    expect(current()?.pendingPayout).toBeUndefined();
  });

  it('forgets a refused request: a refusal is the answer for its key', async () => {
    const { payouts, client, current } = setUp();
    client.requestPayout.mockResolvedValueOnce({
      ok: false,
      error: { kind: 'http', status: 422, code: 'insufficient_balance' },
    });
    expect(await payouts.handlers['payouts:request']({ key: KEY, payout: DONATION })).toEqual({
      ok: false,
      reason: 'insufficient_balance',
    });
    expect(current()?.pendingPayout).toBeUndefined();
  });

  it('is absent on an older portal (404) and when signed out', async () => {
    const { payouts, client } = setUp();
    client.payoutOptions.mockResolvedValueOnce({
      ok: false,
      error: { kind: 'http', status: 404, code: 'not_found' },
    });
    expect(await payouts.handlers['payouts:get']({})).toEqual({ available: false });
    expect(await setUp(null).payouts.handlers['payouts:get']({})).toEqual({ available: false });
  });

  it('forgets the session on a 401', async () => {
    const { payouts, client, forgetSession } = setUp();
    client.payoutOptions.mockResolvedValueOnce({
      ok: false,
      error: { kind: 'unauthorized', code: 'unauthorized' },
    });
    expect(await payouts.handlers['payouts:get']({})).toEqual({ available: false });
    expect(forgetSession).toHaveBeenCalled();
  });

  it('drops logos and links that are not on the portal’s origin', async () => {
    const view = await setUp().payouts.handlers['payouts:get']({});
    if (!view.available) throw new Error('expected the options');
    const charities = view.options.donation!.charities;
    expect(charities[0]!.logoUrl).toBe(`${PORTAL}/logos/associations/a.svg`);
    expect(charities[1]).not.toHaveProperty('logoUrl');
    expect(view.options.transfer!.accountUrl).toBe(`${PORTAL}/compte/rib`);
  });

  it('shows a voucher’s code until the member has noted it, and never stores the code', async () => {
    const { payouts, current } = setUp();
    let view = await payouts.handlers['payouts:get']({});
    expect(view.available && view.payouts[0]!.voucher?.code).toBe('GB-1234');
    await payouts.handlers['payouts:code-seen']({ payoutId: 'p_1' });
    view = await payouts.handlers['payouts:get']({});
    expect(view.available && view.payouts[0]!.voucher?.code).toBeUndefined();
    expect(JSON.stringify(current())).not.toContain('GB-1234');
  });
});

describe('payouts paid since the last check', () => {
  it('starts watching, then gives each payout seen requested that is now paid, once', async () => {
    const { payouts, client } = setUp();
    const requested = { ...PAYOUT, status: 'requested' as const, voucher: undefined };
    client.payouts.mockResolvedValueOnce(ok({ payouts: [requested], nextCursor: null }));
    expect(await payouts.paidSince()).toEqual([]);
    client.payouts.mockResolvedValueOnce(ok({ payouts: [requested], nextCursor: null }));
    expect(await payouts.paidSince()).toEqual([]);
    client.payouts.mockResolvedValueOnce(ok({ payouts: [PAYOUT], nextCursor: null }));
    expect((await payouts.paidSince()).map((p) => p.id)).toEqual(['p_1']);
    client.payouts.mockResolvedValueOnce(ok({ payouts: [PAYOUT], nextCursor: null }));
    expect(await payouts.paidSince()).toEqual([]);
  });
});
