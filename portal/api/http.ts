/**
 * Small helpers shared by the routes: the error body of the contract, reading a JSON body through
 * a zod schema (errors as values), the client's address, throttled and busy answers, links to the
 * other hosts this server plays.
 */
import type { Context } from 'hono';
import { addressKey } from './throttle';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { ErrorBody } from '../../utils/contract/schemas';

export function errorJson(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
): Response {
  const body: ErrorBody = { error: { code, message } };
  return c.json(body, status);
}

export function unauthorized(
  c: Context,
  message = 'Session absente, inconnue ou expirée : reconnectez-vous.',
) {
  return errorJson(c, 401, 'unauthorized', message);
}

export type BodyResult<T> = { ok: true; data: T } | { ok: false; response: Response };

/**
 * Parses the request body as JSON and validates it. Whatever the Content-Type: the extension sends
 * JSON, and a wrong header is not worth a different error than a wrong body.
 */
export async function readJson<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<BodyResult<z.output<S>>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    return {
      ok: false,
      response: errorJson(
        c,
        400,
        'invalid_json',
        'Le corps de la requête n’est pas du JSON valide.',
      ),
    };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      response: errorJson(
        c,
        400,
        'invalid_request',
        `Requête invalide : ${describeIssues(parsed.error)}`,
      ),
    };
  }
  return { ok: true, data: parsed.data };
}

export function describeIssues(error: z.ZodError): string {
  return z.prettifyError(error).slice(0, 2000);
}

/** The port of the request's Host header, for links to the other hosts this server plays. */
export function hostPort(c: Context): string {
  return new URL(c.req.url).port;
}

/** `http://<host>[:port]` on the same port as the request. */
export function sibling(c: Context, host: string): string {
  const port = hostPort(c);
  return `http://${host}${port ? `:${port}` : ''}`;
}

/**
 * The key of the client's address (throttle.ts): the socket's peer. Behind a reverse proxy every
 * request would share the proxy's address; this portal trusts no forwarding header.
 */
export function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return addressKey(env?.incoming?.socket?.remoteAddress);
}

/** `Retry-After` in whole seconds, at least 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** "dans 15 min", "dans 40 s": when to try again, for a person. */
export function waitText(ms: number): string {
  const seconds = retryAfterSeconds(ms);
  return seconds < 60 ? `dans ${seconds} s` : `dans ${Math.ceil(seconds / 60)} min`;
}

/** 429 `too_many_requests` with `Retry-After`. */
export function tooManyRequests(c: Context, retryAfterMs: number, what: string): Response {
  c.header('Retry-After', String(retryAfterSeconds(retryAfterMs)));
  c.header('Cache-Control', 'no-store');
  return errorJson(c, 429, 'too_many_requests', `${what} : réessayez ${waitText(retryAfterMs)}.`);
}

/** How long a client told the portal is busy (too many password hashes) should wait. */
export const BUSY_RETRY_AFTER_S = 5;

/** 503 `unavailable`: too many password hashes running and waiting. */
export function busy(c: Context): Response {
  c.header('Retry-After', String(BUSY_RETRY_AFTER_S));
  return errorJson(c, 503, 'unavailable', 'Le portail est très sollicité : réessayez un instant.');
}
