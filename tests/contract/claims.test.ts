/**
 * Claims (docs/portal-api.md §5) against the reference portal: the order terms in the list and
 * the cagnotte, filing a claim with every refusal, idempotency (key and order reference), the
 * back office's decisions (an acceptance credits once, in one database transaction), a sale the
 * network lost claimed end to end, and the portal playing 1.0 (no claims at all).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API,
  CagnotteSchema,
  ClaimListSchema,
  ClaimSchema,
  ClickResponseSchema,
  MerchantListSchema,
  type Cagnotte,
  type Claim,
  type ClaimRequest,
} from '../../utils/contract/schemas';
import {
  CookieJar,
  admin,
  api,
  expectError,
  newMember,
  redirectTarget,
  startTestPortal,
  visit,
  type TestPortal,
} from './helpers';

const DAY_MS = 24 * 3600_000;
let clock = Date.parse('2026-11-23T10:00:00Z');
let portal: TestPortal;

beforeAll(async () => {
  portal = await startTestPortal({ now: () => new Date(clock) });
});
afterAll(() => portal.stop());

async function clickAt(token: string, merchantId: string): Promise<string> {
  const response = await api(portal, 'POST', API.clicks, {
    token,
    body: { merchantId, url: `http://${merchantId}.localhost:${portal.port}/panier` },
  });
  expect(response.status).toBe(201);
  return ClickResponseSchema.parse(response.json()).clickId;
}

function claimOf(merchantId: string, clickId: string, orderRef: string): ClaimRequest {
  return {
    merchantId,
    clickId,
    orderRef,
    orderedAt: new Date(clock).toISOString(),
    orderAmount: 4990,
    currency: 'EUR',
  };
}

const file = (token: string | undefined, body: unknown, key?: string) =>
  api(portal, 'POST', API.claims, {
    ...(token === undefined ? {} : { token }),
    body,
    ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
  });

const claimsOf = async (token: string) =>
  ClaimListSchema.parse((await api(portal, 'GET', API.claims, { token })).json()).claims;

const cagnotteOf = async (token: string): Promise<Cagnotte> =>
  CagnotteSchema.parse((await api(portal, 'GET', API.cagnotte, { token })).json());

describe('the order terms', () => {
  it('are in the merchant list where the portal gives them, and only there', async () => {
    const list = MerchantListSchema.parse((await api(portal, 'GET', API.merchants)).json());
    const byId = new Map(list.merchants.map((merchant) => [merchant.id, merchant]));
    expect(byId.get('comptoir-des-thes')).toMatchObject({
      confirmationPaths: ['/achat/termine'],
      trackingDelayHours: 0,
      confirmationDelayDays: 30,
      claimWindowDays: 60,
    });
    expect(byId.get('numeria')).toMatchObject({
      trackingDelayHours: 48,
      confirmationDelayDays: 60,
      claimWindowDays: 90,
    });
    const silent = byId.get('rail-evasion')!;
    for (const field of [
      'confirmationPaths',
      'trackingDelayHours',
      'confirmationDelayDays',
      'claimWindowDays',
    ]) {
      expect(silent).not.toHaveProperty(field);
    }
  });

  it('date each pending transaction’s confirmation from its merchant’s delay', async () => {
    const member = await newMember(portal, 'Attente');
    const login = await api(portal, 'POST', API.login, {
      body: { email: member.email, password: member.password },
    });
    expect(login.status).toBe(200);
    const demo = await api(portal, 'POST', API.login, {
      body: { email: 'demo@ristourne.test', password: 'cagnotte-demo' },
    });
    const token = (demo.json() as { token: string }).token;
    const { transactions } = await cagnotteOf(token);
    // The seed: Numéria pending 2 days ago (60 days to confirm), Hôtel des Cimes confirmed.
    const numeria = transactions.find((t) => t.merchantId === 'numeria')!;
    expect(numeria.status).toBe('pending');
    expect(Date.parse(numeria.expectedConfirmationAt!)).toBe(
      Date.parse(numeria.orderedAt) + 60 * DAY_MS,
    );
    const confirmed = transactions.find((t) => t.status === 'confirmed')!;
    expect(confirmed.expectedConfirmationAt).toBeUndefined();
  });
});

describe('filing a claim', () => {
  it('refuses what it must, each with its status and code', async () => {
    const member = await newMember(portal, 'Refus');
    const other = await newMember(portal, 'Autre');
    const own = await clickAt(member.token, 'comptoir-des-thes');
    const theirs = await clickAt(other.token, 'comptoir-des-thes');
    const good = claimOf('comptoir-des-thes', own, 'CMD-REFUS-1');

    expectError(await file(undefined, good), 401, 'unauthorized');
    expectError(await file('not-a-session', good), 401, 'unauthorized');
    expectError(
      await api(portal, 'POST', API.claims, { token: member.token, rawBody: 'orderRef=1' }),
      400,
      'invalid_json',
    );
    for (const bad of [
      { ...good, orderAmount: 0 },
      { ...good, orderAmount: 49.9 },
      { ...good, orderRef: '   ' },
      { ...good, orderRef: 'CMD\n1' },
      { ...good, orderedAt: '23/11/2026' },
      { ...good, currency: 'euro' },
      { merchantId: good.merchantId, clickId: own },
    ]) {
      expectError(await file(member.token, bad), 400, 'invalid_request');
    }
    expectError(await file(member.token, good, 'short'), 400, 'invalid_request');
    // Someone else's click and no click at all: the same answer.
    const notYours = expectError(
      await file(member.token, { ...good, clickId: theirs }),
      403,
      'click_not_yours',
    );
    const none = expectError(
      await file(member.token, { ...good, clickId: 'c_doesnotexist' }),
      403,
      'click_not_yours',
    );
    expect(notYours).toEqual(none);
    expectError(
      await file(member.token, { ...good, merchantId: 'no-such-shop' }),
      404,
      'unknown_merchant',
    );
    expectError(
      await file(member.token, { ...good, merchantId: 'numeria' }),
      422,
      'click_merchant_mismatch',
    );
    const day = (days: number) => new Date(clock + days * DAY_MS).toISOString();
    for (const orderedAt of [day(-1), day(2)]) {
      // Before the click; in the future.
      expectError(await file(member.token, { ...good, orderedAt }), 422, 'out_of_window');
    }
    // A merchant that takes no claims (no claimWindowDays).
    const rail = await clickAt(member.token, 'rail-evasion');
    expectError(
      await file(member.token, claimOf('rail-evasion', rail, 'R-1')),
      422,
      'out_of_window',
    );
    expect(await claimsOf(member.token)).toEqual([]);
  });

  it('accepts an order up to the last day of the window, and not after', async () => {
    const member = await newMember(portal, 'Fenetre');
    const clickId = await clickAt(member.token, 'comptoir-des-thes'); // 60 days
    const orderedAt = new Date(clock).toISOString();
    const start = clock;
    // Sessions last 30 days: the member signs in again each time.
    const signIn = async () =>
      (
        (
          await api(portal, 'POST', API.login, {
            body: { email: member.email, password: member.password },
          })
        ).json() as { token: string }
      ).token;
    try {
      clock = start + 61 * DAY_MS;
      expectError(
        await file(await signIn(), { ...claimOf('comptoir-des-thes', clickId, 'W-1'), orderedAt }),
        422,
        'out_of_window',
      );
      clock = start + 59 * DAY_MS;
      const accepted = await file(await signIn(), {
        ...claimOf('comptoir-des-thes', clickId, 'W-1'),
        orderedAt,
      });
      expect(accepted.status).toBe(201);
    } finally {
      clock = start;
    }
  });

  it('files once per key and once per order reference, never twice', async () => {
    const member = await newMember(portal, 'Idem');
    const clickId = await clickAt(member.token, 'hartley-and-sons');
    const body = claimOf('hartley-and-sons', clickId, 'CMD-IDEM-1');

    const first = await file(member.token, body, 'claim-key-idem-0001');
    expect(first.status).toBe(201);
    expect(first.headers['cache-control']).toBe('no-store');
    const claim: Claim = ClaimSchema.parse(first.json());
    expect(claim).toMatchObject({
      merchantId: 'hartley-and-sons',
      merchantName: 'Hartley & Sons',
      clickId,
      orderRef: 'CMD-IDEM-1',
      orderAmount: 4990,
      currency: 'EUR',
      status: 'submitted',
    });

    // The same request again (a retry after a lost answer), with the key, then without.
    for (const again of [
      await file(member.token, body, 'claim-key-idem-0001'),
      await file(member.token, body),
      await file(member.token, { ...body, orderAmount: 5990 }, 'claim-key-idem-0002'),
    ]) {
      expect(again.status).toBe(200);
      expect(ClaimSchema.parse(again.json())).toEqual(claim);
    }
    // The key already used, for another order.
    expectError(
      await file(member.token, { ...body, orderRef: 'CMD-IDEM-2' }, 'claim-key-idem-0001'),
      422,
      'idempotency_key_reused',
    );
    // Another member, their own click, the same order reference.
    const other = await newMember(portal, 'Voisin');
    const theirClick = await clickAt(other.token, 'hartley-and-sons');
    expectError(
      await file(other.token, { ...body, clickId: theirClick }),
      409,
      'order_already_claimed',
    );
    // Each member sees their own claims only.
    expect(await claimsOf(member.token)).toEqual([claim]);
    expect(await claimsOf(other.token)).toEqual([]);
  });

  it('refuses an order the network reported already', async () => {
    const demo = await api(portal, 'POST', API.login, {
      body: { email: 'demo@ristourne.test', password: 'cagnotte-demo' },
    });
    const token = (demo.json() as { token: string }).token;
    const clickId = await clickAt(token, 'numeria');
    // The seed's DEMO-0001 is Numéria's, credited two days ago.
    expectError(
      await file(token, claimOf('numeria', clickId, 'DEMO-0001')),
      409,
      'order_already_tracked',
    );
  });
});

describe('the back office', () => {
  it('accepts a claim into one pending transaction, and rejects another with its reason', async () => {
    const member = await newMember(portal, 'Decision');
    const clickId = await clickAt(member.token, 'terre-et-email');
    const claim = ClaimSchema.parse(
      (await file(member.token, claimOf('terre-et-email', clickId, 'CMD-ACC-1'))).json(),
    );
    const refused = ClaimSchema.parse(
      (await file(member.token, claimOf('terre-et-email', clickId, 'CMD-REF-1'))).json(),
    );
    const before = await cagnotteOf(member.token);
    expect(before.transactions).toEqual([]);

    const accepted = await admin(portal, 'POST', `/claims/${claim.id}/accept`);
    expect(accepted.status).toBe(200);
    const after = await cagnotteOf(member.token);
    expect(after.transactions).toHaveLength(1);
    const [transaction] = after.transactions;
    expect(transaction).toMatchObject({
      merchantId: 'terre-et-email',
      orderAmount: 4990,
      cashback: 700,
      status: 'pending',
    });
    expect(after.pending).toBe(700);
    // Accepting twice credits nothing more.
    expectError(await admin(portal, 'POST', `/claims/${claim.id}/accept`), 409, 'already_decided');
    expect((await cagnotteOf(member.token)).transactions).toHaveLength(1);

    expectError(
      await admin(portal, 'POST', `/claims/${refused.id}/reject`, {}),
      400,
      'invalid_request',
    );
    const rejected = await admin(portal, 'POST', `/claims/${refused.id}/reject`, {
      reason: 'Commande annulée par le client.',
    });
    expect(rejected.status).toBe(200);
    expectError(await admin(portal, 'POST', '/claims/cl_999999/accept'), 404, 'unknown_claim');

    const claims = await claimsOf(member.token);
    expect(claims.find((c) => c.id === claim.id)).toMatchObject({
      status: 'accepted',
      transactionId: transaction!.id,
    });
    expect(claims.find((c) => c.id === refused.id)).toMatchObject({
      status: 'rejected',
      reason: 'Commande annulée par le client.',
    });
    expect(claims.every((c) => c.decidedAt !== undefined)).toBe(true);
  });

  it('links an order the network reported meanwhile instead of crediting it twice', async () => {
    const member = await newMember(portal, 'Tardif');
    const clickId = await clickAt(member.token, 'comptoir-des-thes');
    const claim = ClaimSchema.parse(
      (await file(member.token, claimOf('comptoir-des-thes', clickId, 'CMD-LATE-1'))).json(),
    );
    const postback = await api(portal, 'POST', '/network/postback', {
      headers: { 'x-postback-secret': portal.postbackSecret },
      body: {
        clickId,
        merchantId: 'comptoir-des-thes',
        orderRef: 'CMD-LATE-1',
        orderAmount: 4990,
        currency: 'EUR',
      },
    });
    expect(postback.status).toBe(201);
    expect((await admin(portal, 'POST', `/claims/${claim.id}/accept`)).status).toBe(200);
    const { transactions } = await cagnotteOf(member.token);
    expect(transactions).toHaveLength(1);
    expect((await claimsOf(member.token))[0]!.transactionId).toBe(transactions[0]!.id);
  });

  it('shows the claims on its page, with Accepter and Refuser for the ones to decide', async () => {
    const page = await api(portal, 'GET', '/admin/reclamations', {
      headers: { 'x-admin-key': 'demo-admin' },
    });
    expect(page.status).toBe(200);
    expect(page.text()).toContain('data-testid="admin-claims"');
    expect(page.text()).toContain('Accepter');
    expect(page.text()).toContain('Commande annulée par le client.');
  });
});

describe('a sale the network lost', () => {
  it('is paid without a transaction, claimed through its click, and credited once accepted', async () => {
    const member = await newMember(portal, 'Perdue');
    const shop = `http://comptoir-des-thes.localhost:${portal.port}`;
    const { clickId, redirectUrl } = ClickResponseSchema.parse(
      (
        await api(portal, 'POST', API.clicks, {
          token: member.token,
          body: { merchantId: 'comptoir-des-thes', url: `${shop}/produit/1` },
        })
      ).json(),
    );
    const hop = redirectTarget(await visit(portal, redirectUrl));
    const landing = redirectTarget(await visit(portal, hop));
    const jar = new CookieJar();
    jar.store(await visit(portal, landing));
    expect(jar.get('rd_click')).toBe(clickId);

    expect((await admin(portal, 'PUT', '/faults', { api: null, postbacks: 'drop' })).status).toBe(
      200,
    );
    const added = await visit(portal, `${shop}/panier/ajouter`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...jar.header() },
      body: 'produit=1&quantite=2',
    });
    jar.store(added);
    const paid = await visit(portal, `${shop}/commande/payer`, {
      method: 'POST',
      headers: jar.header(),
    });
    const confirmation = redirectTarget(paid, 303);
    // The shop confirms on the path the portal gives (order-pages.ts).
    expect(confirmation.pathname).toMatch(/^\/achat\/termine\/CMD-[0-9A-F]{8}$/);
    await admin(portal, 'PUT', '/faults', { api: null });
    const orderRef = confirmation.pathname.split('/').at(-1)!;
    const page = await visit(portal, new URL(confirmation.pathname, shop), {
      headers: jar.header(),
    });
    expect(page.text()).toContain(orderRef);
    const orders = (await admin(portal, 'GET', '/orders')).json() as {
      orders: { number: string; amount: number; postbackStatus: number | null }[];
    };
    const order = orders.orders.find((o) => o.number === orderRef)!;
    expect(order.postbackStatus).toBe(0);
    expect((await cagnotteOf(member.token)).transactions).toEqual([]);

    const claim = ClaimSchema.parse(
      (
        await file(member.token, {
          ...claimOf('comptoir-des-thes', clickId, orderRef),
          orderAmount: order.amount,
        })
      ).json(),
    );
    expect((await admin(portal, 'POST', `/claims/${claim.id}/accept`)).status).toBe(200);
    const { transactions, pending } = await cagnotteOf(member.token);
    expect(transactions).toMatchObject([
      { merchantId: 'comptoir-des-thes', orderAmount: order.amount, status: 'pending' },
    ]);
    // 6 % of the order, to the cent.
    expect(pending).toBe(Math.round(order.amount * 0.06));
  });
});

describe('a portal playing 1.0', () => {
  it('has no claims routes and none of the new fields, until switched back', async () => {
    const member = await newMember(portal, 'Ancien');
    const clickId = await clickAt(member.token, 'comptoir-des-thes');
    try {
      expect(
        (await admin(portal, 'PUT', '/faults', { api: null, legacyPortal: true })).status,
      ).toBe(200);
      expectError(await api(portal, 'GET', API.claims, { token: member.token }), 404, 'not_found');
      expectError(
        await file(member.token, claimOf('comptoir-des-thes', clickId, 'OLD-1')),
        404,
        'not_found',
      );
      const list = (await api(portal, 'GET', API.merchants)).json() as {
        merchants: Record<string, unknown>[];
      };
      for (const merchant of list.merchants) {
        expect(Object.keys(merchant)).not.toContain('trackingDelayHours');
        expect(Object.keys(merchant)).not.toContain('claimWindowDays');
      }
      const demo = await api(portal, 'POST', API.login, {
        body: { email: 'demo@ristourne.test', password: 'cagnotte-demo' },
      });
      const cagnotte = (
        await api(portal, 'GET', API.cagnotte, { token: (demo.json() as { token: string }).token })
      ).json() as { transactions: Record<string, unknown>[] };
      for (const transaction of cagnotte.transactions) {
        expect(Object.keys(transaction)).not.toContain('expectedConfirmationAt');
      }
    } finally {
      await admin(portal, 'PUT', '/faults', { api: null });
    }
    expect((await api(portal, 'GET', API.claims, { token: member.token })).status).toBe(200);
    const list = MerchantListSchema.parse((await api(portal, 'GET', API.merchants)).json());
    expect(list.merchants.find((m) => m.id === 'numeria')?.trackingDelayHours).toBe(48);
  });
});
