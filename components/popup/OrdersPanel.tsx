/**
 * The orders seen after the member's activations, each with where its cashback stands; a missing
 * one offers "Réclamer" (ClaimForm), and the member's claims follow with their statuses. Absent
 * when there are none (a portal without order terms never has any; one without claims lists
 * none and offers no claim): the popup is then as before.
 */
import { useEffect, useState } from 'preact/hooks';
import { formatDate } from '../../utils/format/dates';
import { t } from '../../utils/format/i18n';
import { messagesLocale } from '../../utils/format/locale';
import { orderRows } from '../../utils/orders/order-rows';
import type { ClaimView, OrderView } from '../../utils/protocol/messages';
import { sendToBackground } from '../../utils/protocol/send';
import { ClaimForm } from './ClaimForm';

const CLAIM_STATUS = {
  submitted: 'popup_claim_status_submitted',
  accepted: 'popup_claim_status_accepted',
  rejected: 'popup_claim_status_rejected',
} as const;

export function OrdersPanel(props: {
  /** Changes when the figures were refreshed: the orders are matched against them again. */
  figuresAt: number | null;
}) {
  const [views, setViews] = useState<OrderView[]>([]);
  const [claims, setClaims] = useState<ClaimView[] | null>(null);
  const [claiming, setClaiming] = useState<string | null>(null);

  useEffect(() => {
    sendToBackground('orders:list', {}).then(setViews, () => setViews([]));
    sendToBackground('claims:list', {}).then(setClaims, () => setClaims(null));
  }, [props.figuresAt]);

  const locale = messagesLocale(t);
  const claimOf = (view: OrderView) =>
    claims?.find((c) => c.merchantId === view.merchantId && c.orderRef === view.orderRef);
  const rows = orderRows(views, { now: Date.now(), locale, t });

  return (
    <>
      {rows.length > 0 && (
        <>
          <h3>{t('popup_orders_heading')}</h3>
          <ul class="orders" data-testid="orders">
            {rows.map((row, index) => {
              const view = views[index]!;
              const claim = claimOf(view);
              return (
                <li key={row.key} class={`order order-${row.state}`} data-testid="order">
                  <span class="order-merchant">{row.merchantName}</span>
                  <span class="order-amount">{row.amount}</span>
                  <span class="order-label muted">{row.label}</span>
                  <span class="order-status" data-state={row.state}>
                    {claim ? t(CLAIM_STATUS[claim.status]) : row.status}
                  </span>
                  {row.claimable && !claim && claiming !== row.key && (
                    <button
                      type="button"
                      class="button button-secondary order-claim"
                      onClick={() => setClaiming(row.key)}
                    >
                      {t('popup_claim_open')}
                    </button>
                  )}
                  {claiming === row.key && (
                    <ClaimForm
                      order={view}
                      onCancel={() => setClaiming(null)}
                      onSent={(sent) => {
                        setClaiming(null);
                        setClaims((current) => [
                          sent,
                          ...(current ?? []).filter((c) => c.id !== sent.id),
                        ]);
                      }}
                    />
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {claims && claims.length > 0 && (
        <>
          <h3>{t('popup_claims_heading')}</h3>
          <ul class="claims" data-testid="claims">
            {claims.map((claim) => (
              <li key={claim.id} class={`claim claim-${claim.status}`} data-testid="claim">
                <span class="order-merchant">{claim.merchantName}</span>{' '}
                <span class="muted">
                  {t('popup_order_ref', [claim.orderRef])} · {formatDate(claim.submittedAt, locale)}
                </span>{' '}
                <span class="order-status" data-state={claim.status}>
                  {t(CLAIM_STATUS[claim.status])}
                  {claim.reason ? ` — ${claim.reason}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
