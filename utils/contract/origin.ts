/**
 * Where a portal may live (docs/portal-api.md "Rules"): `https:`, or plain `http:` on a loopback
 * host for development. The build checks the configured portal URL with it and the background the
 * portal's redirect URL, so it imports nothing: the bundles take it without the build's code.
 */
export function isSecurePortalUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** localhost, *.localhost, 127.x.x.x and [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}

/**
 * The URL if it is on the portal's own origin (and secure by the rule above), else undefined. The
 * extension pages load logos and open links only through it: another host would learn each time
 * the member looks (the pages' CSP, wxt.config.ts, allows no other host either).
 */
export function onPortalOrigin(raw: string | undefined, portalUrl: string): string | undefined {
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    return isSecurePortalUrl(url) && url.origin === new URL(portalUrl).origin
      ? url.href
      : undefined;
  } catch {
    return undefined;
  }
}
