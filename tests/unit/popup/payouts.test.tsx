// @vitest-environment happy-dom
/**
 * Withdrawing from the popup: the member picks a method, confirms once (amount, method, fee),
 * and a double click on "Confirmer" sends one request with one key; an older portal shows
 * nothing new.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PayoutsPanel } from '../../../components/popup/PayoutsPanel';
import type { Payout, PayoutOptions } from '../../../utils/contract/schemas';
import type { BackgroundProtocol } from '../../../utils/protocol/messages';
import { sendToBackground } from '../../../utils/protocol/send';
import { installMessages, plain } from '../helpers/i18n';

vi.mock('../../../utils/protocol/send', () => ({ sendToBackground: vi.fn() }));

const OPTIONS: PayoutOptions = {
  currency: 'EUR',
  threshold: 1000,
  available: 4295,
  transfer: {
    minimum: 1000,
    fee: { fixed: 50, percent: 0 },
    account: { masked: 'FR76 •••• 0189' },
    accountUrl: 'http://localhost:8787/compte/rib',
  },
  donation: {
    minimum: 100,
    fee: { fixed: 0, percent: 0 },
    charities: [{ id: 'forets', name: 'Forêts Vivantes', description: 'Replante des haies.' }],
  },
};

const REQUESTED: Payout = {
  id: 'p_1',
  method: 'transfer',
  amount: 4245,
  fee: 50,
  currency: 'EUR',
  status: 'requested',
  requestedAt: '2026-11-23T10:00:00Z',
  account: 'FR76 •••• 0189',
};

type Responder = {
  [T in keyof BackgroundProtocol]?: (
    request: BackgroundProtocol[T]['request'],
  ) => Promise<BackgroundProtocol[T]['response']>;
};

function background(responses: Responder) {
  const send = vi.mocked(sendToBackground) as unknown as ReturnType<
    typeof vi.fn<(type: string, request: unknown) => Promise<unknown>>
  >;
  send.mockImplementation(async (type, request) => {
    const respond = responses[type as keyof BackgroundProtocol] as
      ((request: unknown) => Promise<unknown>) | undefined;
    if (!respond) throw new Error(`unexpected ${type}`);
    return respond(request);
  });
  return send;
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.mocked(sendToBackground).mockReset();
  installMessages('fr');
});

afterEach(() => {
  cleanup();
});

describe('withdrawing from the popup', () => {
  it('confirms a transfer with its fee, and a double click makes one request with one key', async () => {
    let answer: (value: BackgroundProtocol['payouts:request']['response']) => void = () => {};
    const send = background({
      'payouts:get': async () => ({ available: true, options: OPTIONS, payouts: [] }),
      'payouts:request': () => new Promise((resolve) => (answer = resolve)),
    });
    const onPayout = vi.fn();
    render(<PayoutsPanel reloadKey={1} onPayout={onPayout} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Retirer' }));
    expect(plain(screen.getByTestId('withdraw-account').textContent)).toBe(
      'Vers votre compte FR76 •••• 0189',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Continuer' }));
    expect(plain(screen.getByText(/^Virement de/).textContent)).toBe(
      'Virement de 42,45 € vers FR76 •••• 0189',
    );
    expect(plain(screen.getByText(/^Débité/).textContent)).toBe(
      'Débité de votre cagnotte : 42,95 €, dont 0,50 € de frais.',
    );
    const confirm = screen.getByRole('button', { name: 'Confirmer' });
    fireEvent.click(confirm);
    fireEvent.click(confirm);
    const requests = send.mock.calls.filter(([type]) => type === 'payouts:request');
    expect(requests).toHaveLength(1);
    expect(requests[0]![1]).toMatchObject({
      payout: { method: 'transfer', amount: 4245, currency: 'EUR' },
    });
    answer({ ok: true, payout: REQUESTED });
    expect(plain((await screen.findByTestId('withdraw-done')).textContent)).toContain(
      'Virement demandé : 42,45 € vers FR76 •••• 0189.',
    );
    expect(onPayout).toHaveBeenCalledTimes(1);
  });

  it('sends a retry after no answer with the same key', async () => {
    const send = background({
      'payouts:get': async () => ({ available: true, options: OPTIONS, payouts: [] }),
      'payouts:request': async () => ({ ok: false, reason: 'portal-unreachable' }),
    });
    render(<PayoutsPanel reloadKey={1} onPayout={() => undefined} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Retirer' }));
    fireEvent.click(screen.getByRole('button', { name: 'Continuer' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirmer' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Confirmer' }));
    await waitFor(() =>
      expect(send.mock.calls.filter(([type]) => type === 'payouts:request')).toHaveLength(2),
    );
    const keys = send.mock.calls
      .filter(([type]) => type === 'payouts:request')
      .map(([, request]) => (request as { key: string }).key);
    expect(keys[0]).toBe(keys[1]);
  });

  it('gives part of the cagnotte to a charity, and says what and to whom', async () => {
    background({
      'payouts:get': async () => ({ available: true, options: OPTIONS, payouts: [] }),
      'payouts:request': async ({ payout }) => ({
        ok: true,
        payout: {
          ...REQUESTED,
          method: 'donation',
          amount: payout.amount,
          fee: 0,
          account: undefined,
          charity: { id: 'forets', name: 'Forêts Vivantes' },
        },
      }),
    });
    render(<PayoutsPanel reloadKey={1} onPayout={() => undefined} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Retirer' }));
    fireEvent.click(screen.getByLabelText('Don à une association'));
    expect(screen.getByText('Replante des haies.')).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Montant'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continuer' }));
    expect(screen.getByText('Sans frais.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Confirmer' }));
    expect(plain((await screen.findByTestId('withdraw-done')).textContent)).toContain(
      'Merci ! Vous avez donné 5,00 € à Forêts Vivantes.',
    );
  });

  it('opens the portal’s page to add a bank account, and never asks for the IBAN', async () => {
    background({
      'payouts:get': async () => ({
        available: true,
        options: { ...OPTIONS, transfer: { ...OPTIONS.transfer!, account: null } },
        payouts: [],
      }),
    });
    render(<PayoutsPanel reloadKey={1} onPayout={() => undefined} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Retirer' }));
    const link = screen.getByRole('link', { name: /Ajouter mon RIB/ });
    expect(link.getAttribute('href')).toBe('http://localhost:8787/compte/rib');
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Continuer' }).disabled).toBe(
      true,
    );
  });

  it('shows nothing below the threshold, and nothing at all on an older portal', async () => {
    background({
      'payouts:get': async () => ({
        available: true,
        options: { ...OPTIONS, available: 500 },
        payouts: [],
      }),
    });
    const { unmount } = render(<PayoutsPanel reloadKey={1} onPayout={() => undefined} />);
    await waitFor(() => expect(sendToBackground).toHaveBeenCalled());
    expect(screen.queryByRole('button', { name: 'Retirer' })).toBeNull();
    unmount();

    background({ 'payouts:get': async () => ({ available: false }) });
    const { container } = render(<PayoutsPanel reloadKey={1} onPayout={() => undefined} />);
    await waitFor(() => expect(sendToBackground).toHaveBeenCalledTimes(2));
    expect(container.innerHTML).toBe('');
  });
});
