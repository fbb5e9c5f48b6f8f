/**
 * The domain index and the pure matcher: which merchant, if any, a visited URL belongs to.
 *
 * Rule (docs/portal-api.md §2): a domain matches itself and every subdomain, on label
 * boundaries; the most specific domain wins (`voyages.example.fr` beats `example.fr`).
 *
 * Shape, and why. The index must answer right after the MV3 worker wakes, so it is stored as
 * IndexedDB records used as loaded: no Map or trie is rebuilt. It is split in shards by a domain's
 * last two labels (buildMatchShards), so that a woken worker reads the one ~50 kB shard its URL
 * needs rather than the whole index (6.5 MB at 100,000 merchants). Each shard, like the whole, is
 * an open-addressing hash table in typed arrays, which structured clone copies as raw bytes:
 *
 *   slots    Uint32Array, power-of-two length, load ≤ 0.5; 0 = empty, else
 *            tag (high bits of the domain's hash) << offsetBits | record offset + 1
 *   records  Uint8Array, one per domain: length, owner ordinal (3 bytes), ASCII characters
 *   idBytes  Uint8Array: the merchant ids in UTF-8, back to back (idStarts: where each starts)
 *
 * A lookup hashes the host from its last character to its first, like Dark Reader's reversed
 * labels and uBlock Origin's hntrie read a hostname from its end: at every dot the hash so far is
 * the hash of one parent domain (`example.fr`, then `voyages.example.fr`), so one pass over the
 * host probes every candidate (uBlock's "strip one label at a time") without slicing a string, and
 * the last hit is the most specific. At 100,000 merchants the slots take 1 MB: a probe for a host
 * that is not listed reads one word (the tag rejects it), a hit one slot and one record.
 *
 * Measured at 100,000 merchants on this shared 2-core machine (tests/bench/matching.ts, URL
 * parsing included, 20,000 distinct URLs): 2-2.6 million lookups per CPU second, less when other
 * processes thrash the caches; ~3 million at 10,000. Alternatives measured in the same process:
 * label stripping with `Map.get` (a substring and a string hash per label, and a Map to rebuild at
 * load) ran at less than half the speed; a tag and a domain number per slot, with owner and
 * characters in two more arrays (format 1), ran ~12 % slower; 12-byte slots (hash, offset, owner)
 * no faster than that; a 256 kB bit prefilter gained nothing. A sorted array of reversed hostnames was not tried: bisection costs
 * ~17 string comparisons per label.
 *
 * Lookalikes cannot match: probes happen only at label boundaries of the host itself, and a hit
 * compares every character. IP literals never match: normaliseDomain keeps them out of the list,
 * and every suffix of a host whose last label is numeric has that numeric last label.
 */
import { findUrlHost, type HostSpan } from './domain';
import type { StoredMerchant } from './list';

/**
 * Bumped when the layout changes: a stored snapshot of another format is not used, and the next
 * sync downloads the whole list again to rebuild it (sync.ts).
 */
export const INDEX_FORMAT = 2;

export interface MerchantIndex {
  format: typeof INDEX_FORMAT;
  merchantCount: number;
  domainCount: number;
  /** Bits of a slot that hold a record offset + 1; the bits above hold a tag of the hash. */
  offsetBits: number;
  slots: Uint32Array;
  /** One record per domain: length (1 byte), owner ordinal (3 bytes, little-endian), characters. */
  records: Uint8Array;
  /** Merchant ids in UTF-8, back to back (bytes: a string may be stored two bytes a character). */
  idBytes: Uint8Array;
  /** Merchant m's id is idBytes[idStarts[m] .. idStarts[m + 1]). */
  idStarts: Uint32Array;
}

/** No merchant: the matcher's answer when nothing matches. */
export const NO_MATCH = -1;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const RECORD_HEADER = 4;
// The owner takes 3 bytes of the record.
const MAX_MERCHANTS = 2 ** 24;
// Slots stay below 2^31, so that they read as small integers in optimised code.
const SLOT_BITS = 31;

/**
 * Builds the index of merchants whose domains are already normalised (parseMerchantList). A domain
 * listed twice keeps its first owner. The merchant's ordinal is its position in `merchants`.
 */
export function buildMerchantIndex(
  merchants: readonly Pick<StoredMerchant, 'id' | 'domains'>[],
): MerchantIndex {
  if (merchants.length > MAX_MERCHANTS) throw new Error('too many merchants for the index');
  let domainCount = 0;
  let recordBytes = 0;
  for (const merchant of merchants) {
    domainCount += merchant.domains.length;
    for (const domain of merchant.domains) recordBytes += RECORD_HEADER + domain.length;
  }
  let capacity = 16;
  while (capacity < domainCount * 2) capacity *= 2;
  const offsetBits = Math.max(1, 32 - Math.clz32(recordBytes + 1));
  if (offsetBits > SLOT_BITS - 4) throw new Error('too many domains for the index');

  const index: MerchantIndex = {
    format: INDEX_FORMAT,
    merchantCount: merchants.length,
    domainCount: 0,
    offsetBits,
    slots: new Uint32Array(capacity),
    records: new Uint8Array(recordBytes),
    idBytes: new Uint8Array(0),
    idStarts: new Uint32Array(merchants.length + 1),
  };
  const { slots, records } = index;
  const mask = capacity - 1;
  let recordEnd = 0;
  merchants.forEach((merchant, ordinal) => {
    for (const domain of merchant.domains) {
      // A single label is a public suffix (the PSL's default rule): the matcher never probes one.
      if (domain.length > 253 || !domain.includes('.'))
        throw new Error(`invalid domain: ${domain}`);
      const hash = hashReversed(domain);
      if (findDomain(index, hash, domain, 0, domain.length) !== NO_MATCH) continue;
      records[recordEnd] = domain.length;
      records[recordEnd + 1] = ordinal & 0xff;
      records[recordEnd + 2] = (ordinal >>> 8) & 0xff;
      records[recordEnd + 3] = ordinal >>> 16;
      for (let i = 0; i < domain.length; i++) {
        const c = domain.charCodeAt(i);
        if (c > 0x7f) throw new Error(`domain not normalised to ASCII: ${domain}`);
        records[recordEnd + RECORD_HEADER + i] = c;
      }
      let slot = slotOf(hash, mask);
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = (tagOf(hash, offsetBits) << offsetBits) | (recordEnd + 1);
      recordEnd += RECORD_HEADER + domain.length;
      index.domainCount += 1;
    }
  });
  ({ idBytes: index.idBytes, idStarts: index.idStarts } = encodeIds(merchants));
  // Duplicates were skipped: keep only the records the slots point to.
  if (recordEnd < recordBytes) index.records = records.slice(0, recordEnd);
  return index;
}

const span: HostSpan = { text: '', start: 0, end: 0 };

/** The ordinal of the merchant a URL belongs to, or NO_MATCH (-1). Parses the URL (domain.ts). */
export function matchUrl(index: MerchantIndex, url: string): number {
  if (!findUrlHost(url, span)) return NO_MATCH;
  return matchSpan(index, span.text, span.start, span.end);
}

/** Where a match was found: the owner's ordinal and the length of the domain it matched on. */
export interface MatchHit {
  ordinal: number;
  domainLength: number;
}

/**
 * Like matchUrl, for a list stored with changes over it (store.ts): owners that `accept` refuses
 * are skipped (a less specific domain of the host may still match), and the hit says how long
 * the domain matched was, so that two indexes can be asked and the most specific answer kept.
 * Off the hot path of a list without changes, which matchUrl serves alone.
 */
export function matchUrlWhere(
  index: MerchantIndex,
  url: string,
  accept: ((ordinal: number) => boolean) | null,
  hit: MatchHit,
): boolean {
  hit.ordinal = NO_MATCH;
  hit.domainLength = 0;
  if (!findUrlHost(url, span)) return false;
  const { text, start, end } = span;
  let hash = FNV_OFFSET;
  let i = end - 1;
  while (i >= start) {
    const c = text.charCodeAt(i--);
    hash = Math.imul(hash ^ c, FNV_PRIME);
    if (c === 46) break;
  }
  const consider = (from: number) => {
    const owner = findDomain(index, hash, text, from, end);
    if (owner !== NO_MATCH && (accept === null || accept(owner))) {
      hit.ordinal = owner;
      hit.domainLength = end - from;
    }
  };
  for (; i >= start; i--) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) consider(i + 1);
    hash = Math.imul(hash ^ c, FNV_PRIME);
  }
  consider(start);
  return hit.ordinal !== NO_MATCH;
}

/** The id of the merchant at `ordinal`. */
export function merchantIdAt(
  index: Pick<MerchantIndex, 'idBytes' | 'idStarts'>,
  ordinal: number,
): string {
  const { idBytes, idStarts } = index;
  return utf8Decoder.decode(idBytes.subarray(idStarts[ordinal], idStarts[ordinal + 1]));
}

function matchSpan(index: MerchantIndex, text: string, start: number, end: number): number {
  let best = NO_MATCH;
  let hash = FNV_OFFSET;
  let i = end - 1;
  // The last label alone is never a domain of the index (see buildMerchantIndex): no probe.
  while (i >= start) {
    const c = text.charCodeAt(i--);
    hash = Math.imul(hash ^ c, FNV_PRIME);
    if (c === 46) break;
  }
  for (; i >= start; i--) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      // Every parent domain is probed: a merchant may sit on a subdomain of a non-merchant.
      const owner = findDomain(index, hash, text, i + 1, end);
      if (owner !== NO_MATCH) best = owner;
    }
    hash = Math.imul(hash ^ c, FNV_PRIME);
  }
  const owner = findDomain(index, hash, text, start, end);
  return owner === NO_MATCH ? best : owner;
}

/**
 * The owner of `text[start, end)` if it is a domain of the index. A slot carries a tag of the
 * hash beside the record's offset, so a probe for a host that is not listed reads one word of a
 * table small enough to stay in cache, and a hit reads one record: length, owner and characters
 * side by side.
 */
function findDomain(
  index: MerchantIndex,
  hash: number,
  text: string,
  start: number,
  end: number,
): number {
  const { slots, records, offsetBits } = index;
  const mask = slots.length - 1;
  const offsetMask = (1 << offsetBits) - 1;
  const tag = tagOf(hash, offsetBits);
  const length = end - start;
  for (let slot = slotOf(hash, mask); ; slot = (slot + 1) & mask) {
    const entry = slots[slot]!;
    if (entry === 0) return NO_MATCH;
    if (entry >>> offsetBits !== tag) continue;
    const record = (entry & offsetMask) - 1;
    if (records[record] !== length) continue;
    const from = record + RECORD_HEADER;
    let i = 0;
    while (i < length && records[from + i] === text.charCodeAt(start + i)) i++;
    if (i === length) {
      return records[record + 1]! | (records[record + 2]! << 8) | (records[record + 3]! << 16);
    }
  }
}

function slotOf(hash: number, mask: number): number {
  // FNV's low bits mix poorly; fold the high ones in before masking.
  return (hash ^ (hash >>> 16)) & mask;
}

function tagOf(hash: number, offsetBits: number): number {
  return hash >>> (32 - (SLOT_BITS - offsetBits));
}

function hashReversed(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = text.length - 1; i >= 0; i--) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

// ---------- the stored match index, in shards ----------

/**
 * Domains per shard of the stored match index aimed at. A worker woken by a navigation reads one
 * shard, not the whole index: in Chromium, reading a 6.5 MB record (100,000 merchants) took
 * ~45 ms, a ~50 kB one ~5 ms (a record above 64 kB is also kept apart, as a blob, and read more
 * slowly). 1,024 domains make ~50 kB.
 */
export const DOMAINS_PER_SHARD = 1024;

/** How many shards an index of `domainCount` domains is stored in (at least one). */
export function matchShardCountFor(domainCount: number): number {
  return Math.max(1, Math.ceil(domainCount / DOMAINS_PER_SHARD));
}

/**
 * The shard of a domain, or of a host to look up: by its last two labels, which every domain a
 * host can match shares with it (the index holds no single-label domain), so that one shard
 * answers for a host. `text[start, end)` in lower case.
 */
export function matchShardOf(text: string, start: number, end: number, shardCount: number): number {
  let hash = FNV_OFFSET;
  let dots = 0;
  for (let i = end - 1; i >= start; i--) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */ && ++dots === 2) break;
    hash = Math.imul(hash ^ c, FNV_PRIME);
  }
  // Remixed: within a shard, slots and tags are taken from the same FNV hash of its domains.
  return (Math.imul(hash, 0x9e3779b1) >>> 0) % shardCount;
}

/** The shard to read for a URL, or null when no merchant can be on it (see matchUrl). */
export function matchShardOfUrl(url: string, shardCount: number): number | null {
  if (!findUrlHost(url, span)) return null;
  return matchShardOf(span.text, span.start, span.end, shardCount);
}

/**
 * The match index of `merchants` split in `shardCount` indexes, each holding the domains of its
 * shard and the ids of their owners: `matchUrl(shards[matchShardOfUrl(url)], url)` answers as
 * `matchUrl(buildMerchantIndex(merchants), url)` would.
 */
export function buildMatchShards(
  merchants: readonly Pick<StoredMerchant, 'id' | 'domains'>[],
  shardCount: number,
): MerchantIndex[] {
  type Part = { id: string; domains: string[] };
  const parts = Array.from({ length: shardCount }, (): Part[] => []);
  for (const { id, domains } of merchants) {
    for (const domain of domains) {
      const part = parts[matchShardOf(domain, 0, domain.length, shardCount)]!;
      // The merchant once per shard, in list order (the first owner of a domain still wins): if
      // it is in this shard already, it is the shard's last merchant.
      const last = part.at(-1);
      if (last?.id === id) last.domains.push(domain);
      else part.push({ id, domains: [domain] });
    }
  }
  return parts.map((part) => buildMerchantIndex(part));
}

/** The merchants' ids by ordinal, stored beside sharded match indexes (search needs them). */
export type MerchantIds = Pick<MerchantIndex, 'format' | 'idBytes' | 'idStarts'>;

export function buildMerchantIds(merchants: readonly Pick<StoredMerchant, 'id'>[]): MerchantIds {
  return { format: INDEX_FORMAT, ...encodeIds(merchants) };
}

/**
 * The ids in UTF-8 back to back, and where each starts. Written into one buffer: an encoded array
 * per id (TextEncoder.encode) made the GC the largest cost of building the shards.
 */
function encodeIds(
  merchants: readonly Pick<StoredMerchant, 'id'>[],
): Pick<MerchantIndex, 'idBytes' | 'idStarts'> {
  let capacity = 0;
  for (const { id } of merchants) capacity += id.length * 3;
  const bytes = new Uint8Array(capacity);
  const idStarts = new Uint32Array(merchants.length + 1);
  let end = 0;
  merchants.forEach(({ id }, ordinal) => {
    let i = 0;
    // The usual id is ASCII: byte by byte; the rest of any other through the encoder.
    for (let c = id.charCodeAt(0); i < id.length && c < 0x80; c = id.charCodeAt(++i))
      bytes[end++] = c;
    if (i < id.length) end += utf8.encodeInto(id.slice(i), bytes.subarray(end)).written;
    idStarts[ordinal + 1] = end;
  });
  return { idBytes: bytes.slice(0, end), idStarts };
}

// ---------- the name index: the popup's search on non-merchant pages ----------

/**
 * Merchant names folded for search (`foldForSearch`), each preceded by a newline, in ordinal
 * order: one `indexOf` scan over a single string finds every name containing the query.
 * Stored as its own record, loaded only when someone searches.
 */
export interface NameIndex {
  format: typeof INDEX_FORMAT;
  names: string;
  /** Where the folded name of merchant m starts in `names` (after its newline); one extra end. */
  nameStarts: Uint32Array;
}

export function buildNameIndex(merchants: readonly Pick<StoredMerchant, 'name'>[]): NameIndex {
  const nameStarts = new Uint32Array(merchants.length + 1);
  let names = '';
  merchants.forEach((merchant, ordinal) => {
    names += `\n${foldForSearch(merchant.name)}`;
    nameStarts[ordinal + 1] = names.length + 1;
  });
  nameStarts[0] = 1;
  return { format: INDEX_FORMAT, names, nameStarts };
}

/** Lower case, without accents or ligatures, one space between words: "Œuvre  Café" → "oeuvre cafe". */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Ordinals of the merchants whose name contains `query`, best first: names that start with it,
 * then names with a word that starts with it, then the rest; list order within each group.
 */
export function searchNameIndex(
  index: NameIndex,
  query: string,
  limit: number,
  /** Ordinals to leave out (merchants replaced or removed since the index was built). */
  accept: ((ordinal: number) => boolean) | null = null,
): number[] {
  const needle = foldForSearch(query);
  if (needle === '' || limit <= 0) return [];
  const { names, nameStarts } = index;
  const ranked: number[][] = [[], [], []];
  let current = -1;
  let currentRank = 2;
  const flush = () => {
    if (current >= 0 && (accept === null || accept(current))) ranked[currentRank]!.push(current);
  };
  for (let at = names.indexOf(needle); at !== -1; at = names.indexOf(needle, at + 1)) {
    const ordinal = ordinalAt(nameStarts, at);
    const before = names.charCodeAt(at - 1);
    const rank = before === 10 /* \n */ ? 0 : isWordBoundary(before) ? 1 : 2;
    if (ordinal === current) {
      currentRank = Math.min(currentRank, rank);
      continue;
    }
    flush();
    // Later names can only tie with a full first group: stop scanning.
    if (ranked[0]!.length >= limit) return ranked[0]!.slice(0, limit);
    current = ordinal;
    currentRank = rank;
  }
  flush();
  return ranked.flat().slice(0, limit);
}

/** 0 when a folded name starts with the folded query, 1 when a word of it does, 2 otherwise. */
export function nameRank(foldedName: string, needle: string): number {
  const at = foldedName.indexOf(needle);
  if (at === 0) return 0;
  for (let from = at; from > 0; from = foldedName.indexOf(needle, from + 1)) {
    if (isWordBoundary(foldedName.charCodeAt(from - 1))) return 1;
  }
  return 2;
}

/** The merchant whose folded name contains position `at` (binary search over name starts). */
function ordinalAt(nameStarts: Uint32Array, at: number): number {
  let low = 0;
  let high = nameStarts.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (nameStarts[middle]! <= at) low = middle;
    else high = middle - 1;
  }
  return low;
}

function isWordBoundary(charCode: number): boolean {
  // Anything that is not a letter or digit of the folded (mostly ASCII) name separates words.
  return !(
    (charCode >= 97 && charCode <= 122) ||
    (charCode >= 48 && charCode <= 57) ||
    charCode > 0x7f
  );
}
