/** The portal keeps its data across a restart, and `reset` really starts over. */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CagnotteSchema,
  ClickResponseSchema,
  MerchantListSchema,
} from '../../utils/contract/schemas';
import { MIGRATIONS } from '../../portal/store/migrations';
import {
  api,
  expectError,
  login,
  newMember,
  startTestPortal,
  tempDataDir,
  type TestPortal,
} from './helpers';

const dataDir = tempDataDir();
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function cagnotteOf(portal: TestPortal, token: string) {
  return CagnotteSchema.parse((await api(portal, 'GET', '/api/v1/me/cagnotte', { token })).json());
}

describe('a restart on the same data folder', () => {
  it('keeps members, sessions, clicks, transactions and the list, without seeding twice', async () => {
    const first = await startTestPortal({ dataDir });
    const member = await newMember(first, 'Durable');
    const { clickId } = ClickResponseSchema.parse(
      (
        await api(first, 'POST', '/api/v1/clicks', {
          token: member.token,
          body: { merchantId: 'lumen-deco', url: 'http://lumen-deco.localhost/' },
        })
      ).json(),
    );
    const posted = await api(first, 'POST', '/network/postback', {
      headers: { 'x-postback-secret': first.postbackSecret },
      body: {
        clickId,
        merchantId: 'lumen-deco',
        orderRef: 'R-1',
        orderAmount: 15990,
        currency: 'EUR',
      },
    });
    expect(posted.status).toBe(201);
    const before = await cagnotteOf(first, member.token);
    expect(before.pending).toBe(1199); // 7.5 % of 159.90 € = 11.9925 €
    const listBefore = MerchantListSchema.parse(
      (await api(first, 'GET', '/api/v1/merchants')).json(),
    );
    await first.close();

    const second = await startTestPortal({ dataDir });
    try {
      expect(second.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(await cagnotteOf(second, member.token)).toEqual(before);
      expect((await api(second, 'GET', '/api/v1/me', { token: member.token })).status).toBe(200);
      const clicks = (
        await api(second, 'GET', '/admin/api/clicks', {
          headers: { 'x-admin-key': second.adminKey },
        })
      ).json() as { clicks: { id: string }[] };
      expect(clicks.clicks.map((click) => click.id)).toContain(clickId);

      const listAfter = MerchantListSchema.parse(
        (await api(second, 'GET', '/api/v1/merchants')).json(),
      );
      expect(listAfter.version).toBe(listBefore.version);
      expect(listAfter.merchants.map((m) => m.id)).toEqual(listBefore.merchants.map((m) => m.id));
      const counts = second.db
        .prepare(
          "SELECT (SELECT count(*) FROM members WHERE email = 'demo@ristourne.test') AS demo, (SELECT count(*) FROM merchants) AS merchants",
        )
        .get() as { demo: number; merchants: number };
      expect(counts).toEqual({ demo: 1, merchants: listBefore.merchants.length });
    } finally {
      await second.close();
    }
  });

  it('starts over with reset: the new member and its token are gone, the demo is back', async () => {
    const before = await startTestPortal({ dataDir });
    const member = await newMember(before, 'Efface');
    await before.close();

    const after = await startTestPortal({ dataDir, reset: true });
    try {
      expectError(
        await api(after, 'GET', '/api/v1/me', { token: member.token }),
        401,
        'unauthorized',
      );
      expectError(
        await api(after, 'POST', '/api/v1/auth/login', {
          body: { email: member.email, password: member.password },
        }),
        401,
        'invalid_credentials',
      );
      const demo = await cagnotteOf(after, await login(after));
      expect(demo.transactions).toHaveLength(8);
    } finally {
      await after.close();
    }
  });
});
