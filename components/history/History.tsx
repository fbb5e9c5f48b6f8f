/**
 * The whole history of the member's cagnotte (docs/payouts.md, "The whole history"): every
 * transaction and payout, newest first, a page of each at a time through the background, with
 * filters by status and merchant. Nothing here reaches the portal nor stores anything: the list
 * lives in this page, and goes when the member signs out.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  NO_FILTER,
  PAYOUT_STATUS_FILTERS,
  TRANSACTION_STATUS_FILTERS,
  addPage,
  emptyHistory,
  hasMore,
  matchesFilter,
  merchantsOf,
  nextPageRequest,
  visibleEntries,
  type HistoryFilter,
  type HistoryList,
  type StatusFilter,
} from '../../utils/account/history-list';
import { historyRow, statusFilterLabel, type HistoryRow } from '../../utils/account/history-rows';
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';
import { messagesLocale } from '../../utils/format/locale';
import { sendToBackground } from '../../utils/protocol/send';

/** What stands in place of the list, if anything. */
type Problem = 'signed-out' | 'unavailable' | 'portal-unreachable' | 'failed';

export function History() {
  const [list, setList] = useState<HistoryList>(emptyHistory);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [filter, setFilter] = useState<HistoryFilter>(NO_FILTER);
  const [announcement, setAnnouncement] = useState('');
  // The latest list and whether a page is on its way, for handlers that ran before a render.
  const current = useRef(list);
  const busy = useRef(false);
  const endNote = useRef<HTMLParagraphElement>(null);

  const load = useCallback(async (from: HistoryList): Promise<void> => {
    const request = nextPageRequest(from);
    // One page at a time: a second click while one is on its way asks for nothing.
    if (!request || busy.current) return;
    busy.current = true;
    setLoading(true);
    let next: HistoryList | null = null;
    let restart = false;
    try {
      const page = await sendToBackground('history:page', request);
      // The list was replaced meanwhile (another member, a sign-out): this answer is not for it;
      // the new list asks for its own first page.
      if (current.current !== from) restart = true;
      else {
        switch (page.state) {
          case 'page':
            next = addPage(from, request, page);
            setProblem(null);
            setAnnouncement(t('history_count', [String(visibleEntries(next).length)]));
            break;
          case 'member-changed':
            // Another member signed in: nothing of the first one's stays; theirs starts over.
            next = emptyHistory();
            setFilter(NO_FILTER);
            restart = true;
            break;
          case 'signed-out':
          case 'unavailable':
            next = emptyHistory();
            setProblem(page.state);
            break;
          case 'failed':
            setProblem(page.reason);
            break;
        }
      }
    } catch {
      setProblem('failed');
    } finally {
      busy.current = false;
      setLoading(false);
    }
    if (next) {
      current.current = next;
      setList(next);
    }
    if (restart) await load(current.current);
  }, []);

  useEffect(() => {
    void load(current.current);
  }, [load]);

  // Back to this tab: if the member signed out, or another signed in, since the list was read,
  // nothing of it stays on screen (another member on the same browser).
  useEffect(() => {
    const recheck = async () => {
      const member = current.current.member;
      if (document.visibilityState !== 'visible' || member === null) return;
      const account = await sendToBackground('account:get', {}).catch(() => null);
      if (!account || current.current.member !== member) return;
      if (account.signedIn && account.user.id === member) return;
      current.current = emptyHistory();
      setList(current.current);
      setFilter(NO_FILTER);
      if (account.signedIn) void load(current.current);
      else setProblem('signed-out');
    };
    const onVisible = () => void recheck();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [load]);

  const locale = messagesLocale(t);
  const visible = useMemo(() => visibleEntries(list), [list]);
  const merchants = useMemo(() => merchantsOf(visible, locale), [visible, locale]);
  const rows = useMemo(() => {
    const { currency } = list;
    // No currency: no page yet, so nothing to show.
    if (currency === null) return [];
    const now = Date.now();
    return visible
      .filter((entry) => matchesFilter(entry, filter))
      .map((entry) => historyRow(entry, { currency, now, locale, t }));
  }, [visible, filter, list, locale]);
  const more = hasMore(list);

  // Everything loaded after "Voir plus": the button goes, and the keyboard's place goes to what
  // replaced it (only if it was on the button: the focus is then nowhere).
  const pressedMore = useRef(false);
  useEffect(() => {
    const focused = document.activeElement;
    const lost = !focused || focused === document.body || !focused.isConnected;
    if (pressedMore.current && !more && lost) endNote.current?.focus();
  }, [more]);

  if (problem === 'signed-out' || problem === 'unavailable') {
    return (
      <Page>
        <p class="notice notice-warning" data-testid="history-problem">
          {problem === 'signed-out'
            ? t('history_signed_out', [config.brand.name])
            : t('history_unavailable', [config.brand.name])}
        </p>
      </Page>
    );
  }

  const started = list.member !== null;
  return (
    <Page>
      {started && (
        <section class="history-filters" aria-labelledby="history-filters-heading">
          <h2 id="history-filters-heading">{t('history_filters_heading')}</h2>
          <div class="filters">
            <div class="field">
              <label for="history-status">{t('history_filter_status')}</label>
              <select
                id="history-status"
                value={filter.status}
                onChange={(event) =>
                  setFilter({ ...filter, status: event.currentTarget.value as StatusFilter })
                }
              >
                <option value="all">{t('history_filter_status_all')}</option>
                <optgroup label={t('history_filter_group_cashback')}>
                  {TRANSACTION_STATUS_FILTERS.map((status) => (
                    <option key={status} value={status}>
                      {statusFilterLabel(status, t)}
                    </option>
                  ))}
                </optgroup>
                <optgroup label={t('history_filter_group_payouts')}>
                  {PAYOUT_STATUS_FILTERS.map((status) => (
                    <option key={status} value={status}>
                      {statusFilterLabel(status, t)}
                    </option>
                  ))}
                </optgroup>
              </select>
            </div>
            <div class="field">
              <label for="history-merchant">{t('history_filter_merchant')}</label>
              <select
                id="history-merchant"
                value={filter.merchantId ?? ''}
                onChange={(event) =>
                  setFilter({ ...filter, merchantId: event.currentTarget.value || null })
                }
              >
                <option value="">{t('history_filter_merchant_all')}</option>
                {merchants.map((merchant) => (
                  <option key={merchant.id} value={merchant.id}>
                    {merchant.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </section>
      )}
      <section class="history-list" aria-labelledby="history-list-heading" aria-busy={loading}>
        <h2 id="history-list-heading" class="visually-hidden">
          {t('history_table_caption')}
        </h2>
        <p class="history-count muted" data-testid="history-count">
          {started &&
            (filter === NO_FILTER
              ? t('history_count', [String(visible.length)])
              : t('history_count_filtered', [String(rows.length), String(visible.length)]))}
        </p>
        {started && rows.length > 0 && <HistoryTable rows={rows} />}
        {started && rows.length === 0 && !more && visible.length === 0 && (
          <p class="muted">{t('history_empty')}</p>
        )}
        {started && rows.length === 0 && visible.length > 0 && (
          <p class="muted">{t('history_no_match')}</p>
        )}
        {/* Announced once per page, without moving anything. */}
        <p class="visually-hidden" role="status">
          {announcement}
        </p>
        <div class="history-end">
          {problem !== null && (
            <div class="notice notice-error" role="alert">
              <p>
                {problem === 'portal-unreachable'
                  ? t('history_failed_unreachable', [config.brand.name])
                  : t('history_failed')}
              </p>
            </div>
          )}
          {!started && problem === null && <p class="muted">{t('history_loading')}</p>}
          {((started && more) || problem !== null) && (
            <button
              type="button"
              class="button button-secondary history-more"
              // Not `disabled`: a disabled button drops the keyboard's focus.
              aria-disabled={loading}
              onClick={() => {
                pressedMore.current = true;
                void load(current.current);
              }}
            >
              {loading
                ? t('history_loading')
                : problem === null
                  ? t('history_more')
                  : t('popup_retry')}
            </button>
          )}
          {!more && problem === null && visible.length > 0 && (
            <p class="muted" tabIndex={-1} ref={endNote}>
              {t('history_all_loaded')}
            </p>
          )}
        </div>
      </section>
    </Page>
  );
}

function Page(props: { children: preact.ComponentChildren }) {
  return (
    <>
      <header class="page-header">
        <h1>{t('history_heading')}</h1>
        <p>{t('history_intro', [config.brand.name])}</p>
      </header>
      <main class="page">{props.children}</main>
    </>
  );
}

function HistoryTable(props: { rows: HistoryRow[] }) {
  return (
    <table class="history-table">
      <caption class="visually-hidden">{t('history_table_caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('history_column_date')}</th>
          <th scope="col">{t('history_column_operation')}</th>
          <th scope="col" class="amount">
            {t('history_column_amount')}
          </th>
          <th scope="col">{t('history_column_status')}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.key} data-testid="history-row" data-kind={row.kind}>
            <td>
              <time dateTime={row.date.iso} title={row.date.exact}>
                {row.date.text}
              </time>
            </td>
            <th scope="row">
              <span class="history-label">{row.label}</span>
              {row.detail !== null && <span class="history-detail muted">{row.detail}</span>}
              {row.confirmation && (
                <span
                  class={`history-detail${row.confirmation.overdue ? ' overdue' : ' muted'}`}
                  data-testid="history-confirmation"
                >
                  {row.confirmation.text}
                </span>
              )}
            </th>
            <td class="amount">{row.amount}</td>
            <td>
              <span class={`status status-${row.statusClass}`}>{row.statusLabel}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
