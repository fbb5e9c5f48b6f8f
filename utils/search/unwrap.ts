/**
 * Where a search result's link really goes. Engines wrap some result links in a redirect of
 * their own (to count the click); the merchant is the redirect's target:
 *
 *   Google      https://www.google.fr/url?q=<target>&sa=U&ved=…   (pages without script)
 *               https://www.google.fr/url?sa=t&url=<target>&…     (the link once clicked)
 *   Bing        https://www.bing.com/ck/a?!&&p=…&u=a1<base64url of the target>&ntb=1
 *   DuckDuckGo  //duckduckgo.com/l/?uddg=<target, percent-encoded>&rut=…   (no-script page)
 *
 * Qwant and Ecosia link results directly. Ads go through the engines' ad click hosts
 * (googleadservices.com/pagead/aclk, bing.com/aclk, duckduckgo.com/y.js): those are never a
 * result, whatever they wrap. Pure, so that the tables of tests/unit/search/unwrap.test.ts hold
 * every form; the content script runs it on each result link, in the page.
 */

/** How many redirects deep a target is looked for (an engine's redirect to another one's). */
const MAX_DEPTH = 2;
/** Longer addresses are not results a member reads (and base64 of them is costly to decode). */
const MAX_URL_LENGTH = 4096;

/**
 * The target of a result link: an absolute http(s) URL, or null when the link leads nowhere we
 * could match (an ad's click host, another scheme, a malformed redirect).
 */
export function unwrapResultUrl(href: string, depth = 0): string | null {
  if (href.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase();
  if (isAdClick(host, url.pathname)) return null;
  const target = redirectTarget(host, url);
  if (target === undefined) return url.href;
  if (target === null || depth >= MAX_DEPTH) return null;
  return unwrapResultUrl(target, depth + 1);
}

/** A result link's target and the target's hostname, or null (see unwrapResultUrl). */
export function resultTarget(href: string): { target: string; hostname: string } | null {
  const target = unwrapResultUrl(href);
  if (target === null) return null;
  const hostname = new URL(target).hostname;
  // IP addresses and single labels are never merchants (utils/merchants/domain.ts).
  const named = hostname.includes('.') && !/^[\d.]+$/.test(hostname) && !hostname.startsWith('[');
  return named ? { target, hostname } : null;
}

/**
 * undefined: not a redirect of an engine (the link is the target); null: an engine's redirect
 * without a readable target; else the target as written in the redirect.
 */
function redirectTarget(host: string, url: URL): string | null | undefined {
  const params = url.searchParams;
  if (isGoogleHost(host) && url.pathname === '/url') {
    return params.get('q') || params.get('url') || null;
  }
  if (isBingHost(host) && url.pathname === '/ck/a') {
    const encoded = params.get('u');
    return encoded?.startsWith('a1') ? decodeBase64Url(encoded.slice(2)) : null;
  }
  if (isDuckDuckGoHost(host) && url.pathname === '/l/') {
    return params.get('uddg') || null;
  }
  return undefined;
}

function isAdClick(host: string, path: string): boolean {
  return (
    host === 'www.googleadservices.com' ||
    host === 'googleadservices.com' ||
    (isGoogleHost(host) && path.startsWith('/aclk')) ||
    (isBingHost(host) && path.startsWith('/aclk')) ||
    (isDuckDuckGoHost(host) && path === '/y.js')
  );
}

/** www.google.fr, www.google.co.uk, google.com… (the engine's own redirect host). */
function isGoogleHost(host: string): boolean {
  return /^(?:www\.)?google(?:\.[a-z]{2,3}){1,2}$/.test(host);
}

function isBingHost(host: string): boolean {
  return host === 'www.bing.com' || host === 'bing.com';
}

function isDuckDuckGoHost(host: string): boolean {
  return host === 'duckduckgo.com' || host === 'html.duckduckgo.com';
}

/** Base64url (or base64) without padding, to UTF-8 text; null when it is not base64. */
function decodeBase64Url(encoded: string): string | null {
  const base64 = encoded.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return null;
  try {
    const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
