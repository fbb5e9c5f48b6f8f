/** Everything the routes read and write, over one database. */
import type { Clock } from './clock';
import type { Db } from './db';
import { createLedger } from './ledger';
import { createMembers } from './members';
import { createMerchants } from './merchants';
import { createShopOrders } from './shop-orders';

export function createStore(db: Db, now: Clock) {
  const merchants = createMerchants(db, now);
  return {
    db,
    now,
    members: createMembers(db, now),
    merchants,
    ledger: createLedger(db, now, merchants),
    shopOrders: createShopOrders(db, now),
  };
}

export type Store = ReturnType<typeof createStore>;
