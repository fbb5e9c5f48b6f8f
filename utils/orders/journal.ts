/**
 * What follows the click, kept on this device for the signed-in member only (docs/claims.md):
 *
 *   activationHistory  each activation: merchant, time, where it was clicked, the portal's click id
 *   ordersSeen         each order a confirmation page showed after one, with what was done about
 *                      it (notified, claimed)
 *
 * 90 days, then forgotten; everything goes at sign-out and on a 401 (the session is over). Rows
 * carry the member's id and every read filters by it: a second member signing in on the same
 * browser never reads the first one's purchases, even if a worker stopped before the clearing.
 * Read back through zod: after an upgrade, stored data is untrusted.
 */
import { z } from 'zod';
import { extensionDb, type ActivationHistoryRow, type RistourneDb } from '../storage/db';

export const HISTORY_DAYS = 90;
const DAY_MS = 24 * 60 * 60_000;
export const HISTORY_MS = HISTORY_DAYS * DAY_MS;

const ActivationHistorySchema = z.object({
  id: z.number().int(),
  memberId: z.string().min(1),
  merchantId: z.string().min(1).max(200),
  merchantName: z.string().max(200),
  at: z.number(),
  source: z.enum(['banner', 'popup', 'search']),
  clickId: z.string().min(1).max(200),
});
export type ActivationEntry = z.infer<typeof ActivationHistorySchema>;

const MoneySchema = z.object({
  value: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

export const OrderSeenSchema = z.object({
  merchantId: z.string().min(1).max(200),
  merchantName: z.string().max(200),
  /** The activation it followed. */
  clickId: z.string().min(1).max(200),
  activatedAt: z.number(),
  seenAt: z.number(),
  detection: z.enum(['portal-path', 'confirmation-words', 'schema-org']),
  orderRef: z.string().min(1).max(100).optional(),
  amount: MoneySchema.optional(),
  /** When its sale should show in the cagnotte: seen + the merchant's `trackingDelayHours`. */
  expectedBy: z.number().optional(),
  /** Until when it may be claimed: the activation + the merchant's `claimWindowDays`. */
  claimUntil: z.number().optional(),
  /** The member was told its cashback is missing (one notification per order). */
  notifiedAt: z.number().optional(),
  /** The claim the member sent: its key makes every retry the same claim. */
  claim: z
    .object({
      idempotencyKey: z.string().min(8).max(200),
      sentAt: z.number(),
      claimId: z.string().max(200).optional(),
    })
    .optional(),
});
export type OrderSeen = z.infer<typeof OrderSeenSchema>;

/** One stored order and the key it is stored under. */
export interface OrderEntry {
  key: string;
  order: OrderSeen;
}

/** The same order seen again (a reload of its page) is one order: same merchant and reference. */
export function orderKey(
  memberId: string,
  order: Pick<OrderSeen, 'merchantId' | 'orderRef' | 'clickId'>,
): string {
  const which = order.orderRef === undefined ? `click:${order.clickId}` : `ref:${order.orderRef}`;
  return `${memberId}|${order.merchantId}|${which}`;
}

export function createOrderJournal(db: () => RistourneDb = extensionDb) {
  async function pruneActivations(now: number): Promise<void> {
    await db()
      .activationHistory.where('at')
      .below(now - HISTORY_MS)
      .delete();
  }

  return {
    async recordActivation(entry: Omit<ActivationHistoryRow, 'id'>): Promise<void> {
      await db().activationHistory.add(entry);
      await pruneActivations(entry.at);
    },

    /** The member's activations of the last 90 days, the most recent first. */
    async activations(memberId: string, now: number): Promise<ActivationEntry[]> {
      const rows = await db().activationHistory.where('memberId').equals(memberId).toArray();
      return rows
        .flatMap((row) => {
          const parsed = ActivationHistorySchema.safeParse(row);
          return parsed.success && parsed.data.at >= now - HISTORY_MS ? [parsed.data] : [];
        })
        .sort((a, b) => b.at - a.at || b.id - a.id);
    },

    /** The member's last activation of the merchant at or after `since`. */
    async lastActivation(
      memberId: string,
      merchantId: string,
      since: number,
    ): Promise<ActivationEntry | undefined> {
      const rows = await db()
        .activationHistory.where('[memberId+merchantId]')
        .equals([memberId, merchantId])
        .toArray();
      let last: ActivationEntry | undefined;
      for (const row of rows) {
        const parsed = ActivationHistorySchema.safeParse(row);
        if (parsed.success && parsed.data.at >= since && (!last || parsed.data.at > last.at)) {
          last = parsed.data;
        }
      }
      return last;
    },

    /**
     * Stores an order seen; the same order seen again keeps what was first read and done about
     * it, filling in only what the first sighting lacked. Returns whether it is new.
     */
    async recordOrder(memberId: string, order: OrderSeen): Promise<boolean> {
      const key = orderKey(memberId, order);
      let isNew = false;
      await db().transaction('rw', db().ordersSeen, async () => {
        const existing = await db().ordersSeen.get(key);
        const before = existing ? OrderSeenSchema.safeParse(existing.order) : null;
        isNew = !before?.success;
        const merged: OrderSeen = before?.success
          ? { ...before.data, amount: before.data.amount ?? order.amount }
          : order;
        if (merged.amount === undefined) delete merged.amount;
        await db().ordersSeen.put({ key, memberId, order: merged });
      });
      return isNew;
    },

    /** The member's orders of the last 90 days, the most recent first (older ones go). */
    async orders(memberId: string, now: number): Promise<OrderEntry[]> {
      const rows = await db().ordersSeen.where('memberId').equals(memberId).toArray();
      const kept: OrderEntry[] = [];
      const stale: string[] = [];
      for (const row of rows) {
        const parsed = OrderSeenSchema.safeParse(row.order);
        if (parsed.success && parsed.data.seenAt >= now - HISTORY_MS) {
          kept.push({ key: row.key, order: parsed.data });
        } else {
          stale.push(row.key);
        }
      }
      if (stale.length > 0) await db().ordersSeen.bulkDelete(stale);
      return kept.sort((a, b) => b.order.seenAt - a.order.seenAt);
    },

    /** Changes one of the member's orders; false when it is not (or no longer) there. */
    async updateOrder(
      memberId: string,
      key: string,
      update: (order: OrderSeen) => OrderSeen,
    ): Promise<OrderSeen | null> {
      let updated: OrderSeen | null = null;
      await db().transaction('rw', db().ordersSeen, async () => {
        const row = await db().ordersSeen.get(key);
        if (row?.memberId !== memberId) return;
        const parsed = OrderSeenSchema.safeParse(row.order);
        if (!parsed.success) return;
        updated = update(parsed.data);
        await db().ordersSeen.put({ key, memberId, order: updated });
      });
      return updated;
    },

    /** The session is over: every activation and order of this device goes. */
    async forget(): Promise<void> {
      await db().transaction('rw', db().activationHistory, db().ordersSeen, async () => {
        await db().activationHistory.clear();
        await db().ordersSeen.clear();
      });
    },
  };
}

export type OrderJournal = ReturnType<typeof createOrderJournal>;

/** The journal the background uses. */
export const orderJournal: OrderJournal = createOrderJournal();
