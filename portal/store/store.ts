/** Everything the routes read and write, over one database. */
import type { Clock } from './clock';
import type { Db } from './db';
import { createLedger } from '../api/ledger';
import { createMembers, type PasswordHashing } from '../api/members';
import { createMerchants } from '../api/merchants';
import { createPayouts } from '../api/payout-ledger';
import { createShopOrders } from '../demo/shop-orders';

export function createStore(db: Db, now: Clock, hashing: PasswordHashing) {
  const merchants = createMerchants(db, now);
  return {
    db,
    now,
    members: createMembers(db, now, hashing),
    merchants,
    ledger: createLedger(db, now, merchants),
    shopOrders: createShopOrders(db, now),
    payouts: createPayouts(db, now),
  };
}

export type Store = ReturnType<typeof createStore>;
