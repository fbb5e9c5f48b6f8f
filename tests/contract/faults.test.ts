import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, ErrorBodySchema } from '../../utils/contract';
import { admin, api, startTestPortal, type TestPortal } from './helpers';

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(() => portal.stop());

const setFault = (fault: string | null) => admin(portal, 'PUT', '/faults', { api: fault });

describe('faults the portal plays on demand', () => {
  it('counts downloads and 304s of the merchant list', async () => {
    const first = await api(portal, 'GET', API.merchants);
    await api(portal, 'GET', API.merchants, {
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    const faults = (await admin(portal, 'GET', '/faults')).json();
    expect(faults).toMatchObject({ api: null, stats: { downloads: 1, notModified: 1 } });
  });

  it('plays an outage with Retry-After, then recovers', async () => {
    await setFault('unavailable');
    const down = await api(portal, 'GET', API.merchants);
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('120');
    expect(ErrorBodySchema.safeParse(down.json()).success).toBe(true);
    await setFault(null);
    expect((await api(portal, 'GET', API.merchants)).status).toBe(200);
  });

  it('plays broken bodies', async () => {
    await setFault('invalid-json');
    const broken = (await api(portal, 'GET', API.merchants)).text();
    expect(() => JSON.parse(broken)).toThrow();
    await setFault('not-a-list');
    expect((await api(portal, 'GET', API.merchants)).headers['content-type']).toMatch(/text\/html/);
    await setFault(null);
  });

  it('refuses an unknown fault and keeps the current one', async () => {
    const refused = await setFault('explode');
    expect(refused.status).toBe(400);
    expect((await admin(portal, 'GET', '/faults')).json()).toMatchObject({ api: null });
  });
});
