/**
 * The whole loop through HTTP, as the browser would do it with every host mapped to the portal:
 * activation → /go/ → the network's hop → the shop with the tracking cookie → paying → the
 * postback → a pending transaction → the admin confirms it → the cagnotte moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CagnotteSchema, ClickResponseSchema, type Cagnotte } from '../../utils/contract/schemas';
import { productOf } from '../../portal/demo/catalog';
import {
  ADMIN_KEY,
  CookieJar,
  admin,
  api,
  expectError,
  newMember,
  redirectTarget,
  send,
  startTestPortal,
  visit,
  type TestPortal,
} from './helpers';

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(() => portal.stop());

interface AdminTransaction {
  id: string;
  memberId: string;
  merchantId: string;
  clickId: string | null;
  orderRef: string;
  orderAmount: number;
  cashback: number;
  status: string;
}

async function cagnotte(token: string): Promise<Cagnotte> {
  return CagnotteSchema.parse((await api(portal, 'GET', '/api/v1/me/cagnotte', { token })).json());
}

async function transactionsOf(memberId: string): Promise<AdminTransaction[]> {
  const response = await admin(portal, 'GET', '/transactions');
  expect(response.status).toBe(200);
  return (response.json() as { transactions: AdminTransaction[] }).transactions.filter(
    (t) => t.memberId === memberId,
  );
}

/** Puts products in the cart and pays; returns the confirmation page. */
async function buy(shop: string, jar: CookieJar, products: [number, number][]) {
  for (const [product, quantity] of products) {
    const added = await visit(portal, `${shop}/panier/ajouter`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...jar.header() },
      body: `produit=${product}&quantite=${quantity}`,
    });
    expect(redirectTarget(added, 303).pathname).toBe('/panier');
    jar.store(added);
  }
  const checkout = await visit(portal, `${shop}/commande`, { headers: jar.header() });
  expect(checkout.status).toBe(200);
  const paid = await visit(portal, `${shop}/commande/payer`, {
    method: 'POST',
    headers: jar.header(),
  });
  const confirmation = redirectTarget(paid, 303);
  expect(confirmation.pathname).toMatch(/^\/confirmation\/CMD-[0-9A-F]{8}$/);
  jar.store(paid);
  const page = await visit(portal, new URL(confirmation.pathname, shop), { headers: jar.header() });
  expect(page.status).toBe(200);
  return { checkout: checkout.text(), page: page.text() };
}

describe('the cashback loop', () => {
  it('credits a purchase made after an activation, then confirms it', async () => {
    const member = await newMember(portal, 'Boucle');
    const shop = `http://numeria.localhost:${portal.port}`;
    const deepLink = `${shop}/produit/3?couleur=noir&taille=6%20pouces#avis`;

    // 1. Activation from the extension.
    const clicked = await api(portal, 'POST', '/api/v1/clicks', {
      token: member.token,
      body: { merchantId: 'numeria', url: deepLink },
    });
    expect(clicked.status).toBe(201);
    const { clickId, redirectUrl } = ClickResponseSchema.parse(clicked.json());

    // 2. The portal records that the click was followed and sends the browser to the network.
    const go = await visit(portal, redirectUrl);
    const hop = redirectTarget(go);
    expect(hop.origin).toBe(`http://clic.reseau-demo.localhost:${portal.port}`);
    expect(hop.pathname).toBe('/clk');
    expect(hop.searchParams.get('c')).toBe(clickId);
    const clicks = (await admin(portal, 'GET', '/clicks')).json() as {
      clicks: { id: string; followedAt: string | null; merchantId: string; url: string }[];
    };
    const recorded = clicks.clicks.find((click) => click.id === clickId);
    expect(recorded).toMatchObject({ merchantId: 'numeria', url: deepLink });
    expect(recorded?.followedAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));

    // 3. The network lands on the deep link, own query and hash kept, with its tracking id.
    const landing = redirectTarget(await visit(portal, hop));
    expect(landing.href).toBe(
      `${shop}/produit/3?couleur=noir&taille=6%20pouces&rdclid=${clickId}#avis`,
    );

    // 4. The shop sets its first-party tracking cookie.
    const jar = new CookieJar();
    const product = await visit(portal, landing);
    expect(product.status).toBe(200);
    expect(product.text()).toContain('<h1>Liseuse 6 pouces</h1>');
    jar.store(product);
    expect(jar.get('rd_click')).toBe(clickId);
    expect(String(product.headers['set-cookie'])).toMatch(/Max-Age=2592000/);

    // 5. Pay: the shop posts the conversion back to the portal.
    const price = productOf('high-tech', 3)!.price;
    expect(price).toBe(12999);
    const { checkout, page } = await buy(shop, jar, [[3, 1]]);
    expect(checkout).toContain('129,99');
    expect(page).toMatch(/Commande n° CMD-[0-9A-F]{8} confirmée/);
    expect(page).toContain('data-tracked="true"');

    // 6. A pending transaction of orderAmount × 2.5 % (324.975 → 325 cents).
    const pending = await cagnotte(member.token);
    expect(pending).toMatchObject({ pending: 325, confirmed: 0, paid: 0 });
    expect(pending.transactions).toEqual([
      expect.objectContaining({
        merchantId: 'numeria',
        merchantName: 'Numéria',
        orderAmount: 12999,
        cashback: 325,
        status: 'pending',
      }),
    ]);
    const [transaction] = await transactionsOf(member.id);
    expect(transaction).toMatchObject({ clickId, orderAmount: 12999, status: 'pending' });

    // 7. The merchant validates the order: confirmed moves, pending empties.
    const confirmed = await admin(portal, 'POST', `/transactions/${transaction!.id}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.json()).toMatchObject({
      transaction: { id: transaction!.id, status: 'confirmed' },
    });
    expect(await cagnotte(member.token)).toMatchObject({ pending: 0, confirmed: 325, paid: 0 });

    // 8. The shop knows what it reported.
    const orders = (await admin(portal, 'GET', '/orders')).json() as {
      orders: {
        clickId: string;
        amount: number;
        postbackStatus: number;
        cashbackTracked: boolean;
      }[];
    };
    expect(orders.orders[0]).toMatchObject({
      clickId,
      amount: 12999,
      postbackStatus: 201,
      cashbackTracked: true,
    });
  });

  it('credits a fixed amount whatever the order, on a cart of several products', async () => {
    const member = await newMember(portal, 'Forfait');
    const shop = `http://hotel-des-cimes.localhost:${portal.port}`;
    const { redirectUrl } = ClickResponseSchema.parse(
      (
        await api(portal, 'POST', '/api/v1/clicks', {
          token: member.token,
          body: { merchantId: 'hotel-des-cimes', url: `${shop}/` },
        })
      ).json(),
    );
    const landing = redirectTarget(
      await visit(portal, redirectTarget(await visit(portal, redirectUrl))),
    );
    const jar = new CookieJar();
    jar.store(await visit(portal, landing));
    const { checkout } = await buy(shop, jar, [
      [1, 2],
      [3, 1],
    ]);
    // 2 weekends in Lisbon (349.00 €) + a night in a tree house (189.00 €).
    const total = 2 * productOf('voyage', 1)!.price + productOf('voyage', 3)!.price;
    expect(total).toBe(88700);
    expect(checkout).toContain('887,00\u00a0€');
    const body = await cagnotte(member.token);
    expect(body.transactions[0]).toMatchObject({ orderAmount: 88700, cashback: 2000 });
  });

  it('tracks nothing when the shop is visited without activation', async () => {
    const member = await newMember(portal, 'Direct');
    const shop = `http://numeria.localhost:${portal.port}`;
    const jar = new CookieJar();
    jar.store(await visit(portal, `${shop}/`));
    expect(jar.get('rd_click')).toBeUndefined();
    const { page } = await buy(shop, jar, [[1, 1]]);
    expect(page).toContain('data-tracked="false"');
    expect(await transactionsOf(member.id)).toEqual([]);
  });

  it('credits nobody after another publisher’s link replaced our cookie (last click wins)', async () => {
    const member = await newMember(portal, 'Concurrence');
    const shop = `http://numeria.localhost:${portal.port}`;
    const { redirectUrl } = ClickResponseSchema.parse(
      (
        await api(portal, 'POST', '/api/v1/clicks', {
          token: member.token,
          body: { merchantId: 'numeria', url: `${shop}/` },
        })
      ).json(),
    );
    const jar = new CookieJar();
    const ours = redirectTarget(
      await visit(portal, redirectTarget(await visit(portal, redirectUrl))),
    );
    jar.store(await visit(portal, ours));

    const foreign = await send(portal, {
      host: `clic.reseau-demo.localhost:${portal.port}`,
      path: `/clk?m=numeria&p=bons-plans&url=${encodeURIComponent(`${shop}/produit/2`)}`,
    });
    const theirs = redirectTarget(foreign);
    expect(theirs.searchParams.get('rdclid')).toMatch(/^ext-[0-9a-f]{16}$/);
    jar.store(await visit(portal, theirs, { headers: jar.header() }));
    expect(jar.get('rd_click')).toMatch(/^ext-/);

    const { page } = await buy(shop, jar, [[2, 1]]);
    expect(page).toContain('data-tracked="false"');
    expect(await transactionsOf(member.id)).toEqual([]);
    const orders = (await admin(portal, 'GET', '/orders?limit=1')).json() as {
      orders: { postbackStatus: number }[];
    };
    expect(orders.orders[0]!.postbackStatus).toBe(404);
  });
});

describe('GET /go/:clickId', () => {
  it('answers an unknown click with a 404 page', async () => {
    const response = await send(portal, { path: '/go/c_doesnotexist' });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text()).toContain('Lien inconnu');
  });
});

describe('the admin', () => {
  it('allows pending → confirmed → cancelled only, and answers 409 otherwise', async () => {
    const member = await newMember(portal, 'Transitions');
    const memberRowId = Number(member.id.slice(2));
    const merchant = portal.store.merchants.get('cap-montagne')!;
    const make = (ref: string) =>
      portal.store.ledger.addTransaction({
        memberRowId,
        merchant,
        clickId: null,
        orderRef: ref,
        orderedAt: new Date().toISOString(),
        orderAmount: 10000,
        status: 'pending',
      }).id;
    const a = make(`${member.id}-a`);
    const b = make(`${member.id}-b`);

    expect((await admin(portal, 'POST', `/transactions/${a}/confirm`)).status).toBe(200);
    expectError(
      await admin(portal, 'POST', `/transactions/${a}/confirm`),
      409,
      'invalid_transition',
    );
    expect((await admin(portal, 'POST', `/transactions/${a}/cancel`)).status).toBe(200);
    expectError(
      await admin(portal, 'POST', `/transactions/${a}/cancel`),
      409,
      'invalid_transition',
    );
    expectError(
      await admin(portal, 'POST', `/transactions/${a}/confirm`),
      409,
      'invalid_transition',
    );
    expect((await admin(portal, 'POST', `/transactions/${b}/cancel`)).status).toBe(200);
    expectError(
      await admin(portal, 'POST', `/transactions/${b}/confirm`),
      409,
      'invalid_transition',
    );
    expect(await cagnotte(member.token)).toMatchObject({ pending: 0, confirmed: 0, paid: 0 });

    // A paid transaction (from the seed) cannot be cancelled.
    const paid = (await transactionsOf('u_1')).find((t) => t.status === 'paid')!;
    expectError(
      await admin(portal, 'POST', `/transactions/${paid.id}/cancel`),
      409,
      'invalid_transition',
    );
  });

  it('answers 404 for an unknown transaction or action, 401 without the key', async () => {
    expectError(
      await admin(portal, 'POST', '/transactions/t_999999/confirm'),
      404,
      'unknown_transaction',
    );
    expectError(
      await admin(portal, 'POST', '/transactions/nope/confirm'),
      404,
      'unknown_transaction',
    );
    expectError(await admin(portal, 'POST', '/transactions/t_1/pay'), 404, 'not_found');
    expectError(await api(portal, 'GET', '/admin/api/transactions'), 401, 'unauthorized');
    expectError(
      await api(portal, 'POST', '/admin/api/transactions/t_1/cancel', {
        headers: { 'x-admin-key': 'wrong' },
      }),
      401,
      'unauthorized',
    );
    // Never in the URL (admin-access.test.ts).
    expect((await send(portal, { path: '/admin/api/clicks?key=demo-admin' })).status).toBe(401);
    expectError(await admin(portal, 'GET', '/clicks?limit=0'), 400, 'invalid_request');
  });

  it('shows a page with Confirm / Cancel buttons that work', async () => {
    const member = await newMember(portal, 'Page');
    const merchant = portal.store.merchants.get('velo-sud')!;
    const { id } = portal.store.ledger.addTransaction({
      memberRowId: Number(member.id.slice(2)),
      merchant,
      clickId: null,
      orderRef: `${member.id}-page`,
      orderedAt: new Date().toISOString(),
      orderAmount: 20000,
      status: 'pending',
    });
    expect((await send(portal, { path: '/admin' })).status).toBe(401);
    const headers = { 'x-admin-key': ADMIN_KEY };
    const pageHtml = (await send(portal, { path: '/admin', headers })).text();
    expect(pageHtml).toContain(`action="/admin/transactions/${id}/confirm"`);
    expect(pageHtml).toContain('>Confirmer</button>');
    expect(pageHtml).toContain('>Annuler</button>');
    const posted = await send(portal, {
      method: 'POST',
      path: `/admin/transactions/${id}/confirm`,
      headers,
    });
    expect(redirectTarget(posted, 303).pathname).toBe('/admin');
    expect(await cagnotte(member.token)).toMatchObject({ confirmed: 700 }); // 3.5 % of 200 €
  });
});

describe('POST /network/postback', () => {
  const postback = (body: unknown, secret = 'reseau-demo-postback') =>
    api(portal, 'POST', '/network/postback', { body, headers: { 'x-postback-secret': secret } });

  it('refuses a wrong secret, a bad body, an unknown click and a click for another merchant', async () => {
    const member = await newMember(portal, 'Postback');
    const { clickId } = ClickResponseSchema.parse(
      (
        await api(portal, 'POST', '/api/v1/clicks', {
          token: member.token,
          body: { merchantId: 'belle-de-jour', url: 'http://belle-de-jour.localhost/' },
        })
      ).json(),
    );
    const good = {
      clickId,
      merchantId: 'belle-de-jour',
      orderRef: `PB-${clickId}`,
      orderAmount: 5000,
      currency: 'EUR',
    };
    expectError(await postback(good, 'wrong'), 401, 'unauthorized');
    expectError(await postback({ ...good, orderAmount: -1 }), 400, 'invalid_request');
    expectError(await postback({ ...good, orderAmount: 10.5 }), 400, 'invalid_request');
    expectError(await postback({ ...good, currency: 'USD' }), 400, 'invalid_request');
    expectError(await postback({ ...good, clickId: 'ext-123' }), 404, 'unknown_click');
    expectError(await postback({ ...good, merchantId: 'numeria' }), 409, 'merchant_mismatch');
    expect(await transactionsOf(member.id)).toEqual([]);

    expect((await postback(good)).status).toBe(201);
    expect((await postback(good)).status).toBe(200); // the same order reported twice
    const transactions = await transactionsOf(member.id);
    expect(transactions).toHaveLength(1);
    expect(transactions[0]).toMatchObject({ cashback: 400, status: 'pending' }); // 8 % of 50 €
  });
});
