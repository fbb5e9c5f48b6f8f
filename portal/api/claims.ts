/**
 * Claims: a member's request for the cashback of an order that never showed (docs/portal-api.md
 * §5). One per order reference of a merchant, checked against the member's own click, and
 * decided by the back office:
 *
 *   submitted ──accept──▶ accepted (the pending transaction created, or the one found, in the
 *       │                           same database transaction)
 *       └─────reject───▶ rejected (with the reason the member reads)
 */
import crypto from 'node:crypto';
import type { Claim, ClaimRequest, ClaimStatus } from '../../utils/contract/schemas';
import type { Clock } from '../store/clock';
import type { Db } from '../store/db';
import { transactionId, type Ledger } from './ledger';
import { memberId, type Member } from './members';
import type { Merchants } from './merchants';
import type { OrderTermsStore } from './order-terms';
import { rowIds } from './row-ids';

const DAY_MS = 24 * 60 * 60 * 1000;
/** An order may be dated a little before its click (the two clocks differ). */
const CLOCK_TOLERANCE_MS = 10 * 60 * 1000;
/** …and a little in the future, for the same reason. */
const FUTURE_TOLERANCE_MS = DAY_MS;
const MEMBER_CLAIMS = 100;

interface ClaimRow {
  id: number;
  member_id: number;
  merchant_id: string;
  merchant_name: string | null;
  click_id: string;
  order_ref: string;
  ordered_at: string;
  order_amount: number;
  currency: string;
  status: ClaimStatus;
  reason: string | null;
  transaction_id: number | null;
  idempotency_key: string | null;
  request_hash: string;
  submitted_at: string;
  decided_at: string | null;
}

/** A claim as the back office sees it: the member's view, and whose it is. */
export interface ClaimRecord extends Claim {
  memberId: string;
}

export type FileResult =
  | { kind: 'created' | 'existing'; claim: Claim }
  | { kind: 'unknown_merchant' }
  | { kind: 'click_not_yours' }
  | { kind: 'click_merchant_mismatch' }
  | { kind: 'out_of_window'; reason: string }
  | { kind: 'order_already_tracked' }
  | { kind: 'order_already_claimed' }
  | { kind: 'idempotency_key_reused' };

export type DecisionResult =
  | { kind: 'ok'; claim: ClaimRecord }
  | { kind: 'not_found' }
  | { kind: 'already_decided'; status: ClaimStatus };

const claimIds = rowIds('cl');
export const claimId = claimIds.format;
const parseClaimId = claimIds.parse;

function toClaim(row: ClaimRow): Claim {
  return {
    id: claimId(row.id),
    merchantId: row.merchant_id,
    merchantName: row.merchant_name ?? row.merchant_id,
    clickId: row.click_id,
    orderRef: row.order_ref,
    orderedAt: row.ordered_at,
    orderAmount: row.order_amount,
    currency: row.currency,
    status: row.status,
    submittedAt: row.submitted_at,
    ...(row.decided_at === null ? {} : { decidedAt: row.decided_at }),
    ...(row.reason === null ? {} : { reason: row.reason }),
    ...(row.transaction_id === null ? {} : { transactionId: transactionId(row.transaction_id) }),
  };
}

function toRecord(row: ClaimRow): ClaimRecord {
  return { ...toClaim(row), memberId: memberId(row.member_id) };
}

/** What a request asks, for telling a retry from another request under the same key. */
function requestHash(request: ClaimRequest): string {
  const fields = [
    request.merchantId,
    request.clickId,
    request.orderRef,
    new Date(request.orderedAt).toISOString(),
    String(request.orderAmount),
    request.currency,
  ];
  return crypto.createHash('sha256').update(JSON.stringify(fields)).digest('base64url');
}

export function createClaims(
  db: Db,
  now: Clock,
  merchants: Merchants,
  ledger: Ledger,
  orderTerms: OrderTermsStore,
) {
  const select = `SELECT c.*, m.name AS merchant_name FROM claims c
    LEFT JOIN merchants m ON m.id = c.merchant_id`;
  const byId = db.prepare<[number], ClaimRow>(`${select} WHERE c.id = ?`);
  const byOrder = db.prepare<[string, string], ClaimRow>(
    `${select} WHERE c.merchant_id = ? AND c.order_ref = ?`,
  );
  const byKey = db.prepare<[number, string], ClaimRow>(
    `${select} WHERE c.member_id = ? AND c.idempotency_key = ?`,
  );
  const ofMember = db.prepare<[number, number], ClaimRow>(
    `${select} WHERE c.member_id = ? ORDER BY c.submitted_at DESC, c.id DESC LIMIT ?`,
  );
  const recent = db.prepare<[number], ClaimRow>(
    `${select} ORDER BY (c.status = 'submitted') DESC, c.submitted_at DESC, c.id DESC LIMIT ?`,
  );
  const clickById = db.prepare<
    [string],
    { member_id: number; merchant_id: string; created_at: string }
  >('SELECT member_id, merchant_id, created_at FROM clicks WHERE id = ?');
  const transactionByOrder = db.prepare<[string, string], { id: number }>(
    'SELECT id FROM transactions WHERE merchant_id = ? AND order_ref = ?',
  );
  const insert = db.prepare(
    `INSERT INTO claims (member_id, merchant_id, click_id, order_ref, ordered_at, order_amount,
       currency, status, idempotency_key, request_hash, submitted_at)
     VALUES (@memberId, @merchantId, @clickId, @orderRef, @orderedAt, @orderAmount, @currency,
       'submitted', @idempotencyKey, @requestHash, @submittedAt)`,
  );
  const decide = db.prepare(
    `UPDATE claims SET status = @status, reason = @reason, transaction_id = @transactionId,
       decided_at = @decidedAt WHERE id = @id AND status = 'submitted'`,
  );

  /** Why this order may not be claimed through this click now; undefined when it may. */
  function outOfWindow(request: ClaimRequest, clickCreatedAt: string): string | undefined {
    const windowDays = orderTerms.get(request.merchantId)?.claimWindowDays;
    if (windowDays === undefined) return 'ce marchand n’accepte pas de réclamation';
    const orderedAt = Date.parse(request.orderedAt);
    const current = now().getTime();
    if (orderedAt < Date.parse(clickCreatedAt) - CLOCK_TOLERANCE_MS) {
      return 'la commande est antérieure au clic';
    }
    if (orderedAt > current + FUTURE_TOLERANCE_MS) return 'la commande est datée du futur';
    if (current - orderedAt > windowDays * DAY_MS) {
      return `le délai de réclamation (${windowDays} jours) est passé`;
    }
    return undefined;
  }

  return {
    /**
     * Files the member's claim. Idempotent twice over: the same `Idempotency-Key` gets the same
     * claim (another request under it is refused), and the same order reference of the merchant
     * gets the claim already filed for it, never a second one.
     */
    file: db.transaction(
      (member: Member, request: ClaimRequest, idempotencyKey: string | undefined): FileResult => {
        const hash = requestHash(request);
        if (idempotencyKey !== undefined) {
          const earlier = byKey.get(member.rowId, idempotencyKey);
          if (earlier) {
            return earlier.request_hash === hash
              ? { kind: 'existing', claim: toClaim(earlier) }
              : { kind: 'idempotency_key_reused' };
          }
        }
        const merchant = merchants.get(request.merchantId, { listed: false });
        if (!merchant) return { kind: 'unknown_merchant' };
        // Someone else's click and no click at all look the same: click ids are not for probing.
        const click = clickById.get(request.clickId);
        if (!click || click.member_id !== member.rowId) return { kind: 'click_not_yours' };
        if (click.merchant_id !== request.merchantId) return { kind: 'click_merchant_mismatch' };
        const existing = byOrder.get(request.merchantId, request.orderRef);
        if (existing) {
          return existing.member_id === member.rowId
            ? { kind: 'existing', claim: toClaim(existing) }
            : { kind: 'order_already_claimed' };
        }
        if (transactionByOrder.get(request.merchantId, request.orderRef)) {
          return { kind: 'order_already_tracked' };
        }
        const reason = outOfWindow(request, click.created_at);
        if (reason !== undefined) return { kind: 'out_of_window', reason };
        const { lastInsertRowid } = insert.run({
          memberId: member.rowId,
          merchantId: request.merchantId,
          clickId: request.clickId,
          orderRef: request.orderRef,
          orderedAt: new Date(request.orderedAt).toISOString(),
          orderAmount: request.orderAmount,
          currency: request.currency,
          idempotencyKey: idempotencyKey ?? null,
          requestHash: hash,
          submittedAt: now().toISOString(),
        });
        return { kind: 'created', claim: toClaim(byId.get(Number(lastInsertRowid))!) };
      },
    ),

    ofMember(member: Member): Claim[] {
      return ofMember.all(member.rowId, MEMBER_CLAIMS).map(toClaim);
    },

    /** For the back office: the claims to decide first, then the most recent. */
    recent(limit: number): ClaimRecord[] {
      return recent.all(limit).map(toRecord);
    },

    /**
     * Accepts a submitted claim: the pending transaction of its order is created (or, when the
     * network reported the order meanwhile, the existing one is linked), in the same database
     * transaction as the claim's new status, so the member is credited once or not at all.
     */
    accept: db.transaction((id: string): DecisionResult => {
      const rowId = parseClaimId(id);
      const row = rowId === undefined ? undefined : byId.get(rowId);
      if (!row) return { kind: 'not_found' };
      if (row.status !== 'submitted') return { kind: 'already_decided', status: row.status };
      if (!transactionByOrder.get(row.merchant_id, row.order_ref)) {
        ledger.addTransaction({
          memberRowId: row.member_id,
          merchant: merchants.get(row.merchant_id, { listed: false })!,
          clickId: row.click_id,
          orderRef: row.order_ref,
          orderedAt: row.ordered_at,
          orderAmount: row.order_amount,
          status: 'pending',
        });
      }
      decide.run({
        id: row.id,
        status: 'accepted',
        reason: null,
        transactionId: transactionByOrder.get(row.merchant_id, row.order_ref)!.id,
        decidedAt: now().toISOString(),
      });
      return { kind: 'ok', claim: toRecord(byId.get(row.id)!) };
    }),

    reject: db.transaction((id: string, reason: string): DecisionResult => {
      const rowId = parseClaimId(id);
      const row = rowId === undefined ? undefined : byId.get(rowId);
      if (!row) return { kind: 'not_found' };
      if (row.status !== 'submitted') return { kind: 'already_decided', status: row.status };
      decide.run({
        id: row.id,
        status: 'rejected',
        reason,
        transactionId: null,
        decidedAt: now().toISOString(),
      });
      return { kind: 'ok', claim: toRecord(byId.get(row.id)!) };
    }),
  };
}

export type Claims = ReturnType<typeof createClaims>;
