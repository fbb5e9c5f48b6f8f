/**
 * "Tout voir": the whole history in an extension page (components/history/), offered only when
 * the portal has it (an older portal shows no link at all). The background remembers the answer
 * for a while, so opening the popup seldom asks the portal (utils/account/history.ts).
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t } from '../../utils/format/i18n';
import { sendToBackground } from '../../utils/protocol/send';
import { ExternalLink } from '../shared/ExternalLink';

export function HistoryLink() {
  const [supported, setSupported] = useState(false);
  useEffect(() => {
    sendToBackground('history:supported', {})
      .then(setSupported)
      .catch(() => setSupported(false));
  }, []);
  if (!supported) return null;
  return (
    <ExternalLink href={browser.runtime.getURL('/history.html')} class="history-link">
      {t('popup_history_all')}
    </ExternalLink>
  );
}
