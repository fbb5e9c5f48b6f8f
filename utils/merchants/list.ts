/**
 * The portal's merchant list (docs/portal-api.md §2) turned into what the extension stores.
 * One bad entry never costs the others: each is validated on its own (zod, jitless as configured
 * in utils/contract/schemas.ts), its domains are normalised one by one, and everything left out is reported
 * with its reason so the sync state can show why.
 */
import {
  MerchantListDeltaEnvelopeSchema,
  MerchantListEnvelopeSchema,
  MerchantSchema,
  type Merchant,
  type StandDownList,
} from '../contract/schemas';
import { normaliseDomain } from './domain';

/**
 * A validated merchant whose domains are normalised (lower-case punycode, no trailing dot, not a
 * public suffix), unique within it and owned by no other merchant. What the badge, the banner and
 * the popup use.
 */
export type StoredMerchant = Merchant;

/** Something left out of the list: a whole entry, or (when `domain` is set) one of its domains. */
export interface DroppedEntry {
  /** Position of the entry in the portal's `merchants` array. */
  index: number;
  id?: string;
  domain?: string;
  reason: string;
}

export interface ParsedMerchantList {
  ok: true;
  version: string;
  merchants: StoredMerchant[];
  standDown: StandDownList;
  dropped: DroppedEntry[];
}

export type MerchantListResult =
  ParsedMerchantList | { ok: false; kind: 'not-a-list' | 'too-large'; error: string };

/**
 * Twice the 100,000 merchants the extension must cope with: more is a portal's mistake, and
 * validating and storing it would take the worker's time and memory for nothing.
 */
export const MAX_MERCHANT_ENTRIES = 200_000;

export function parseMerchantList(
  body: unknown,
  maxEntries: number = MAX_MERCHANT_ENTRIES,
): MerchantListResult {
  const envelope = MerchantListEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    const where = issue?.path.length ? issue.path.map(String).join('.') : '(root)';
    const error = `not a merchant list: ${where}: ${issue?.message ?? 'invalid'}`;
    return { ok: false, kind: 'not-a-list', error: error.slice(0, 500) };
  }
  const { version, merchants: entries, standDown } = envelope.data;
  if (entries.length > maxEntries) {
    return {
      ok: false,
      kind: 'too-large',
      error: `${entries.length} merchants, over the cap of ${maxEntries}`,
    };
  }
  const { merchants, dropped } = validateEntries(entries);
  // Entries, none usable: a portal that changed its format, not a portal without merchants.
  // Storing it would wipe the member's last good list.
  if (merchants.length === 0 && entries.length > 0) {
    const first = dropped[0];
    return {
      ok: false,
      kind: 'not-a-list',
      error:
        `not a merchant list: none of its ${entries.length} entries is valid (first: ${first?.reason ?? 'invalid'})`.slice(
          0,
          500,
        ),
    };
  }
  return { ok: true, version, merchants, standDown, dropped };
}

/**
 * Each entry validated on its own, its domains normalised one by one; a later entry with an id
 * already seen is dropped, and a domain already claimed by an earlier entry stays with it.
 */
function validateEntries(entries: readonly unknown[]): {
  merchants: StoredMerchant[];
  dropped: DroppedEntry[];
  invalidIds: string[];
} {
  const merchants: StoredMerchant[] = [];
  const dropped: DroppedEntry[] = [];
  const invalidIds: string[] = [];
  const ids = new Set<string>();
  const domainOwners = new Map<string, string>();

  entries.forEach((entry, index) => {
    const parsed = MerchantSchema.safeParse(entry);
    if (!parsed.success) {
      const id = idOf(entry);
      if (id !== undefined) invalidIds.push(id);
      dropped.push({ index, ...(id === undefined ? {} : { id }), reason: describe(parsed.error) });
      return;
    }
    const merchant = parsed.data;
    const { id } = merchant;
    if (ids.has(id)) {
      dropped.push({ index, id, reason: 'duplicate id: the first entry with this id is kept' });
      return;
    }
    const domains: string[] = [];
    for (const raw of merchant.domains) {
      const normalised = normaliseDomain(raw);
      if (!normalised.ok) {
        dropped.push({ index, id, domain: raw, reason: normalised.reason });
        continue;
      }
      const { domain } = normalised;
      const owner = domainOwners.get(domain);
      if (owner === id || domains.includes(domain)) continue; // the same domain written twice
      if (owner !== undefined) {
        dropped.push({ index, id, domain, reason: `already claimed by merchant "${owner}"` });
        continue;
      }
      domains.push(domain);
    }
    if (domains.length === 0) {
      invalidIds.push(id);
      dropped.push({ index, id, reason: 'no valid domain left' });
      return;
    }
    ids.add(id);
    for (const domain of domains) domainOwners.set(domain, id);
    merchant.domains = domains; // zod built this object for us: no copy
    merchants.push(merchant);
  });
  return { merchants, dropped, invalidIds };
}

// ---------- the changes since a version (docs/portal-api.md §2b) ----------

/**
 * The portal's changes since the list the extension holds, validated as the list is: each
 * upserted entry on its own, with the same rules. An entry dropped whole takes its id out of the
 * list (a full list would not have it either). Removing an id the list does not have is no
 * fault (it may be a merchant the extension had dropped); an id both upserted and removed is: the
 * changes contradict themselves, and the sync downloads the whole list instead. Which merchant
 * keeps a domain that one of the stored merchants also has is the store's business (store.ts).
 */
export interface ParsedMerchantDelta {
  ok: true;
  from: string;
  to: string;
  /** Valid merchants, domains normalised; they replace any stored merchant of the same id. */
  upserted: StoredMerchant[];
  /** Ids that leave the list: removed by the portal, or upserted with an entry that was dropped. */
  removed: string[];
  /** Absent: the stand-down list is unchanged. */
  standDown: StandDownList | undefined;
  dropped: DroppedEntry[];
}

export type MerchantDeltaResult =
  ParsedMerchantDelta | { ok: false; kind: 'not-a-delta' | 'too-large'; error: string };

export function parseMerchantDelta(
  body: unknown,
  maxEntries: number = MAX_MERCHANT_ENTRIES,
): MerchantDeltaResult {
  const envelope = MerchantListDeltaEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    const where = issue?.path.length ? issue.path.map(String).join('.') : '(root)';
    const error = `not a list of changes: ${where}: ${issue?.message ?? 'invalid'}`;
    return { ok: false, kind: 'not-a-delta', error: error.slice(0, 500) };
  }
  const { from, to, upserted: entries, removed, standDown } = envelope.data;
  if (entries.length + removed.length > maxEntries) {
    return {
      ok: false,
      kind: 'too-large',
      error: `${entries.length + removed.length} changes, over the cap of ${maxEntries}`,
    };
  }
  const removedIds = new Set(removed);
  const contradicted = entries.map(idOf).find((id) => id !== undefined && removedIds.has(id));
  if (contradicted !== undefined) {
    return {
      ok: false,
      kind: 'not-a-delta',
      error: `not a list of changes: merchant "${contradicted}" is both upserted and removed`,
    };
  }
  const { merchants, dropped, invalidIds } = validateEntries(entries);
  const kept = new Set(merchants.map((merchant) => merchant.id));
  for (const id of invalidIds) if (!kept.has(id)) removedIds.add(id);
  return {
    ok: true,
    from,
    to,
    upserted: merchants,
    removed: [...removedIds],
    standDown,
    dropped,
  };
}

/** Whole entries left out (not counting single domains dropped from a kept merchant). */
export function countDroppedMerchants(dropped: readonly DroppedEntry[]): number {
  return dropped.reduce((count, entry) => (entry.domain === undefined ? count + 1 : count), 0);
}

function idOf(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const id = (entry as { id?: unknown }).id;
  return typeof id === 'string' ? id.slice(0, 200) : undefined;
}

function describe(error: { issues: readonly { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(entry)'}: ${issue.message}`)
    .join('; ');
}
