/**
 * Payouts: the member's confirmed cashback leaving the cagnotte, by transfer, as a voucher or as
 * a donation. Each request moves money in ONE immediate transaction (the write lock is taken
 * before the balance is read, so two requests, even from two processes, cannot both spend the
 * same euros), and the database refuses any payout that would take the confirmed balance below
 * zero on its own (the triggers of migrations.ts), whatever the code above it does.
 *
 *   requested ──pay──▶ paid      (a voucher gets its code)
 *       │
 *       └────fail──▶ failed      (the money counts as confirmed again)
 *
 * Balances stay derived (ledger.ts): confirmed = confirmed cashback − (amount + fee) of the
 * payouts requested or paid. A request carries the member's Idempotency-Key: the same key with
 * the same request answers the payout it made, with another request `idempotency_conflict`.
 */
import crypto from 'node:crypto';
import type {
  Payout,
  PayoutMethod,
  PayoutRequest,
  PayoutStatus,
} from '../../utils/contract/schemas';
import type { Clock } from '../store/clock';
import type { Db } from '../store/db';
import { isInsufficientBalance } from './ledger';
import { memberId } from './members';
import { rowIds } from './row-ids';

interface PayoutRow {
  id: number;
  member_id: number;
  idempotency_key: string;
  request_hash: string;
  method: PayoutMethod;
  amount: number;
  fee: number;
  currency: string;
  status: PayoutStatus;
  target: string;
  target_name: string;
  voucher_code: string | null;
  requested_at: string;
  settled_at: string | null;
}

/** A payout as the admin sees it: the member's view, and whose it is. */
export interface PayoutRecord extends Payout {
  memberId: string;
}

/** What the route has checked and resolved before the money moves. */
export interface PayoutDraft {
  memberRowId: number;
  idempotencyKey: string;
  requestHash: string;
  method: PayoutMethod;
  amount: number;
  fee: number;
  currency: string;
  /** Transfer: the masked account; voucher: the brand's id; donation: the charity's id. */
  target: string;
  targetName: string;
  /** Nothing is paid out while the confirmed balance is below it. */
  threshold: number;
}

export type PayoutAttempt =
  | { kind: 'created' | 'replayed'; payout: Payout }
  | { kind: 'idempotency_conflict' }
  | { kind: 'below_threshold'; available: number }
  | { kind: 'insufficient_balance'; available: number };

export type Settlement = 'pay' | 'fail';

export type SettlementResult =
  | { kind: 'ok'; payout: PayoutRecord }
  | { kind: 'not_found' }
  | { kind: 'invalid_transition'; from: PayoutStatus };

const payoutIds = rowIds('p');
export const payoutId = payoutIds.format;
const parsePayoutId = payoutIds.parse;

/** The request as the key remembers it: its fields in a fixed order, hashed. */
export function requestHash(request: PayoutRequest): string {
  const canonical = JSON.stringify([
    request.method,
    request.amount,
    request.currency,
    request.method === 'voucher' ? request.brandId : null,
    request.method === 'donation' ? request.charityId : null,
  ]);
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

function toPayout(row: PayoutRow): Payout {
  return {
    id: payoutId(row.id),
    method: row.method,
    amount: row.amount,
    fee: row.fee,
    currency: row.currency,
    status: row.status,
    requestedAt: row.requested_at,
    ...(row.settled_at ? { settledAt: row.settled_at } : {}),
    ...(row.method === 'transfer' ? { account: row.target } : {}),
    ...(row.method === 'voucher'
      ? {
          voucher: {
            brandId: row.target,
            brandName: row.target_name,
            ...(row.voucher_code ? { code: row.voucher_code } : {}),
          },
        }
      : {}),
    ...(row.method === 'donation' ? { charity: { id: row.target, name: row.target_name } } : {}),
  };
}

function toRecord(row: PayoutRow): PayoutRecord {
  return { ...toPayout(row), memberId: memberId(row.member_id) };
}

/** "K7QF-3MZC-X9TD-2WRA": 80 random bits in Crockford's base 32, grouped for reading aloud. */
function voucherCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = crypto.randomBytes(16);
  const chars = Array.from(bytes, (byte) => alphabet[byte % 32]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

export function createPayouts(db: Db, now: Clock) {
  const confirmedBalance = db.prepare<[number, number], { available: number }>(
    `SELECT
       (SELECT coalesce(sum(cashback), 0) FROM transactions WHERE member_id = ? AND status = 'confirmed')
       - (SELECT coalesce(sum(amount + fee), 0) FROM payouts
          WHERE member_id = ? AND status IN ('requested', 'paid')) AS available`,
  );
  const byKey = db.prepare<[number, string], PayoutRow>(
    'SELECT * FROM payouts WHERE member_id = ? AND idempotency_key = ?',
  );
  const byId = db.prepare<[number], PayoutRow>('SELECT * FROM payouts WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO payouts (member_id, idempotency_key, request_hash, method, amount, fee, currency,
       status, target, target_name, requested_at)
     VALUES (@memberRowId, @idempotencyKey, @requestHash, @method, @amount, @fee, @currency,
       'requested', @target, @targetName, @requestedAt)`,
  );
  const settle = db.prepare(
    `UPDATE payouts SET status = ?, settled_at = ?, voucher_code = ? WHERE id = ? AND status = 'requested'`,
  );
  const pageOf = db.prepare<[number, number, number], PayoutRow>(
    'SELECT * FROM payouts WHERE member_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
  );
  const recent = db.prepare<[number], PayoutRow>('SELECT * FROM payouts ORDER BY id DESC LIMIT ?');
  const donations = db.prepare<[], { target: string; raised: number }>(
    `SELECT target, sum(amount) AS raised FROM payouts
     WHERE method = 'donation' AND status = 'paid' GROUP BY target`,
  );
  const accountOf = db.prepare<[number], { iban: string; holder: string }>(
    'SELECT iban, holder FROM bank_accounts WHERE member_id = ?',
  );
  const upsertAccount = db.prepare(
    `INSERT INTO bank_accounts (member_id, iban, holder, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (member_id) DO UPDATE SET iban = excluded.iban, holder = excluded.holder,
       updated_at = excluded.updated_at`,
  );

  const available = (memberRowId: number) =>
    confirmedBalance.get(memberRowId, memberRowId)?.available ?? 0;

  /** The payout this key made, or a conflict when the key came with another request. */
  function previous(
    memberRowId: number,
    idempotencyKey: string,
    hash: string,
  ): PayoutAttempt | undefined {
    const row = byKey.get(memberRowId, idempotencyKey);
    if (!row) return undefined;
    return row.request_hash === hash
      ? { kind: 'replayed', payout: toPayout(row) }
      : { kind: 'idempotency_conflict' };
  }

  const request = db.transaction((draft: PayoutDraft): PayoutAttempt => {
    // Again inside the lock: the same key sent twice at once makes one payout.
    const earlier = previous(draft.memberRowId, draft.idempotencyKey, draft.requestHash);
    if (earlier) return earlier;
    const balance = available(draft.memberRowId);
    if (balance < draft.threshold) return { kind: 'below_threshold', available: balance };
    if (draft.amount + draft.fee > balance) {
      return { kind: 'insufficient_balance', available: balance };
    }
    let rowId: number;
    try {
      const { threshold: _threshold, ...row } = draft;
      rowId = Number(insert.run({ ...row, requestedAt: now().toISOString() }).lastInsertRowid);
    } catch (error) {
      if (isInsufficientBalance(error)) {
        return { kind: 'insufficient_balance', available: available(draft.memberRowId) };
      }
      throw error;
    }
    return { kind: 'created', payout: toPayout(byId.get(rowId)!) };
  });

  const settleTransaction = db.transaction(
    (id: string, settlement: Settlement, code?: string): SettlementResult => {
      const rowId = parsePayoutId(id);
      const row = rowId === undefined ? undefined : byId.get(rowId);
      if (!row) return { kind: 'not_found' };
      if (row.status !== 'requested') return { kind: 'invalid_transition', from: row.status };
      const paidVoucher = settlement === 'pay' && row.method === 'voucher';
      settle.run(
        settlement === 'pay' ? 'paid' : 'failed',
        now().toISOString(),
        paidVoucher ? (code ?? voucherCode()) : null,
        row.id,
      );
      return { kind: 'ok', payout: toRecord(byId.get(row.id)!) };
    },
  );

  return {
    /** The member's confirmed balance: what may be withdrawn, fees included. */
    available,

    /** The answer a key already has (a replay or a conflict), before anything is checked. */
    previous,

    /** Checks the balance and records the payout, in one immediate transaction. */
    request(draft: PayoutDraft): PayoutAttempt {
      return request.immediate(draft);
    },

    /** The admin: paid (a voucher gets `code`, or a random one) or failed (the money returns). */
    settle(id: string, settlement: Settlement, code?: string): SettlementResult {
      return settleTransaction.immediate(id, settlement, code);
    },

    /** The member's payouts, newest first, `limit` after the cursor's (a payout row id). */
    page(
      memberRowId: number,
      before: number | null,
      limit: number,
    ): { payouts: Payout[]; last: number | null; more: boolean } {
      const rows = pageOf.all(memberRowId, before ?? Number.MAX_SAFE_INTEGER, limit + 1);
      const more = rows.length > limit;
      const kept = rows.slice(0, limit);
      return { payouts: kept.map(toPayout), last: kept.at(-1)?.id ?? null, more };
    },

    recent(limit: number): PayoutRecord[] {
      return recent.all(limit).map(toRecord);
    },

    /** What the members gave each charity, in paid donations. */
    raisedByCharity(): Map<string, number> {
      return new Map(donations.all().map((row) => [row.target, row.raised]));
    },

    bankAccount(memberRowId: number): { iban: string; holder: string } | undefined {
      return accountOf.get(memberRowId);
    },

    /** `iban` normalised and checked by the caller (iban.ts). */
    setBankAccount(memberRowId: number, iban: string, holder: string): void {
      upsertAccount.run(memberRowId, iban, holder, now().toISOString());
    },
  };
}

export type Payouts = ReturnType<typeof createPayouts>;
