/** Signed out: the sign-in form. Signed in: the cagnotte, a link to the portal, sign-out. */
import { browser } from 'wxt/browser';
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';
import { ExternalLink } from '../shared/ExternalLink';
import { SignInForm } from '../shared/SignInForm';
import { HISTORY_ID } from '../options/ActivationHistory';
import { CagnotteFigures } from './CagnotteFigures';
import { OrdersPanel } from './OrdersPanel';
import { PayoutsPanel } from './PayoutsPanel';
import type { AccountController } from './use-account';

export function AccountPanel(props: {
  account: AccountController;
  /** Each new value moves the focus to the sign-in form (when it is shown). */
  signInFocus: number;
  onSignedIn(): void;
  onSignedOut(): void;
}) {
  const { account } = props;
  const { state } = account;

  if (state.status === 'loading') return null;

  if (state.status === 'failed') {
    return (
      <section class="panel" aria-label={t('popup_cagnotte_heading')}>
        <p class="notice notice-error" role="alert">
          {t('popup_account_failed')}
        </p>
        <button type="button" class="button button-secondary" onClick={() => void account.reload()}>
          {t('popup_retry')}
        </button>
      </section>
    );
  }

  const { view } = state;
  if (!view.signedIn) {
    return (
      <section class="panel" aria-labelledby="sign-in-heading">
        <h2 id="sign-in-heading">{t('account_sign_in_heading')}</h2>
        <SignInForm
          labelledBy="sign-in-heading"
          focusRequest={props.signInFocus}
          onSignedIn={(signedIn) => {
            account.signedIn(signedIn);
            props.onSignedIn();
          }}
        />
      </section>
    );
  }

  return (
    <>
      <section class="panel" aria-labelledby="cagnotte-heading">
        <h2 id="cagnotte-heading">{t('popup_cagnotte_heading')}</h2>
        <CagnotteFigures
          account={view}
          refreshing={account.refreshing}
          refreshFailed={account.refreshFailed}
          onRetry={() => void account.refresh()}
        />
        <OrdersPanel figuresAt={view.cagnotte?.fetchedAt ?? null} />
        <div class="account-footer">
          <p class="muted">
            {t('account_signed_in_as', [view.user.displayName || view.user.email])}
          </p>
          <p class="account-actions">
            <ExternalLink href={config.pages.account}>
              {t('account_page_link', [config.brand.name])}
            </ExternalLink>
            <ExternalLink href={browser.runtime.getURL(`/options.html#${HISTORY_ID}`)}>
              {t('popup_history_link')}
            </ExternalLink>
            <button
              type="button"
              class="button-link"
              onClick={() => {
                // signOut answers its own failures (it reloads the account): nothing to catch.
                void account.signOut().then(() => props.onSignedOut());
              }}
            >
              {t('account_sign_out')}
            </button>
          </p>
        </div>
      </section>
      {view.cagnotte && (
        <PayoutsPanel reloadKey={view.cagnotte.fetchedAt} onPayout={() => void account.refresh()} />
      )}
    </>
  );
}
