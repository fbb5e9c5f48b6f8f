/** The cagnotte: totals, distance to the payout threshold, freshness, latest transactions. */
import { cagnotteView } from '../../utils/account/cagnotte-view';
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';
import { messagesLocale } from '../../utils/format/locale';
import type { AccountView } from '../../utils/protocol/messages';

type SignedIn = Extract<AccountView, { signedIn: true }>;

export function CagnotteFigures(props: {
  account: SignedIn;
  refreshing: boolean;
  refreshFailed: boolean;
  onRetry: () => void;
}) {
  const { account, refreshing } = props;
  const refreshError = account.refreshError ?? (props.refreshFailed ? 'failed' : null);

  if (!account.cagnotte) {
    return (
      <div aria-live="polite">
        {refreshing ? (
          <p class="muted">{t('popup_cagnotte_loading')}</p>
        ) : (
          <div class="notice notice-warning">
            <p>{t('popup_cagnotte_unavailable')}</p>
            <button type="button" class="button button-secondary" onClick={props.onRetry}>
              {t('popup_retry')}
            </button>
          </div>
        )}
      </div>
    );
  }

  const view = cagnotteView({
    cagnotte: account.cagnotte,
    refreshError,
    now: Date.now(),
    locale: messagesLocale(t),
    t,
    brand: config.brand.name,
  });

  return (
    <div class="cagnotte">
      <dl class="totals">
        <div class="total">
          <dt>{t('popup_total_pending')}</dt>
          <dd data-testid="cagnotte-pending">{view.pending}</dd>
        </div>
        <div class="total total-confirmed">
          <dt>{t('popup_total_confirmed')}</dt>
          <dd data-testid="cagnotte-confirmed">{view.confirmed}</dd>
        </div>
        <div class="total">
          <dt>{t('popup_total_paid')}</dt>
          <dd data-testid="cagnotte-paid">{view.paid}</dd>
        </div>
      </dl>
      <p class={view.payout.ready ? 'payout payout-ready' : 'payout'}>{view.payout.text}</p>
      <p class={view.stale ? 'freshness stale' : 'freshness muted'}>
        <time dateTime={view.updated.at} title={view.updated.exact}>
          {view.updated.text}
        </time>
        {refreshing && <span> · {t('popup_refreshing')}</span>}
      </p>
      <div aria-live="polite">
        {view.refreshNotice && <p class="notice notice-warning">{view.refreshNotice}</p>}
      </div>
      <h3>{t('popup_transactions_heading')}</h3>
      {view.transactions.length === 0 ? (
        <p class="muted">{t('popup_no_transactions')}</p>
      ) : (
        <ul class="transactions">
          {view.transactions.map((transaction) => (
            <li key={transaction.id} class="transaction">
              <span class="transaction-merchant">{transaction.merchantName}</span>
              <span class="transaction-amount">{transaction.cashback}</span>
              <time class="transaction-date muted" dateTime={transaction.orderedAt}>
                {transaction.orderedOn}
              </time>
              <span class={`status status-${transaction.status}`}>{transaction.statusLabel}</span>
              {transaction.confirmation && (
                <span
                  class={`transaction-confirmation muted${transaction.confirmation.overdue ? ' overdue' : ''}`}
                  data-testid="transaction-confirmation"
                >
                  {transaction.confirmation.text}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
