/** §3 of docs/portal-api.md: activation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickResponseSchema } from '../../utils/contract/schemas';
import { admin, api, expectError, login, startTestPortal, type TestPortal } from './helpers';
import type { ClickRecord } from '../../portal/api/ledger';

let portal: TestPortal;
let token: string;
beforeAll(async () => {
  portal = await startTestPortal();
  token = await login(portal);
});
afterAll(() => portal.stop());

async function recordedClick(id: string): Promise<ClickRecord | undefined> {
  const response = await admin(portal, 'GET', '/clicks');
  expect(response.status).toBe(200);
  return (response.json() as { clicks: ClickRecord[] }).clicks.find((click) => click.id === id);
}

describe('POST /api/v1/clicks', () => {
  it('records the click and answers 201 with a redirect on the portal origin', async () => {
    const url = `http://numeria.localhost:${portal.port}/produit/2?ref=home#avis`;
    const before = new Date().toISOString();
    const response = await api(portal, 'POST', '/api/v1/clicks', {
      token,
      body: { merchantId: 'numeria', url },
    });
    expect(response.status).toBe(201);
    const click = ClickResponseSchema.parse(response.json());
    expect(click.clickId).toMatch(/^c_[A-Za-z0-9_-]{12,}$/);
    expect(click.redirectUrl).toBe(`http://localhost:${portal.port}/go/${click.clickId}`);

    const recorded = await recordedClick(click.clickId);
    expect(recorded).toMatchObject({
      memberId: 'u_1',
      merchantId: 'numeria',
      url,
      followedAt: null,
    });
    expect(recorded!.createdAt >= before).toBe(true);
  });

  it('builds the redirect on the public origin, not on the Host the request came to', async () => {
    const response = await api(portal, 'POST', '/api/v1/clicks', {
      token,
      body: { merchantId: 'numeria', url: 'http://numeria.localhost/' },
      headers: { host: `127.0.0.1:${portal.port}` },
    });
    const click = ClickResponseSchema.parse(response.json());
    expect(click.redirectUrl).toBe(`http://localhost:${portal.port}/go/${click.clickId}`);
  });

  it('accepts a page on a subdomain of the merchant, and a nested merchant on its own', async () => {
    for (const [merchantId, url] of [
      ['grand-bazar', 'http://www.grand-bazar.localhost/panier'],
      ['grand-bazar-voyages', 'http://voyages.grand-bazar.localhost/commande'],
      ['maison-lenoir', 'http://lenoir-paris.localhost/'],
    ]) {
      const response = await api(portal, 'POST', '/api/v1/clicks', {
        token,
        body: { merchantId, url },
      });
      expect(response.status).toBe(201);
    }
  });

  it('answers 404 unknown_merchant for a merchant not in the list', async () => {
    const response = await api(portal, 'POST', '/api/v1/clicks', {
      token,
      body: { merchantId: 'fnac', url: 'https://www.fnac.com/' },
    });
    expectError(response, 404, 'unknown_merchant');
  });

  it('answers 401 when signed out and records nothing', async () => {
    const before = ((await admin(portal, 'GET', '/clicks')).json() as { clicks: unknown[] }).clicks;
    const response = await api(portal, 'POST', '/api/v1/clicks', {
      body: { merchantId: 'numeria', url: 'http://numeria.localhost/' },
    });
    expectError(response, 401, 'unauthorized');
    const after = ((await admin(portal, 'GET', '/clicks')).json() as { clicks: unknown[] }).clicks;
    expect(after.length).toBe(before.length);
  });

  it('answers 400 invalid_request for a url that is not http(s)', async () => {
    for (const url of [
      'not a url',
      'javascript:alert(1)',
      'ftp://numeria.localhost/',
      'file:///etc/passwd',
      '',
      42,
    ]) {
      const response = await api(portal, 'POST', '/api/v1/clicks', {
        token,
        body: { merchantId: 'numeria', url },
      });
      expectError(response, 400, 'invalid_request');
    }
  });

  it('answers 400 for a url off the merchant’s domains (no open redirect through /go/)', async () => {
    for (const url of [
      'https://evil.example/',
      'http://numeria.localhost.evil.example/',
      'http://notnumeria.localhost/',
    ]) {
      const response = await api(portal, 'POST', '/api/v1/clicks', {
        token,
        body: { merchantId: 'numeria', url },
      });
      expectError(response, 400, 'invalid_request');
    }
  });

  it('answers 400 for a missing merchantId and invalid_json for broken JSON', async () => {
    expectError(
      await api(portal, 'POST', '/api/v1/clicks', {
        token,
        body: { url: 'http://numeria.localhost/' },
      }),
      400,
      'invalid_request',
    );
    expectError(
      await api(portal, 'POST', '/api/v1/clicks', { token, rawBody: '{"merchantId":' }),
      400,
      'invalid_json',
    );
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const response = await api(portal, 'POST', '/api/v1/clicks', {
      token,
      body: { merchantId: 'numeria', url: `http://numeria.localhost/?q=${'a'.repeat(70_000)}` },
    });
    expectError(response, 413, 'payload_too_large');
  });
});
