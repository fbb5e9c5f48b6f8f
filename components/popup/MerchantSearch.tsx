/** On a page that is not a merchant's: find out which merchants pay cashback. */
import { useId, useState } from 'preact/hooks';
import { t } from '../../utils/format/i18n';
import { messagesLocale } from '../../utils/format/locale';
import type { MerchantSummary } from '../../utils/protocol/messages';
import { sendToBackground } from '../../utils/protocol/send';
import { offerPhrase } from '../../utils/format/money';

type SearchState =
  | { kind: 'idle' }
  | { kind: 'searching' }
  | { kind: 'done'; query: string; merchants: MerchantSummary[] }
  | { kind: 'failed' };

export function MerchantSearch() {
  const id = useId();
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState<SearchState>({ kind: 'idle' });
  const locale = messagesLocale(t);

  async function submit() {
    const trimmed = query.trim();
    if (!trimmed) return;
    setSearch({ kind: 'searching' });
    try {
      const merchants = await sendToBackground('popup:search', { query: trimmed });
      setSearch({ kind: 'done', query: trimmed, merchants });
    } catch {
      setSearch({ kind: 'failed' });
    }
  }

  return (
    <div class="search">
      <form
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label for={`${id}-query`}>{t('popup_search_label')}</label>
        <div class="search-row">
          <input
            id={`${id}-query`}
            type="search"
            value={query}
            maxLength={200}
            onInput={(event) => setQuery(event.currentTarget.value)}
          />
          <button
            type="submit"
            class="button button-secondary"
            aria-disabled={search.kind === 'searching'}
          >
            {t('popup_search_button')}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {search.kind === 'failed' && <p class="notice notice-error">{t('popup_search_failed')}</p>}
        {search.kind === 'done' && search.merchants.length === 0 && (
          <p class="muted">{t('popup_search_no_result', [search.query])}</p>
        )}
      </div>
      {search.kind === 'done' && search.merchants.length > 0 && (
        <ul class="search-results" aria-label={t('popup_search_results')}>
          {search.merchants.map((merchant) => (
            <li key={merchant.id}>
              <span class="result-name">{merchant.name}</span>
              <span class="result-rate">{offerPhrase(merchant.cashback, locale, t)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
