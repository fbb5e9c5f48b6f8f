/**
 * One line of the history page, in the member's words: its date, what it was (the merchant, or
 * where a payout went), its amount, its status and, for a pending cashback whose portal says so,
 * when it should be confirmed (and that it is late). Pure: a function of the entry, the time and
 * the language.
 */
import type { Payout, PayoutStatus } from '../contract/schemas';
import { formatDate, formatDateTime } from '../format/dates';
import type { MessageKey, Translate } from '../format/i18n';
import { formatMoney } from '../format/money';
import { TRANSACTION_STATUS_LABEL, expectedConfirmation } from './cagnotte-view';
import type { HistoryEntry, StatusFilter } from './history-list';

export const PAYOUT_STATUS_LABEL: Record<PayoutStatus, MessageKey> = {
  requested: 'payout_status_requested',
  paid: 'payout_status_paid',
  failed: 'payout_status_failed',
};

/** "Virement vers FR76 •••• 0189", "Bon d’achat Le Grand Bazar", "Don à Forêts Vivantes". */
export function payoutLabel(payout: Payout, t: Translate): string {
  if (payout.method === 'transfer' && payout.account) {
    return t('payout_label_transfer', [payout.account]);
  }
  if (payout.voucher) return t('payout_label_voucher', [payout.voucher.brandName]);
  if (payout.charity) return t('payout_label_donation', [payout.charity.name]);
  return t('payout_label_other');
}

/** A status filter's name, as its option reads. */
export function statusFilterLabel(filter: Exclude<StatusFilter, 'all'>, t: Translate): string {
  const [kind, status] = filter.split(':') as ['transaction' | 'payout', string];
  return kind === 'transaction'
    ? t(TRANSACTION_STATUS_LABEL[status as keyof typeof TRANSACTION_STATUS_LABEL])
    : t(PAYOUT_STATUS_LABEL[status as PayoutStatus]);
}

export interface HistoryRow {
  key: string;
  kind: HistoryEntry['kind'];
  /** `pending`…, or `payout-requested`…: the status's style. */
  statusClass: string;
  statusLabel: string;
  /** "20 nov.", with the exact moment for a tooltip and `<time datetime>`. */
  date: { text: string; exact: string; iso: string };
  label: string;
  amount: string;
  /** "Achat de 129,99 €", "Frais : 0,50 €". */
  detail: string | null;
  confirmation?: { text: string; overdue: boolean };
}

export interface HistoryRowInput {
  /** The transactions' currency (the cagnotte's); payouts carry their own. */
  currency: string;
  now: number;
  locale: string;
  t: Translate;
}

export function historyRow(entry: HistoryEntry, input: HistoryRowInput): HistoryRow {
  const { locale, t, now } = input;
  const date = (iso: string) => ({
    text: formatDate(iso, locale, now),
    exact: formatDateTime(iso, locale),
    iso,
  });
  if (entry.kind === 'transaction') {
    const { transaction } = entry;
    const money = (minor: number) => formatMoney(minor, input.currency, locale);
    return {
      key: entry.key,
      kind: entry.kind,
      statusClass: transaction.status,
      statusLabel: t(TRANSACTION_STATUS_LABEL[transaction.status]),
      date: date(transaction.orderedAt),
      label: transaction.merchantName || transaction.merchantId,
      amount: money(transaction.cashback),
      detail: t('history_order_amount', [money(transaction.orderAmount)]),
      ...expectedConfirmation(transaction, input),
    };
  }
  const { payout } = entry;
  const money = (minor: number) => formatMoney(minor, payout.currency, locale);
  return {
    key: entry.key,
    kind: entry.kind,
    statusClass: `payout-${payout.status}`,
    statusLabel: t(PAYOUT_STATUS_LABEL[payout.status]),
    date: date(payout.requestedAt),
    label: payoutLabel(payout, t),
    amount: money(payout.amount),
    detail: payout.fee > 0 ? t('history_payout_fee', [money(payout.fee)]) : null,
  };
}
