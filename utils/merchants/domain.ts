/**
 * Hostnames and domains as the merchant index compares them: lower-case ASCII (punycode), no
 * trailing dot, no port, never an IP literal.
 *
 * Two entry points, two budgets:
 * - `normaliseDomain` checks a domain of the portal's list once per sync; correctness first (URL
 *   parser, Public Suffix List through tldts).
 * - `findUrlHost` / `hostnameOfUrl` run on every visited URL, on the hot path of the matcher
 *   (≥ 2,000,000 lookups/s with parsing). Browsers hand us canonical URLs (`tab.url`,
 *   webNavigation), so a hand-written scanner handles the canonical ASCII form without allocating
 *   and defers everything unusual (upper case, `%`, `\`, non-ASCII, odd slashes) to `new URL`.
 *
 * No browser API and no build config here: the benchmark imports this module under plain Node.
 */
import { getDomain } from 'tldts';

export type DomainResult = { ok: true; domain: string } | { ok: false; reason: string };

// A path, query, fragment, port, user info, IPv6 bracket, percent-escape, space or control.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NOT_A_BARE_HOST = /[\s/\\?#@:%[\]\u0000-\u001f\u007f]/;
// What the URL parser lets through and DNS names use (underscores exist in the wild).
const LABEL = /^[a-z0-9_-]{1,63}$/;
// Private domains count: `github.io` or `blogspot.com` are suffixes under which anyone registers.
// `extractHostname: false`: we pass a clean hostname already. Unknown TLDs (`localhost`) follow
// the PSL's default rule `*`, so `localhost` is a suffix and `shop.localhost` a valid domain.
const TLDTS_OPTIONS = { allowPrivateDomains: true, extractHostname: false } as const;

/**
 * The canonical form of a merchant domain from the portal, or why it is refused: not a bare
 * hostname, not a valid one, an IP address, or itself a public suffix (`com`, `co.uk`, `github.io`).
 */
export function normaliseDomain(raw: string): DomainResult {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, reason: 'empty domain' };
  const forbidden = NOT_A_BARE_HOST.exec(trimmed);
  if (forbidden) {
    return {
      ok: false,
      reason: `not a bare hostname: contains ${JSON.stringify(forbidden[0])} (path, port, user info or space)`,
    };
  }
  let host: string;
  try {
    host = new URL(`http://${trimmed}`).hostname;
  } catch {
    return { ok: false, reason: 'not a valid hostname' };
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (endsInNumber(host, 0, host.length)) return { ok: false, reason: 'an IP address' };
  if (host.length > 253) return { ok: false, reason: 'longer than 253 characters' };
  if (!host.split('.').every((label) => LABEL.test(label))) {
    return { ok: false, reason: 'not a valid hostname (empty, long or odd label)' };
  }
  if (getDomain(host, TLDTS_OPTIONS) === null) return { ok: false, reason: 'a public suffix' };
  return { ok: true, domain: host };
}

/** Where the host of a URL is: `text.slice(start, end)`, lower-case ASCII, no trailing dot. */
export interface HostSpan {
  text: string;
  start: number;
  end: number;
}

/**
 * Finds the matchable host of an http(s) URL and writes it into `span` (a caller-owned scratch
 * object, so that the common case allocates nothing). Returns false for any other scheme, an
 * invalid URL, or an IP literal (`127.0.0.1`, `[::1]`, and odd forms like `0x7f.1`).
 */
export function findUrlHost(url: string, span: HostSpan): boolean {
  // "http://" or "https://", lower case as browsers write them; anything else goes the slow way.
  let i: number;
  if (
    url.charCodeAt(0) === 104 && // h
    url.charCodeAt(1) === 116 && // t
    url.charCodeAt(2) === 116 && // t
    url.charCodeAt(3) === 112 // p
  ) {
    const c4 = url.charCodeAt(4);
    if (c4 === 58 /* : */) i = 5;
    else if (c4 === 115 /* s */ && url.charCodeAt(5) === 58) i = 6;
    else return findHostSlowly(url, span);
  } else {
    return isOtherScheme(url) ? false : findHostSlowly(url, span);
  }
  if (url.charCodeAt(i) !== 47 || url.charCodeAt(i + 1) !== 47) return findHostSlowly(url, span);
  i += 2;

  // The host, then maybe a port, then the end or / ? #. Anything else (user info, upper case, %,
  // \, non-ASCII…) goes to the URL parser. Sticky regexps scan about twice as fast as a loop.
  PLAIN_HOST.lastIndex = i;
  PLAIN_HOST.test(url);
  let end = PLAIN_HOST.lastIndex;
  let after = end;
  if (url.charCodeAt(end) === 58 /* : */) {
    PORT.lastIndex = end + 1;
    PORT.test(url);
    after = PORT.lastIndex;
    // Ports above 65535 make the URL invalid: leave 5-digit ports to the parser.
    if (after - end > 5) return findHostSlowly(url, span);
  }
  if (after < url.length && !isAuthorityEnd(url.charCodeAt(after))) {
    return findHostSlowly(url, span);
  }
  // "--" as in "xn--": the parser checks the punycode and refuses invalid labels.
  const doubleHyphen = url.lastIndexOf('--', end - 2);
  if (end === i || (doubleHyphen >= i && doubleHyphen < end)) return findHostSlowly(url, span);
  if (url.charCodeAt(end - 1) === 46 /* . */) end -= 1;
  if (end === i || endsInNumber(url, i, end)) return false;
  span.text = url;
  span.start = i;
  span.end = end;
  return true;
}

const PLAIN_HOST = /[a-z0-9.-]*/y;
const PORT = /[0-9]*/y;

function isAuthorityEnd(charCode: number): boolean {
  return charCode === 47 || charCode === 63 || charCode === 35; // / ? #
}

const scratch: HostSpan = { text: '', start: 0, end: 0 };

/** The normalised hostname of an http(s) URL, or null (other scheme, invalid, IP literal). */
export function hostnameOfUrl(url: string): string | null {
  if (!findUrlHost(url, scratch)) return null;
  const { text, start, end } = scratch;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function findHostSlowly(url: string, span: HostSpan): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  const host = parsed.hostname;
  let end = host.length;
  if (host.charCodeAt(end - 1) === 46) end -= 1;
  // The parser writes IPv6 in brackets and every IPv4 form as dotted decimal.
  if (end === 0 || host.charCodeAt(0) === 91 /* [ */ || endsInNumber(host, 0, end)) return false;
  span.text = host;
  span.start = 0;
  span.end = end;
  return true;
}

/** A scheme written in lower case that is not http(s) (`chrome:`, `about:`, `file:`…): no parsing. */
function isOtherScheme(url: string): boolean {
  const length = Math.min(url.length, 40);
  for (let i = 0; i < length; i++) {
    const c = url.charCodeAt(i);
    if (c === 58) return i > 0; // http(s) in lower case was handled by the caller
    const schemeChar =
      (c >= 97 && c <= 122) ||
      (i > 0 && ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46));
    if (!schemeChar) return false;
  }
  return false;
}

/**
 * The URL standard's "ends in a number" test: a host whose last label is decimal digits or
 * `0x` hex is parsed as an IPv4 address (or rejected), never looked up as a name.
 */
function endsInNumber(text: string, start: number, end: number): boolean {
  let labelStart = text.lastIndexOf('.', end - 1) + 1;
  if (labelStart < start) labelStart = start;
  if (labelStart === end) return false;
  let i = labelStart;
  let hex = false;
  if (end - i >= 2 && text.charCodeAt(i) === 48 && (text.charCodeAt(i + 1) | 0x20) === 120) {
    hex = true;
    i += 2;
  }
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    if (!digit && !(hex && ((c >= 97 && c <= 102) || (c >= 65 && c <= 70)))) return false;
  }
  return true;
}
