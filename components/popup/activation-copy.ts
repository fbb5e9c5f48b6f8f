/**
 * What the popup says and offers in each activation state: a pure function of the state,
 * the merchant and the brand, tested by tables.
 */
import type { Translate } from '../../utils/format/i18n';
import type { ActivationStatus } from '../../utils/protocol/messages';

export interface ActivationCopy {
  /** The sentence of the live region: progress, success or the reason of an error. */
  message: string | null;
  tone: 'info' | 'success' | 'error';
  /** The button: activate, retry, or go to the sign-in form; absent when nothing can help. */
  action: { label: string; does: 'activate' | 'sign-in'; busy: boolean } | null;
}

export function activationCopy(
  status: ActivationStatus,
  merchant: string,
  brand: string,
  t: Translate,
): ActivationCopy {
  switch (status.state) {
    case 'none':
      return {
        message: null,
        tone: 'info',
        action: { label: t('popup_activate'), does: 'activate', busy: false },
      };
    case 'activating':
      return {
        message: t('popup_activating_detail', [brand]),
        tone: 'info',
        action: { label: t('popup_activating'), does: 'activate', busy: true },
      };
    case 'activated':
      return {
        message: `${t('popup_activated_title')} — ${t('popup_activated_detail', [merchant])}`,
        tone: 'success',
        action: null,
      };
    case 'error': {
      const retry = { label: t('popup_retry'), does: 'activate' as const, busy: false };
      const { failure } = status;
      switch (failure.reason) {
        case 'signed-out':
          return {
            message: t('popup_error_signed_out'),
            tone: 'error',
            action: { label: t('popup_sign_in_to_activate'), does: 'sign-in', busy: false },
          };
        case 'portal-unreachable':
          return { message: t('popup_error_unreachable', [brand]), tone: 'error', action: retry };
        case 'blocked':
          return {
            message: t('popup_error_blocked', [failure.host]),
            tone: 'error',
            action: retry,
          };
        // Retrying cannot help: the portal no longer knows the merchant, or the tab left it.
        case 'unknown-merchant':
          return {
            message: t('popup_error_unknown_merchant', [merchant]),
            tone: 'error',
            action: null,
          };
        case 'not-a-merchant':
          return { message: t('popup_error_not_merchant'), tone: 'error', action: null };
        case 'failed':
          return { message: t('popup_error_failed'), tone: 'error', action: retry };
      }
    }
  }
}
