/** Everything the routes read and write, over one database. */
import type { Clock } from './clock';
import type { Db } from './db';
import { createLedger } from '../api/ledger';
import { createMembers, type PasswordHashing } from '../api/members';
import { createMerchants } from '../api/merchants';
import { createPayouts } from '../api/payout-ledger';
import { createShopOrders } from '../demo/shop-orders';
import { createClaims } from '../api/claims';
import { createOrderTerms } from '../api/order-terms';

export function createStore(db: Db, now: Clock, hashing: PasswordHashing) {
  const merchants = createMerchants(db, now);
  const ledger = createLedger(db, now, merchants);
  const orderTerms = createOrderTerms(db);
  return {
    db,
    now,
    members: createMembers(db, now, hashing),
    merchants,
    ledger,
    shopOrders: createShopOrders(db, now),
    payouts: createPayouts(db, now),
    orderTerms,
    claims: createClaims(db, now, merchants, ledger, orderTerms),
  };
}

export type Store = ReturnType<typeof createStore>;
