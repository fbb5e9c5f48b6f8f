/**
 * What of a URL the background keeps in `storage.session`. That area holds 10 MB for the whole
 * browser, and a page decides its own URLs: one that redirects through a few 2 MB URLs would
 * fill it, and every later write would fail (no banner, no activation until the browser
 * restarts). So a URL is kept whole up to a length, and a longer one is reduced to what
 * stand-down reads of it (utils/visit/stand-down.ts): its scheme and host, and its query's
 * parameter names, with their values when short (a signal's value is `1`).
 */
import { config } from '../config';

/** A redirect hop kept whole up to this length: every ordinary network and shop URL fits. */
export const MAX_WHOLE_HOP_LENGTH = 2048;
/**
 * The contract's limit for a page URL and a redirect URL (utils/contract/schemas.ts): a tab's
 * page, and a hop on the portal's origin (our click's redirect URL, recognised by its exact URL).
 */
export const MAX_WHOLE_URL_LENGTH = 8000;
/** A reduced URL is at most this long: parameters past it are left out. */
export const MAX_REDUCED_URL_LENGTH = 2048;
/** No signal's name or value is longer: longer ones are left out (a name) or emptied (a value). */
const MAX_PARAM_PART_LENGTH = 64;
/** Chrome follows 20 redirects at most; the chain keeps the last ones. */
export const MAX_HOPS = 20;

/** A redirect hop as stored: whole when short, or on the portal's origin (our own click). */
export function storedHop(raw: string, portalUrl: string = config.portalUrl): string {
  if (raw.length <= MAX_WHOLE_HOP_LENGTH) return raw;
  const url = parse(raw);
  if (!url) return raw.slice(0, MAX_REDUCED_URL_LENGTH); // not a URL: stand-down skips it
  const ours = url.origin === parse(portalUrl)?.origin;
  return ours && raw.length <= MAX_WHOLE_URL_LENGTH ? raw : reduced(url);
}

/** The URL itself up to `maxWhole` characters, else what stand-down reads of it. */
export function storedUrl(raw: string, maxWhole: number = MAX_WHOLE_URL_LENGTH): string {
  if (raw.length <= maxWhole) return raw;
  const url = parse(raw);
  return url ? reduced(url) : raw.slice(0, MAX_REDUCED_URL_LENGTH);
}

/** Scheme, host, and the query's parameter names with their short values, bounded. */
function reduced(url: URL): string {
  const base = `${url.protocol}//${url.host}/`;
  const kept = new URLSearchParams();
  let length = base.length + 1;
  for (const [name, value] of url.searchParams) {
    if (name.length > MAX_PARAM_PART_LENGTH) continue;
    const shortValue = value.length <= MAX_PARAM_PART_LENGTH ? value : '';
    const added = encodeURIComponent(name).length + encodeURIComponent(shortValue).length + 2;
    if (length + added > MAX_REDUCED_URL_LENGTH) break;
    kept.append(name, shortValue);
    length += added;
  }
  const query = kept.toString();
  return query ? `${base}?${query}` : base;
}

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}
