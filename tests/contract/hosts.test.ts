/**
 * One port, many hosts: the portal, the demo network, the real networks' click hosts, competing
 * portals and the demo shops, told apart by the Host header. And both loopback addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickResponseSchema } from '../../utils/contract/schemas';
import {
  CookieJar,
  api,
  login,
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

const deepLink = () => `http://numeria.localhost:${portal.port}/produit/1?utm_source=x#haut`;

describe('listening', () => {
  it('answers on 127.0.0.1 and ::1, the addresses Chromium uses for localhost and *.localhost', async () => {
    expect(portal.addresses).toEqual(['127.0.0.1', '::1']);
    for (const address of ['127.0.0.1', '::1']) {
      const response = await send(portal, { path: '/api/v1/merchants', address, headers: {} });
      expect(response.status).toBe(200);
    }
    const shop = await send(portal, {
      address: '::1',
      host: `numeria.localhost:${portal.port}`,
      path: '/',
    });
    expect(shop.text()).toContain('Bienvenue chez Numéria');
    expect(portal.url).toBe(`http://localhost:${portal.port}`);
  });
});

describe('the demo network (clic.reseau-demo.localhost)', () => {
  const hop = (path: string) =>
    send(portal, { host: `clic.reseau-demo.localhost:${portal.port}`, path });

  it('lands another publisher’s link with a foreign rdclid, keeping query and hash', async () => {
    const landing = redirectTarget(
      await hop(`/clk?m=numeria&p=bons-plans&url=${encodeURIComponent(deepLink())}`),
    );
    expect(landing.origin).toBe(`http://numeria.localhost:${portal.port}`);
    expect(landing.search).toMatch(/^\?utm_source=x&rdclid=ext-[0-9a-f]{16}$/);
    expect(landing.hash).toBe('#haut');
  });

  it('answers an unknown click by 404 and a bad link by 400', async () => {
    expect((await hop('/clk?c=c_unknown')).status).toBe(404);
    expect((await hop('/clk?m=numeria&p=x&url=javascript:alert(1)')).status).toBe(400);
    expect((await hop('/clk?m=numeria&url=http://numeria.localhost/')).status).toBe(400);
  });

  it('replaces a stale rdclid already in the deep link', async () => {
    const token = await login(portal);
    const { redirectUrl, clickId } = ClickResponseSchema.parse(
      (
        await api(portal, 'POST', '/api/v1/clicks', {
          token,
          body: { merchantId: 'numeria', url: 'http://numeria.localhost/?rdclid=old&a=1' },
        })
      ).json(),
    );
    const landing = redirectTarget(
      await visit(portal, redirectTarget(await visit(portal, redirectUrl))),
    );
    expect(landing.search).toBe(`?a=1&rdclid=${clickId}`);
  });
});

describe('real networks mapped to loopback', () => {
  it('plays Awin: /cread.php lands with awc', async () => {
    for (const host of ['www.awin1.com', 'awin1.com']) {
      const response = await send(portal, {
        host,
        path: `/cread.php?awinmid=1234&awinaffid=98765&ued=${encodeURIComponent(deepLink())}`,
      });
      const landing = redirectTarget(response);
      expect(landing.pathname).toBe('/produit/1');
      expect(landing.searchParams.get('utm_source')).toBe('x');
      expect(landing.searchParams.get('awc')).toMatch(/^1234_\d{10}_[0-9a-f]{32}$/);
      expect(landing.hash).toBe('#haut');
    }
    expect(
      (await send(portal, { host: 'www.awin1.com', path: '/cread.php?awinmid=1' })).status,
    ).toBe(400);
  });

  it('plays Rakuten: /deeplink lands with ranMID and ranSiteID', async () => {
    const response = await send(portal, {
      host: 'click.linksynergy.com',
      path: `/deeplink?id=AbCdEf&mid=44556&murl=${encodeURIComponent(deepLink())}`,
    });
    const landing = redirectTarget(response);
    expect(landing.searchParams.get('ranMID')).toBe('44556');
    expect(landing.searchParams.get('ranSiteID')).toMatch(/^AbCdEf-[0-9a-f]{22}$/);
  });

  it('serves competing portals’ pages with a plain link to the merchant', async () => {
    for (const host of ['www.igraal.com', 'igraal.com', 'www.poulpeo.com']) {
      const page = await send(portal, { host, path: `/?to=${encodeURIComponent(deepLink())}` });
      expect(page.status).toBe(200);
      const link = /<a href="([^"]+)"[^>]*data-testid="competitor-link"/.exec(page.text());
      expect(link?.[1]?.replace(/&amp;/g, '&')).toBe(deepLink());
      expect(page.text()).not.toContain('noreferrer');
    }
    expect(
      (await send(portal, { host: 'www.igraal.com', path: '/?to=javascript:alert(1)' })).status,
    ).toBe(400);
  });
});

describe('demo shops', () => {
  const shop = (host: string, path = '/') => send(portal, { host: `${host}:${portal.port}`, path });

  it('serves the most specific merchant for a host', async () => {
    expect((await shop('voyages.grand-bazar.localhost')).text()).toContain(
      'Bienvenue chez Grand Bazar Voyages',
    );
    expect((await shop('www.grand-bazar.localhost')).text()).toContain(
      'Bienvenue chez Le Grand Bazar',
    );
    expect((await shop('lenoir-paris.localhost')).text()).toContain('Bienvenue chez Maison Lenoir');
    expect((await shop('NUMERIA.localhost.')).text()).toContain('Bienvenue chez Numéria');
  });

  it('has a home page with a product grid, product pages, a cart and a checkout', async () => {
    const home = (await shop('la-toupie-bleue.localhost')).text();
    expect(home).toContain('<header class="site">');
    expect(home.match(/data-testid="product-card"/g)).toHaveLength(6);
    expect(home.match(/>Ajouter au panier<\/button>/g)).toHaveLength(6);
    expect(home).toContain('href="/produit/1"');

    const product = await shop('la-toupie-bleue.localhost', '/produit/2');
    expect(product.text()).toContain('<h1>Peluche renard</h1>');
    expect((await shop('la-toupie-bleue.localhost', '/produit/99')).status).toBe(404);

    const cart = (await shop('la-toupie-bleue.localhost', '/panier')).text();
    expect(cart).toContain('<h1>Votre panier</h1>');
    expect(cart).toContain('Votre panier est vide.');
    const checkout = (await shop('la-toupie-bleue.localhost', '/commande')).text();
    expect(checkout).toContain('<h1>Paiement</h1>');
    expect(checkout).toMatch(/<button type="submit"\s+disabled>Payer<\/button>/);
  });

  it('keeps the cart in a cookie and refuses a bad product', async () => {
    const jar = new CookieJar();
    const added = await send(portal, {
      method: 'POST',
      host: `la-toupie-bleue.localhost:${portal.port}`,
      path: '/panier/ajouter',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'produit=6&quantite=2',
    });
    jar.store(added);
    expect(jar.get('panier')).toBe('6x2');
    const cart = await send(portal, {
      host: `la-toupie-bleue.localhost:${portal.port}`,
      path: '/panier',
      headers: jar.header(),
    });
    expect(cart.text()).toContain('Puzzle 1000 pièces');
    expect(cart.text()).toContain('Panier (2)');
    const bad = await send(portal, {
      method: 'POST',
      host: `la-toupie-bleue.localhost:${portal.port}`,
      path: '/panier/ajouter',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'produit=7',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers['set-cookie']).toBeUndefined();
  });

  it('sets the tracking cookie only from a well-formed rdclid', async () => {
    const good = await shop('numeria.localhost', '/?rdclid=c_abc-DEF_123');
    expect(String(good.headers['set-cookie'])).toMatch(
      /^rd_click=c_abc-DEF_123; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax/,
    );
    const bad = await shop('numeria.localhost', '/?rdclid=%3Cscript%3E');
    expect(bad.headers['set-cookie']).toBeUndefined();
  });
});

describe('portal pages', () => {
  it('serves the landing page with every demo shop, and the pages the extension links to', async () => {
    const home = (await send(portal, { path: '/' })).text();
    expect(home.match(/data-testid="merchant-row"/g)?.length).toBeGreaterThanOrEqual(30);
    expect(home).toContain(`href="http://numeria.localhost:${portal.port}/"`);
    expect(home).toContain('demo@ristourne.test');
    for (const [path, heading] of [
      ['/compte', 'Mon compte'],
      ['/inscription', 'Créer un compte'],
      ['/aide', 'Aide'],
    ]) {
      const page = await send(portal, { path: path! });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text()).toContain(`<h1>${heading}</h1>`);
      expect(page.text()).toContain('<html lang="fr">');
    }
  });

  it('signs a member up from the form, who can then sign in', async () => {
    const email = `inscrit-${Date.now()}@example.test`;
    const signUp = (fields: Record<string, string>) =>
      send(portal, {
        method: 'POST',
        path: '/inscription',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const created = await signUp({
      displayName: 'Inès Durand',
      email,
      password: 'un-mot-de-passe',
    });
    expect(created.status).toBe(200);
    expect(created.text()).toContain('data-testid="signup-success"');
    expect(await login(portal, { email, password: 'un-mot-de-passe' })).toBeTruthy();
    // Again: the same answer (throttling.test.ts), and the account is unchanged.
    const again = await signUp({ displayName: 'Autre', email, password: 'autre-mot-de-passe' });
    expect(again.status).toBe(200);
    expect(await login(portal, { email, password: 'un-mot-de-passe' })).toBeTruthy();
    const invalid = await signUp({ displayName: 'X', email: 'pas-un-email', password: 'court' });
    expect(invalid.status).toBe(400);
  });
});
