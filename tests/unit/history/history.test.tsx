// @vitest-environment happy-dom
/**
 * The history page over a scripted background: the merged list newest first with the expected
 * dates, "Voir plus" appending below without moving a row (one request for a double click), the
 * labelled filters, and the states that replace the list (signed out, older portal, failure,
 * another member).
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { History } from '../../../components/history/History';
import type { Payout, Transaction } from '../../../utils/contract/schemas';
import type {
  AccountView,
  BackgroundProtocol,
  HistoryPage,
} from '../../../utils/protocol/messages';
import { sendToBackground } from '../../../utils/protocol/send';
import { installMessages, plain } from '../helpers/i18n';

vi.mock('../../../utils/protocol/send', () => ({ sendToBackground: vi.fn() }));

type PageRequest = BackgroundProtocol['history:page']['request'];

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

function tx(id: string, days: number, extra: Partial<Transaction> = {}): Transaction {
  return {
    id,
    merchantId: 'fnac',
    merchantName: 'Fnac',
    orderedAt: daysAgo(days),
    orderAmount: 10000,
    cashback: 450,
    status: 'confirmed',
    ...extra,
  };
}

const PAYOUT: Payout = {
  id: 'p_1',
  method: 'transfer',
  amount: 4245,
  fee: 50,
  currency: 'EUR',
  status: 'paid',
  requestedAt: daysAgo(10),
  account: 'FR76 •••• 0189',
};

function page(
  transactions: Transaction[],
  transactionsNext: string | null,
  payouts: Payout[] | null = [],
  member = 'u_1',
): HistoryPage {
  return {
    state: 'page',
    member,
    currency: 'EUR',
    transactions: { items: transactions, nextCursor: transactionsNext },
    payouts: payouts && { items: payouts, nextCursor: null },
  };
}

/** Who the background says is signed in (`account:get`). */
let account: AccountView = { signedIn: false };

/** The background, answering each `history:page` request with the next scripted answer. */
function background(...answers: (HistoryPage | (() => Promise<HistoryPage>))[]) {
  const requests: PageRequest[] = [];
  vi.mocked(sendToBackground).mockImplementation((async (type: string, request: PageRequest) => {
    if (type === 'account:get') return account;
    if (type !== 'history:page') throw new Error(`unexpected ${type}`);
    requests.push(request);
    const answer = answers.shift();
    if (!answer) throw new Error('no more answers');
    return typeof answer === 'function' ? answer() : answer;
  }) as never);
  return requests;
}

const rows = () => screen.queryAllByTestId('history-row');
const rowTexts = () => rows().map((row) => plain(row.textContent));

beforeEach(() => {
  fakeBrowser.reset();
  vi.mocked(sendToBackground).mockReset();
  account = { signedIn: false };
  installMessages('fr');
});

afterEach(() => {
  cleanup();
});

describe('the history page', () => {
  it('lists transactions and payouts newest first, with when a pending cashback is expected', async () => {
    background(
      page(
        [
          tx('t_1', 2, {
            status: 'pending',
            merchantName: 'Numéria',
            expectedConfirmationAt: new Date(Date.now() + 30 * DAY).toISOString(),
          }),
          tx('t_2', 5, {
            status: 'pending',
            merchantName: 'Atelier Vendôme',
            expectedConfirmationAt: daysAgo(1),
          }),
          tx('t_3', 40, { status: 'cancelled' }),
        ],
        null,
        [PAYOUT],
      ),
    );
    render(<History />);
    await waitFor(() => expect(rows()).toHaveLength(4));
    const table = screen.getByRole('table', {
      name: 'Cashback et retraits, du plus récent au plus ancien',
    });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Date', 'Opération', 'Montant', 'Statut']);
    expect(
      within(table)
        .getAllByRole('rowheader')
        .map((th) => plain(th.textContent)),
    ).toEqual([
      expect.stringMatching(/^NumériaAchat de 100,00 €Confirmation attendue d'ici le /),
      expect.stringMatching(
        /^Atelier VendômeAchat de 100,00 €Confirmation en retard : attendue le /,
      ),
      'Virement vers FR76 •••• 0189Frais : 0,50 €',
      'FnacAchat de 100,00 €',
    ]);
    const [late] = screen.getAllByTestId('history-confirmation').slice(1);
    expect(late!.className).toContain('overdue');
    expect(rowTexts()[2]).toContain('42,45 €');
    expect(rowTexts()[2]).toContain('Payé');
    expect(rowTexts()[3]).toContain('Annulé');
    expect(screen.getByTestId('history-count').textContent).toBe('Opérations chargées : 4');
    // Everything is there: no "Voir plus", and it says so.
    expect(screen.queryByRole('button', { name: 'Voir plus' })).toBeNull();
    expect(screen.getByText(/Vous avez tout vu/)).toBeTruthy();
  });

  it('"Voir plus" asks the next page from the cursors, once for a double click, and only appends', async () => {
    let answer: (page: HistoryPage) => void = () => {};
    const requests = background(
      page([tx('t_1', 1), tx('t_2', 3)], 't-next', [PAYOUT]),
      () => new Promise<HistoryPage>((resolve) => (answer = resolve)),
    );
    render(<History />);
    const more = await screen.findByRole('button', { name: 'Voir plus' });
    // The payout (10 days ago) waits: the next transactions may be more recent than it.
    expect(rows()).toHaveLength(2);
    const before = rowTexts();

    more.focus();
    fireEvent.click(more);
    fireEvent.click(more);
    await waitFor(() => expect(requests).toHaveLength(2));
    expect(requests[1]).toEqual({
      member: 'u_1',
      transactions: { cursor: 't-next' },
      payouts: null,
    });
    expect(more.getAttribute('aria-disabled')).toBe('true');
    answer(page([tx('t_3', 7), tx('t_4', 20)], null, null));
    await waitFor(() => expect(rows()).toHaveLength(5));
    expect(requests).toHaveLength(2);
    expect(rowTexts().slice(0, 2)).toEqual(before);
    expect(rowTexts()[3]).toContain('Virement vers');
    expect(screen.getByRole('status').textContent).toBe('Opérations chargées : 5');
    // The button is gone: the keyboard's place is the line that replaced it.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByText(/Vous avez tout vu/)));
  });

  it('filters by status and by merchant, with labelled fields', async () => {
    background(
      page(
        [
          tx('t_1', 1, { status: 'pending', merchantId: 'numeria', merchantName: 'Numéria' }),
          tx('t_2', 3, { status: 'confirmed' }),
          tx('t_3', 30, { status: 'paid' }),
        ],
        null,
        [PAYOUT],
      ),
    );
    render(<History />);
    await waitFor(() => expect(rows()).toHaveLength(4));
    const status = screen.getByLabelText<HTMLSelectElement>('Statut');
    const merchant = screen.getByLabelText<HTMLSelectElement>('Marchand');
    expect([...merchant.options].map((option) => option.text)).toEqual([
      'Tous les marchands',
      'Fnac',
      'Numéria',
    ]);

    fireEvent.change(status, { target: { value: 'payout:paid' } });
    expect(rowTexts()).toEqual([expect.stringContaining('Virement vers')]);
    expect(screen.getByTestId('history-count').textContent).toBe(
      'Correspondent aux filtres : 1 sur 4 chargées',
    );

    fireEvent.change(status, { target: { value: 'all' } });
    fireEvent.change(merchant, { target: { value: 'fnac' } });
    expect(rowTexts()).toEqual([
      expect.stringContaining('Confirmé'),
      expect.stringContaining('Versé'),
    ]);

    fireEvent.change(status, { target: { value: 'transaction:pending' } });
    expect(rows()).toHaveLength(0);
    expect(screen.getByText('Aucune opération chargée ne correspond à ces filtres.')).toBeTruthy();
  });

  it.each([
    [
      'signed out',
      { state: 'signed-out' } as const,
      /Vous n’êtes pas connecté. Connectez-vous depuis le bouton Ristourne/,
    ],
    [
      'an older portal',
      { state: 'unavailable' } as const,
      /L’historique complet n’est pas disponible avec ce portail/,
    ],
  ])('%s: says so, and offers nothing else', async (_name, answer, text) => {
    background(answer);
    render(<History />);
    expect((await screen.findByTestId('history-problem')).textContent).toMatch(text);
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.queryByRole('combobox')).toBeNull();
  });

  it('a portal that does not answer: says so, and "Réessayer" asks the same page again', async () => {
    const requests = background(
      page([tx('t_1', 1)], 't-next', []),
      { state: 'failed', reason: 'portal-unreachable' },
      page([tx('t_2', 2)], null, null),
    );
    render(<History />);
    fireEvent.click(await screen.findByRole('button', { name: 'Voir plus' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Ristourne ne répond pas/);
    expect(rows()).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Réessayer' }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(requests[2]).toEqual(requests[1]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('another member signed in meanwhile: nothing of the first stays, theirs starts over', async () => {
    const requests = background(
      page([tx('t_1', 1, { merchantName: 'Achat de Camille' })], 't-next', []),
      { state: 'member-changed' },
      page([tx('t_9', 4, { merchantName: 'Achat de Dominique' })], null, [], 'u_2'),
    );
    render(<History />);
    fireEvent.click(await screen.findByRole('button', { name: 'Voir plus' }));
    await waitFor(() => expect(rowTexts()).toEqual([expect.stringContaining('Dominique')]));
    expect(requests[2]).toEqual({
      member: null,
      transactions: { cursor: null },
      payouts: { cursor: null },
    });
  });

  it.each<[string, AccountView, RegExp | null]>([
    ['signed out elsewhere', { signedIn: false }, /Vous n’êtes pas connecté/],
    [
      'another member signed in elsewhere',
      {
        signedIn: true,
        user: { id: 'u_2', email: 'dominique@example.fr', displayName: 'Dominique' },
        cagnotte: null,
        refreshError: null,
      },
      null,
    ],
  ])('back to the tab, %s: the first member’s lines go', async (_name, now, text) => {
    const requests = background(
      page([tx('t_1', 1, { merchantName: 'Achat de Camille' })], null, []),
      page([tx('t_9', 4, { merchantName: 'Achat de Dominique' })], null, [], 'u_2'),
    );
    render(<History />);
    await waitFor(() => expect(rowTexts()).toEqual([expect.stringContaining('Camille')]));
    account = now;
    document.dispatchEvent(new Event('visibilitychange'));
    await waitFor(() => expect(screen.queryByText(/Camille/)).toBeNull());
    if (text) {
      expect(screen.getByTestId('history-problem').textContent).toMatch(text);
      expect(requests).toHaveLength(1);
    } else {
      await waitFor(() => expect(rowTexts()).toEqual([expect.stringContaining('Dominique')]));
      expect(requests[1]!.member).toBeNull();
    }
  });

  it('back to the tab, the same member: the list stays as it is', async () => {
    const requests = background(page([tx('t_1', 1)], null, []));
    render(<History />);
    await waitFor(() => expect(rows()).toHaveLength(1));
    account = {
      signedIn: true,
      user: { id: 'u_1', email: 'camille@example.fr', displayName: 'Camille' },
      cagnotte: null,
      refreshError: null,
    };
    document.dispatchEvent(new Event('visibilitychange'));
    await waitFor(() =>
      expect(vi.mocked(sendToBackground)).toHaveBeenCalledWith('account:get', {}),
    );
    expect(rows()).toHaveLength(1);
    expect(requests).toHaveLength(1);
  });

  it('a page of the first member arriving after the second signed in is dropped, not shown', async () => {
    let answer: (page: HistoryPage) => void = () => {};
    const requests = background(
      page([tx('t_1', 1, { merchantName: 'Achat de Camille' })], 't-next', []),
      () => new Promise<HistoryPage>((resolve) => (answer = resolve)),
      page([tx('t_9', 4, { merchantName: 'Achat de Dominique' })], null, [], 'u_2'),
    );
    render(<History />);
    fireEvent.click(await screen.findByRole('button', { name: 'Voir plus' }));
    await waitFor(() => expect(requests).toHaveLength(2));
    account = {
      signedIn: true,
      user: { id: 'u_2', email: 'dominique@example.fr', displayName: 'Dominique' },
      cagnotte: null,
      refreshError: null,
    };
    document.dispatchEvent(new Event('visibilitychange'));
    await waitFor(() => expect(screen.queryByText(/Camille/)).toBeNull());
    // Camille's second page, answered late (by a background that read it before the change).
    answer(page([tx('t_2', 2, { merchantName: 'Achat de Camille' })], null, null));
    await waitFor(() => expect(rowTexts()).toEqual([expect.stringContaining('Dominique')]));
    expect(screen.queryByText(/Camille/)).toBeNull();
    expect(requests[2]).toEqual({
      member: null,
      transactions: { cursor: null },
      payouts: { cursor: null },
    });
  });
});
