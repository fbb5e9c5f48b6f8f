/**
 * Sending a claim: the merchant and the click are the stored order's, one idempotency key per
 * order (a resend is the same claim), and a portal without the routes offers nothing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Claim, ClaimRequest } from '../../../utils/contract/schemas';
import { listClaims, submitClaim } from '../../../utils/orders/claims';
import { createOrderJournal, orderKey, type OrderSeen } from '../../../utils/orders/journal';
import { openRistourneDb, type RistourneDb } from '../../../utils/storage/db';
import { fakeDeps } from '../helpers/fake-background';

let db: RistourneDb;
beforeEach(() => {
  fakeBrowser.reset();
  db = openRistourneDb(`claims-${Date.now()}`);
});
afterEach(async () => {
  await db.delete();
});

const NOW = Date.parse('2026-11-23T10:00:00Z');
const ORDER: OrderSeen = {
  merchantId: 'fnac',
  merchantName: 'Fnac',
  clickId: 'c_42',
  activatedAt: NOW - 60_000,
  seenAt: NOW,
  detection: 'portal-path',
  orderRef: 'CMD-9',
};
const KEY = orderKey('u_1', ORDER);
const REQUEST = {
  key: KEY,
  orderRef: 'CMD-9',
  orderedAt: new Date(NOW).toISOString(),
  orderAmount: 5990,
  currency: 'EUR',
};

const answered = (claim: ClaimRequest): Claim => ({
  ...claim,
  id: 'cl_1',
  merchantName: 'Fnac',
  status: 'submitted',
  submittedAt: new Date(NOW).toISOString(),
});

async function setUp(
  createClaim: (token: string, claim: ClaimRequest, key: string) => Promise<unknown>,
) {
  const journal = createOrderJournal(() => db);
  await journal.recordOrder('u_1', ORDER);
  const fake = fakeDeps({ followUp: { journal, memberId: async () => 'u_1' } });
  const portal = fake.deps.portal as unknown as Record<string, unknown>;
  portal.createClaim = vi.fn(createClaim);
  portal.claims = vi.fn(async () => ({ ok: false, error: { kind: 'http', status: 404 } }));
  return { ...fake, journal, createClaim: portal.createClaim as ReturnType<typeof vi.fn> };
}

describe('submitClaim', () => {
  it('claims with the stored order’s merchant and click, and resends under the same key', async () => {
    const { deps, createClaim } = await setUp(async (_token, claim) => ({
      ok: true,
      value: answered(claim),
    }));
    expect(await submitClaim(deps, REQUEST)).toMatchObject({ ok: true, claim: { id: 'cl_1' } });
    await submitClaim(deps, REQUEST);
    const [first, second] = createClaim.mock.calls;
    expect(first![1]).toMatchObject({ merchantId: 'fnac', clickId: 'c_42', orderAmount: 5990 });
    expect(first![2]).toBe(second![2]);
  });

  it('keeps the key after a lost answer: the retry is the same claim', async () => {
    let calls = 0;
    const { deps, createClaim } = await setUp(async (_token, claim) =>
      ++calls === 1
        ? { ok: false, error: { kind: 'network', message: 'lost' } }
        : { ok: true, value: answered(claim) },
    );
    expect(await submitClaim(deps, REQUEST)).toEqual({ ok: false, reason: 'unreachable' });
    expect(await submitClaim(deps, REQUEST)).toMatchObject({ ok: true });
    expect(createClaim.mock.calls[0]![2]).toBe(createClaim.mock.calls[1]![2]);
  });

  it('says a portal without claims (404) does not take them', async () => {
    const { deps } = await setUp(async () => ({
      ok: false,
      error: { kind: 'http', status: 404, code: 'not_found' },
    }));
    expect(await submitClaim(deps, REQUEST)).toEqual({ ok: false, reason: 'unsupported' });
    expect(await listClaims(deps)).toBeNull();
  });

  it('sends nothing for an order that is not the member’s', async () => {
    const { deps, createClaim } = await setUp(async () => ({ ok: true }));
    expect(await submitClaim(deps, { ...REQUEST, key: 'u_2|fnac|ref:CMD-9' })).toEqual({
      ok: false,
      reason: 'unknown-order',
    });
    expect(createClaim).not.toHaveBeenCalled();
  });

  it('gives a refused claim a new key: the corrected one is a new request', async () => {
    const { deps, createClaim } = await setUp(async () => ({
      ok: false,
      error: { kind: 'http', status: 422, code: 'outside_window' },
    }));
    expect(await submitClaim(deps, REQUEST)).toEqual({ ok: false, reason: 'refused' });
    await submitClaim(deps, REQUEST);
    expect(createClaim.mock.calls[0]![2]).not.toBe(createClaim.mock.calls[1]![2]);
  });
});
