/**
 * Whether the extension may see the sites the member visits. The manifest asks for host access
 * to all sites, but the member can take it back at any time: Chrome and Edge's "site access"
 * (on click, or on some sites only), Firefox's extensions panel. Without it the extension cannot
 * read a tab's address, see a redirect chain or show the banner, so it must say so instead of
 * taking a merchant for an unknown site. Extension-internal: nothing here comes from pages.
 */
import { browser } from 'wxt/browser';

export const ALL_SITES = { origins: ['<all_urls>'] };

/** Host access to every site, as granted at install. */
export async function hasAllSitesAccess(): Promise<boolean> {
  return browser.permissions.contains(ALL_SITES);
}

/** Host access to the site of `url` (all sites, or this one among those the member allowed). */
export async function hasAccessTo(url: string): Promise<boolean> {
  const pattern = sitePattern(url);
  // Not a web page: host access does not apply, the caller treats it as unsupported.
  if (!pattern) return true;
  try {
    return await browser.permissions.contains({ origins: [pattern] });
  } catch {
    // A pattern the browser refuses says nothing about access: do not cry wolf.
    return true;
  }
}

/**
 * Asks the member to give host access to all sites back. It needs a user gesture, so it must be
 * called in the click handler of an extension page (the popup, the options page), before any
 * other `await`; the background cannot. Requesting a host permission already in the manifest
 * needs no `optional_host_permissions`: Chrome re-grants what the member withheld, Firefox what
 * they removed. Resolves to whether access is now granted.
 */
export function requestAllSitesAccess(): Promise<boolean> {
  return browser.permissions.request(ALL_SITES);
}

/** Calls `listener` whenever the member grants or withdraws host access; returns the unsubscribe. */
export function onHostAccessChange(listener: () => void): () => void {
  const onChange = (permissions: { origins?: string[] }) => {
    if (permissions.origins?.length) listener();
  };
  browser.permissions.onAdded.addListener(onChange);
  browser.permissions.onRemoved.addListener(onChange);
  return () => {
    browser.permissions.onAdded.removeListener(onChange);
    browser.permissions.onRemoved.removeListener(onChange);
  };
}

/**
 * `scheme://host/*` for a web page's URL, without the port: Firefox refuses a port in a match
 * pattern, and Chrome's pattern without one covers every port.
 */
export function sitePattern(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return `${parsed.protocol}//${parsed.hostname}/*`;
}
