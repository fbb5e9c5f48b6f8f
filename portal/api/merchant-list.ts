/**
 * `GET /api/v1/merchants` and `GET /api/v1/merchants/changes` as bytes: the list is serialised,
 * hashed (ETag) and compressed once per list revision, then served from memory. At 100,000
 * merchants that is ~25 MB of JSON: rebuilding it per request would take seconds. The changes
 * since a version are built once per revision and version asked: every install holding that
 * version asks the same URL, and gets the same bytes. The logo URLs in both carry the portal's
 * configured public origin, never the request's Host: one list for every request, which a forged
 * Host cannot make the portal rebuild.
 *
 * Both are public and the same for every member (no cookie, no token read, no member data), so a
 * CDN can serve them to every install: CACHE_CONTROL says how long (docs/cdn.md).
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type {
  Merchant,
  MerchantList,
  MerchantListDelta,
  StandDownList,
} from '../../utils/contract/schemas';
import { toEntry, type Merchants } from './merchants';
import type { OrderTermsStore } from './order-terms';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

export const STAND_DOWN: StandDownList = {
  params: ['awc', 'cjevent', 'ranMID', 'ranSiteID', 'irclickid', 'clickref', 'rdclid'],
  referrerHosts: ['igraal.com', 'poulpeo.com', 'widilo.fr', 'ebuyclub.com'],
};

export type Encoding = 'br' | 'gzip' | 'identity';

/**
 * Cache-Control of the public answers. A shared cache (a CDN) keeps them this long, then serves
 * the stale copy while it revalidates (a 304 from here when nothing changed). The extension
 * revalidates its own copy on every sync, so a change reaches members within `max-age` of a CDN.
 */
export const CACHE_CONTROL = {
  list: 'public, max-age=300, stale-while-revalidate=3600',
  changes: 'public, max-age=60, stale-while-revalidate=600',
  /** A version too old stays too old: the answer can be kept longer. */
  gone: 'public, max-age=3600',
} as const;

export interface SerializedList {
  etag: string;
  /** The uncompressed JSON. */
  identity: Buffer;
  /** Compressed forms, made on first demand and kept. */
  encoded(encoding: Encoding): Promise<Buffer>;
}

/** Versions whose changes are kept serialised (per revision): the versions installs hold. */
const MAX_CHANGES = 64;

/** The JSON's bytes, its ETag and its compressed forms (made on first demand). */
export function serialized(value: unknown): SerializedList {
  const identity = Buffer.from(JSON.stringify(value));
  const etag = `"${crypto.createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
  const compressed = new Map<Encoding, Promise<Buffer>>([['identity', Promise.resolve(identity)]]);
  return {
    etag,
    identity,
    encoded(encoding) {
      let body = compressed.get(encoding);
      if (!body) {
        // Fast settings: at 25 MB, brotli's default quality 11 takes tens of seconds.
        body =
          encoding === 'br'
            ? brotli(identity, {
                params: {
                  [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
                  [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
                  [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
                },
              })
            : gzip(identity, { level: 6 });
        compressed.set(encoding, body);
      }
      return body;
    },
  };
}

/** The changes since a version as served, or why there are none (routes.ts answers). */
export type ServedChanges =
  | { kind: 'changes'; body: SerializedList; empty: boolean }
  | { kind: 'invalid' | 'unknown' | 'too-old' };

/** What is served for one list revision and public origin. */
interface Generation {
  /** The merchants' revision, the order terms' and whether the portal plays 1.0. */
  revision: string;
  origin: string;
  list?: SerializedList;
  /** The changes since each version asked. */
  changes: Map<string, ServedChanges>;
}

/**
 * `publicOrigin` is read at each build: it is only known once the portal listens (port 0).
 * `orderTerms` adds each merchant's order terms to its entry (since 1.3), unless `legacy()` says
 * the portal plays a 1.0 one (admin faults).
 */
export function createMerchantListCache(
  merchants: Merchants,
  publicOrigin: () => string,
  orderTerms?: { terms: OrderTermsStore; legacy(): boolean },
) {
  let current: Generation | undefined;
  const revisionNow = () =>
    `${merchants.revision}/${orderTerms?.terms.revision ?? 0}/${orderTerms?.legacy() ?? true}`;
  const entryOf = (record: Parameters<typeof toEntry>[0], origin: string): Merchant => {
    const entry = toEntry(record, origin);
    return orderTerms && !orderTerms.legacy() ? orderTerms.terms.withTerms(entry) : entry;
  };

  function generation(): Generation {
    const origin = publicOrigin();
    const revision = revisionNow();
    if (current?.revision !== revision || current.origin !== origin) {
      current = { revision, origin, changes: new Map() };
    }
    return current;
  }

  return {
    get(): SerializedList {
      const served = generation();
      served.list ??= serialized({
        version: merchants.version(),
        merchants: merchants.listed().map((record) => entryOf(record, served.origin)),
        standDown: STAND_DOWN,
      } satisfies MerchantList);
      return served.list;
    },

    /** The changes since `since`, with the stand-down list (always sent: it is small). */
    changes(since: string): ServedChanges {
      const { origin, changes } = generation();
      let served = changes.get(since);
      if (!served) {
        const found = merchants.changesSince(since);
        if (found.kind === 'changes') {
          const delta: MerchantListDelta = {
            from: found.from,
            to: found.to,
            upserted: found.upserted.map((record) => entryOf(record, origin)),
            removed: found.removed,
            standDown: STAND_DOWN,
          };
          const empty = delta.upserted.length === 0 && delta.removed.length === 0;
          served = { kind: 'changes', body: serialized(delta), empty };
        } else {
          served = { kind: found.kind };
        }
        if (changes.size >= MAX_CHANGES) changes.delete(changes.keys().next().value!);
        changes.set(since, served);
      }
      return served;
    },
  };
}

export type MerchantListCache = ReturnType<typeof createMerchantListCache>;

/** The encoding the client prefers among br and gzip (br on a tie); identity if neither. */
export function negotiateEncoding(acceptEncoding: string | undefined): Encoding {
  if (!acceptEncoding) return 'identity';
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name, q ? Number(q[1]) : 1);
  }
  const quality = (encoding: string) => accepted.get(encoding) ?? accepted.get('*') ?? 0;
  const br = quality('br');
  const gz = quality('gzip');
  if (br <= 0 && gz <= 0) return 'identity';
  return br >= gz ? 'br' : 'gzip';
}

/** Whether `If-None-Match` names this ETag (weak comparison, as RFC 9110 requires for GET). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}
