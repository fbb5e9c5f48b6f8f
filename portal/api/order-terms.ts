/**
 * What each merchant's entry says about the time after a purchase (docs/portal-api.md §2, since
 * 1.1): its confirmation pages, when a sale normally shows as pending, when it is confirmed, and
 * how long a missing one may be claimed. Kept beside the merchants table (its own table), and
 * added to the entry when the list is served.
 */
import {
  OrderTermsSchema,
  type Cagnotte,
  type Merchant,
  type OrderTerms,
} from '../../utils/contract/schemas';
import type { Db } from '../store/db';

const DAY_MS = 24 * 60 * 60 * 1000;

export function createOrderTerms(db: Db) {
  const byMerchant = db.prepare<[string], { terms: string }>(
    'SELECT terms FROM merchant_order_terms WHERE merchant_id = ?',
  );
  const all = db.prepare<[], { merchant_id: string; terms: string }>(
    'SELECT merchant_id, terms FROM merchant_order_terms',
  );
  const upsert = db.prepare(
    `INSERT INTO merchant_order_terms (merchant_id, terms) VALUES (?, ?)
     ON CONFLICT (merchant_id) DO UPDATE SET terms = excluded.terms`,
  );
  const remove = db.prepare('DELETE FROM merchant_order_terms WHERE merchant_id = ?');

  // Read per list build (the whole table at once) and per claim: small, and only written at seed.
  let cache: Map<string, OrderTerms> | undefined;
  // Bumped on every change: the served list is rebuilt when it moves.
  let revision = 0;
  const table = () => {
    cache ??= new Map(
      all.all().map((row) => [row.merchant_id, OrderTermsSchema.parse(JSON.parse(row.terms))]),
    );
    return cache;
  };

  return {
    get(merchantId: string): OrderTerms | undefined {
      if (cache) return cache.get(merchantId);
      const row = byMerchant.get(merchantId);
      return row ? OrderTermsSchema.parse(JSON.parse(row.terms)) : undefined;
    },

    /** Sets (or, with `undefined`, removes) a merchant's terms; validated as the contract says. */
    set(merchantId: string, terms: OrderTerms | undefined): void {
      if (terms === undefined || Object.keys(terms).length === 0) remove.run(merchantId);
      else upsert.run(merchantId, JSON.stringify(OrderTermsSchema.parse(terms)));
      cache = undefined;
      revision += 1;
    },

    get revision() {
      return revision;
    },

    /** The entry as served: its fields, then the merchant's terms (none: the entry as in 1.0). */
    withTerms(entry: Merchant): Merchant {
      const terms = table().get(entry.id);
      return terms ? { ...entry, ...terms } : entry;
    },

    /**
     * The cagnotte with, on each pending transaction, when its merchant should confirm it: its
     * order's date plus the merchant's `confirmationDelayDays`, when the merchant gives one.
     */
    withExpectedConfirmations(cagnotte: Cagnotte): Cagnotte {
      return {
        ...cagnotte,
        transactions: cagnotte.transactions.map((transaction) => {
          const days = table().get(transaction.merchantId)?.confirmationDelayDays;
          if (transaction.status !== 'pending' || days === undefined) return transaction;
          const expected = Date.parse(transaction.orderedAt) + days * DAY_MS;
          return { ...transaction, expectedConfirmationAt: new Date(expected).toISOString() };
        }),
      };
    },
  };
}

export type OrderTermsStore = ReturnType<typeof createOrderTerms>;
