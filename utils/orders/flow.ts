/**
 * Noticing the order (docs/claims.md): on a page of a merchant the member has just activated,
 * the banner's script is sent with an order watch (utils/banner/delivery.ts), reads the page
 * locally (page-reader.ts) and hands what it read to the background (`banner:order-page`), which
 * decides here, from the tab's own URL and the merchant's entry, never from the page's word
 * alone, and keeps the order in the member's journal. Nothing leaves the browser.
 */
import { activationStatus, ACTIVATED_MAX_MS } from '../activation/status';
import type { MerchantSession, TabState } from '../background/state';
import { getMerchantSession, tabStates } from '../background/stores';
import type { BackgroundDeps } from '../background/deps';
import type { StoredMerchant } from '../merchants/list';
import { orderKey } from './journal';
import { readOrderSighting } from './order-reading';
import { classifyOrderUrl, type OrderUrlKind } from './order-url';
import { trackOrders } from './tracking';
import type { OrderView } from '../protocol/messages';
import type { Cagnotte } from '../contract/schemas';

/** An order counts for the activation before it within this time (the activation's own life). */
export const ORDER_AFTER_ACTIVATION_MS = ACTIVATED_MAX_MS;

/**
 * A page of one activation shows a handful of orders at most: a hostile page reporting order
 * after order fills nothing beyond this.
 */
export const MAX_ORDERS_PER_CLICK = 3;

const HOUR_MS = 60 * 60_000;

/**
 * Whether the banner's script should read this page for an order, and what its URL says: the
 * merchant is followed after the purchase (its entry gives `trackingDelayHours`; a 1.0 portal
 * gives none, and nothing changes), it is activated now, and the page is not a cart or checkout.
 */
export async function orderWatchFor(
  deps: BackgroundDeps,
  tab: TabState,
  merchant: StoredMerchant | null | undefined,
  session?: MerchantSession,
): Promise<OrderUrlKind | null> {
  if (!deps.followUp || !merchant || tab.merchantId !== merchant.id) return null;
  if (merchant.trackingDelayHours === undefined) return null;
  const kind = classifyOrderUrl(tab.url, merchant);
  if (kind === 'not-an-order') return null;
  const { activation } = session ?? (await getMerchantSession(merchant.id));
  return activationStatus(activation, deps.now()).state === 'activated' ? kind : null;
}

/** What the page of `tabId` read: kept as an order when it is one. */
export async function handleOrderPage(
  deps: BackgroundDeps,
  tabId: number,
  page: unknown,
): Promise<{ seen: boolean }> {
  const unseen = { seen: false };
  const tab = await tabStates.get(tabId);
  if (!deps.followUp || !tab?.merchantId) return unseen;
  const merchant = await deps.merchants.get(tab.merchantId);
  // Asked again: a page that sends without having been watched gets nothing stored.
  const kind = await orderWatchFor(deps, tab, merchant);
  if (!merchant || !kind) return unseen;
  const sighting = readOrderSighting(kind, page);
  if (!sighting) return unseen;
  const now = deps.now();
  const memberId = await deps.followUp.memberId();
  if (memberId === null) return unseen;
  const { journal } = deps.followUp;
  const activation = await journal.lastActivation(
    memberId,
    merchant.id,
    now - ORDER_AFTER_ACTIVATION_MS,
  );
  if (!activation) return unseen;
  const order = {
    merchantId: merchant.id,
    merchantName: merchant.name,
    clickId: activation.clickId,
    activatedAt: activation.at,
    seenAt: now,
    detection: sighting.detection,
    // An hour at least: even a sale reported "at once" takes a moment to reach the cagnotte.
    expectedBy: now + Math.max(merchant.trackingDelayHours ?? 0, 1) * HOUR_MS,
    ...(merchant.claimWindowDays === undefined
      ? {}
      : { claimUntil: activation.at + merchant.claimWindowDays * 24 * HOUR_MS }),
    ...(sighting.orderRef === undefined ? {} : { orderRef: sighting.orderRef }),
    ...(sighting.amount === undefined ? {} : { amount: sighting.amount }),
  };
  const ofThisClick = (await journal.orders(memberId, now)).filter(
    (entry) => entry.order.clickId === activation.clickId,
  );
  const key = orderKey(memberId, order);
  if (ofThisClick.length >= MAX_ORDERS_PER_CLICK && !ofThisClick.some((e) => e.key === key)) {
    return unseen;
  }
  await journal.recordOrder(memberId, order);
  return { seen: true };
}

/** The member's orders seen, each against the last known figures (no request of its own). */
export async function orderViews(
  deps: BackgroundDeps,
  cagnotte: { figures: Cagnotte; fetchedAt: number } | null,
): Promise<OrderView[]> {
  const memberId = await deps.followUp?.memberId();
  if (!deps.followUp || !memberId) return [];
  const now = deps.now();
  const entries = await deps.followUp.journal.orders(memberId, now);
  const figures = cagnotte && { ...cagnotte.figures, fetchedAt: cagnotte.fetchedAt };
  return trackOrders(entries, figures, now).map(({ entry: { key, order }, progress }) => ({
    key,
    merchantId: order.merchantId,
    merchantName: order.merchantName,
    clickId: order.clickId,
    activatedAt: order.activatedAt,
    seenAt: order.seenAt,
    ...(order.orderRef === undefined ? {} : { orderRef: order.orderRef }),
    ...(order.amount === undefined ? {} : { amount: order.amount }),
    progress:
      progress.state === 'tracked'
        ? { state: 'tracked', transactionId: progress.transaction.id }
        : progress,
  }));
}

/**
 * The missing orders not yet notified, marked notified as they are returned: one notification
 * per order at most, even if the worker stops right after (a lost notification rather than two).
 */
export async function takeMissingOrdersToNotify(
  deps: BackgroundDeps,
  cagnotte: { figures: Cagnotte; fetchedAt: number },
): Promise<{ key: string; merchantName: string; label: string | null }[]> {
  const memberId = await deps.followUp?.memberId();
  if (!deps.followUp || !memberId) return [];
  const now = deps.now();
  const { journal } = deps.followUp;
  const entries = await journal.orders(memberId, now);
  const figures = { ...cagnotte.figures, fetchedAt: cagnotte.fetchedAt };
  const due = trackOrders(entries, figures, now).filter(
    ({ entry, progress }) =>
      progress.state === 'missing' &&
      entry.order.notifiedAt === undefined &&
      entry.order.claim === undefined,
  );
  const taken = [];
  for (const { entry } of due) {
    const marked = await journal.updateOrder(memberId, entry.key, (order) =>
      order.notifiedAt === undefined ? { ...order, notifiedAt: now } : order,
    );
    if (marked?.notifiedAt === now) {
      taken.push({
        key: entry.key,
        merchantName: entry.order.merchantName,
        label: entry.order.orderRef ?? null,
      });
    }
  }
  return taken;
}
