/** How the popup words each order seen: expected by a date, tracked, or missing; in fr and en. */
import { describe, expect, it } from 'vitest';
import { orderRows } from '../../../utils/orders/order-rows';
import type { OrderView } from '../../../utils/protocol/messages';
import { plain, translator } from '../helpers/i18n';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const VIEW: OrderView = {
  key: 'k',
  merchantId: 'fnac',
  merchantName: 'Fnac',
  clickId: 'c_1',
  activatedAt: NOW - 120_000,
  seenAt: NOW - 60_000,
  orderRef: 'CMD-1A2B',
  amount: { value: 5990, currency: 'EUR' },
  progress: { state: 'expected', expectedBy: Date.parse('2026-11-25T12:00:00Z') },
};

function row(patch: Partial<OrderView>, locale: 'fr' | 'en' = 'fr') {
  const [only] = orderRows([{ ...VIEW, ...patch }], { now: NOW, locale, t: translator(locale) });
  return JSON.parse(plain(JSON.stringify(only))) as NonNullable<typeof only>;
}

describe('orderRows', () => {
  it.each<[string, Partial<OrderView>, 'fr' | 'en', string]>([
    ['expected', {}, 'fr', "Cashback attendu d'ici le 25 nov."],
    ['expected', {}, 'en', 'Cashback expected by Nov 25'],
    [
      'expected, no date',
      { progress: { state: 'expected', expectedBy: null } },
      'fr',
      'Cashback attendu',
    ],
    ['tracked', { progress: { state: 'tracked', transactionId: 't_1' } }, 'fr', 'Suivi ✓'],
    [
      'missing',
      { progress: { state: 'missing', since: NOW - 86_400_000, claimableUntil: null } },
      'fr',
      'Cashback manquant depuis le 22 nov.',
    ],
  ])('%s (%s) → %s', (_what, patch, locale, status) => {
    expect(row(patch, locale).status).toBe(status);
  });

  it('offers a claim while the window is open, and says when it closed', () => {
    const missing = (claimableUntil: number | null) =>
      row({ progress: { state: 'missing', since: NOW - 86_400_000, claimableUntil } });
    expect(missing(null)).toMatchObject({ claimable: true });
    expect(missing(NOW + 1)).toMatchObject({ claimable: true });
    expect(missing(NOW)).toMatchObject({ claimable: true });
    const closed = Date.parse('2026-11-22T12:00:00Z');
    expect(missing(closed)).toMatchObject({
      claimable: false,
      status: 'Cashback manquant : délai de réclamation passé le 22 nov.',
    });
    expect(
      row({ progress: { state: 'missing', since: NOW - 86_400_000, claimableUntil: closed } }, 'en')
        .status,
    ).toBe('Cashback missing: the time to claim it ended on Nov 22');
    expect(row({}).claimable).toBe(false);
    expect(row({ progress: { state: 'tracked', transactionId: 't_1' } }).claimable).toBe(false);
  });

  it('names the order by its reference, else by its date, and writes its amount', () => {
    expect(row({})).toMatchObject({ label: 'Commande CMD-1A2B', amount: '59,90 €' });
    expect(row({ orderRef: undefined, amount: undefined })).toMatchObject({
      label: 'Commande du 23 nov.',
      amount: null,
    });
  });
});
