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
