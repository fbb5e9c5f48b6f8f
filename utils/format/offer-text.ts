/**
 * The offer as the banner words it, in the language of the messages the browser picked:
 * "Jusqu'à 4,5 % de cashback", "15,00 € de cashback". The figures and the phrase are the popup's
 * own (utils/format/money.ts, keys `common_offer*`), so both say the same thing the same way. No zod:
 * the banner script imports it and must stay tiny.
 */
import type { Cashback } from '../contract/schemas';
import { messagesLocale, type Translate } from './i18n';
import { cashbackValue, offerPhrase } from './money';

/** "Jusqu'à 4,5 % de cashback", "15,00 € de cashback". */
export function offerText(cashback: Cashback, translate: Translate): string {
  return offerPhrase(cashback, messagesLocale(translate), translate);
}

/** The figure alone, for sentences that place it themselves: "4,5 %", "15,00 €". */
export function offerValue(cashback: Cashback, translate: Translate): string {
  return cashbackValue(cashback, messagesLocale(translate));
}
