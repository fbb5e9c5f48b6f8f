/**
 * One of the processes of the "no process overdraws" test (payouts.test.ts): on the portal's
 * database file, asks `count` payouts of 1 € for the member through the payout ledger, all
 * starting at `startAt` with the other processes, and prints how many were made and refused.
 *
 *   node --import tsx payout-race.ts <file> <memberRowId> <process> <count> <startAt>
 */
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { createPayouts, requestHash } from '../../portal/api/payout-ledger';

const [file, rowId, process_, count, startAt] = process.argv.slice(2);
const db = new Database(file, { timeout: 10_000 });
db.pragma('foreign_keys = ON');
const payouts = createPayouts(db, () => new Date());
const request = {
  method: 'donation',
  amount: 100,
  currency: 'EUR',
  charityId: 'lire-et-grandir',
} as const;

await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
let created = 0;
let refused = 0;
for (let i = 0; i < Number(count); i += 1) {
  const attempt = payouts.request({
    memberRowId: Number(rowId),
    idempotencyKey: `race-${process_}-${i}-${crypto.randomUUID()}`,
    requestHash: requestHash(request),
    method: 'donation',
    amount: 100,
    fee: 0,
    currency: 'EUR',
    target: 'lire-et-grandir',
    targetName: 'Lire et Grandir',
    threshold: 0,
  });
  if (attempt.kind === 'created') created += 1;
  else if (attempt.kind === 'insufficient_balance') refused += 1;
  else throw new Error(`unexpected ${attempt.kind}`);
  // Let the other processes in between two requests.
  await new Promise((resolve) => setImmediate(resolve));
}
db.close();
process.stdout.write(JSON.stringify({ created, refused }));
