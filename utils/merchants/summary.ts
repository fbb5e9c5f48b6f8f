import { config } from '../config';
import { onPortalOrigin } from '../contract/origin';
import type { StoredMerchant } from './list';
import type { MerchantSummary } from '../protocol/messages';

/**
 * What the UI gets of a merchant: never the whole stored record. Its logo only when the portal
 * serves it from its own origin: the popup loads it each time it opens on that merchant, which
 * would tell any other host when the member looks at it (the extension pages' CSP, wxt.config.ts,
 * allows no other image host either). Without one, the popup shows the merchant's initials.
 */
export function summariseMerchant(
  merchant: StoredMerchant,
  portalUrl: string = config.portalUrl,
): MerchantSummary {
  const logoUrl = onPortalOrigin(merchant.logoUrl, portalUrl) ?? null;
  return {
    id: merchant.id,
    name: merchant.name,
    cashback: merchant.cashback,
    prompts: merchant.prompts,
    ...(merchant.terms === undefined ? {} : { terms: merchant.terms }),
    ...(logoUrl === null ? {} : { logoUrl }),
  };
}

/** Up to two letters standing for the merchant in place of a logo: "Atelier Vendôme" → "AV". */
export function merchantInitials(name: string): string {
  const words = name
    .split(/\s+/)
    .filter((word) => /[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(word));
  const initials = words
    .slice(0, 2)
    .map((word) => Array.from(word.match(/[\p{L}\p{N}\p{Extended_Pictographic}]/u)?.[0] ?? '')[0])
    .join('');
  return initials ? initials.toLocaleUpperCase() : '?';
}
