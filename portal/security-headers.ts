/**
 * The security headers of every answer, set by one middleware at the top of each site the server
 * plays (portal, shops, networks, competitors):
 *
 * - HTML pages get a Content-Security-Policy under which only the page's own inline `<style>` and
 *   `<script>` run: they carry this answer's nonce (`cspNonce(c)`, passed to `page()`), which an
 *   injected element cannot know. Nothing else loads but same-origin images (the logos); forms
 *   post to the same origin only; no page can be framed (`frame-ancestors 'none'`, and
 *   `X-Frame-Options` for older browsers).
 * - `Referrer-Policy: strict-origin-when-cross-origin`, the browsers' own default, said out loud:
 *   a competing portal's page must still be seen as the referrer of a visit (stand-down), and the
 *   network hops must keep behaving as the real ones do.
 * - Every answer is `nosniff`; answers that are not pages get `default-src 'none'` (a JSON body or
 *   an SVG opened on its own runs nothing).
 *
 * A route that sets its own policy keeps it; a route marked `ownPolicy` (the shops' hostile pages,
 * which play someone else's page attacking the extension) gets none from us, with or without one
 * of its own.
 */
import crypto from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** This answer's CSP nonce. */
    cspNonce: string;
    /** The route answers for another site's page: its policy, or its lack of one, is its own. */
    ownPolicy: boolean;
  }
}

/**
 * The policy of our pages. `fetchesOwnOrigin`: the page's own script calls its server (a demo
 * shop that pays without leaving the page); no other page may connect anywhere.
 */
export function pagePolicy(nonce: string, options: { fetchesOwnOrigin?: boolean } = {}): string {
  return [
    "default-src 'none'",
    ...(options.fetchesOwnOrigin ? ["connect-src 'self'"] : []),
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const RESOURCE_POLICY = "default-src 'none'; frame-ancestors 'none'";

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    const nonce = crypto.randomBytes(18).toString('base64');
    c.set('cspNonce', nonce);
    await next();
    const headers = c.res.headers;
    const isPage = /^text\/html\b/i.test(headers.get('Content-Type') ?? '');
    if (!headers.has('Content-Security-Policy') && !c.get('ownPolicy')) {
      headers.set('Content-Security-Policy', isPage ? pagePolicy(nonce) : RESOURCE_POLICY);
    }
    headers.set('X-Content-Type-Options', 'nosniff');
    if (isPage) {
      headers.set('X-Frame-Options', 'DENY');
      headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    }
  };
}

/** The nonce the page's inline `<style>` and `<script>` must carry. */
export function cspNonce(c: Context): string {
  return c.get('cspNonce');
}

/** Marks the routes it is used on as answering for another site's pages (no policy from us). */
export function ownPolicy(): MiddlewareHandler {
  return async (c, next) => {
    c.set('ownPolicy', true);
    await next();
  };
}
