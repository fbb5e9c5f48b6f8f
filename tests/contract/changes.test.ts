/**
 * §2b of docs/portal-api.md: the changes of the merchant list since a version. The reference
 * portal's changes turn the list of that version into the current list, are the same bytes for
 * everyone (a CDN may serve them), and say 410 when they cannot be given.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API,
  MerchantListDeltaSchema,
  MerchantListSchema,
  type Merchant,
  type MerchantList,
} from '../../utils/contract/schemas';
import { admin, api, expectError, login, startTestPortal, type TestPortal } from './helpers';

let portal: TestPortal;
let clock = Date.parse('2026-11-23T10:00:00Z');

beforeAll(async () => {
  portal = await startTestPortal({ now: () => new Date(clock) });
});
afterAll(() => portal.stop());

async function currentList(): Promise<MerchantList> {
  return MerchantListSchema.parse((await api(portal, 'GET', API.merchants)).json());
}

const changesSince = (version: string, headers: Record<string, string> = {}) =>
  api(portal, 'GET', `${API.merchantChanges}?since=${encodeURIComponent(version)}`, { headers });

interface Stats {
  downloads: number;
  changes: number;
  changesApplied: number;
  changesGone: number;
  changesNotModified: number;
}
const stats = async () =>
  ((await admin(portal, 'GET', '/faults')).json() as { stats: Stats }).stats;

/** What a client does with changes: replace or add the upserted, take out the removed. */
function apply(list: MerchantList, delta: unknown): MerchantList {
  const changes = MerchantListDeltaSchema.parse(delta);
  expect(changes.from).toBe(list.version);
  const byId = new Map<string, Merchant>(list.merchants.map((m) => [m.id, m]));
  for (const id of changes.removed) byId.delete(id);
  for (const merchant of changes.upserted) byId.set(merchant.id, merchant);
  return {
    version: changes.to,
    merchants: [...byId.values()],
    standDown: changes.standDown ?? list.standDown,
  };
}

const sorted = (list: MerchantList) => ({
  ...list,
  merchants: [...list.merchants].sort((a, b) => a.id.localeCompare(b.id)),
});

describe('GET /api/v1/merchants/changes', () => {
  it('turns the list of a version into the current list, whatever happened in between', async () => {
    const before = await currentList();
    const [first, second, third] = before.merchants;
    expect(
      (
        await admin(portal, 'PATCH', `/merchants/${first!.id}`, {
          cashback: { type: 'percent', value: 11 },
        })
      ).status,
    ).toBe(200);
    expect((await admin(portal, 'DELETE', `/merchants/${second!.id}`)).status).toBe(200);
    const added = {
      id: 'nouvelle-boutique',
      name: 'Nouvelle boutique',
      domains: ['nouvelle-boutique.localhost'],
      cashback: { type: 'percent', value: 3 },
    };
    expect((await admin(portal, 'POST', '/merchants', added)).status).toBe(201);
    // Added then removed in between: the client never had it, the changes do not mention it.
    const ephemeral = { ...added, id: 'ephemere', domains: ['ephemere.localhost'] };
    expect((await admin(portal, 'POST', '/merchants', ephemeral)).status).toBe(201);
    expect((await admin(portal, 'DELETE', '/merchants/ephemere')).status).toBe(200);
    // Changed twice: once in the changes, as it is now.
    await admin(portal, 'PATCH', `/merchants/${third!.id}`, { name: 'Renommé' });
    await admin(portal, 'PATCH', `/merchants/${third!.id}`, { name: 'Renommé encore' });

    const response = await changesSince(before.version);
    expect(response.status).toBe(200);
    const delta = MerchantListDeltaSchema.parse(response.json());
    expect(delta.upserted.map((m) => m.id).sort()).toEqual(
      [first!.id, third!.id, 'nouvelle-boutique'].sort(),
    );
    expect(delta.removed).toEqual([second!.id]);
    expect(sorted(apply(before, response.json()))).toEqual(sorted(await currentList()));
  });

  it('answers a client up to date with empty changes, and a 304 to its ETag', async () => {
    const list = await currentList();
    const response = await changesSince(list.version);
    expect(response.json()).toMatchObject({
      from: list.version,
      to: list.version,
      upserted: [],
      removed: [],
    });
    const again = await changesSince(list.version, { 'if-none-match': response.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('makes no new version for a change that changes nothing', async () => {
    const list = await currentList();
    const first = list.merchants[0]!;
    const same = await admin(portal, 'PATCH', `/merchants/${first.id}`, { name: first.name });
    expect(same.json()).toMatchObject({ changed: false, version: list.version });
  });

  it('is the same for every client, for any shared cache to keep', async () => {
    const list = await currentList();
    const [epoch, seq] = list.version.split('-');
    const since = `${epoch}-${Number(seq) - 1}`;
    const token = await login(portal);
    const plain = await changesSince(since, { 'accept-encoding': 'gzip' });
    const signedIn = await api(portal, 'GET', `${API.merchantChanges}?since=${since}`, {
      token,
      headers: { 'accept-encoding': 'gzip', cookie: 'session=abc; other=1' },
    });
    for (const response of [plain, signedIn]) {
      expect(response.status).toBe(200);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(response.headers['cache-control']).toMatch(
        /^public, max-age=\d+, stale-while-revalidate=\d+$/,
      );
      // No cookie, no token: only the encoding, and the CORS headers the Origin.
      expect(String(response.headers.vary).split(/,\s*/)).toEqual(['Accept-Encoding', 'Origin']);
      expect(response.headers['content-encoding']).toBe('gzip');
    }
    expect(signedIn.headers.etag).toBe(plain.headers.etag);
    expect(signedIn.body.equals(plain.body)).toBe(true);
    const text = zlib.gunzipSync(plain.body).toString('utf8');
    expect(text).not.toContain('demo@ristourne.test');
    expect(text).not.toContain(token);
    // The whole list too.
    const whole = await api(portal, 'GET', API.merchants, { token, headers: { cookie: 'a=b' } });
    expect(whole.headers['set-cookie']).toBeUndefined();
    expect(whole.headers['cache-control']).toMatch(/^public\b/);
  });

  it('answers 410 for a version of another database or too old, 400 for what is no version', async () => {
    const list = await currentList();
    const [epoch, seq] = list.version.split('-');
    const other = epoch === '00000000' ? '11111111' : '00000000';
    const gone = await changesSince(`${other}-1`);
    expectError(gone, 410, 'unknown_version');
    expect(gone.headers['cache-control']).toMatch(/^public\b/);
    expectError(await changesSince(`${epoch}-${Number(seq) + 100}`), 410, 'unknown_version');
    expectError(await changesSince('2026-11-23T08:00:00Z'), 400, 'invalid_request');
    expectError(await api(portal, 'GET', API.merchantChanges), 400, 'invalid_request');

    // A month later, a change prunes the log: the versions before the last one kept are too old;
    // the last one's changes are still there.
    clock += 31 * 24 * 60 * 60_000;
    const first = list.merchants[0]!;
    await admin(portal, 'PATCH', `/merchants/${first.id}`, { name: `${first.name} !` });
    expectError(await changesSince(`${epoch}-${Number(seq) - 1}`), 410, 'version_too_old');
    expect((await changesSince(list.version)).json()).toMatchObject({
      upserted: [{ id: first.id }],
    });
  });

  it('counts whole lists, changes and 410s apart', async () => {
    const before = await stats();
    const list = await currentList();
    await changesSince(list.version);
    await changesSince('00000000-1');
    await admin(portal, 'PATCH', `/merchants/${list.merchants[1]!.id}`, { name: 'Compté' });
    await changesSince(list.version);
    const after = await stats();
    expect(after.downloads - before.downloads).toBe(1);
    expect(after.changes - before.changes).toBe(2);
    expect(after.changesApplied - before.changesApplied).toBe(1);
    expect(after.changesGone - before.changesGone).toBe(1);
  });
});

describe('faults of the changes route', () => {
  const setChangesFault = (changes: string | null) =>
    admin(portal, 'PUT', '/faults', { api: null, changes });

  it('plays a portal without the route, one that always says too old, a whole list, another base', async () => {
    const list = await currentList();
    const since = `${list.version.split('-')[0]}-${Number(list.version.split('-')[1]) - 1}`;
    try {
      await setChangesFault('unsupported');
      expectError(await changesSince(since), 404, 'not_found');
      await setChangesFault('gone');
      expectError(await changesSince(since), 410, 'version_too_old');
      await setChangesFault('whole-list');
      const whole = (await changesSince(since)).json();
      expect(MerchantListSchema.safeParse(whole).success).toBe(true);
      await setChangesFault('wrong-base');
      const wrong = MerchantListDeltaSchema.parse((await changesSince(since)).json());
      expect(wrong.from).not.toBe(since);
      await setChangesFault('unknown-removal');
      const removal = MerchantListDeltaSchema.parse((await changesSince(since)).json());
      expect(removal.removed).toContain('never-listed-merchant');
    } finally {
      await setChangesFault(null);
    }
    expect(MerchantListDeltaSchema.parse((await changesSince(since)).json()).from).toBe(since);
  });
});
