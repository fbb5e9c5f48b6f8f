import type { StoredMerchant } from './list';
import type { MerchantSummary } from '../protocol/messages';

/** What the UI gets of a merchant: never the whole stored record. */
export function summariseMerchant(merchant: StoredMerchant): MerchantSummary {
  return {
    id: merchant.id,
    name: merchant.name,
    cashback: merchant.cashback,
    prompts: merchant.prompts,
    ...(merchant.terms === undefined ? {} : { terms: merchant.terms }),
    ...(merchant.logoUrl === undefined ? {} : { logoUrl: merchant.logoUrl }),
  };
}
