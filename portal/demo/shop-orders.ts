/** Orders paid in the demo shops: the merchant's side of a conversion. */
import crypto from 'node:crypto';
import type { Clock } from '../store/clock';
import type { Db } from '../store/db';

export interface ShopOrder {
  number: string;
  merchantId: string;
  amount: number;
  items: { product: number; quantity: number }[];
  clickId: string | null;
  /** HTTP status of the postback to the portal; null when there was no tracking cookie. */
  postbackStatus: number | null;
  cashbackTracked: boolean;
  createdAt: string;
}

interface OrderRow {
  number: string;
  merchant_id: string;
  amount: number;
  items: string;
  click_id: string | null;
  postback_status: number | null;
  cashback_tracked: number;
  created_at: string;
}

function toOrder(row: OrderRow): ShopOrder {
  return {
    number: row.number,
    merchantId: row.merchant_id,
    amount: row.amount,
    items: JSON.parse(row.items) as ShopOrder['items'],
    clickId: row.click_id,
    postbackStatus: row.postback_status,
    cashbackTracked: row.cashback_tracked === 1,
    createdAt: row.created_at,
  };
}

export function createShopOrders(db: Db, now: Clock) {
  const insert = db.prepare(
    `INSERT INTO shop_orders (merchant_id, number, amount, items, click_id, cashback_tracked, created_at)
     VALUES (?, ?, ?, ?, ?, 0, ?)`,
  );
  const setPostback = db.prepare(
    'UPDATE shop_orders SET postback_status = ?, cashback_tracked = ? WHERE number = ?',
  );
  const byNumber = db.prepare<[string], OrderRow>('SELECT * FROM shop_orders WHERE number = ?');
  const recent = db.prepare<[number], OrderRow>(
    'SELECT * FROM shop_orders ORDER BY id DESC LIMIT ?',
  );

  return {
    create(input: {
      merchantId: string;
      amount: number;
      items: ShopOrder['items'];
      clickId: string | null;
    }): ShopOrder {
      const number = `CMD-${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
      insert.run(
        input.merchantId,
        number,
        input.amount,
        JSON.stringify(input.items),
        input.clickId,
        now().toISOString(),
      );
      return toOrder(byNumber.get(number)!);
    },

    recordPostback(number: string, status: number, tracked: boolean): void {
      setPostback.run(status, tracked ? 1 : 0, number);
    },

    get(number: string): ShopOrder | undefined {
      const row = byNumber.get(number);
      return row && toOrder(row);
    },

    recent(limit: number): ShopOrder[] {
      return recent.all(limit).map(toOrder);
    },
  };
}

export type ShopOrders = ReturnType<typeof createShopOrders>;
