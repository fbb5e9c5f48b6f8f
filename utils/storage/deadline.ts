/**
 * Stored times are read against a clock that may not be the one that wrote them. A clock that
 * ran ahead (set by hand, a flat CMOS battery, a virtual machine restored from a snapshot) and was
 * then put right leaves its times in the future: a deadline months ahead would hold its state
 * until then (no sync, a stand-down, "Cashback activé"), and a "last done" time in the future
 * would look fresh. Every stored deadline is read through this rule (tests/unit/storage/deadline.test.ts).
 */

/**
 * Whether `deadline` is still to come. No code sets a deadline further ahead than
 * `longestWindowMs`: one that is was written by a clock that ran ahead, and counts as passed.
 * For a time something was done (`at`) and how long it holds (`windowMs`), pass
 * `at + windowMs` and `windowMs`: a time in the future then counts as expired.
 */
export function isDeadlineAhead(deadline: number, now: number, longestWindowMs: number): boolean {
  return now < deadline && deadline - now <= longestWindowMs;
}
