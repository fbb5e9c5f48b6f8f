/**
 * CORS for the extension's calls (docs/portal-api.md, "Cookies and CORS"). With host access to
 * all sites, the extension's requests are exempt from CORS; but the member can take that access
 * back (Chrome's "on click", Firefox's extensions panel), and Firefox can install an MV3
 * extension without it. The portal is then a cross-origin site like any other: without these
 * headers every call fails as a network error, sign-in and merchant list included.
 *
 * Only extension origins are answered: the API uses no cookies (bearer tokens only), so a web
 * page would gain nothing, but it has no reason to read the API either.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

/** `chrome-extension://<id>` (Chrome, Edge), `moz-extension://<uuid>`, `safari-web-extension://…` */
const EXTENSION_ORIGIN =
  /^(chrome-extension|moz-extension|safari-web-extension):\/\/[A-Za-z0-9._-]+$/;

export function isExtensionOrigin(origin: string): boolean {
  return EXTENSION_ORIGIN.test(origin);
}

export function extensionCors(): MiddlewareHandler {
  return cors({
    origin: (origin) => (isExtensionOrigin(origin) ? origin : null),
    allowMethods: ['GET', 'POST'],
    // What the extension sends (utils/contract/client.ts).
    allowHeaders: ['Authorization', 'Content-Type', 'If-None-Match', 'Idempotency-Key'],
    // What it reads beyond the headers every response exposes: the list's validator, and how
    // long to wait after a 429 or a 503.
    exposeHeaders: ['ETag', 'Retry-After'],
    maxAge: 600,
  });
}
