/**
 * Clicks and transactions: what the member did and what it earned.
 * Balances are sums over the transactions by status, computed on read, never stored.
 *
 *   pending ──confirm──▶ confirmed ──(payout)──▶ paid
 *      │                     │
 *      └──────cancel─────────┴──▶ cancelled
 *
 * Payouts (payout-ledger.ts) leave the transactions as they are and debit the confirmed balance:
 * confirmed = confirmed cashback − payouts requested or paid; paid = 'paid' cashback + payouts
 * paid (amounts with their fees).
 */
import crypto from 'node:crypto';
import type { Cagnotte, Transaction, TransactionStatus } from '../../utils/contract/schemas';
import { cashbackFor } from './cashback';
import type { Clock } from '../store/clock';
import type { Db } from '../store/db';
import { memberId, type Member } from './members';
import { rateFor, type TierId } from './tiers';
import type { MerchantRecord } from './merchant-record';
import type { Merchants } from './merchants';
import { rowIds } from './row-ids';

export const CURRENCY = 'EUR';
export const PAYOUT_THRESHOLD = 1000;
const RECENT_TRANSACTIONS = 50;

export interface ClickRecord {
  id: string;
  memberId: string;
  merchantId: string;
  url: string;
  createdAt: string;
  followedAt: string | null;
  followCount: number;
}

/** A transaction as the admin sees it: the member's view plus who and where from. */
export interface TransactionRecord extends Transaction {
  memberId: string;
  clickId: string | null;
  orderRef: string;
  currency: string;
  statusChangedAt: string;
}

interface ClickRow {
  id: string;
  member_id: number;
  merchant_id: string;
  url: string;
  created_at: string;
  followed_at: string | null;
  follow_count: number;
}

interface TransactionRow {
  id: number;
  member_id: number;
  merchant_id: string;
  merchant_name: string | null;
  click_id: string | null;
  order_ref: string;
  ordered_at: string;
  order_amount: number;
  cashback: number;
  currency: string;
  status: TransactionStatus;
  status_changed_at: string;
}

export type Transition = 'confirm' | 'cancel';

const TRANSITIONS: Record<Transition, { from: TransactionStatus[]; to: TransactionStatus }> = {
  confirm: { from: ['pending'], to: 'confirmed' },
  cancel: { from: ['pending', 'confirmed'], to: 'cancelled' },
};

const transactionIds = rowIds('t');
export const transactionId = transactionIds.format;
const parseTransactionId = transactionIds.parse;

function toClick(row: ClickRow): ClickRecord {
  return {
    id: row.id,
    memberId: memberId(row.member_id),
    merchantId: row.merchant_id,
    url: row.url,
    createdAt: row.created_at,
    followedAt: row.followed_at,
    followCount: row.follow_count,
  };
}

function toTransaction(row: TransactionRow): Transaction {
  return {
    id: transactionId(row.id),
    merchantId: row.merchant_id,
    merchantName: row.merchant_name ?? row.merchant_id,
    orderedAt: row.ordered_at,
    orderAmount: row.order_amount,
    cashback: row.cashback,
    status: row.status,
  };
}

function toTransactionRecord(row: TransactionRow): TransactionRecord {
  return {
    ...toTransaction(row),
    memberId: memberId(row.member_id),
    clickId: row.click_id,
    orderRef: row.order_ref,
    currency: row.currency,
    statusChangedAt: row.status_changed_at,
  };
}

export type ConversionResult =
  | { kind: 'created' | 'duplicate'; transaction: TransactionRecord }
  | { kind: 'unknown_click' }
  | { kind: 'merchant_mismatch' };

export type TransitionResult =
  | { kind: 'ok'; transaction: TransactionRecord }
  | { kind: 'not_found' }
  | { kind: 'invalid_transition'; from: TransactionStatus }
  /** Cancelling it would take back cashback the member has already withdrawn. */
  | { kind: 'insufficient_balance' };

export function createLedger(db: Db, now: Clock, merchants: Merchants) {
  const transactionSelect = `SELECT t.*, m.name AS merchant_name FROM transactions t
    LEFT JOIN merchants m ON m.id = t.merchant_id`;
  const insertClick = db.prepare(
    'INSERT INTO clicks (id, member_id, merchant_id, url, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const clickById = db.prepare<[string], ClickRow>('SELECT * FROM clicks WHERE id = ?');
  const markFollowed = db.prepare(
    `UPDATE clicks SET followed_at = coalesce(followed_at, ?), follow_count = follow_count + 1
     WHERE id = ?`,
  );
  const recentClicks = db.prepare<[number], ClickRow>(
    'SELECT * FROM clicks ORDER BY created_at DESC, rowid DESC LIMIT ?',
  );
  const insertTransaction = db.prepare(
    `INSERT INTO transactions (member_id, merchant_id, click_id, order_ref, ordered_at, order_amount,
       cashback, currency, status, status_changed_at)
     VALUES (@memberId, @merchantId, @clickId, @orderRef, @orderedAt, @orderAmount, @cashback,
       @currency, @status, @statusChangedAt)`,
  );
  const transactionById = db.prepare<[number], TransactionRow>(
    `${transactionSelect} WHERE t.id = ?`,
  );
  const transactionByOrder = db.prepare<[string, string], TransactionRow>(
    `${transactionSelect} WHERE t.merchant_id = ? AND t.order_ref = ?`,
  );
  const recentForMember = db.prepare<[number, number], TransactionRow>(
    `${transactionSelect} WHERE t.member_id = ? ORDER BY t.ordered_at DESC, t.id DESC LIMIT ?`,
  );
  // The whole history, a page at a time, newest first: after the cursor's (ordered_at, id).
  const pageForMember = db.prepare<[number, string, string, number, number], TransactionRow>(
    `${transactionSelect} WHERE t.member_id = ? AND (t.ordered_at < ? OR (t.ordered_at = ? AND t.id < ?))
     ORDER BY t.ordered_at DESC, t.id DESC LIMIT ?`,
  );
  const recentAll = db.prepare<[number], TransactionRow>(
    `${transactionSelect} ORDER BY t.ordered_at DESC, t.id DESC LIMIT ?`,
  );
  const totals = db.prepare<[number], { status: TransactionStatus; total: number }>(
    'SELECT status, sum(cashback) AS total FROM transactions WHERE member_id = ? GROUP BY status',
  );
  // Payouts move money out of the confirmed balance (payout-ledger.ts): requested or paid, with
  // their fee; a failed one counts no more.
  const payoutTotals = db.prepare<[number], { status: 'requested' | 'paid'; total: number }>(
    `SELECT status, sum(amount + fee) AS total FROM payouts
     WHERE member_id = ? AND status IN ('requested', 'paid') GROUP BY status`,
  );
  const memberTier = db.prepare<[number], { tier: TierId }>(
    'SELECT tier FROM members WHERE id = ?',
  );
  const setStatus = db.prepare(
    'UPDATE transactions SET status = ?, status_changed_at = ? WHERE id = ? AND status = ?',
  );

  function addTransaction(input: {
    memberRowId: number;
    merchant: MerchantRecord;
    clickId: string | null;
    orderRef: string;
    orderedAt: string;
    orderAmount: number;
    status: TransactionStatus;
  }): TransactionRecord {
    const { lastInsertRowid } = insertTransaction.run({
      memberId: input.memberRowId,
      merchantId: input.merchant.id,
      clickId: input.clickId,
      orderRef: input.orderRef,
      orderedAt: input.orderedAt,
      orderAmount: input.orderAmount,
      // The member's own rate: a premium member earns the premium rate where there is one.
      cashback: cashbackFor(
        rateFor(input.merchant, memberTier.get(input.memberRowId)?.tier ?? 'free'),
        input.orderAmount,
      ),
      currency: CURRENCY,
      status: input.status,
      statusChangedAt: now().toISOString(),
    });
    return toTransactionRecord(transactionById.get(Number(lastInsertRowid))!);
  }

  return {
    createClick(member: Member, merchant: MerchantRecord, url: string): ClickRecord {
      // Unguessable: the id travels in URLs and cookies and credits whoever made the click.
      const id = `c_${crypto.randomBytes(12).toString('base64url')}`;
      insertClick.run(id, member.rowId, merchant.id, url, now().toISOString());
      return toClick(clickById.get(id)!);
    },

    getClick(id: string): ClickRecord | undefined {
      const row = clickById.get(id);
      return row && toClick(row);
    },

    /** Records that the member's browser followed the click; undefined when unknown. */
    followClick(id: string): ClickRecord | undefined {
      const { changes } = markFollowed.run(now().toISOString(), id);
      return changes === 0 ? undefined : toClick(clickById.get(id)!);
    },

    recentClicks(limit: number): ClickRecord[] {
      return recentClicks.all(limit).map(toClick);
    },

    addTransaction,

    /**
     * A conversion reported by the network: credits the member who made the click with a pending
     * transaction. The same order reported twice is credited once.
     */
    recordConversion: db.transaction(
      (input: {
        clickId: string;
        merchantId: string;
        orderRef: string;
        orderAmount: number;
        orderedAt?: string;
      }): ConversionResult => {
        const click = clickById.get(input.clickId);
        if (!click) return { kind: 'unknown_click' };
        if (click.merchant_id !== input.merchantId) return { kind: 'merchant_mismatch' };
        const existing = transactionByOrder.get(input.merchantId, input.orderRef);
        if (existing) return { kind: 'duplicate', transaction: toTransactionRecord(existing) };
        const merchant = merchants.get(input.merchantId, { listed: false })!;
        const transaction = addTransaction({
          memberRowId: click.member_id,
          merchant,
          clickId: click.id,
          orderRef: input.orderRef,
          orderedAt: input.orderedAt ?? now().toISOString(),
          orderAmount: input.orderAmount,
          status: 'pending',
        });
        return { kind: 'created', transaction };
      },
    ),

    transition: db.transaction((id: string, transition: Transition): TransitionResult => {
      const rowId = parseTransactionId(id);
      const row = rowId === undefined ? undefined : transactionById.get(rowId);
      if (!row) return { kind: 'not_found' };
      const rule = TRANSITIONS[transition];
      if (!rule.from.includes(row.status)) return { kind: 'invalid_transition', from: row.status };
      try {
        setStatus.run(rule.to, now().toISOString(), row.id, row.status);
      } catch (error) {
        // The database's own guard (migrations.ts): the confirmed balance never goes below zero.
        if (isInsufficientBalance(error)) return { kind: 'insufficient_balance' };
        throw error;
      }
      return { kind: 'ok', transaction: toTransactionRecord(transactionById.get(row.id)!) };
    }),

    /** The member's transactions after `after` (the last of the previous page), newest first. */
    transactionPage(
      member: Member,
      after: { orderedAt: string; id: number } | null,
      limit: number,
    ): {
      transactions: Transaction[];
      last: { orderedAt: string; id: number } | null;
      more: boolean;
    } {
      const from = after ?? { orderedAt: '\uffff', id: 0 };
      const rows = pageForMember.all(
        member.rowId,
        from.orderedAt,
        from.orderedAt,
        from.id,
        limit + 1,
      );
      const kept = rows.slice(0, limit);
      const lastRow = kept.at(-1);
      return {
        transactions: kept.map(toTransaction),
        last: lastRow ? { orderedAt: lastRow.ordered_at, id: lastRow.id } : null,
        more: rows.length > limit,
      };
    },

    recentTransactions(limit: number): TransactionRecord[] {
      return recentAll.all(limit).map(toTransactionRecord);
    },

    cagnotte(member: Member): Cagnotte {
      const sums: Record<TransactionStatus, number> = {
        pending: 0,
        confirmed: 0,
        cancelled: 0,
        paid: 0,
      };
      for (const { status, total } of totals.all(member.rowId)) sums[status] = total;
      const payouts = { requested: 0, paid: 0 };
      for (const { status, total } of payoutTotals.all(member.rowId)) payouts[status] = total;
      return {
        currency: CURRENCY,
        pending: sums.pending,
        confirmed: sums.confirmed - payouts.requested - payouts.paid,
        paid: sums.paid + payouts.paid,
        payoutThreshold: PAYOUT_THRESHOLD,
        transactions: recentForMember.all(member.rowId, RECENT_TRANSACTIONS).map(toTransaction),
      };
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;

/** The error the balance triggers raise (migrations.ts). */
export function isInsufficientBalance(error: unknown): boolean {
  return error instanceof Error && error.message === 'insufficient_balance';
}
