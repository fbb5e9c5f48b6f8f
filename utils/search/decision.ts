/**
 * Whether a partner merchant's search result gets a mark. First match wins:
 *
 *  1. the feature is off                  → no mark (the script is not even registered)
 *  2. stand-down (another affiliate's visit, this session or ≤ 60 min) → no mark: the mark
 *     would invite the member to overwrite that affiliation
 *  3. the merchant's policy is `never`    → no mark (its contract forbids prompting; the popup
 *     still activates). `checkout-only` restricts prompts on the merchant's own site: a mark on
 *     an engine's page is no prompt on its site, so it is marked.
 *  4. the member muted the merchant ("Ne plus afficher sur ce site") → no mark: they asked not
 *     to be reminded of it
 *  5. otherwise → the mark, with the offer (also when already activated: a click activates again,
 *     the one the member makes last)
 */
import type { PromptsPolicy } from '../contract/schemas';

export interface SearchMarkInput {
  enabled: boolean;
  merchant: { prompts: PromptsPolicy };
  standDown: boolean;
  muted: boolean;
}

export type SearchMarkDecision =
  { mark: true } | { mark: false; reason: 'off' | 'stand-down' | 'policy-never' | 'muted' };

export function decideSearchMark(input: SearchMarkInput): SearchMarkDecision {
  if (!input.enabled) return { mark: false, reason: 'off' };
  if (input.standDown) return { mark: false, reason: 'stand-down' };
  if (input.merchant.prompts === 'never') return { mark: false, reason: 'policy-never' };
  if (input.muted) return { mark: false, reason: 'muted' };
  return { mark: true };
}
