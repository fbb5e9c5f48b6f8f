/**
 * Small helpers shared by the routes: the error body of the contract, reading a JSON body through
 * a zod schema (errors as values), links to the other hosts this server plays.
 */
import type { Context } from 'hono';
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
