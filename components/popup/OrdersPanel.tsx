/**
 * The orders seen after the member's activations, each with where its cashback stands. Absent
 * when there are none (a portal without order terms never has any): the popup is then as before.
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../utils/format/i18n';
import { messagesLocale } from '../../utils/format/locale';
import { orderRows, type OrderRow } from '../../utils/orders/order-rows';
import type { OrderView } from '../../utils/protocol/messages';
import { sendToBackground } from '../../utils/protocol/send';

export function OrdersPanel(props: {
  /** Changes when the figures were refreshed: the orders are matched against them again. */
  figuresAt: number | null;
}) {
  const [views, setViews] = useState<OrderView[]>([]);

  useEffect(() => {
    sendToBackground('orders:list', {}).then(setViews, () => setViews([]));
  }, [props.figuresAt]);

  if (views.length === 0) return null;
  const rows: OrderRow[] = orderRows(views, {
    now: Date.now(),
    locale: messagesLocale(t),
    t,
  });
  return (
    <>
      <h3>{t('popup_orders_heading')}</h3>
      <ul class="orders" data-testid="orders">
        {rows.map((row) => (
          <li key={row.key} class={`order order-${row.state}`} data-testid="order">
            <span class="order-merchant">{row.merchantName}</span>
            <span class="order-amount">{row.amount}</span>
            <span class="order-label muted">{row.label}</span>
            <span class="order-status" data-state={row.state}>
              {row.status}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
