/**
 * Which banner, if any, a merchant's page shows. The guards run in this order, first match wins:
 *
 *  1. stand-down            → nothing (no banner, no reminder, no warning: the networks' codes)
 *  2. merchant policy never → nothing (activation from the toolbar popup only)
 *  3. merchant policy checkout-only, not a checkout page → nothing
 *  4. site muted by the user → nothing
 *  5. banner closed for this merchant this session → nothing
 *  6. reminders turned off   → nothing
 *  7. user's "checkout pages only", not a checkout page → nothing
 *  8. activated → the confirmation on our activation's landing page only, nothing elsewhere
 *  9. activating → the progress banner
 * 10. checkout page → the checkout reminder
 * 11. otherwise → the offer
 *
 * The merchant's contract (2–3) outranks the user's choices (4–7), which outrank our own states.
 */
import type { PromptsPolicy } from '../contract/schemas';
import type { PageKind } from '../visit/checkout-page';

export type ActivationState = 'none' | 'activating' | 'activated';

export interface BannerInput {
  merchant: { prompts: PromptsPolicy };
  pageKind: PageKind;
  activation: ActivationState;
  /** This tab is showing the landing of our own activation (show the confirmation there). */
  landedFromActivation: boolean;
  standDown: boolean;
  /** The user closed the banner for this merchant. */
  dismissedThisSession: boolean;
  /** "Ne plus afficher sur ce site". */
  mutedSite: boolean;
  /** User options: reminders on/off, only on cart/checkout pages. */
  settings: { reminders: boolean; checkoutOnly: boolean };
}

export type BannerHiddenReason =
  | 'stand-down'
  | 'policy-never'
  | 'policy-checkout-only'
  | 'muted'
  | 'dismissed'
  | 'reminders-off'
  | 'checkout-only-setting'
  | 'already-activated';

export type BannerVariant = 'offer' | 'checkout-reminder' | 'activating' | 'activated';

export type BannerDecision =
  { show: false; reason: BannerHiddenReason } | { show: true; variant: BannerVariant };

const hide = (reason: BannerHiddenReason): BannerDecision => ({ show: false, reason });
const show = (variant: BannerVariant): BannerDecision => ({ show: true, variant });

export function decideBanner(input: BannerInput): BannerDecision {
  const onCheckout = input.pageKind === 'checkout';
  if (input.standDown) return hide('stand-down');
  if (input.merchant.prompts === 'never') return hide('policy-never');
  if (input.merchant.prompts === 'checkout-only' && !onCheckout) {
    return hide('policy-checkout-only');
  }
  if (input.mutedSite) return hide('muted');
  if (input.dismissedThisSession) return hide('dismissed');
  if (!input.settings.reminders) return hide('reminders-off');
  if (input.settings.checkoutOnly && !onCheckout) return hide('checkout-only-setting');
  if (input.activation === 'activated') {
    return input.landedFromActivation ? show('activated') : hide('already-activated');
  }
  if (input.activation === 'activating') return show('activating');
  return show(onCheckout ? 'checkout-reminder' : 'offer');
}
