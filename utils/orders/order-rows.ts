/**
 * The orders seen as the popup lists them: a pure function of their views, the time and the
 * language ("Cashback attendu d'ici le 25 nov.", "Suivi ✓", "Cashback manquant depuis le …"), and
 * whether it may still be claimed (missing, and within the merchant's claim window).
 */
import { formatDate } from '../format/dates';
import type { Translate } from '../format/i18n';
import { formatMoney } from '../format/money';
import type { OrderView } from '../protocol/messages';

export interface OrderRow {
  key: string;
  merchantName: string;
  /** "Commande CMD-1A2B", or its date when the page showed no reference. */
  label: string;
  amount: string | null;
  state: OrderView['progress']['state'];
  status: string;
  /** Missing, and its claim window (when the portal gives one) still open: "Réclamer". */
  claimable: boolean;
}

export function orderRows(
  views: readonly OrderView[],
  input: { now: number; locale: string; t: Translate },
): OrderRow[] {
  const { now, locale, t } = input;
  const date = (at: number) => formatDate(at, locale, now);
  return views.map((view) => {
    const { progress } = view;
    let status: string;
    let claimable = false;
    switch (progress.state) {
      case 'tracked':
        status = t('popup_order_tracked');
        break;
      case 'missing':
        // Past the window the portal would refuse the claim: say so rather than offer it.
        claimable = progress.claimableUntil === null || now <= progress.claimableUntil;
        status = claimable
          ? t('popup_order_missing', [date(progress.since)])
          : t('popup_order_claim_closed', [date(progress.claimableUntil!)]);
        break;
      case 'expected':
        status =
          progress.expectedBy === null
            ? t('popup_order_expected_undated')
            : t('popup_order_expected', [date(progress.expectedBy)]);
    }
    return {
      key: view.key,
      merchantName: view.merchantName,
      label:
        view.orderRef === undefined
          ? t('popup_order_on', [date(view.seenAt)])
          : t('popup_order_ref', [view.orderRef]),
      amount: view.amount ? formatMoney(view.amount.value, view.amount.currency, locale) : null,
      state: progress.state,
      status,
      claimable,
    };
  });
}
