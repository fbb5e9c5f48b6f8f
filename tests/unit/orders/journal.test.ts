/**
 * The member's activation history and orders seen: per member, 90 days, one order per reference,
 * everything gone at sign-out, and stored rows read back through their schema.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openRistourneDb, type RistourneDb } from '../../../utils/storage/db';
import {
  createOrderJournal,
  HISTORY_MS,
  orderKey,
  type OrderSeen,
} from '../../../utils/orders/journal';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const opened: RistourneDb[] = [];

function journal() {
  const db: RistourneDb = openRistourneDb(`journal-${opened.length}-${Date.now()}`);
  opened.push(db);
  return { db, journal: createOrderJournal(() => db) };
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.delete()));
});

const activation = (memberId: string, at: number, clickId = `c_${at}`) => ({
  memberId,
  merchantId: 'fnac',
  merchantName: 'Fnac',
  at,
  source: 'banner' as const,
  clickId,
});

const ORDER: OrderSeen = {
  merchantId: 'fnac',
  merchantName: 'Fnac',
  clickId: 'c_1',
  activatedAt: NOW - 60_000,
  seenAt: NOW,
  detection: 'portal-path',
  orderRef: 'CMD-1234',
};

describe('activation history', () => {
  it('lists the member’s own activations of the last 90 days, the most recent first', async () => {
    const { journal: j } = journal();
    await j.recordActivation(activation('u_1', NOW - HISTORY_MS - 1, 'c_old'));
    await j.recordActivation(activation('u_1', NOW - 1000, 'c_a'));
    await j.recordActivation(activation('u_2', NOW - 500, 'c_other'));
    await j.recordActivation(activation('u_1', NOW, 'c_b'));
    const listed = await j.activations('u_1', NOW);
    expect(listed.map((entry) => entry.clickId)).toEqual(['c_b', 'c_a']);
    expect(await j.lastActivation('u_1', 'fnac', NOW - 2000)).toMatchObject({ clickId: 'c_b' });
    expect(await j.lastActivation('u_2', 'fnac', NOW - 2000)).toMatchObject({ clickId: 'c_other' });
    expect(await j.lastActivation('u_1', 'fnac', NOW + 1)).toBeUndefined();
  });

  it('drops the rows older than 90 days when a new one is written', async () => {
    const { db, journal: j } = journal();
    await j.recordActivation(activation('u_1', NOW - HISTORY_MS - 1, 'c_old'));
    await j.recordActivation(activation('u_1', NOW, 'c_new'));
    expect((await db.activationHistory.toArray()).map((row) => row.clickId)).toEqual(['c_new']);
  });

  it('skips a row that does not read back (written by another version, or tampered with)', async () => {
    const { db, journal: j } = journal();
    await db.activationHistory.add({ ...activation('u_1', NOW), source: 'elsewhere' as 'banner' });
    await j.recordActivation(activation('u_1', NOW, 'c_ok'));
    expect((await j.activations('u_1', NOW)).map((entry) => entry.clickId)).toEqual(['c_ok']);
  });

  it('forgets every activation and order at sign-out', async () => {
    const { journal: j } = journal();
    await j.recordActivation(activation('u_1', NOW));
    await j.recordOrder('u_1', ORDER);
    await j.forget();
    expect(await j.activations('u_1', NOW)).toEqual([]);
    expect(await j.orders('u_1', NOW)).toEqual([]);
  });
});

describe('orders seen', () => {
  it('keeps one order per merchant and reference: a reload of its page adds nothing', async () => {
    const { journal: j } = journal();
    expect(await j.recordOrder('u_1', { ...ORDER, amount: undefined })).toBe(true);
    expect(
      await j.recordOrder('u_1', {
        ...ORDER,
        seenAt: NOW + 5000,
        amount: { value: 4990, currency: 'EUR' },
      }),
    ).toBe(false);
    const orders = await j.orders('u_1', NOW + 5000);
    expect(orders).toHaveLength(1);
    // First sighting kept; what it lacked (the amount) filled in.
    expect(orders[0]!.order).toMatchObject({ seenAt: NOW, amount: { value: 4990 } });
  });

  it('keys an order without a reference by its click: one per activation', () => {
    expect(orderKey('u_1', { ...ORDER, orderRef: undefined })).toBe('u_1|fnac|click:c_1');
    expect(orderKey('u_1', ORDER)).toBe('u_1|fnac|ref:CMD-1234');
  });

  it('never shows nor changes another member’s orders', async () => {
    const { journal: j } = journal();
    await j.recordOrder('u_1', ORDER);
    expect(await j.orders('u_2', NOW)).toEqual([]);
    const key = orderKey('u_1', ORDER);
    expect(await j.updateOrder('u_2', key, (order) => ({ ...order, notifiedAt: NOW }))).toBeNull();
    expect((await j.orders('u_1', NOW))[0]!.order.notifiedAt).toBeUndefined();
  });

  it('forgets orders seen more than 90 days ago', async () => {
    const { journal: j } = journal();
    await j.recordOrder('u_1', ORDER);
    expect(await j.orders('u_1', NOW + HISTORY_MS + 1)).toEqual([]);
  });
});
