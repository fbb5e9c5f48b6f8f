/** The merchant list's state: how many merchants, when it was downloaded, the last failure. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { formatDateTime, formatRelativeTime } from '../../utils/format/dates';
import { t, type MessageKey } from '../../utils/format/i18n';
import { messagesLocale } from '../../utils/format/locale';
import type { SyncFailureKind, SyncStatusView } from '../../utils/protocol/messages';
import { sendToBackground } from '../../utils/protocol/send';

/** A sync runs in the background: while it does, the page asks again this often. */
const SYNC_POLL_MS = 1000;

const SYNC_FAILURE_MESSAGES = {
  unreachable: 'options_sync_failure_unreachable',
  timeout: 'options_sync_failure_timeout',
  'portal-error': 'options_sync_failure_portal_error',
  unreadable: 'options_sync_failure_unreadable',
  'too-large': 'options_sync_failure_too_large',
  storage: 'options_sync_failure_storage',
} as const satisfies Record<SyncFailureKind, MessageKey>;

export function MerchantListStatus() {
  const [status, setStatus] = useState<SyncStatusView | 'failed' | null>(null);
  const [starting, setStarting] = useState(false);
  const locale = messagesLocale(t);
  const now = Date.now();

  const load = useCallback(async () => {
    try {
      setStatus(await sendToBackground('sync:status', {}));
    } catch {
      setStatus('failed');
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const syncing = starting || (status !== null && status !== 'failed' && status.syncing);
  useEffect(() => {
    if (!syncing) return;
    const timer = setInterval(() => void load(), SYNC_POLL_MS);
    return () => clearInterval(timer);
  }, [syncing, load]);

  async function syncNow() {
    if (syncing) return;
    setStarting(true);
    try {
      setStatus(await sendToBackground('sync:now', {}));
    } catch {
      await load();
    } finally {
      setStarting(false);
    }
  }

  return (
    <section aria-labelledby="sync-heading">
      <h2 id="sync-heading">{t('options_sync_heading')}</h2>
      {status === 'failed' && <p class="notice notice-error">{t('options_load_failed')}</p>}
      {status !== null && status !== 'failed' && (
        <>
          <p>
            {t('options_sync_count', [new Intl.NumberFormat(locale).format(status.merchantCount)])}
          </p>
          <p>
            {status.lastSuccessAt === null ? (
              t('options_sync_never')
            ) : (
              <time
                dateTime={new Date(status.lastSuccessAt).toISOString()}
                title={formatDateTime(status.lastSuccessAt, locale)}
              >
                {t('options_sync_last', [formatRelativeTime(status.lastSuccessAt, now, locale)])}
              </time>
            )}
          </p>
          {status.lastError && (
            <p class="notice notice-warning">
              <span title={status.lastError.message}>
                {t('options_sync_error', [
                  formatRelativeTime(status.lastError.at, now, locale),
                  t(SYNC_FAILURE_MESSAGES[status.lastError.kind]),
                ])}
              </span>
            </p>
          )}
        </>
      )}
      <button type="button" class="button" aria-disabled={syncing} onClick={() => void syncNow()}>
        {syncing ? t('options_syncing') : t('options_sync_now')}
      </button>
      <p role="status" class="visually-hidden">
        {syncing ? t('options_syncing') : ''}
      </p>
    </section>
  );
}
