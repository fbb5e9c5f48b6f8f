/**
 * The member's activations of the last 90 days, in full: merchant, moment, where it was clicked,
 * and the portal's click id (what a claim names). Kept on this device (utils/orders/journal.ts).
 */
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime } from '../../utils/format/dates';
import { t } from '../../utils/format/i18n';
import { messagesLocale } from '../../utils/format/locale';
import type { ActivationHistoryEntry } from '../../utils/protocol/messages';
import { sendToBackground } from '../../utils/protocol/send';

/** The options page's anchor: the popup links here. */
export const HISTORY_ID = 'activations';

const SOURCE_LABEL = {
  banner: 'options_history_source_banner',
  popup: 'options_history_source_popup',
  search: 'options_history_source_search',
} as const;

type HistoryState =
  | { status: 'loading' }
  | { status: 'failed' }
  | { status: 'signed-out' }
  | { status: 'ready'; entries: ActivationHistoryEntry[] };

export function ActivationHistory() {
  const [state, setState] = useState<HistoryState>({ status: 'loading' });
  const locale = messagesLocale(t);

  useEffect(() => {
    void (async () => {
      try {
        const account = await sendToBackground('account:get', {});
        if (!account.signedIn) return setState({ status: 'signed-out' });
        setState({ status: 'ready', entries: await sendToBackground('history:activations', {}) });
      } catch {
        setState({ status: 'failed' });
      }
    })();
  }, []);

  return (
    <section id={HISTORY_ID} aria-labelledby="history-heading">
      <h2 id="history-heading">{t('options_history_heading')}</h2>
      <p class="muted">{t('options_history_intro')}</p>
      {state.status === 'failed' && <p class="notice notice-error">{t('options_load_failed')}</p>}
      {state.status === 'signed-out' && <p>{t('options_history_signed_out')}</p>}
      {state.status === 'ready' && state.entries.length === 0 && (
        <p>{t('options_history_empty')}</p>
      )}
      {state.status === 'ready' && state.entries.length > 0 && (
        <ul class="activation-history" data-testid="activation-history">
          {state.entries.map((entry) => (
            <li key={`${entry.clickId}-${entry.at}`}>
              <strong>{entry.merchantName || entry.merchantId}</strong>{' '}
              <time dateTime={new Date(entry.at).toISOString()}>
                {formatDateTime(entry.at, locale)}
              </time>{' '}
              <span class="muted">
                {t(SOURCE_LABEL[entry.source])} · {t('options_history_click', [entry.clickId])}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
