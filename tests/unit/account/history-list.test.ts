/**
 * The history page's list: two paged streams merged newest first, across pages, without ever
 * showing an entry before one that a later page could still put above it; paging that stops on
 * a portal that would page forever; the filters by status and merchant.
 */
import { describe, expect, it } from 'vitest';
import {
  NO_FILTER,
  addPage,
  emptyHistory,
  hasMore,
  matchesFilter,
  merchantsOf,
  nextPageRequest,
  visibleEntries,
  type HistoryFilter,
  type HistoryList,
} from '../../../utils/account/history-list';
import type { Payout, Transaction } from '../../../utils/contract/schemas';
import type { HistoryPage } from '../../../utils/protocol/messages';

const day = (n: number) => `2026-11-${String(n).padStart(2, '0')}T10:00:00Z`;

function tx(id: string, orderedAt: string, extra: Partial<Transaction> = {}): Transaction {
  return {
    id,
    merchantId: 'fnac',
    merchantName: 'Fnac',
    orderedAt,
    orderAmount: 10000,
    cashback: 450,
    status: 'confirmed',
    ...extra,
  };
}

function po(id: string, requestedAt: string, extra: Partial<Payout> = {}): Payout {
  return {
    id,
    method: 'transfer',
    amount: 2000,
    fee: 50,
    currency: 'EUR',
    status: 'paid',
    requestedAt,
    ...extra,
  };
}

type Stream<T> = { items: T[]; nextCursor: string | null } | null;

function page(transactions: Stream<Transaction>, payouts: Stream<Payout>, member = 'u_1') {
  return {
    state: 'page',
    member,
    currency: 'EUR',
    transactions,
    payouts,
  } satisfies HistoryPage;
}

/** Loads the next page with `answer` (what the portal would give for that request). */
function load(list: HistoryList, answer: ReturnType<typeof page>): HistoryList {
  const request = nextPageRequest(list);
  if (!request) throw new Error('nothing to load');
  return addPage(list, request, {
    ...answer,
    transactions: request.transactions ? answer.transactions : null,
    payouts: request.payouts ? answer.payouts : null,
  });
}

const ids = (list: HistoryList) => visibleEntries(list).map((entry) => entry.key);

describe('merging the two streams', () => {
  it('shows nothing before the first page', () => {
    expect(visibleEntries(emptyHistory())).toEqual([]);
    expect(nextPageRequest(emptyHistory())).toEqual({
      member: null,
      transactions: { cursor: null },
      payouts: { cursor: null },
    });
  });

  it.each([
    {
      name: 'both streams complete: every entry, newest first',
      transactions: { items: [tx('t3', day(20)), tx('t1', day(5))], nextCursor: null },
      payouts: { items: [po('p2', day(12))], nextCursor: null },
      shown: ['transaction:t3', 'payout:p2', 'transaction:t1'],
    },
    {
      name: 'payouts have more: transactions older than the last payout fetched wait',
      transactions: { items: [tx('t3', day(20)), tx('t1', day(5))], nextCursor: null },
      payouts: { items: [po('p2', day(12))], nextCursor: 'p-next' },
      shown: ['transaction:t3', 'payout:p2'],
    },
    {
      name: 'transactions have more: payouts older than the last transaction wait',
      transactions: { items: [tx('t3', day(20)), tx('t2', day(15))], nextCursor: 't-next' },
      payouts: { items: [po('p4', day(25)), po('p1', day(3))], nextCursor: null },
      shown: ['payout:p4', 'transaction:t3', 'transaction:t2'],
    },
    {
      name: 'an older portal without payouts: the transactions alone',
      transactions: { items: [tx('t3', day(20))], nextCursor: null },
      payouts: null,
      shown: ['transaction:t3'],
    },
    {
      name: 'offsets: compared as moments, not as text',
      // 23:30 at +02:00 is 21:30Z, before 22:00Z.
      transactions: { items: [tx('t-paris', '2026-11-10T23:30:00+02:00')], nextCursor: null },
      payouts: { items: [po('p-utc', '2026-11-10T22:00:00Z')], nextCursor: null },
      shown: ['payout:p-utc', 'transaction:t-paris'],
    },
    {
      name: 'the same moment: the payout first, whichever stream has more',
      transactions: { items: [tx('t1', day(10))], nextCursor: null },
      payouts: { items: [po('p1', day(10))], nextCursor: null },
      shown: ['payout:p1', 'transaction:t1'],
    },
    {
      name: 'the same moment as the last payout while payouts have more: the transaction waits',
      transactions: { items: [tx('t1', day(10))], nextCursor: null },
      payouts: { items: [po('p1', day(10))], nextCursor: 'p-next' },
      shown: ['payout:p1'],
    },
    {
      name: 'the same moment as the last transaction while transactions have more: the payout shows',
      transactions: { items: [tx('t1', day(10))], nextCursor: 't-next' },
      payouts: { items: [po('p1', day(10))], nextCursor: null },
      shown: ['payout:p1', 'transaction:t1'],
    },
    {
      name: 'a member with nothing at all',
      transactions: { items: [], nextCursor: null },
      payouts: { items: [], nextCursor: null },
      shown: [],
    },
  ])('$name', ({ transactions, payouts, shown }) => {
    const list = load(emptyHistory(), page(transactions, payouts));
    expect(ids(list)).toEqual(shown);
  });

  it('only ever appends below what is shown, page after page, until everything is', () => {
    // Each stream newest first, interleaved in time, three and two pages.
    const transactions = [28, 26, 21, 17, 16, 9, 4].map((d) => tx(`t${d}`, day(d)));
    const payouts = [27, 19, 18, 11, 2].map((d) => po(`p${d}`, day(d)));
    const pageOf = <T>(items: T[], index: number, size: number): Stream<T> => {
      const slice = items.slice(index * size, (index + 1) * size);
      const more = (index + 1) * size < items.length;
      return { items: slice, nextCursor: more ? `c${index + 1}` : null };
    };
    let list = emptyHistory();
    let shown: string[] = [];
    const requests = [];
    for (let index = 0; hasMore(list); index += 1) {
      requests.push(nextPageRequest(list));
      list = load(list, page(pageOf(transactions, index, 3), pageOf(payouts, index, 2)));
      const now = ids(list);
      expect(now.slice(0, shown.length)).toEqual(shown);
      expect(now.length).toBeGreaterThan(shown.length);
      shown = now;
    }
    const all = [...transactions, ...payouts]
      .map((entry) =>
        'orderedAt' in entry
          ? { key: `transaction:${entry.id}`, at: entry.orderedAt }
          : { key: `payout:${entry.id}`, at: entry.requestedAt },
      )
      .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
      .map((entry) => entry.key);
    expect(shown).toEqual(all);
    // Each stream asked from its own cursor; a finished one is no longer asked.
    expect(requests).toEqual([
      { member: null, transactions: { cursor: null }, payouts: { cursor: null } },
      { member: 'u_1', transactions: { cursor: 'c1' }, payouts: { cursor: 'c1' } },
      { member: 'u_1', transactions: { cursor: 'c2' }, payouts: { cursor: 'c2' } },
    ]);
    expect(nextPageRequest(list)).toBeNull();
  });
});

describe('paging a portal that misbehaves', () => {
  it.each([
    {
      name: 'an empty page that still says there is more',
      second: { items: [], nextCursor: 't-2' },
    },
    {
      name: 'the very cursor it was asked with',
      second: { items: [tx('t-new', day(1))], nextCursor: 't-1' },
    },
    {
      name: 'only entries it sent already',
      second: { items: [tx('t1', day(10))], nextCursor: 't-2' },
    },
  ])('stops at $name', ({ second }) => {
    let list = load(
      emptyHistory(),
      page({ items: [tx('t1', day(10))], nextCursor: 't-1' }, { items: [], nextCursor: null }),
    );
    expect(hasMore(list)).toBe(true);
    list = load(list, page(second, null));
    expect(hasMore(list)).toBe(false);
    expect(nextPageRequest(list)).toBeNull();
  });

  it('keeps an entry sent twice once, where it first was', () => {
    let list = load(
      emptyHistory(),
      page(
        { items: [tx('t2', day(20)), tx('t1', day(10))], nextCursor: 't-1' },
        { items: [], nextCursor: null },
      ),
    );
    list = load(
      list,
      page(
        { items: [tx('t1', day(10), { status: 'paid' }), tx('t0', day(5))], nextCursor: null },
        null,
      ),
    );
    expect(ids(list)).toEqual(['transaction:t2', 'transaction:t1', 'transaction:t0']);
  });
});

describe('the filters', () => {
  const list = load(
    emptyHistory(),
    page(
      {
        items: [
          tx('t1', day(20), { status: 'pending', merchantId: 'numeria', merchantName: 'Numéria' }),
          tx('t2', day(18), { status: 'confirmed', merchantId: 'fnac', merchantName: 'Fnac' }),
          tx('t3', day(16), {
            status: 'cancelled',
            merchantId: 'atelier',
            merchantName: 'Atelier',
          }),
          tx('t4', day(14), { status: 'paid', merchantId: 'fnac', merchantName: 'Fnac' }),
        ],
        nextCursor: null,
      },
      {
        items: [
          po('p1', day(19), { status: 'requested' }),
          po('p2', day(17), { status: 'paid' }),
          po('p3', day(15), { status: 'failed' }),
        ],
        nextCursor: null,
      },
    ),
  );
  const filtered = (filter: HistoryFilter) =>
    visibleEntries(list)
      .filter((entry) => matchesFilter(entry, filter))
      .map((entry) => entry.key);

  it.each<[HistoryFilter, string[]]>([
    [
      NO_FILTER,
      [
        'transaction:t1',
        'payout:p1',
        'transaction:t2',
        'payout:p2',
        'transaction:t3',
        'payout:p3',
        'transaction:t4',
      ],
    ],
    [{ status: 'transaction:pending', merchantId: null }, ['transaction:t1']],
    [{ status: 'transaction:confirmed', merchantId: null }, ['transaction:t2']],
    [{ status: 'transaction:paid', merchantId: null }, ['transaction:t4']],
    [{ status: 'transaction:cancelled', merchantId: null }, ['transaction:t3']],
    [{ status: 'payout:requested', merchantId: null }, ['payout:p1']],
    // "Payé" of a payout is not "Versé" of a cashback.
    [{ status: 'payout:paid', merchantId: null }, ['payout:p2']],
    [{ status: 'payout:failed', merchantId: null }, ['payout:p3']],
    // A merchant: its transactions only (payouts have none).
    [{ status: 'all', merchantId: 'fnac' }, ['transaction:t2', 'transaction:t4']],
    [{ status: 'transaction:paid', merchantId: 'fnac' }, ['transaction:t4']],
    [{ status: 'payout:paid', merchantId: 'fnac' }, []],
    [{ status: 'all', merchantId: 'unknown' }, []],
  ])('%j', (filter, expected) => {
    expect(filtered(filter)).toEqual(expected);
  });

  it('offers each merchant shown once, by name in the member’s language', () => {
    expect(merchantsOf(visibleEntries(list), 'fr')).toEqual([
      { id: 'atelier', name: 'Atelier' },
      { id: 'fnac', name: 'Fnac' },
      { id: 'numeria', name: 'Numéria' },
    ]);
  });
});
