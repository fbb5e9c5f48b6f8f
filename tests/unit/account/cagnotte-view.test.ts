import { describe, expect, it } from 'vitest';
import {
  cagnotteView,
  STALE_AFTER_MS,
  type CagnotteViewInput,
} from '../../../utils/account/cagnotte-view';
import type { Cagnotte, Transaction } from '../../../utils/contract/schemas';
import { plain, translator } from '../helpers/i18n';

const NOW = Date.parse('2026-11-23T12:00:00Z');

const transaction = (overrides: Partial<Transaction> = {}): Transaction => ({
  id: 't_1',
  merchantId: 'fnac',
  merchantName: 'Fnac',
  orderedAt: '2026-11-20T12:00:00Z',
  orderAmount: 12999,
  cashback: 585,
  status: 'pending',
  ...overrides,
});

const FIGURES: Cagnotte = {
  currency: 'EUR',
  pending: 1250,
  confirmed: 660,
  paid: 10000,
  payoutThreshold: 1000,
  transactions: [transaction()],
};

function view(overrides: Partial<CagnotteViewInput> = {}, figures: Partial<Cagnotte> = {}) {
  const result = cagnotteView({
    cagnotte: { figures: { ...FIGURES, ...figures }, fetchedAt: NOW - 5 * 60_000 },
    refreshError: null,
    now: NOW,
    locale: 'fr',
    t: translator('fr'),
    brand: 'Ristourne',
    ...overrides,
  });
  return JSON.parse(plain(JSON.stringify(result))) as typeof result;
}

describe('the cagnotte view model', () => {
  it('formats the totals in the member currency and language', () => {
    expect(view()).toMatchObject({ pending: '12,50 €', confirmed: '6,60 €', paid: '100,00 €' });
    const english = view({ locale: 'en', t: translator('en') });
    expect(english).toMatchObject({ pending: '€12.50', confirmed: '€6.60', paid: '€100.00' });
  });

  it('says how much is left before the payout threshold', () => {
    expect(view().payout).toEqual({
      ready: false,
      text: 'Encore 3,40 € avant de pouvoir retirer',
    });
    expect(view({ locale: 'en', t: translator('en') }).payout.text).toBe(
      '€3.40 more before you can withdraw',
    );
  });

  it('is ready to withdraw once confirmed reaches the threshold, exactly or beyond', () => {
    expect(view({}, { confirmed: 1000 }).payout.ready).toBe(true);
    expect(view({}, { confirmed: 4200 }).payout).toEqual({
      ready: true,
      text: 'Vous pouvez retirer votre cashback confirmé.',
    });
    expect(view({}, { confirmed: 999 }).payout.text).toBe('Encore 0,01 € avant de pouvoir retirer');
  });

  it('labels every transaction status', () => {
    const statuses = ['pending', 'confirmed', 'cancelled', 'paid'] as const;
    const rows = view(
      {},
      {
        transactions: statuses.map((status, index) => transaction({ id: `t_${index}`, status })),
      },
    ).transactions;
    expect(rows.map((row) => [row.status, row.statusLabel])).toEqual([
      ['pending', 'En attente'],
      ['confirmed', 'Confirmé'],
      ['cancelled', 'Annulé'],
      ['paid', 'Versé'],
    ]);
    expect(rows[0]).toMatchObject({
      merchantName: 'Fnac',
      cashback: '5,85 €',
      orderedOn: '20 nov.',
    });
  });

  it('shows the latest five transactions only', () => {
    const many = Array.from({ length: 8 }, (_, index) => transaction({ id: `t_${index}` }));
    expect(view({}, { transactions: many }).transactions.map((row) => row.id)).toEqual([
      't_0',
      't_1',
      't_2',
      't_3',
      't_4',
    ]);
  });

  it('says when the figures were fetched', () => {
    expect(view().updated.text).toBe('Mis à jour il y a 5 min');
    expect(view().updated.at).toBe('2026-11-23T11:55:00.000Z');
  });

  it('flags figures that are old or could not be refreshed', () => {
    expect(view().stale).toBe(false);
    expect(view().refreshNotice).toBeNull();
    const old = view({
      cagnotte: { figures: FIGURES, fetchedAt: NOW - STALE_AFTER_MS - 1 },
    });
    expect(old.stale).toBe(true);
    const offline = view({ refreshError: 'portal-unreachable' });
    expect(offline.stale).toBe(true);
    expect(offline.refreshNotice).toBe(
      'Ristourne est injoignable : voici vos derniers chiffres connus.',
    );
    expect(view({ refreshError: 'failed' }).refreshNotice).toMatch(/n'a pas pu être mise à jour/);
  });

  it('flags figures fetched "in the future" (by a clock that ran ahead): their age is unknown', () => {
    const ahead = view({ cagnotte: { figures: FIGURES, fetchedAt: NOW + 365 * 24 * 3_600_000 } });
    expect(ahead.stale).toBe(true);
  });
});

describe('when a pending cashback should be confirmed (Portal API 1.3)', () => {
  it.each<[string, Partial<Transaction>, { text: string; overdue: boolean } | undefined]>([
    [
      'due later',
      { expectedConfirmationAt: '2027-01-22T12:00:00Z' },
      { text: "Confirmation attendue d'ici le 22 janv. 2027", overdue: false },
    ],
    [
      'overdue',
      { expectedConfirmationAt: '2026-11-20T12:00:00Z' },
      { text: 'Confirmation en retard : attendue le 20 nov.', overdue: true },
    ],
    ['not said (a 1.0 portal)', {}, undefined],
    [
      'already confirmed',
      { status: 'confirmed', expectedConfirmationAt: '2026-11-20T12:00:00Z' },
      undefined,
    ],
  ])('%s', (_what, patch, expected) => {
    const [row] = view({}, { transactions: [transaction(patch)] }).transactions;
    expect(row!.confirmation).toEqual(expected);
  });
});
