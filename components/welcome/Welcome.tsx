/**
 * The first-run page: what the extension does, host access if it lacks it, sign-in, and the
 * disclosure. Firefox may install an MV3 extension without its host permissions (they are the
 * member's to grant there, and a preference or a policy can keep them from being granted at
 * install): then this page asks for them first, since nothing works without them.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';
import type { AccountView } from '../../utils/protocol/messages';
import { sendToBackground } from '../../utils/protocol/send';
import { Disclosure } from '../shared/Disclosure';
import { HostAccessNotice, useAllSitesAccess } from '../shared/HostAccessNotice';
import { SignInForm } from '../shared/SignInForm';

export function Welcome() {
  const brand = config.brand.name;
  const [account, setAccount] = useState<AccountView | null>(null);
  const allSites = useAllSitesAccess();
  // Once asked for, its arrival is said (given from this page or from the browser's menu).
  const [accessWasMissing, setAccessWasMissing] = useState(false);
  useEffect(() => {
    if (allSites === false) setAccessWasMissing(true);
  }, [allSites]);

  useEffect(() => {
    sendToBackground('account:get', {}).then(setAccount, () => setAccount({ signedIn: false }));
  }, []);

  return (
    <>
      <header class="page-header">
        <h1>{t('welcome_title', [brand])}</h1>
        <p>{t('welcome_intro', [brand])}</p>
      </header>
      <main class="page">
        {allSites === false && (
          <section aria-labelledby="welcome-host-access-heading">
            <h2 id="welcome-host-access-heading">{t('welcome_host_access_heading')}</h2>
            <HostAccessNotice hostname={null} />
          </section>
        )}
        <div aria-live="polite">
          {accessWasMissing && allSites === true && (
            <p class="notice" data-testid="host-access-granted">
              {t('welcome_host_access_granted', [brand])}
            </p>
          )}
        </div>
        <section aria-labelledby="how-heading">
          <h2 id="how-heading">{t('welcome_how_heading')}</h2>
          <ol class="steps">
            <li>{t('welcome_step_banner')}</li>
            <li>{t('welcome_step_activate')}</li>
            <li>{t('welcome_step_toolbar', [brand])}</li>
          </ol>
        </section>
        <section aria-labelledby="welcome-sign-in-heading" class="welcome-sign-in">
          <h2 id="welcome-sign-in-heading">{t('welcome_sign_in_heading')}</h2>
          <div aria-live="polite">
            {account?.signedIn && (
              <p class="notice">
                {t('welcome_signed_in', [account.user.displayName || account.user.email])}
              </p>
            )}
          </div>
          {account && !account.signedIn && (
            <SignInForm labelledBy="welcome-sign-in-heading" onSignedIn={setAccount} />
          )}
          <p>
            <a href={browser.runtime.getURL('/options.html')}>
              {t('welcome_settings_link', [brand])}
            </a>
          </p>
        </section>
        <Disclosure />
      </main>
    </>
  );
}
