/**
 * The portal client's paged routes: the cursor passed back as the portal gave it, the page size
 * asked, and a page that breaks the contract refused rather than half read.
 */
import { describe, expect, it, vi } from 'vitest';
import { createPortalClient } from '../../../utils/contract/client';

function portal(body: unknown, status = 200) {
  const fetch = vi.fn(
    async (_input: string, _init?: RequestInit) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
  );
  const client = createPortalClient({
    baseUrl: 'http://localhost:8787',
    fetch: fetch as unknown as typeof globalThis.fetch,
  });
  const asked = () => new URL(fetch.mock.calls.at(-1)![0]);
  return { client, fetch, asked };
}

const TRANSACTION = {
  id: 't_1',
  merchantId: 'fnac',
  merchantName: 'Fnac',
  orderedAt: '2026-11-20T10:00:00Z',
  orderAmount: 12999,
  cashback: 585,
  status: 'pending',
  expectedConfirmationAt: '2027-01-19T10:00:00Z',
};

describe('the whole history, a page at a time', () => {
  it.each([
    [null, undefined, ''],
    ['MjAyNnwx', undefined, '?cursor=MjAyNnwx'],
    ['a+b/c=', 20, '?cursor=a%2Bb%2Fc%3D&limit=20'],
    [null, 1, '?limit=1'],
  ])('cursor %s, limit %s: asks %s', async (cursor, limit, query) => {
    const { client, asked, fetch } = portal({ transactions: [TRANSACTION], nextCursor: 'next' });
    const page = await client.transactions('tok', cursor, limit);
    expect(page).toEqual({ ok: true, value: { transactions: [TRANSACTION], nextCursor: 'next' } });
    expect(asked().pathname + asked().search).toBe(`/api/v1/me/transactions${query}`);
    expect(new Headers(fetch.mock.calls[0]![1]!.headers).get('Authorization')).toBe('Bearer tok');
  });

  it('asks the payouts the same way', async () => {
    const { client, asked } = portal({ payouts: [] });
    const page = await client.payouts('tok', 'p-2', 20);
    expect(page).toEqual({ ok: true, value: { payouts: [], nextCursor: null } });
    expect(asked().pathname + asked().search).toBe('/api/v1/me/payouts?cursor=p-2&limit=20');
  });

  it.each([
    ['more than the contract’s 100 a page', { transactions: Array(101).fill(TRANSACTION) }],
    ['a status of another version', { transactions: [{ ...TRANSACTION, status: 'refunded' }] }],
    ['no list', { nextCursor: null }],
  ])('refuses %s', async (_name, body) => {
    const { client } = portal(body);
    const page = await client.transactions('tok');
    expect(page.ok || page.error.kind).toBe('invalid-response');
  });

  it('an older portal: a 404, as an error to explain', async () => {
    const { client } = portal({ error: { code: 'not_found' } }, 404);
    expect(await client.transactions('tok')).toEqual({
      ok: false,
      error: { kind: 'http', status: 404, code: 'not_found' },
    });
  });
});
