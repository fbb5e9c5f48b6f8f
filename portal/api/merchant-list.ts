/**
 * `GET /api/v1/merchants` as bytes: the list is serialised, hashed (ETag) and compressed once per
 * list revision, then served from memory. At 100,000 merchants that is ~25 MB of JSON: rebuilding
 * it per request would take seconds. The logo URLs carry the portal's configured public origin,
 * never the request's Host: one list for every request, which a forged Host cannot make the
 * portal rebuild.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Merchant, MerchantList, StandDownList } from '../../utils/contract/schemas';
import { toEntry, type Merchants } from './merchants';
import type { OrderTermsStore } from './order-terms';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

export const STAND_DOWN: StandDownList = {
  params: ['awc', 'cjevent', 'ranMID', 'ranSiteID', 'irclickid', 'clickref', 'rdclid'],
  referrerHosts: ['igraal.com', 'poulpeo.com', 'widilo.fr', 'ebuyclub.com'],
};

export type Encoding = 'br' | 'gzip' | 'identity';

export interface SerializedList {
  etag: string;
  /** The uncompressed JSON. */
  identity: Buffer;
  /** Compressed forms, made on first demand and kept. */
  encoded(encoding: Encoding): Promise<Buffer>;
}

/**
 * `publicOrigin` is read at each build: it is only known once the portal listens (port 0).
 * `orderTerms` adds each merchant's order terms to its entry (since 1.1), unless `legacy()` says
 * the portal plays a 1.0 one (admin faults).
 */
export function createMerchantListCache(
  merchants: Merchants,
  publicOrigin: () => string,
  orderTerms?: { terms: OrderTermsStore; legacy(): boolean },
) {
  let cached: { revision: string; origin: string; list: SerializedList } | undefined;
  const revisionNow = () =>
    `${merchants.revision}/${orderTerms?.terms.revision ?? 0}/${orderTerms?.legacy() ?? true}`;

  function build(origin: string): SerializedList {
    const terms = orderTerms && !orderTerms.legacy() ? orderTerms.terms : undefined;
    const withTerms = (entry: Merchant) => (terms ? terms.withTerms(entry) : entry);
    const list: MerchantList = {
      version: merchants.version(),
      merchants: merchants.listed().map((record) => withTerms(toEntry(record, origin))),
      standDown: STAND_DOWN,
    };
    const identity = Buffer.from(JSON.stringify(list));
    const etag = `"${crypto.createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
    const compressed = new Map<Encoding, Promise<Buffer>>([
      ['identity', Promise.resolve(identity)],
    ]);
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

  return {
    get(): SerializedList {
      const origin = publicOrigin();
      const revision = revisionNow();
      if (cached?.revision !== revision || cached.origin !== origin) {
        cached = { revision, origin, list: build(origin) };
      }
      return cached.list;
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
