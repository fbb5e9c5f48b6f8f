/**
 * The merchant catalogue of the reference portal's admin (portal/admin/catalogue.ts): each
 * change is a new version of the served list, entries are validated with the contract's
 * MerchantSchema, and an import is all or nothing, its errors naming the rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, MerchantListSchema, type MerchantList } from '../../utils/contract/schemas';
import { ADMIN_KEY, admin, api, send, startTestPortal, type TestPortal } from './helpers';

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(() => portal.stop());

const list = async (): Promise<MerchantList> =>
  MerchantListSchema.parse((await api(portal, 'GET', API.merchants)).json());

const shop = (id: string, extra: object = {}) => ({
  id,
  name: `Boutique ${id}`,
  domains: [`${id}.localhost`],
  cashback: { type: 'percent', value: 4.5 },
  ...extra,
});

function importCsv(text: string, mode = 'upsert') {
  return api(portal, 'POST', `/admin/api/merchants/import?mode=${mode}`, {
    rawBody: text,
    headers: { 'x-admin-key': ADMIN_KEY, 'content-type': 'text/csv' },
  });
}

describe('one merchant at a time', () => {
  it('adds, changes and removes a merchant, each a new version of the served list', async () => {
    const v0 = (await list()).version;
    const added = await admin(portal, 'POST', '/merchants', shop('ajout', { category: 'mode' }));
    expect(added.status).toBe(201);
    const v1 = (await list()).version;
    expect(v1).not.toBe(v0);
    expect((await list()).merchants.find((m) => m.id === 'ajout')).toMatchObject({
      cashback: { value: 4.5 },
    });

    const changed = await admin(portal, 'PUT', '/merchants/ajout', {
      ...shop('ajout'),
      cashback: { type: 'amount', value: 1500, currency: 'EUR' },
    });
    expect(changed.json()).toMatchObject({ changed: true, merchant: { category: 'mode' } });
    const patched = await admin(portal, 'PATCH', '/merchants/ajout', { prompts: 'never' });
    expect(patched.json()).toMatchObject({
      merchant: { prompts: 'never', cashback: { type: 'amount', value: 1500 } },
    });

    expect((await admin(portal, 'DELETE', '/merchants/ajout')).status).toBe(200);
    expect((await list()).merchants.some((m) => m.id === 'ajout')).toBe(false);
    expect((await admin(portal, 'DELETE', '/merchants/ajout')).status).toBe(404);
    // Listed again under the same id (its clicks still refer to it).
    expect((await admin(portal, 'POST', '/merchants', shop('ajout'))).status).toBe(201);
  });

  it('refuses what the contract refuses, with a message that says which field', async () => {
    const before = (await list()).version;
    const cases: [object, RegExp][] = [
      [shop('mauvais', { cashback: { type: 'percent', value: 101 } }), /cashback\.value/],
      [shop('mauvais', { domains: [] }), /domains/],
      [shop('mauvais', { domains: ['https://mauvais.fr/panier'] }), /domains\.0: not a hostname/],
      [shop('mauvais', { logoUrl: 'https://tiers.example/logo.png' }), /logoUrl/],
      [shop('mauvais', { prompts: 'parfois' }), /prompts/],
      [{ name: 'Sans id', domains: ['x.fr'], cashback: { type: 'percent', value: 1 } }, /id/],
    ];
    for (const [body, message] of cases) {
      const response = await admin(portal, 'POST', '/merchants', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((response.json() as { error: { message: string } }).error.message).toMatch(message);
    }
    const taken = (await list()).merchants[0]!;
    expect((await admin(portal, 'POST', '/merchants', shop(taken.id))).status).toBe(409);
    const sharing = await admin(
      portal,
      'POST',
      '/merchants',
      shop('copie', { domains: taken.domains }),
    );
    expect((sharing.json() as { error: { message: string } }).error.message).toContain(
      `already belongs to merchant "${taken.id}"`,
    );
    expect((await admin(portal, 'PUT', '/merchants/inconnu', shop('inconnu'))).status).toBe(404);
    expect((await list()).version).toBe(before);
  });

  it('needs the admin key', async () => {
    const response = await api(portal, 'POST', '/admin/api/merchants', { body: shop('cle') });
    expect(response.status).toBe(401);
  });
});

describe('importing a catalogue', () => {
  it('imports JSON all or nothing: one bad row and nothing is written, the rows named', async () => {
    const before = await list();
    const refused = await admin(portal, 'POST', '/merchants/import', {
      merchants: [
        shop('import-1'),
        shop('import-2', { cashback: { type: 'bonus', value: 1 } }),
        shop('import-3', { domains: ['import-1.localhost'] }),
      ],
    });
    expect(refused.status).toBe(400);
    const { errors } = refused.json() as { errors: { row: number; id: string }[] };
    expect(errors.map((e) => [e.row, e.id])).toEqual([[2, 'import-2']]);
    expect((await list()).version).toBe(before.version);
    expect((await list()).merchants.some((m) => m.id === 'import-1')).toBe(false);

    // Two entries of the batch claim one domain: refused too.
    const shared = await admin(portal, 'POST', '/merchants/import', [
      shop('import-1'),
      shop('import-3', { domains: ['import-1.localhost'] }),
    ]);
    expect(shared.json()).toMatchObject({ errors: [{ row: 2, id: 'import-3' }] });
    expect((await list()).version).toBe(before.version);

    const done = await admin(portal, 'POST', '/merchants/import', [
      shop('import-1'),
      shop('import-2'),
    ]);
    expect(done.json()).toMatchObject({ added: 2, changed: 0, removed: 0 });
    const again = await admin(portal, 'POST', '/merchants/import', [
      shop('import-1'),
      shop('import-2'),
    ]);
    expect(again.json()).toMatchObject({ added: 0, unchanged: 2, version: (await list()).version });
  });

  it('imports CSV, quoted cells and decimal commas included, and says which row is wrong', async () => {
    const header =
      'id,name,domains,cashbackType,cashbackValue,currency,upTo,checkoutPaths,prompts,terms,logo';
    const ok = await importCsv(
      [
        header,
        'csv-1,"Boutique, la première",csv-1.localhost csv-1b.localhost,percent,"4,5",,oui,/panier|/commande,checkout-only,"Hors ""promos""",oui',
        'csv-2,Boutique deux,csv-2.localhost,amount,1500,EUR,non,,,,non',
      ].join('\r\n'),
    );
    expect(ok.json()).toMatchObject({ added: 2 });
    const merchants = (await list()).merchants;
    expect(merchants.find((m) => m.id === 'csv-1')).toMatchObject({
      name: 'Boutique, la première',
      domains: ['csv-1.localhost', 'csv-1b.localhost'],
      cashback: { type: 'percent', value: 4.5, upTo: true },
      checkoutPaths: ['/panier', '/commande'],
      prompts: 'checkout-only',
      terms: 'Hors "promos"',
      logoUrl: expect.stringMatching(/\/logos\/csv-1\.svg$/),
    });
    expect(merchants.find((m) => m.id === 'csv-2')?.logoUrl).toBeUndefined();

    const bad = await importCsv(`${header}\ncsv-3,Trois,csv-3.localhost,percent,beaucoup,,,,,,\n`);
    expect(bad.json()).toMatchObject({
      errors: [{ row: 1, id: 'csv-3', message: expect.stringContaining('cashback.value') }],
    });
    expect((await importCsv('id,nom\nx,y')).json()).toMatchObject({
      error: { message: expect.stringContaining('unknown columns: nom') },
    });
    expect((await importCsv(`${header}\n"csv-4,Quatre`)).status).toBe(400);
  });

  it('replaces the catalogue when asked: merchants it lacks leave the list', async () => {
    const before = await list();
    const keep = before.merchants.slice(0, 5).map((m) => ({ ...m }));
    const response = await admin(portal, 'POST', '/merchants/import?mode=replace', keep);
    expect(response.json()).toMatchObject({ removed: before.merchants.length - 5, unchanged: 5 });
    expect((await list()).merchants.map((m) => m.id)).toEqual(keep.map((m) => m.id));
  });
});

describe('the pages', () => {
  const origin = () => `http://localhost:${portal.port}`;
  /** The admin's browser: a session opened by the sign-in form (admin-auth.ts). */
  async function signIn(): Promise<string> {
    const response = await send(portal, {
      method: 'POST',
      path: '/admin/connexion',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: origin() },
      body: `key=${ADMIN_KEY}`,
    });
    expect(response.status).toBe(303);
    const line = (response.headers['set-cookie'] ?? []).find((c) =>
      c.startsWith('ristourne_admin='),
    );
    return line!.split(';')[0]!;
  }
  const post = (path: string, body: URLSearchParams, headers: Record<string, string>) =>
    send(portal, {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: body.toString(),
    });

  it('are behind the admin sign-in, never a key in the URL', async () => {
    const merchant = (await list()).merchants[0]!;
    for (const path of ['/admin/marchands', `/admin/marchands/${merchant.id}`]) {
      expect((await send(portal, { path })).status, path).toBe(401);
      expect((await send(portal, { path: `${path}?key=${ADMIN_KEY}` })).status, path).toBe(401);
    }
    const cookie = await signIn();
    for (const path of ['/admin', '/admin/marchands', `/admin/marchands/${merchant.id}`]) {
      const page = await send(portal, { path, headers: { cookie } });
      expect(page.status, path).toBe(200);
      expect(page.text(), path).not.toContain('key=');
      expect(page.text(), path).not.toContain(ADMIN_KEY);
    }
    expect((await send(portal, { path: '/admin', headers: { cookie } })).text()).toContain(
      'href="/admin/marchands"',
    );
  });

  it('change a rate from the form: a new version, shown on the page', async () => {
    const cookie = await signIn();
    const merchant = (await list()).merchants[0]!;
    const form = await send(portal, {
      path: `/admin/marchands/${merchant.id}`,
      headers: { cookie },
    });
    expect(form.status).toBe(200);
    expect(form.text()).toContain('name="value"');
    expect(form.text()).toContain(`action="/admin/marchands/${merchant.id}"`);
    const body = new URLSearchParams({
      id: merchant.id,
      name: merchant.name,
      domains: merchant.domains.join('\n'),
      type: 'percent',
      value: '12,5',
      prompts: merchant.prompts,
      category: 'mode',
    });
    const saved = await post(`/admin/marchands/${merchant.id}`, body, { cookie, origin: origin() });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/admin/marchands/${merchant.id}?saved=1`);
    expect((await list()).merchants.find((m) => m.id === merchant.id)?.cashback).toMatchObject({
      value: 12.5,
    });
    const catalogue = await send(portal, { path: '/admin/marchands', headers: { cookie } });
    expect(catalogue.text()).toContain((await list()).version);
  });

  it("refuse a change, a removal or an import that another site's page sends with the session", async () => {
    const cookie = await signIn();
    const before = await list();
    const merchant = before.merchants[1]!;
    const change = new URLSearchParams({
      id: merchant.id,
      name: merchant.name,
      domains: merchant.domains.join('\n'),
      type: 'percent',
      value: '50',
      prompts: merchant.prompts,
    });
    const catalogue = new URLSearchParams({ catalogue: '[]', mode: 'replace' });
    for (const headers of [
      { cookie, origin: 'http://evil.example' },
      { cookie, origin: origin(), 'sec-fetch-site': 'cross-site' },
    ] as Record<string, string>[]) {
      for (const [path, body] of [
        [`/admin/marchands/${merchant.id}`, change],
        [`/admin/marchands/${merchant.id}/retirer`, new URLSearchParams()],
        ['/admin/marchands/import', catalogue],
      ] as const) {
        expect((await post(path, body, headers)).status, `${path} ${headers.origin}`).toBe(403);
      }
    }
    expect(await list()).toEqual(before);
  });
});
