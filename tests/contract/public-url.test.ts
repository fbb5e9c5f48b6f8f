/**
 * The URLs the API hands out (a click's `redirectUrl`, every `logoUrl` of the list and of its
 * changes) come from the portal's configured public origin, never from the request's Host header:
 * a forged Host must neither put an attacker's host into them nor make the portal rebuild its
 * merchant list (2 s of work at 100,000 merchants) once per new Host.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ClickResponseSchema,
  MerchantListDeltaSchema,
  MerchantListSchema,
} from '../../utils/contract/schemas';
import { startPortal } from '../../portal/start';
import { admin, api, login, send, startTestPortal, tempDataDir, type TestPortal } from './helpers';

const FORGED_HOSTS = [
  'evil.example',
  'evil.example:8080',
  '127.0.0.1',
  'attacker.localhost',
  'xn--80ak6aa92e.com',
  '[::1]',
];

describe('a portal with a configured public URL', () => {
  let portal: TestPortal;
  let token: string;
  beforeAll(async () => {
    portal = await startTestPortal({ publicUrl: 'https://cashback.example' });
    token = await login(portal);
  });
  afterAll(() => portal.stop());

  it('reports its public URL', () => {
    expect(portal.publicUrl).toBe('https://cashback.example');
  });

  it('puts every logo on the public origin, whatever the Host', async () => {
    for (const host of [`localhost:${portal.port}`, ...FORGED_HOSTS]) {
      const response = await api(portal, 'GET', '/api/v1/merchants', { headers: { host } });
      expect(response.status, host).toBe(200);
      const list = MerchantListSchema.parse(response.json());
      const logos = list.merchants.flatMap((m) => (m.logoUrl ? [m.logoUrl] : []));
      expect(logos.length).toBeGreaterThan(20);
      for (const logo of logos) expect(logo).toMatch(/^https:\/\/cashback\.example\/logos\//);
    }
  });

  it('sends the member to the public origin after a click, whatever the Host', async () => {
    for (const host of [`localhost:${portal.port}`, ...FORGED_HOSTS]) {
      const response = await api(portal, 'POST', '/api/v1/clicks', {
        token,
        body: { merchantId: 'numeria', url: 'http://numeria.localhost/' },
        headers: { host },
      });
      expect(response.status, host).toBe(201);
      const click = ClickResponseSchema.parse(response.json());
      expect(click.redirectUrl).toBe(`https://cashback.example/go/${click.clickId}`);
    }
  });

  it('builds the merchant list once, not once per Host', async () => {
    const listed = vi.spyOn(portal.store.merchants, 'listed');
    try {
      const etags = new Set<string>();
      for (let i = 0; i < 40; i += 1) {
        const response = await api(portal, 'GET', '/api/v1/merchants', {
          headers: { host: `h${i}.attacker.example:${1000 + i}` },
        });
        expect(response.status).toBe(200);
        etags.add(response.headers.etag!);
      }
      expect(listed).not.toHaveBeenCalled();
      expect(etags.size).toBe(1);
    } finally {
      listed.mockRestore();
    }
  });

  it('puts the logos of the changes on the public origin too, built once for every Host', async () => {
    const { version } = MerchantListSchema.parse(
      (await api(portal, 'GET', '/api/v1/merchants')).json(),
    );
    const changed = await admin(portal, 'PATCH', '/merchants/numeria', {
      cashback: { type: 'percent', value: 9 },
    });
    expect(changed.status).toBe(200);
    const changesSince = vi.spyOn(portal.store.merchants, 'changesSince');
    try {
      const etags = new Set<string>();
      for (const host of [`localhost:${portal.port}`, ...FORGED_HOSTS]) {
        const response = await api(portal, 'GET', `/api/v1/merchants/changes?since=${version}`, {
          headers: { host },
        });
        expect(response.status, host).toBe(200);
        const delta = MerchantListDeltaSchema.parse(response.json());
        expect(
          delta.upserted.map((m) => [m.id, m.logoUrl]),
          host,
        ).toEqual([['numeria', 'https://cashback.example/logos/numeria.svg']]);
        etags.add(response.headers.etag!);
      }
      expect(changesSince).toHaveBeenCalledTimes(1);
      expect(etags.size).toBe(1);
    } finally {
      changesSince.mockRestore();
    }
  });
});

describe('a portal without a configured public URL', () => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await startTestPortal();
  });
  afterAll(() => portal.stop());

  it('uses http://localhost:<port>, whatever the Host', async () => {
    expect(portal.publicUrl).toBe(`http://localhost:${portal.port}`);
    const token = await login(portal);
    for (const host of FORGED_HOSTS) {
      const list = MerchantListSchema.parse(
        (await api(portal, 'GET', '/api/v1/merchants', { headers: { host } })).json(),
      );
      expect(list.merchants[0]!.logoUrl).toBe(
        `http://localhost:${portal.port}/logos/${list.merchants[0]!.id}.svg`,
      );
      const click = ClickResponseSchema.parse(
        (
          await api(portal, 'POST', '/api/v1/clicks', {
            token,
            body: { merchantId: 'numeria', url: 'http://numeria.localhost/' },
            headers: { host },
          })
        ).json(),
      );
      expect(click.redirectUrl).toBe(`http://localhost:${portal.port}/go/${click.clickId}`);
    }
  });

  it('still routes by Host: the shops and the network are where they were', async () => {
    const shop = await send(portal, { host: `numeria.localhost:${portal.port}`, path: '/' });
    expect(shop.text()).toContain('Bienvenue chez Numéria');
    const hop = await send(portal, {
      host: `clic.reseau-demo.localhost:${portal.port}`,
      path: '/',
    });
    expect(hop.text()).toContain('Réseau Démo');
  });
});

describe('the public URL option', () => {
  it('refuses what is not an http(s) origin, with a clear message', async () => {
    for (const publicUrl of [
      'cashback.example',
      'ftp://cashback.example',
      'https://cashback.example/portail',
      'https://cashback.example/?x=1',
      'https://user:pw@cashback.example',
    ]) {
      const dataDir = tempDataDir();
      try {
        await expect(startPortal({ port: 0, dataDir, publicUrl }), publicUrl).rejects.toThrow(
          /public URL/i,
        );
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
  });

  it('accepts a trailing slash and a port, and keeps the origin only', async () => {
    const portal = await startTestPortal({ publicUrl: 'HTTPS://Cashback.Example:8443/' });
    try {
      expect(portal.publicUrl).toBe('https://cashback.example:8443');
    } finally {
      await portal.stop();
    }
  });
});
