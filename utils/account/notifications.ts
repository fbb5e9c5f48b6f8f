/**
 * What changed in the cagnotte between two checks, and the one notification (at most) that
 * says so. Pure: the background's wiring is in notifications-setup.ts.
 * - First figures after a sign-in: nothing is "new" to the member, no notification.
 * - One change: a notification about it. Several (a long offline period, a busy week): ONE
 *   summary, never a storm.
 */
import type { Cagnotte, Payout, Transaction } from '../contract/schemas';
import type { Translate } from '../format/i18n';
import { formatMoney } from '../format/money';

/**
 * The names the browser knows them by (notifications-setup.ts uses them; the end-to-end tests
 * fire the alarm and read the notifications by them).
 */
export const CAGNOTTE_CHECK_ALARM = 'cagnotte-check';
/** One id for every cagnotte notification: a newer one replaces the one still on screen. */
export const CAGNOTTE_NOTIFICATION_ID = 'cagnotte-update';
/** Each missing order's notification has its own id: one per order, none replacing another. */
export const MISSING_ORDER_NOTIFICATION_PREFIX = 'missing-order:';

export type CagnotteEvent =
  /** A pending cashback appeared: an order was tracked. */
  | { kind: 'new'; transaction: Transaction }
  /** A cashback was confirmed by the merchant (or appeared already confirmed). */
  | { kind: 'confirmed'; transaction: Transaction }
  /** The confirmed cashback reached the payout threshold: it can be withdrawn. */
  | { kind: 'threshold' }
  /** A payout the member asked for was paid. */
  | { kind: 'payout-paid'; payout: Payout };

export interface NotificationPayload {
  title: string;
  message: string;
}

export function cagnotteEvents(previous: Cagnotte | null, next: Cagnotte): CagnotteEvent[] {
  if (previous === null) return [];
  const events: CagnotteEvent[] = [];
  if (previous.confirmed < previous.payoutThreshold && next.confirmed >= next.payoutThreshold) {
    events.push({ kind: 'threshold' });
  }
  const before = new Map(previous.transactions.map((transaction) => [transaction.id, transaction]));
  for (const transaction of next.transactions) {
    const earlier = before.get(transaction.id);
    if (transaction.status === 'confirmed') {
      // Already confirmed (or since paid out) at the last check: nothing new to say.
      if (earlier?.status !== 'confirmed' && earlier?.status !== 'paid') {
        events.push({ kind: 'confirmed', transaction });
      }
    } else if (transaction.status === 'pending' && earlier === undefined) {
      events.push({ kind: 'new', transaction });
    }
  }
  return events;
}

export function notificationFor(
  events: CagnotteEvent[],
  figures: Cagnotte,
  locale: string,
  t: Translate,
): NotificationPayload | null {
  const money = (minor: number) => formatMoney(minor, figures.currency, locale);
  const [only, ...others] = events;
  if (only === undefined) return null;
  if (others.length > 0) {
    return {
      title: t('notif_summary_title'),
      message: t('notif_summary_message', [
        new Intl.NumberFormat(locale).format(events.length),
        money(figures.pending),
        money(figures.confirmed),
      ]),
    };
  }
  if (only.kind === 'threshold') {
    return {
      title: t('notif_threshold_title'),
      message: t('notif_threshold_message', [money(figures.confirmed)]),
    };
  }
  if (only.kind === 'payout-paid') {
    return {
      title: t('notif_payout_paid_title'),
      message: t('notif_payout_paid_message', [
        payoutWhat(only.payout, t),
        formatMoney(only.payout.amount, only.payout.currency, locale),
      ]),
    };
  }
  const { merchantName, cashback } = only.transaction;
  return only.kind === 'new'
    ? {
        title: t('notif_new_title', [merchantName]),
        message: t('notif_new_message', [money(cashback)]),
      }
    : {
        title: t('notif_confirmed_title', [merchantName]),
        message: t('notif_confirmed_message', [money(cashback)]),
      };
}

/** What a payout was, in a few words ("Virement vers FR76 •••• 0189", "Don à …"). */
function payoutWhat(payout: Payout, t: Translate): string {
  if (payout.method === 'transfer' && payout.account) {
    return t('payout_label_transfer', [payout.account]);
  }
  if (payout.voucher) return t('payout_label_voucher', [payout.voucher.brandName]);
  if (payout.charity) return t('payout_label_donation', [payout.charity.name]);
  return t('payout_label_other');
}

/** An order seen whose cashback did not show in time: claim it from the extension. */
export function missingOrderNotification(
  merchantName: string,
  orderRef: string | null,
  t: Translate,
): NotificationPayload {
  return {
    title: t('notif_missing_title', [merchantName]),
    message: t('notif_missing_message', [orderRef ?? '']).replace(/\s{2,}/g, ' '),
  };
}
