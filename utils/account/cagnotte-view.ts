/**
 * The cagnotte as the popup shows it: a pure function of the cached figures, the time and the
 * language. Formats the totals, says how far the member is from the payout threshold, labels
 * each transaction's status and says how fresh the figures are.
 */
import type { Cagnotte, Transaction, TransactionStatus } from '../contract/schemas';
import { formatDate, formatDateTime, formatRelativeTime } from '../format/dates';
import type { MessageKey, Translate } from '../format/i18n';
import type { AccountView } from '../protocol/messages';
import { formatMoney } from '../format/money';
import { isDeadlineAhead } from '../storage/deadline';

/** Figures older than this are flagged: the background refreshes every 3 hours at most. */
export const STALE_AFTER_MS = 6 * 60 * 60_000;
const LATEST_TRANSACTIONS = 5;

const STATUS_LABEL: Record<TransactionStatus, MessageKey> = {
  pending: 'common_status_pending',
  confirmed: 'common_status_confirmed',
  cancelled: 'common_status_cancelled',
  paid: 'common_status_paid',
};

export interface TransactionRow {
  id: string;
  merchantName: string;
  /** ISO timestamp, for `<time datetime>`. */
  orderedAt: string;
  orderedOn: string;
  cashback: string;
  status: TransactionStatus;
  statusLabel: string;
  /** A pending cashback whose portal says when it should be confirmed (since Portal API 1.3). */
  confirmation?: { text: string; overdue: boolean };
}

export interface CagnotteView {
  pending: string;
  confirmed: string;
  paid: string;
  payout: { ready: boolean; text: string };
  transactions: TransactionRow[];
  updated: { text: string; exact: string; at: string };
  /** The figures may be out of date: the last refresh failed, or they are old. */
  stale: boolean;
  /** Why the figures could not be refreshed, in a sentence; null when they could. */
  refreshNotice: string | null;
}

export interface CagnotteViewInput {
  cagnotte: { figures: Cagnotte; fetchedAt: number };
  refreshError: Extract<AccountView, { signedIn: true }>['refreshError'];
  now: number;
  locale: string;
  t: Translate;
  brand: string;
}

export function cagnotteView(input: CagnotteViewInput): CagnotteView {
  const { figures, fetchedAt } = input.cagnotte;
  const { locale, t } = input;
  const money = (minor: number) => formatMoney(minor, figures.currency, locale);
  const remaining = figures.payoutThreshold - figures.confirmed;
  return {
    pending: money(figures.pending),
    confirmed: money(figures.confirmed),
    paid: money(figures.paid),
    payout:
      remaining <= 0
        ? { ready: true, text: t('popup_payout_ready') }
        : { ready: false, text: t('popup_payout_remaining', [money(remaining)]) },
    transactions: figures.transactions.slice(0, LATEST_TRANSACTIONS).map((transaction) => ({
      id: transaction.id,
      merchantName: transaction.merchantName,
      orderedAt: transaction.orderedAt,
      orderedOn: formatDate(transaction.orderedAt, locale, input.now),
      cashback: money(transaction.cashback),
      status: transaction.status,
      statusLabel: t(STATUS_LABEL[transaction.status]),
      ...confirmationOf(transaction, input),
    })),
    updated: {
      text: t('popup_updated', [formatRelativeTime(fetchedAt, input.now, locale)]),
      exact: formatDateTime(fetchedAt, locale),
      at: new Date(fetchedAt).toISOString(),
    },
    // Fetched "in the future" (by a clock that ran ahead): how old they are is unknown.
    stale:
      input.refreshError !== null ||
      !isDeadlineAhead(fetchedAt + STALE_AFTER_MS, input.now, STALE_AFTER_MS),
    refreshNotice: refreshNotice(input.refreshError, t, input.brand),
  };
}

function confirmationOf(
  transaction: Transaction,
  { now, locale, t }: CagnotteViewInput,
): Pick<TransactionRow, 'confirmation'> {
  if (transaction.status !== 'pending' || transaction.expectedConfirmationAt === undefined) {
    return {};
  }
  const on = formatDate(transaction.expectedConfirmationAt, locale, now);
  const overdue = Date.parse(transaction.expectedConfirmationAt) < now;
  const text = overdue
    ? t('popup_transaction_overdue', [on])
    : t('popup_transaction_confirm_by', [on]);
  return { confirmation: { text, overdue } };
}

function refreshNotice(
  error: CagnotteViewInput['refreshError'],
  t: Translate,
  brand: string,
): string | null {
  switch (error) {
    case null:
      return null;
    case 'portal-unreachable':
      return t('popup_refresh_unreachable', [brand]);
    case 'failed':
      return t('popup_refresh_failed');
  }
}
