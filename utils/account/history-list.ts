/**
 * The history page's list: two streams from the portal, the transactions and the payouts, each
 * newest first and paged by its own cursor, merged into one list newest first (docs/payouts.md,
 * "The whole history"). Pure: the page keeps a `HistoryList` and asks these functions what to
 * show and what to fetch next.
 *
 * Merged across pages: an entry is shown only once no unfetched entry of the other stream can
 * come before it. While a stream has more pages, its next page may hold entries as recent as its
 * last one fetched, so the other stream's entries older than that wait, unseen, for it. So
 * "Voir plus" only ever appends below what is shown: nothing moves.
 */
import type { Payout, PayoutStatus, Transaction, TransactionStatus } from '../contract/schemas';
import type { BackgroundProtocol, HistoryPage } from '../protocol/messages';

export type HistoryEntry =
  | { kind: 'payout'; key: string; at: number; seq: number; payout: Payout }
  | { kind: 'transaction'; key: string; at: number; seq: number; transaction: Transaction };

type Kind = HistoryEntry['kind'];

/** At the same moment, a payout comes before a transaction (any fixed order would do). */
const KIND_RANK: Record<Kind, number> = { payout: 0, transaction: 1 };

export interface HistorySource {
  /** Entries in the order they arrived (`seq`), each id once. */
  entries: HistoryEntry[];
  /** The cursor of the next page; null for the first. */
  cursor: string | null;
  /** No more pages (or the portal has no such stream). */
  done: boolean;
}

export interface HistoryList {
  /** Whose history it is (the background's answer to the first page); null before it. */
  member: string | null;
  /** The transactions' currency (the cagnotte's). */
  currency: string | null;
  transaction: HistorySource;
  payout: HistorySource;
}

export type HistoryPageRequest = BackgroundProtocol['history:page']['request'];
type Page = Extract<HistoryPage, { state: 'page' }>;

export function emptyHistory(): HistoryList {
  const source = (): HistorySource => ({ entries: [], cursor: null, done: false });
  return { member: null, currency: null, transaction: source(), payout: source() };
}

/** Whether a stream has pages still to fetch. */
export function hasMore(list: HistoryList): boolean {
  return !list.transaction.done || !list.payout.done;
}

/** The request for the next page of every stream that has more; null when all is fetched. */
export function nextPageRequest(list: HistoryList): HistoryPageRequest | null {
  if (!hasMore(list)) return null;
  const ask = (source: HistorySource) => (source.done ? null : { cursor: source.cursor });
  return { member: list.member, transactions: ask(list.transaction), payouts: ask(list.payout) };
}

/** `list` with the page the background answered to `request`. */
export function addPage(list: HistoryList, request: HistoryPageRequest, page: Page): HistoryList {
  return {
    member: page.member,
    currency: page.currency,
    transaction:
      request.transactions === null
        ? list.transaction
        : addToSource(
            list.transaction,
            request.transactions.cursor,
            page.transactions &&
              page.transactions.items.map((transaction) => ({
                kind: 'transaction' as const,
                key: `transaction:${transaction.id}`,
                at: Date.parse(transaction.orderedAt),
                seq: 0,
                transaction,
              })),
            page.transactions?.nextCursor ?? null,
          ),
    payout:
      request.payouts === null
        ? list.payout
        : addToSource(
            list.payout,
            request.payouts.cursor,
            page.payouts &&
              page.payouts.items.map((payout) => ({
                kind: 'payout' as const,
                key: `payout:${payout.id}`,
                at: Date.parse(payout.requestedAt),
                seq: 0,
                payout,
              })),
            page.payouts?.nextCursor ?? null,
          ),
  };
}

/**
 * A page appended to its stream. A stream the portal does not serve (null) is done; so is one
 * whose page brought nothing new, or the very cursor it was asked with: a portal that would page
 * forever is not followed. An entry already there (a portal that pages by offset while the list
 * grows) stays where it was.
 */
function addToSource(
  source: HistorySource,
  askedCursor: string | null,
  items: HistoryEntry[] | null,
  nextCursor: string | null,
): HistorySource {
  if (items === null) return { ...source, done: true };
  const known = new Set(source.entries.map((entry) => entry.key));
  const added: HistoryEntry[] = [];
  for (const item of items) {
    if (known.has(item.key)) continue;
    known.add(item.key);
    added.push({ ...item, seq: source.entries.length + added.length });
  }
  const stuck = added.length === 0 || nextCursor === askedCursor;
  return {
    entries: [...source.entries, ...added],
    cursor: nextCursor,
    done: nextCursor === null || stuck,
  };
}

/** Newest first; at the same moment, payouts first; then in the portal's own order. */
export function compareEntries(a: HistoryEntry, b: HistoryEntry): number {
  return b.at - a.at || KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.seq - b.seq;
}

/**
 * Whether `entry` may be shown while `source` (of kind `kind`) has more pages: only if it comes
 * before anything that stream's next page can hold, that is before its last entry's moment (a
 * stream not fetched yet holds everything back).
 */
function before(entry: HistoryEntry, kind: Kind, source: HistorySource): boolean {
  if (source.done || entry.kind === kind) return true;
  const last = source.entries.at(-1);
  if (!last) return false;
  return entry.at > last.at || (entry.at === last.at && KIND_RANK[entry.kind] < KIND_RANK[kind]);
}

/** What the page shows: every entry no unfetched one can precede, newest first. */
export function visibleEntries(list: HistoryList): HistoryEntry[] {
  return [...list.transaction.entries, ...list.payout.entries]
    .filter(
      (entry) =>
        before(entry, 'transaction', list.transaction) && before(entry, 'payout', list.payout),
    )
    .sort(compareEntries);
}

// ---------- filters ----------

export type StatusFilter = 'all' | `transaction:${TransactionStatus}` | `payout:${PayoutStatus}`;

export const TRANSACTION_STATUS_FILTERS = [
  'transaction:pending',
  'transaction:confirmed',
  'transaction:paid',
  'transaction:cancelled',
] as const satisfies readonly StatusFilter[];

export const PAYOUT_STATUS_FILTERS = [
  'payout:requested',
  'payout:paid',
  'payout:failed',
] as const satisfies readonly StatusFilter[];

export interface HistoryFilter {
  status: StatusFilter;
  /** A merchant's id: its transactions only (payouts have no merchant). */
  merchantId: string | null;
}

export const NO_FILTER: HistoryFilter = { status: 'all', merchantId: null };

export function matchesFilter(entry: HistoryEntry, filter: HistoryFilter): boolean {
  const status = entry.kind === 'transaction' ? entry.transaction.status : entry.payout.status;
  if (filter.status !== 'all' && filter.status !== `${entry.kind}:${status}`) return false;
  if (filter.merchantId === null) return true;
  return entry.kind === 'transaction' && entry.transaction.merchantId === filter.merchantId;
}

/** The merchants of the entries shown, each once, by name in the member's language. */
export function merchantsOf(
  entries: readonly HistoryEntry[],
  locale: string,
): { id: string; name: string }[] {
  const names = new Map<string, string>();
  for (const entry of entries) {
    if (entry.kind !== 'transaction') continue;
    const { merchantId, merchantName } = entry.transaction;
    if (!names.has(merchantId)) names.set(merchantId, merchantName || merchantId);
  }
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  return [...names]
    .map(([id, name]) => ({ id, name }))
    .sort((a, b) => collator.compare(a.name, b.name) || collator.compare(a.id, b.id));
}
