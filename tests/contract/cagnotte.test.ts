/** §4 of docs/portal-api.md: the cagnotte, derived from the transactions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CagnotteSchema, type Cagnotte } from '../../utils/contract/schemas';
import { parseMemberId } from '../../portal/api/members';
import { api, expectError, login, newMember, startTestPortal, type TestPortal } from './helpers';

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(() => portal.stop());

async function cagnotte(token: string): Promise<Cagnotte> {
  const response = await api(portal, 'GET', '/api/v1/me/cagnotte', { token });
  expect(response.status).toBe(200);
  expect(response.headers['cache-control']).toBe('no-store');
  return CagnotteSchema.parse(response.json());
}

function sumBy(cagnotte: Cagnotte, status: string): number {
  return cagnotte.transactions
    .filter((t) => t.status === status)
    .reduce((sum, t) => sum + t.cashback, 0);
}

describe('GET /api/v1/me/cagnotte', () => {
  it('shows the demo member’s seeded history with figures derived from it', async () => {
    const body = await cagnotte(await login(portal));
    expect(body.currency).toBe('EUR');
    expect(body.payoutThreshold).toBe(1000);
    expect(body.transactions).toHaveLength(8);
    expect(new Set(body.transactions.map((t) => t.status))).toEqual(
      new Set(['pending', 'confirmed', 'paid', 'cancelled']),
    );
    // numeria 2.5 % of 129.99 € = 3.25 €, atelier-vendome 6.5 % of 89.00 € = 5.785 € → 5.79 €
    expect(body.pending).toBe(325 + 579);
    // hotel-des-cimes fixed 20 €, la-grange-aux-meubles 5 % of 459.00 €
    expect(body.confirmed).toBe(2000 + 2295);
    // 3 % of 34.50 € (1.035 → 1.04), 4 % of 189.00 €, 4.25 % of 890.00 € (37.825 → 37.83)
    expect(body.paid).toBe(104 + 756 + 3783);
    for (const status of ['pending', 'confirmed', 'paid'] as const) {
      expect(body[status]).toBe(sumBy(body, status));
    }
    expect(body.transactions.find((t) => t.merchantId === 'numeria')).toMatchObject({
      merchantName: 'Numéria',
      orderAmount: 12999,
      cashback: 325,
      status: 'pending',
    });
  });

  it('lists the most recent first', async () => {
    const body = await cagnotte(await login(portal));
    const dates = body.transactions.map((t) => t.orderedAt);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('is empty for a new member', async () => {
    const member = await newMember(portal, 'Nouveau');
    expect(await cagnotte(member.token)).toEqual({
      currency: 'EUR',
      pending: 0,
      confirmed: 0,
      paid: 0,
      payoutThreshold: 1000,
      transactions: [],
    });
  });

  it('shows the 50 most recent transactions but counts them all', async () => {
    const member = await newMember(portal, 'Fidele');
    const merchant = portal.store.merchants.get('la-toupie-bleue')!; // 5 %
    const start = Date.parse('2026-01-01T10:00:00Z');
    for (let i = 0; i < 55; i += 1) {
      portal.store.ledger.addTransaction({
        memberRowId: parseMemberId(member.id)!,
        merchant,
        clickId: null,
        orderRef: `BULK-${member.id}-${i}`,
        orderedAt: new Date(start + i * 3_600_000).toISOString(),
        orderAmount: 2000 + i,
        status: i % 5 === 0 ? 'confirmed' : 'pending',
      });
    }
    const body = await cagnotte(member.token);
    expect(body.transactions).toHaveLength(50);
    expect(body.transactions[0]!.orderedAt).toBe(new Date(start + 54 * 3_600_000).toISOString());
    let pending = 0;
    let confirmed = 0;
    for (let i = 0; i < 55; i += 1) {
      const cashback = Math.floor(((2000 + i) * 5 + 50) / 100); // 5 %, half up
      if (i % 5 === 0) confirmed += cashback;
      else pending += cashback;
    }
    expect(body.pending).toBe(pending);
    expect(body.confirmed).toBe(confirmed);
  });

  it('answers 401 when signed out', async () => {
    expectError(await api(portal, 'GET', '/api/v1/me/cagnotte'), 401, 'unauthorized');
  });
});
