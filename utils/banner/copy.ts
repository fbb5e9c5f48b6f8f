/**
 * What the banner says in each state: a pure function of the view, tested by tables. The
 * background writes the words of the views it sends; the banner, those of views it derives.
 */
import type { ActivationFailure, BannerView } from '../protocol/messages';
import type { Translate } from '../format/i18n';
import { messagesLocale } from '../format/locale';
import { cashbackValue } from '../format/money';

export interface BannerCopy {
  title: string;
  detail?: string;
  /**
   * The primary button. It always sends `banner:activate`: the background decides whether that
   * activates, retries or opens the sign-in page. Absent when nothing can be done.
   */
  action?: { label: string; busy: boolean };
  /** Whether "Ne plus afficher sur ce site" is offered. */
  canMute: boolean;
}

export function bannerCopy(view: BannerView, t: Translate, brand: string): BannerCopy {
  const { merchant } = view;
  // The background's figure when it sent one: no Intl to start in the page (utils/protocol/messages.ts).
  const figure = () => view.figure ?? cashbackValue(merchant.cashback, messagesLocale(t));
  const offer = () =>
    t('banner_offer_at', [
      t(merchant.cashback.upTo ? 'common_offer_up_to' : 'common_offer', [figure()]),
      merchant.name,
    ]);
  const activate = { label: t('banner_activate'), busy: false };
  switch (view.variant) {
    case 'offer':
      return { title: offer(), detail: merchant.terms, action: activate, canMute: true };
    case 'checkout-reminder': {
      const value = figure();
      const key = merchant.cashback.upTo ? 'banner_reminder_up_to' : 'banner_reminder';
      return {
        title: t(key, [value, merchant.name]),
        detail: merchant.terms,
        action: activate,
        canMute: true,
      };
    }
    case 'activating':
      return {
        title: offer(),
        detail: t('banner_activating_detail', [brand]),
        action: { label: t('banner_activating'), busy: true },
        canMute: false,
      };
    case 'activated':
      return {
        title: t('banner_activated_title'),
        detail: t('banner_activated_detail', [merchant.name]),
        canMute: false,
      };
    case 'error':
      return errorCopy(view.failure ?? { reason: 'failed', detail: '' }, merchant.name, t, brand);
  }
}

function errorCopy(
  failure: ActivationFailure,
  merchant: string,
  t: Translate,
  brand: string,
): BannerCopy {
  const retry = { label: t('banner_retry'), busy: false };
  switch (failure.reason) {
    case 'signed-out':
      return {
        title: t('banner_error_signed_out', [brand, merchant]),
        action: { label: t('banner_sign_in'), busy: false },
        canMute: true,
      };
    case 'portal-unreachable':
      return { title: t('banner_error_unreachable', [brand]), action: retry, canMute: true };
    case 'blocked':
      return { title: t('banner_error_blocked', [failure.host]), action: retry, canMute: true };
    // Retrying cannot help: the portal no longer knows this merchant, or this page is not one.
    case 'unknown-merchant':
    case 'not-a-merchant':
      return { title: t('banner_error_unknown_merchant', [merchant]), canMute: true };
    case 'failed':
      return { title: t('banner_error_failed'), action: retry, canMute: true };
  }
}
