/**
 * The premium tier's rates at the demo merchants that pay it more; at the others, premium members
 * earn the public rate. Seeded with the merchants (seed.ts), served as their `tierCashback`.
 */
import type { Cashback } from '../../utils/contract/schemas';

const pct = (value: number, upTo = false): Cashback => ({ type: 'percent', value, upTo });
const eur = (cents: number): Cashback => ({
  type: 'amount',
  value: cents,
  currency: 'EUR',
  upTo: false,
});

export const PREMIUM_RATES: Readonly<Record<string, Cashback>> = {
  'atelier-vendome': pct(8, true),
  'maison-lenoir': pct(5),
  numeria: pct(3.5, true),
  'la-grange-aux-meubles': pct(6.5),
  'hotel-des-cimes': eur(3000),
  'belle-de-jour': pct(10),
  'savonnerie-du-midi': pct(12, true),
  'cap-montagne': pct(5.5),
  'librairie-des-quais': pct(4.5),
  'grand-bazar': pct(3),
};
