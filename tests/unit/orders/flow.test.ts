/**
 * The background's side of noticing an order: the page is watched only for a merchant followed
 * after the purchase and activated now; what it reads is decided from the tab's own URL, tied to
 * the member's last click there, kept once, and a hostile page cannot fill the journal.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { merchantSessions, tabStates } from '../../../utils/background/stores';
import type { TabState } from '../../../utils/background/state';
import { createOrderJournal } from '../../../utils/orders/journal';
import {
  handleOrderPage,
  MAX_ORDERS_PER_CLICK,
  orderWatchFor,
  takeMissingOrdersToNotify,
} from '../../../utils/orders/flow';
import { openRistourneDb, type RistourneDb } from '../../../utils/storage/db';
import type { StoredMerchant } from '../../../utils/merchants/list';
import { FNAC, fakeDeps } from '../helpers/fake-background';

const FOLLOWED: StoredMerchant = { ...FNAC, trackingDelayHours: 48, confirmationPaths: ['/fin'] };
let db: RistourneDb;

const pageOf = (body: { title?: string; text?: string; headings?: string[] }) => ({
  url: 'https://www.fnac.com/ignored',
  title: body.title ?? '',
  headings: body.headings ?? [],
  text: body.text ?? '',
  schemaOrders: [],
});

async function setUp(merchant: StoredMerchant = FOLLOWED, url = 'https://www.fnac.com/fin/1') {
  const journal = createOrderJournal(() => db);
  const fake = fakeDeps({ followUp: { journal, memberId: async () => 'u_1' } });
  fake.deps.merchants.get = async (id) => (id === merchant.id ? merchant : null);
  const now = fake.deps.now();
  const tab: TabState = {
    url,
    merchantId: merchant.id,
    pageKind: 'other',
    landedFromActivation: false,
    bannerInjected: true,
    at: now,
  };
  await tabStates.set(7, tab);
  await merchantSessions.set(merchant.id, {
    dismissed: false,
    activation: { state: 'activated', at: now - 60_000, until: now + 60 * 60_000 },
  });
  await journal.recordActivation({
    memberId: 'u_1',
    merchantId: merchant.id,
    merchantName: merchant.name,
    at: now - 120_000,
    source: 'banner',
    clickId: 'c_42',
  });
  return { ...fake, journal, tab, now };
}

beforeEach(() => {
  fakeBrowser.reset();
  db = openRistourneDb(`orders-flow-${Date.now()}`);
});
afterEach(async () => {
  await db.delete();
});

describe('orderWatchFor', () => {
  it('watches the pages of a followed merchant activated now, but never its cart', async () => {
    const { deps, tab } = await setUp();
    expect(await orderWatchFor(deps, tab, FOLLOWED)).toBe('portal-path');
    expect(await orderWatchFor(deps, { ...tab, url: 'https://www.fnac.com/p/1' }, FOLLOWED)).toBe(
      'unknown',
    );
    expect(
      await orderWatchFor(deps, { ...tab, url: 'https://www.fnac.com/panier' }, FOLLOWED),
    ).toBeNull();
  });

  it('watches nothing for a merchant a 1.0 portal describes (no order terms)', async () => {
    const { deps, tab } = await setUp(FNAC);
    expect(await orderWatchFor(deps, tab, FNAC)).toBeNull();
  });

  it('watches nothing once the activation is over', async () => {
    const { deps, tab, advance } = await setUp();
    advance(2 * 60 * 60_000);
    expect(await orderWatchFor(deps, tab, FOLLOWED)).toBeNull();
  });
});

describe('handleOrderPage', () => {
  it('keeps the order with the click it followed, once', async () => {
    const { deps, journal, now } = await setUp();
    const page = pageOf({ text: 'Votre référence CMD-9 Réglé 49,90 €' });
    expect(await handleOrderPage(deps, 7, page)).toEqual({ seen: true });
    expect(await handleOrderPage(deps, 7, page)).toEqual({ seen: true });
    const orders = await journal.orders('u_1', now);
    expect(orders).toHaveLength(1);
    expect(orders[0]!.order).toMatchObject({
      merchantId: 'fnac',
      clickId: 'c_42',
      orderRef: 'CMD-9',
      amount: { value: 4990, currency: 'EUR' },
      detection: 'portal-path',
    });
  });

  it('decides from the tab’s own URL, not the one the page claims', async () => {
    const { deps, journal, now } = await setUp(FOLLOWED, 'https://www.fnac.com/produit/3');
    const page = {
      ...pageOf({ title: 'Merci pour votre commande' }),
      url: 'https://www.fnac.com/fin/1',
    };
    expect(await handleOrderPage(deps, 7, page)).toEqual({ seen: false });
    expect(await journal.orders('u_1', now)).toEqual([]);
  });

  it('lets a page that invents orders keep a handful at most', async () => {
    const { deps, journal, now } = await setUp();
    for (let i = 0; i < 10; i += 1) {
      await handleOrderPage(deps, 7, pageOf({ text: `Votre référence FAKE-${i}` }));
    }
    expect(await journal.orders('u_1', now)).toHaveLength(MAX_ORDERS_PER_CLICK);
  });

  it('keeps nothing for a signed-out member', async () => {
    const { deps, journal } = await setUp();
    deps.followUp = { journal, memberId: async () => null };
    expect(await handleOrderPage(deps, 7, pageOf({ text: 'Votre référence CMD-1' }))).toEqual({
      seen: false,
    });
  });
});

describe('takeMissingOrdersToNotify', () => {
  it('takes a missing order once, and none while it is still expected', async () => {
    const { deps, advance } = await setUp();
    await handleOrderPage(deps, 7, pageOf({ text: 'Votre référence CMD-9 Réglé 49,90 €' }));
    const figures = (fetchedAt: number) => ({
      figures: {
        currency: 'EUR',
        pending: 0,
        confirmed: 0,
        paid: 0,
        payoutThreshold: 1000,
        transactions: [],
      },
      fetchedAt,
    });
    expect(await takeMissingOrdersToNotify(deps, figures(deps.now()))).toEqual([]);
    advance(49 * 60 * 60_000);
    const taken = await takeMissingOrdersToNotify(deps, figures(deps.now()));
    expect(taken).toEqual([expect.objectContaining({ merchantName: 'Fnac', label: 'CMD-9' })]);
    expect(await takeMissingOrdersToNotify(deps, figures(deps.now()))).toEqual([]);
  });
});
