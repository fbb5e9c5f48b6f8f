/**
 * The member's whole history, in the background only (docs/payouts.md, "The whole history"):
 * every transaction and payout the portal returns, a page at a time, read on demand for the
 * history page and never stored. The page keeps its cursors; the background only fetches what it
 * is asked for, with the session's token, and answers what the portal said.
 *
 * What is stored is whether the portal has the route at all (`historySupport`, in the account
 * record, forgotten with the session), so that the popup shows "Tout voir" without asking the
 * portal every time it opens: an older portal (404) shows no link.
 */
import type { PortalClient, PortalError } from '../contract/client';
import type { Payout } from '../contract/schemas';
import type { BackgroundProtocol, HistoryPage } from '../protocol/messages';
import { isDeadlineAhead } from '../storage/deadline';
import type { AccountStore, StoredAccount } from './store';

/** Each source's page: a screenful of rows, well under the contract's 100. */
export const HISTORY_PAGE_SIZE = 20;
/** How long whether the portal has the history is trusted before the popup asks again. */
export const HISTORY_SUPPORT_TTL_MS = 6 * 60 * 60_000;

export interface HistoryDeps {
  client: Pick<PortalClient, 'transactions' | 'payouts' | 'cagnotte'>;
  store: AccountStore;
  now(): number;
  /** A 401: that session is over (the account forgets it, if it still is the current one). */
  forgetSession(token: string): Promise<void>;
}

type HistoryRequestType = 'history:supported' | 'history:page';
export type HistoryHandlers = {
  [T in HistoryRequestType]: (
    request: BackgroundProtocol[T]['request'],
  ) => Promise<BackgroundProtocol[T]['response']>;
};
type PageRequest = BackgroundProtocol['history:page']['request'];

/** A route the portal does not have (an older portal). */
const isAbsent = (error: PortalError) => error.kind === 'http' && error.status === 404;

function failure(error: PortalError): HistoryPage {
  const unreachable =
    error.kind === 'network' ||
    error.kind === 'timeout' ||
    (error.kind === 'http' && (error.status >= 500 || error.status === 429));
  return { state: 'failed', reason: unreachable ? 'portal-unreachable' : 'failed' };
}

/** A voucher's code is shown once, in the popup (docs/payouts.md): never in the history. */
function withoutCode(payout: Payout): Payout {
  if (payout.voucher?.code === undefined) return payout;
  const { code: _code, ...voucher } = payout.voucher;
  return { ...payout, voucher };
}

export function createHistory(deps: HistoryDeps) {
  const { client, store } = deps;

  async function remember(token: string, supported: boolean): Promise<void> {
    await store.updateSession(token, (current) => ({
      ...current,
      historySupport: { supported, checkedAt: deps.now() },
    }));
  }

  async function supported(): Promise<boolean> {
    const stored = await store.load();
    if (!stored) return false;
    const known = stored.historySupport;
    if (
      known &&
      isDeadlineAhead(known.checkedAt + HISTORY_SUPPORT_TTL_MS, deps.now(), HISTORY_SUPPORT_TTL_MS)
    ) {
      return known.supported;
    }
    const probe = await client.transactions(stored.token, null, 1);
    if (probe.ok) {
      await remember(stored.token, true);
      return true;
    }
    if (probe.error.kind === 'unauthorized') {
      await deps.forgetSession(stored.token);
      return false;
    }
    if (isAbsent(probe.error)) {
      await remember(stored.token, false);
      return false;
    }
    // No answer: what was known, else no link (the popup asks again next time).
    return known?.supported ?? false;
  }

  /** The cagnotte's currency (the transactions carry none): the figures kept, else the portal's. */
  async function currencyOf(stored: StoredAccount) {
    if (stored.cagnotte) return { ok: true as const, value: stored.cagnotte.figures.currency };
    const cagnotte = await client.cagnotte(stored.token);
    return cagnotte.ok ? { ok: true as const, value: cagnotte.value.currency } : cagnotte;
  }

  async function page(request: PageRequest): Promise<HistoryPage> {
    const stored = await store.load();
    if (!stored) return { state: 'signed-out' };
    const member = stored.user.id;
    // Cursors of another member's history would page through this one's from the wrong place.
    if (request.member !== null && request.member !== member) return { state: 'member-changed' };
    const { token } = stored;
    const [transactions, payouts, currency] = await Promise.all([
      request.transactions &&
        client.transactions(token, request.transactions.cursor, HISTORY_PAGE_SIZE),
      request.payouts && client.payouts(token, request.payouts.cursor, HISTORY_PAGE_SIZE),
      currencyOf(stored),
    ]);
    const errors = [transactions, payouts, currency].flatMap((result) =>
      result && !result.ok ? [result.error] : [],
    );
    if (errors.some((error) => error.kind === 'unauthorized')) {
      await deps.forgetSession(token);
      return { state: 'signed-out' };
    }
    if (transactions && !transactions.ok && isAbsent(transactions.error)) {
      await remember(token, false);
      return { state: 'unavailable' };
    }
    // A portal with the history but without payouts: the transactions alone.
    const payoutsAbsent = payouts && !payouts.ok && isAbsent(payouts.error);
    const blocking = errors.find((error) => !(payoutsAbsent && payouts.error === error));
    if (blocking) return failure(blocking);
    if (!currency.ok) return failure(currency.error);
    if (transactions?.ok && request.transactions?.cursor === null) await remember(token, true);
    return {
      state: 'page',
      member,
      currency: currency.value,
      transactions: transactions?.ok
        ? { items: transactions.value.transactions, nextCursor: transactions.value.nextCursor }
        : null,
      payouts: payouts?.ok
        ? { items: payouts.value.payouts.map(withoutCode), nextCursor: payouts.value.nextCursor }
        : null,
    };
  }

  const handlers: HistoryHandlers = {
    'history:supported': () => supported(),
    'history:page': (request) => page(request),
  };

  return { supported, page, handlers };
}

export type History = ReturnType<typeof createHistory>;
