/** Comparing a secret someone sent (an admin key, a postback secret) with ours. */
import crypto from 'node:crypto';

/** In constant time, whatever the lengths: hashes of both are compared. */
export function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}
