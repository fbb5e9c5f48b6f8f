/**
 * The toolbar popup: the current tab's offer, the member's cagnotte (or the sign-in form), and
 * the affiliate disclosure in one line. Everything comes from the background through messages.
 */
import { useCallback, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';
import { DISCLOSURE_ID } from '../shared/Disclosure';
import { ExternalLink } from '../shared/ExternalLink';
import { AccountPanel } from './AccountPanel';
import { OfferPanel } from './OfferPanel';
import { useAccount } from './use-account';

export function Popup(props: {
  /** The tab whose offer is shown; null when there is none (a browser page). */
  tabId: number | null;
  /** Opened to sign in (from the banner): the focus starts in the sign-in form. */
  signInFirst?: boolean;
}) {
  const account = useAccount();
  const [signInFocus, setSignInFocus] = useState(props.signInFirst ? 1 : 0);
  const [offerReload, setOfferReload] = useState(0);
  const focusSignIn = useCallback(() => setSignInFocus((count) => count + 1), []);
  const optionsPage = browser.runtime.getURL('/options.html');

  return (
    <div class="popup">
      <header class="popup-header">
        <h1 class="popup-brand">
          {/* Generated from the brand's logo at build time (modules/brand-icons). */}
          <img src={browser.runtime.getURL('/icons/32.png' as '/')} alt="" width={24} height={24} />
          {config.brand.name}
        </h1>
        <ExternalLink href={optionsPage} class="popup-settings">
          {t('popup_settings')}
        </ExternalLink>
      </header>
      <main>
        <OfferPanel tabId={props.tabId} reloadKey={offerReload} onSignInNeeded={focusSignIn} />
        <AccountPanel
          account={account}
          signInFocus={signInFocus}
          // A sign-in may resume the activation the member asked for while signed out.
          onSignedIn={() => setOfferReload((count) => count + 1)}
          onSignedOut={focusSignIn}
        />
      </main>
      <footer class="popup-footer">
        <p>
          {t('popup_disclosure', [config.brand.name])}{' '}
          <ExternalLink href={`${optionsPage}#${DISCLOSURE_ID}`}>
            {t('popup_disclosure_link')}
          </ExternalLink>
        </p>
      </footer>
    </div>
  );
}
