/**
 * What the demo merchants' entries say about the time after a purchase (docs/portal-api.md §2,
 * since 1.3). Most shops report a sale within two days and confirm it within one to three months;
 * two say nothing (the extension then follows no order there, as with a 1.0 portal). The three
 * shops of order-pages.ts report at once (`trackingDelayHours: 0`): a sale the network lost is
 * missing as soon as the next check, which the demo's lost-sale story and the tests play.
 */
import type { OrderTerms } from '../../utils/contract/schemas';
import type { MerchantRecord } from '../api/merchant-record';

const USUAL: OrderTerms = {
  trackingDelayHours: 48,
  confirmationDelayDays: 60,
  claimWindowDays: 90,
};

const SPECIFIC: Record<string, OrderTerms | null> = {
  // Travel is confirmed after the stay.
  'ailleurs-voyages': { trackingDelayHours: 72, confirmationDelayDays: 120, claimWindowDays: 180 },
  'hotel-des-cimes': { trackingDelayHours: 72, confirmationDelayDays: 120, claimWindowDays: 180 },
  'grand-bazar-voyages': {
    trackingDelayHours: 72,
    confirmationDelayDays: 120,
    claimWindowDays: 180,
  },
  // Returns are frequent: a longer wait.
  'atelier-vendome': { trackingDelayHours: 48, confirmationDelayDays: 45, claimWindowDays: 90 },
  // Nothing said: no order followed there.
  'rail-evasion': null,
  'velo-sud': null,
  'comptoir-des-thes': {
    confirmationPaths: ['/achat/termine'],
    trackingDelayHours: 0,
    confirmationDelayDays: 30,
    claimWindowDays: 60,
  },
  'hartley-and-sons': { trackingDelayHours: 0, confirmationDelayDays: 30, claimWindowDays: 60 },
  'terre-et-email': { trackingDelayHours: 0, confirmationDelayDays: 30, claimWindowDays: 60 },
};

/** Each demo merchant's terms, or undefined for the ones that give none. */
export function demoOrderTerms(merchant: MerchantRecord): OrderTerms | undefined {
  const specific = SPECIFIC[merchant.id];
  return specific === null ? undefined : (specific ?? USUAL);
}
