/**
 * A merchant as the portal keeps it: the wire format's fields and the demo shop's. Its own file,
 * so that the demo data (demo/) and the table (merchants.ts, which generates filler merchants)
 * can both name it without importing each other.
 */
import type { Cashback, PromptsPolicy } from '../../utils/contract/schemas';
import type { Category } from '../demo/catalog';

export interface MerchantRecord {
  id: string;
  name: string;
  /** Which catalog the demo shop shows (not part of the wire format). */
  category: Category;
  /** The colour of the shop and of the logo. */
  color: string;
  domains: string[];
  cashback: Cashback;
  hasLogo: boolean;
  checkoutPaths?: string[];
  prompts: PromptsPolicy;
  terms?: string;
  /** Rates by membership tier (merchant_tier_rates); a tier not named earns `cashback`. */
  tierCashback?: Record<string, Cashback>;
}
