/** Who is signed in, with sign-out; or the sign-in form. */
import { useEffect, useState } from 'preact/hooks';
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';
import type { AccountView } from '../../utils/protocol/messages';
import { sendToBackground } from '../../utils/protocol/send';
import { ExternalLink } from '../shared/ExternalLink';
import { SignInForm } from '../shared/SignInForm';

export function AccountSection() {
  const [account, setAccount] = useState<AccountView | 'failed' | null>(null);

  useEffect(() => {
    sendToBackground('account:get', {}).then(setAccount, () => setAccount('failed'));
  }, []);

  async function signOut() {
    try {
      setAccount(await sendToBackground('account:sign-out', {}));
    } catch {
      setAccount('failed');
    }
  }

  return (
    <section aria-labelledby="account-heading">
      <h2 id="account-heading">{t('options_account_heading')}</h2>
      {account === 'failed' && <p class="notice notice-error">{t('options_load_failed')}</p>}
      {account !== null && account !== 'failed' && !account.signedIn && (
        <SignInForm labelledBy="account-heading" onSignedIn={setAccount} />
      )}
      {account !== null && account !== 'failed' && account.signedIn && (
        <>
          <p>
            {t('account_signed_in_as', [
              account.user.displayName
                ? `${account.user.displayName} (${account.user.email})`
                : account.user.email,
            ])}
          </p>
          <p class="account-actions">
            <ExternalLink href={config.pages.account}>
              {t('account_page_link', [config.brand.name])}
            </ExternalLink>{' '}
            <button type="button" class="button button-secondary" onClick={() => void signOut()}>
              {t('account_sign_out')}
            </button>
          </p>
        </>
      )}
    </section>
  );
}
