/**
 * Who may use the back office. The admin key is accepted in a header (`X-Admin-Key`, or
 * `Authorization: Bearer`), for scripts and tests, or typed once into the sign-in form, which
 * opens a session cookie for the browser. Never in a URL: URLs end up in the history, in logs and
 * in Referer headers.
 *
 * The cookie holds a random token (not the key), HttpOnly, SameSite=Strict, Path=/admin, Secure
 * when the portal is served over https; sessions live 12 hours, in memory (a restart signs the
 * admin out), at most 32 at a time. A state-changing request made with the cookie must come
 * from the portal's own pages (Origin, Sec-Fetch-Site): the cookie alone does not let another
 * site's page press the admin's buttons.
 */
import crypto from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Clock } from '../store/clock';
import { sameSecret } from '../secrets';

export const ADMIN_COOKIE = 'ristourne_admin';
export const ADMIN_SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const MAX_ADMIN_SESSIONS = 32;

const BEARER = /^Bearer\s+(\S{1,512})\s*$/i;

function tokenHash(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function createAdminSessions(now: Clock) {
  // Token hash → expiry (ms), oldest first.
  const sessions = new Map<string, number>();

  function sweep(): void {
    const at = now().getTime();
    for (const [hash, expiresAt] of sessions) if (expiresAt <= at) sessions.delete(hash);
  }

  return {
    /** A new session; the oldest one goes when there are too many. */
    open(): string {
      sweep();
      while (sessions.size >= MAX_ADMIN_SESSIONS) sessions.delete(sessions.keys().next().value!);
      const token = crypto.randomBytes(32).toString('base64url');
      sessions.set(tokenHash(token), now().getTime() + ADMIN_SESSION_TTL_MS);
      return token;
    },
    isOpen(token: string): boolean {
      const hash = tokenHash(token);
      const expiresAt = sessions.get(hash);
      if (expiresAt === undefined) return false;
      if (expiresAt > now().getTime()) return true;
      sessions.delete(hash);
      return false;
    },
    close(token: string): void {
      sessions.delete(tokenHash(token));
    },
    sweep,
  };
}

export type AdminSessions = ReturnType<typeof createAdminSessions>;

/** The key the request sends in a header (`X-Admin-Key` or `Authorization: Bearer`), if any. */
export function presentedKey(c: Context): string | undefined {
  return c.req.header('x-admin-key') ?? BEARER.exec(c.req.header('authorization') ?? '')?.[1];
}

/** How the request proves it is the admin: the key in a header, a session, or not at all. */
export function adminCredential(
  c: Context,
  adminKey: string,
  sessions: AdminSessions,
): 'key' | 'session' | undefined {
  const given = presentedKey(c);
  if (given !== undefined && sameSecret(given, adminKey)) return 'key';
  const token = getCookie(c, ADMIN_COOKIE);
  if (token && sessions.isOpen(token)) return 'session';
  return undefined;
}

/**
 * Whether a browser sent this request from another site's page: `Sec-Fetch-Site` says so, or
 * `Origin` is neither the request's own origin nor the portal's public one (behind an https
 * proxy, the request arrives as http).
 */
export function fromAnotherSite(c: Context, publicOrigin: string): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = c.req.header('origin');
  if (origin === undefined) return false;
  return origin !== new URL(c.req.url).origin && origin !== publicOrigin;
}
