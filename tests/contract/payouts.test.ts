/**
 * §5 of docs/portal-api.md: the member's money. What may be withdrawn and how, a payout that moves
 * money from confirmed to requested to paid (or back, when it fails) in one transaction, never
 * below zero, never twice for one Idempotency-Key; every refusal with its code; the admin's side;
 * the whole history a page at a time; and the tiers' rates.
 */
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API,
  CagnotteSchema,
  MerchantListSchema,
  PayoutOptionsSchema,
  PayoutPageSchema,
  PayoutSchema,
  TransactionPageSchema,
  UserSchema,
  type Cagnotte,
  type Payout,
} from '../../utils/contract/schemas';
import { parseMemberId } from '../../portal/api/members';
import { DB_FILE_NAME } from '../../portal/store/db';
import { PREMIUM_MEMBER } from '../../portal/demo/seed';
import {
  DEMO,
  admin,
  api,
  expectError,
  login,
  newMember,
  send,
  startTestPortal,
  visit,
  type RawResponse,
  type TestPortal,
} from './helpers';

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(() => portal.stop());

const newKey = () => crypto.randomUUID();

async function cagnotte(token: string): Promise<Cagnotte> {
  const response = await api(portal, 'GET', API.cagnotte, { token });
  expect(response.status).toBe(200);
  return CagnotteSchema.parse(response.json());
}

function requestPayout(token: string, body: unknown, key: string = newKey()): Promise<RawResponse> {
  return api(portal, 'POST', API.payouts, { token, body, headers: { 'idempotency-key': key } });
}

async function payout(token: string, body: unknown, key?: string): Promise<Payout> {
  const response = await requestPayout(token, body, key);
  expect(response.status, response.text()).toBe(201);
  return PayoutSchema.parse(response.json());
}

/** Confirmed cashback of exactly `cents` for the member (an order at la-toupie-bleue, 5 %). */
function credit(memberId: string, cents: number, status: 'confirmed' | 'pending' = 'confirmed') {
  return portal.store.ledger.addTransaction({
    memberRowId: parseMemberId(memberId)!,
    merchant: portal.store.merchants.get('la-toupie-bleue')!,
    clickId: null,
    orderRef: `CREDIT-${crypto.randomUUID()}`,
    orderedAt: new Date().toISOString(),
    orderAmount: cents * 20,
    status,
  });
}

/** A fresh member with `cents` confirmed and, unless told otherwise, a bank account. */
async function memberWith(cents: number, options: { bankAccount?: boolean } = {}) {
  const member = await newMember(portal, 'Payeur');
  if (cents > 0) credit(member.id, cents);
  if (options.bankAccount !== false) {
    const saved = await admin(portal, 'PUT', `/members/${member.id}/bank-account`, {
      iban: 'GB82 WEST 1234 5698 7654 32',
      holder: 'Test Payeur',
    });
    expect(saved.status).toBe(200);
  }
  return member;
}

const transfer = (amount: number) => ({ method: 'transfer', amount, currency: 'EUR' });
const donation = (amount: number, charityId = 'lire-et-grandir') => ({
  method: 'donation',
  amount,
  currency: 'EUR',
  charityId,
});
const voucher = (amount: number, brandId = 'grand-bazar') => ({
  method: 'voucher',
  amount,
  currency: 'EUR',
  brandId,
});

async function settle(id: string, settlement: 'pay' | 'fail', body?: unknown) {
  return admin(portal, 'POST', `/payouts/${id}/${settlement}`, body);
}

describe('GET /api/v1/me/payout-options', () => {
  it('says what the demo member may withdraw, and how', async () => {
    const token = await login(portal);
    const response = await api(portal, 'GET', API.payoutOptions, { token });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const options = PayoutOptionsSchema.parse(response.json());
    expect(options).toMatchObject({
      currency: 'EUR',
      threshold: 1000,
      available: (await cagnotte(token)).confirmed,
      transfer: {
        minimum: 1000,
        fee: { fixed: 50, percent: 0 },
        account: { masked: 'FR76 •••• 0189', holder: 'Camille Martin' },
        accountUrl: `${portal.url}/compte/rib`,
      },
      voucher: { minimum: 1000, fee: { fixed: 0, percent: 0 } },
      donation: { minimum: 100 },
    });
    // The whole IBAN never leaves the portal.
    expect(response.text()).not.toContain('30006000011234567890189');
    // Every logo on the portal's own origin, and served there.
    const logos = [
      ...options.voucher!.brands.map((brand) => brand.logoUrl),
      ...options.donation!.charities.map((charity) => charity.logoUrl),
    ];
    expect(logos.length).toBeGreaterThanOrEqual(6);
    for (const logo of logos) {
      expect(new URL(logo!).origin).toBe(portal.url);
      const image = await visit(portal, logo!);
      expect(image.status, logo).toBe(200);
      expect(image.headers['content-type']).toMatch(/^image\/svg\+xml/);
    }
    expect(options.donation!.charities[0]).toMatchObject({
      id: 'lire-et-grandir',
      name: 'Lire et Grandir',
      description: expect.stringMatching(/\S/),
      raised: 0,
    });
  });

  it('has no account for a member who registered none, and answers 401 signed out', async () => {
    const member = await memberWith(2000, { bankAccount: false });
    const options = PayoutOptionsSchema.parse(
      (await api(portal, 'GET', API.payoutOptions, { token: member.token })).json(),
    );
    expect(options.transfer!.account).toBeNull();
    expect(options.available).toBe(2000);
    expectError(await api(portal, 'GET', API.payoutOptions), 401, 'unauthorized');
  });
});

describe('POST /api/v1/me/payouts', () => {
  it('moves a transfer from confirmed to requested to paid, with its fee', async () => {
    const member = await memberWith(4295);
    const requested = await payout(member.token, transfer(4245));
    expect(requested).toMatchObject({
      method: 'transfer',
      amount: 4245,
      fee: 50,
      currency: 'EUR',
      status: 'requested',
      account: 'GB82 •••• 5432',
    });
    expect(requested.settledAt).toBeUndefined();
    let figures = await cagnotte(member.token);
    expect(figures).toMatchObject({ confirmed: 0, paid: 0 });

    const paid = await settle(requested.id, 'pay');
    expect(paid.status).toBe(200);
    figures = await cagnotte(member.token);
    expect(figures).toMatchObject({ confirmed: 0, paid: 4295 });
    const [listed] = PayoutPageSchema.parse(
      (await api(portal, 'GET', API.payouts, { token: member.token })).json(),
    ).payouts;
    expect(listed).toMatchObject({ id: requested.id, status: 'paid' });
    expect(Date.parse(listed!.settledAt!)).not.toBeNaN();
    // Settled once: paying or failing it again is refused.
    expectError(await settle(requested.id, 'fail'), 409, 'invalid_transition');
    expectError(await settle('p_999999', 'pay'), 404, 'unknown_payout');
  });

  it('gives the money back to the confirmed balance when the payout fails', async () => {
    const member = await memberWith(3000);
    const requested = await payout(member.token, transfer(2000));
    expect((await cagnotte(member.token)).confirmed).toBe(950);
    expect((await settle(requested.id, 'fail')).status).toBe(200);
    expect(await cagnotte(member.token)).toMatchObject({ confirmed: 3000, paid: 0 });
  });

  it('pays a voucher with a code, shown to its member', async () => {
    const member = await memberWith(2500);
    const requested = await payout(member.token, voucher(2000));
    expect(requested).toMatchObject({
      method: 'voucher',
      amount: 2000,
      fee: 0,
      voucher: { brandId: 'grand-bazar', brandName: 'Le Grand Bazar' },
    });
    expect(requested.voucher!.code).toBeUndefined();
    expect((await settle(requested.id, 'pay')).status).toBe(200);
    const { payouts } = PayoutPageSchema.parse(
      (await api(portal, 'GET', API.payouts, { token: member.token })).json(),
    );
    expect(payouts[0]!.voucher!.code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    // 5,00 € left: below the threshold now.
    expectError(
      await requestPayout(member.token, voucher(1000, 'librairie-des-quais')),
      422,
      'below_threshold',
    );
  });

  it('takes the admin’s own voucher code', async () => {
    const member = await memberWith(1500);
    const requested = await payout(member.token, voucher(1000, 'librairie-des-quais'));
    const paid = await settle(requested.id, 'pay', { code: 'LIRE-2026-0042' });
    expect((paid.json() as { payout: Payout }).payout.voucher!.code).toBe('LIRE-2026-0042');
  });

  it('gives to a charity, whose total follows once the donation is paid', async () => {
    const before = PayoutOptionsSchema.parse(
      (await api(portal, 'GET', API.payoutOptions, { token: await login(portal) })).json(),
    ).donation!.charities.find((charity) => charity.id === 'forets-vivantes')!.raised!;
    const member = await memberWith(1800);
    const given = await payout(member.token, donation(1800, 'forets-vivantes'));
    expect(given).toMatchObject({
      method: 'donation',
      amount: 1800,
      fee: 0,
      charity: { id: 'forets-vivantes', name: 'Forêts Vivantes' },
    });
    const raised = async () =>
      (
        (await admin(portal, 'GET', '/charities')).json() as {
          charities: { id: string; raised: number }[];
        }
      ).charities.find((charity) => charity.id === 'forets-vivantes')!.raised;
    expect(await raised()).toBe(before);
    await settle(given.id, 'pay');
    expect(await raised()).toBe(before + 1800);
    const page = await visit(portal, `${portal.url}/associations`);
    expect(page.text()).toContain('Forêts Vivantes');
  });

  it('answers a retried request with the payout it made, never a second one', async () => {
    const member = await memberWith(5000);
    const key = newKey();
    const first = await requestPayout(member.token, donation(700), key);
    expect(first.status).toBe(201);
    const again = await requestPayout(member.token, donation(700), key);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    // Even once the balance could no longer afford it.
    await payout(member.token, transfer(3800));
    const late = await requestPayout(member.token, donation(700), key);
    expect(late.status).toBe(200);
    expect((await cagnotte(member.token)).confirmed).toBe(5000 - 700 - 3850);
    // The same key with another body is a mistake, not a new payout.
    expectError(await requestPayout(member.token, donation(701), key), 409, 'idempotency_conflict');
    // Keys are the member's own: another member's same key makes their own payout.
    const other = await memberWith(1000);
    expect((await requestPayout(other.token, donation(700), key)).status).toBe(201);
  });

  it('refuses with the contract’s codes, and moves nothing', async () => {
    const rich = await memberWith(3000);
    const poor = await memberWith(900);
    const noAccount = await memberWith(3000, { bankAccount: false });
    const cases: [string, unknown, number, string][] = [
      [rich.token, { ...transfer(1000), method: 'paypal' }, 422, 'unknown_method'],
      [poor.token, donation(500), 422, 'below_threshold'],
      [rich.token, donation(99), 422, 'below_minimum'],
      [rich.token, transfer(999), 422, 'below_minimum'],
      [rich.token, transfer(2951), 422, 'insufficient_balance'],
      [rich.token, voucher(5000), 422, 'insufficient_balance'],
      [rich.token, voucher(1000, 'nowhere'), 422, 'unknown_voucher'],
      [rich.token, voucher(1500), 422, 'invalid_amount'],
      [rich.token, donation(500, 'nobody'), 422, 'unknown_charity'],
      [noAccount.token, transfer(1000), 422, 'no_bank_account'],
      [rich.token, { ...transfer(1000), currency: 'USD' }, 400, 'invalid_request'],
      [rich.token, { ...transfer(1000), amount: 10.5 }, 400, 'invalid_request'],
      [rich.token, { ...transfer(1000), amount: -1000 }, 400, 'invalid_request'],
      [rich.token, { method: 'donation', amount: 500, currency: 'EUR' }, 400, 'invalid_request'],
    ];
    for (const [token, body, status, code] of cases) {
      const response = await requestPayout(token, body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expectError(response, status, code);
    }
    expectError(
      await api(portal, 'POST', API.payouts, { token: rich.token, body: transfer(1000) }),
      400,
      'invalid_request',
    );
    expectError(
      await api(portal, 'POST', API.payouts, {
        token: rich.token,
        body: transfer(1000),
        headers: { 'idempotency-key': 'short' },
      }),
      400,
      'invalid_request',
    );
    expectError(
      await api(portal, 'POST', API.payouts, {
        token: rich.token,
        rawBody: '{"method":',
        headers: { 'idempotency-key': newKey() },
      }),
      400,
      'invalid_json',
    );
    expectError(await requestPayout('not-a-session', transfer(1000)), 401, 'unauthorized');
    for (const member of [rich, poor, noAccount]) {
      const figures = await cagnotte(member.token);
      expect(figures.paid).toBe(0);
      expect(
        PayoutPageSchema.parse(
          (await api(portal, 'GET', API.payouts, { token: member.token })).json(),
        ).payouts,
      ).toEqual([]);
    }
    expect((await cagnotte(rich.token)).confirmed).toBe(3000);
  });

  it('lets concurrent requests spend each euro once', async () => {
    const member = await memberWith(4295);
    const attempts = await Promise.all(
      Array.from({ length: 12 }, () => requestPayout(member.token, donation(1500))),
    );
    const statuses = attempts.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(2);
    for (const response of attempts.filter((r) => r.status !== 201)) {
      expectError(response, 422, 'insufficient_balance');
    }
    expect((await cagnotte(member.token)).confirmed).toBe(1295);

    // A double click: the same key twice at once makes one payout.
    const twin = await memberWith(2000);
    const key = newKey();
    const [a, b] = await Promise.all([
      requestPayout(twin.token, donation(1500), key),
      requestPayout(twin.token, donation(1500), key),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.json()).toEqual(b.json());
    expect((await cagnotte(twin.token)).confirmed).toBe(500);
  });

  // Three processes start together 4 s from now (tsx's start-up on a busy machine): a budget
  // for the processes, not a speed assertion.
  it(
    'lets no process overdraw: the database refuses it whoever writes',
    { timeout: 60_000 },
    async () => {
      const member = await memberWith(4295);
      const rowId = parseMemberId(member.id)!;
      const file = path.join(portal.dataDir, DB_FILE_NAME);
      // Three other processes on the same file, each asking 40 payouts of 1 € at once.
      const script = path.resolve(import.meta.dirname, 'payout-race.ts');
      const startAt = String(Date.now() + 4000);
      const runs = await Promise.all(
        [1, 2, 3].map(
          (n) =>
            new Promise<{ created: number; refused: number }>((resolve, reject) => {
              const child = spawn(
                process.execPath,
                ['--import', 'tsx', script, file, String(rowId), String(n), '40', startAt],
                { stdio: ['ignore', 'pipe', 'inherit'] },
              );
              let out = '';
              child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
              child.on('error', reject);
              child.on('exit', (code) =>
                code === 0
                  ? resolve(JSON.parse(out) as { created: number; refused: number })
                  : reject(new Error(`race process ${n} exited ${code}`)),
              );
            }),
        ),
      );
      const created = runs.reduce((sum, run) => sum + run.created, 0);
      expect(created).toBe(42);
      expect(runs.reduce((sum, run) => sum + run.refused, 0)).toBe(120 - 42);
      expect((await cagnotte(member.token)).confirmed).toBe(95);

      // Even SQL that skips every check is stopped by the triggers.
      const db = new Database(file);
      try {
        db.pragma('busy_timeout = 5000');
        expect(() =>
          db
            .prepare(
              `INSERT INTO payouts (member_id, idempotency_key, request_hash, method, amount, fee,
               currency, status, target, target_name, requested_at)
             VALUES (?, 'raw-sql-key-000001', 'x', 'donation', 96, 0, 'EUR', 'requested',
               'lire-et-grandir', 'Lire et Grandir', '2026-01-01T00:00:00Z')`,
            )
            .run(rowId),
        ).toThrow('insufficient_balance');
        expect(() =>
          db.prepare('UPDATE payouts SET amount = 1 WHERE member_id = ?').run(rowId),
        ).toThrow('payout_fixed');
        expect(() => db.prepare('DELETE FROM payouts WHERE member_id = ?').run(rowId)).toThrow(
          'payout_kept',
        );
        const settledOnce = db
          .prepare('SELECT id FROM payouts WHERE member_id = ? LIMIT 1')
          .get(rowId) as { id: number };
        db.prepare(
          "UPDATE payouts SET status = 'failed', settled_at = '2026-01-02T00:00:00Z' WHERE id = ?",
        ).run(settledOnce.id);
        expect(() =>
          db.prepare("UPDATE payouts SET status = 'paid' WHERE id = ?").run(settledOnce.id),
        ).toThrow('payout_settled');
      } finally {
        db.close();
      }
    },
  );

  it('will not take back confirmed cashback that was withdrawn', async () => {
    const member = await memberWith(0);
    const credited = credit(member.id, 2000);
    await payout(member.token, transfer(1500));
    expectError(
      await admin(portal, 'POST', `/transactions/${credited.id}/cancel`),
      409,
      'insufficient_balance',
    );
    expect((await cagnotte(member.token)).confirmed).toBe(450);
  });
});

describe('the whole history, a page at a time', () => {
  it('pages every transaction, newest first, past the cagnotte’s 50', async () => {
    const member = await newMember(portal, 'Historique');
    for (let i = 0; i < 120; i += 1)
      credit(member.id, 100 + i, i % 3 === 0 ? 'pending' : 'confirmed');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?cursor=${cursor}` : '';
      const response = await api(portal, 'GET', `${API.transactions}${query}`, {
        token: member.token,
      });
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const page = TransactionPageSchema.parse(response.json());
      seen.push(...page.transactions.map((transaction) => transaction.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(120);
    const small = TransactionPageSchema.parse(
      (await api(portal, 'GET', `${API.transactions}?limit=7`, { token: member.token })).json(),
    );
    expect(small.transactions.map((t) => t.id)).toEqual(seen.slice(0, 7));
    // Only one's own.
    expect(
      TransactionPageSchema.parse(
        (await api(portal, 'GET', API.transactions, { token: await login(portal) })).json(),
      ).transactions.some((transaction) => seen.includes(transaction.id)),
    ).toBe(false);
  });

  it('pages the payouts, newest first', async () => {
    const member = await memberWith(5000);
    const made: string[] = [];
    for (let i = 0; i < 5; i += 1) made.unshift((await payout(member.token, donation(100 + i))).id);
    const first = PayoutPageSchema.parse(
      (await api(portal, 'GET', `${API.payouts}?limit=2`, { token: member.token })).json(),
    );
    expect(first.payouts.map((p) => p.id)).toEqual(made.slice(0, 2));
    const second = PayoutPageSchema.parse(
      (
        await api(portal, 'GET', `${API.payouts}?limit=3&cursor=${first.nextCursor}`, {
          token: member.token,
        })
      ).json(),
    );
    expect(second.payouts.map((p) => p.id)).toEqual(made.slice(2));
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a cursor or a limit it did not give', async () => {
    const token = await login(portal);
    for (const query of ['?limit=0', '?limit=101', '?limit=abc', '?cursor=%%%', '?cursor=bm9wZQ']) {
      for (const route of [API.transactions, API.payouts]) {
        expectError(
          await api(portal, 'GET', `${route}${query}`, { token }),
          400,
          'invalid_request',
        );
      }
    }
    expectError(await api(portal, 'GET', API.transactions), 401, 'unauthorized');
  });
});

describe('membership tiers', () => {
  it('says the member’s tier at sign-in and in /me', async () => {
    const response = await api(portal, 'POST', API.login, { body: PREMIUM_MEMBER });
    expect(response.status).toBe(200);
    const { user, token } = response.json() as { user: unknown; token: string };
    expect(UserSchema.parse(user).tier).toEqual({ id: 'premium', name: 'Premium' });
    const me = UserSchema.parse((await api(portal, 'GET', API.me, { token })).json());
    expect(me.tier).toEqual({ id: 'premium', name: 'Premium' });
    const demo = UserSchema.parse(
      (await api(portal, 'GET', API.me, { token: await login(portal, DEMO) })).json(),
    );
    expect(demo.tier).toEqual({ id: 'free', name: 'Essentiel' });
  });

  it('serves the tiers’ rates with the merchants, and credits a premium member at them', async () => {
    const list = MerchantListSchema.parse((await api(portal, 'GET', API.merchants)).json());
    const atelier = list.merchants.find((merchant) => merchant.id === 'atelier-vendome')!;
    expect(atelier.cashback).toEqual({ type: 'percent', value: 6.5, upTo: true });
    expect(atelier.tierCashback).toEqual({ premium: { type: 'percent', value: 8, upTo: true } });
    expect(list.merchants.find((merchant) => merchant.id === 'octet-et-pixel')!.tierCashback).toBe(
      undefined,
    );

    const member = await newMember(portal, 'Abonne');
    expect(
      (await admin(portal, 'PUT', `/members/${member.id}/tier`, { tier: 'premium' })).status,
    ).toBe(200);
    const credited = portal.store.ledger.addTransaction({
      memberRowId: parseMemberId(member.id)!,
      merchant: portal.store.merchants.get('atelier-vendome')!,
      clickId: null,
      orderRef: `PREMIUM-${member.id}`,
      orderedAt: new Date().toISOString(),
      orderAmount: 10000,
      status: 'pending',
    });
    expect(credited.cashback).toBe(800);
    expectError(
      await admin(portal, 'PUT', `/members/${member.id}/tier`, { tier: 'gold' }),
      400,
      'invalid_request',
    );
  });
});

describe('the portal’s pages', () => {
  it('registers a bank account after checking the password, never showing it whole', async () => {
    const member = await memberWith(2000, { bankAccount: false });
    const form = (fields: Record<string, string>) =>
      send(portal, {
        method: 'POST',
        path: '/compte/rib',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const fields = {
      email: member.email,
      password: member.password,
      holder: 'Test Payeur',
      iban: 'FR76 3000 6000 0112 3456 7890 189',
    };
    expect((await form({ ...fields, iban: 'FR76 3000 6000 0112 3456 7890 188' })).status).toBe(400);
    expect((await form({ ...fields, password: 'pas-le-bon' })).status).toBe(401);
    const saved = await form(fields);
    expect(saved.status).toBe(200);
    expect(saved.text()).toContain('FR76 •••• 0189');
    const options = PayoutOptionsSchema.parse(
      (await api(portal, 'GET', API.payoutOptions, { token: member.token })).json(),
    );
    expect(options.transfer!.account).toEqual({ masked: 'FR76 •••• 0189', holder: 'Test Payeur' });
  });
});

describe('CORS', () => {
  it('lets the extension send its Idempotency-Key without host access', async () => {
    const origin = 'moz-extension://6f1c2b9e-4a57-4d0b-9c3e-2f8a1d7b5e40';
    const response = await send(portal, {
      method: 'OPTIONS',
      path: API.payouts,
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,idempotency-key',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(origin);
    expect(String(response.headers['access-control-allow-headers'])).toContain('Idempotency-Key');
  });
});
