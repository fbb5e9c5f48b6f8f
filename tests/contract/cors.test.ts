/**
 * "Cookies and CORS" in docs/portal-api.md: the API answers the extension as a cross-origin
 * caller too (host access withdrawn, or never granted by Firefox), and only the extension.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../../utils/contract/schemas';
import { admin, api, DEMO, login, send, startTestPortal, type TestPortal } from './helpers';

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(() => portal.stop());

const FIREFOX = 'moz-extension://6f1c2b9e-4a57-4d0b-9c3e-2f8a1d7b5e40';
const CHROME = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

function preflight(origin: string, method: string, path: string, headers: string) {
  return send(portal, {
    method: 'OPTIONS',
    path,
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': headers,
    },
  });
}

describe('the extension without host access', () => {
  it.each([FIREFOX, CHROME])('passes the preflight of a sign-in from %s', async (origin) => {
    const response = await preflight(origin, 'POST', API.login, 'content-type');
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(origin);
    expect(String(response.headers['access-control-allow-methods']).split(',')).toContain('POST');
    expect(String(response.headers['access-control-allow-headers']).split(',')).toEqual(
      expect.arrayContaining(['Authorization', 'Content-Type', 'If-None-Match']),
    );
  });

  it('reads a signed-in answer, and the merchant list with its ETag', async () => {
    const token = await login(portal, DEMO);
    const cagnotte = await api(portal, 'GET', API.cagnotte, {
      token,
      headers: { origin: FIREFOX },
    });
    expect(cagnotte.status).toBe(200);
    expect(cagnotte.headers['access-control-allow-origin']).toBe(FIREFOX);
    expect(cagnotte.headers.vary).toMatch(/Origin/);

    const list = await api(portal, 'GET', API.merchants, { headers: { origin: FIREFOX } });
    expect(list.headers['access-control-allow-origin']).toBe(FIREFOX);
    expect(String(list.headers['access-control-expose-headers']).split(',')).toEqual(
      expect.arrayContaining(['ETag', 'Retry-After']),
    );
  });

  describe('when the portal is down', () => {
    afterEach(() => admin(portal, 'PUT', '/faults', { api: null }));

    it('still lets the extension read the status and Retry-After', async () => {
      await admin(portal, 'PUT', '/faults', { api: 'unavailable' });
      const down = await api(portal, 'GET', API.merchants, { headers: { origin: CHROME } });
      expect(down.status).toBe(503);
      expect(down.headers['access-control-allow-origin']).toBe(CHROME);
      expect(down.headers['retry-after']).toBe('120');
    });
  });
});

describe('anyone else', () => {
  it.each(['https://evil.example', 'http://localhost:8787', 'null', 'moz-extension://a/b'])(
    'gets no CORS grant for %s',
    async (origin) => {
      expect(
        (await preflight(origin, 'POST', API.login, 'content-type')).headers,
      ).not.toHaveProperty('access-control-allow-origin');
      const list = await api(portal, 'GET', API.merchants, { headers: { origin } });
      expect(list.status).toBe(200);
      expect(list.headers).not.toHaveProperty('access-control-allow-origin');
    },
  );

  it('a request without Origin (the extension with host access) is answered as before', async () => {
    const list = await api(portal, 'GET', API.merchants);
    expect(list.status).toBe(200);
    expect(list.headers).not.toHaveProperty('access-control-allow-origin');
  });
});
