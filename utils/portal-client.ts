/**
 * The only code that talks to the portal (shared/portal-api.md). Every call returns a
 * `PortalResult`: errors are values, sorted into the few kinds the UI explains differently.
 * Every response body is validated with the contract schemas before anyone sees it.
 */
import type { z } from 'zod';
import {
  API,
  CagnotteSchema,
  ClickResponseSchema,
  ErrorBodySchema,
  LoginResponseSchema,
  UserSchema,
  type Cagnotte,
  type ClickRequest,
  type ClickResponse,
  type LoginRequest,
  type LoginResponse,
  type User,
} from './contract';

export type PortalError =
  /** The portal could not be reached (offline, DNS, refused, blocked by another extension). */
  | { kind: 'network'; message: string }
  | { kind: 'timeout' }
  /** 401: the token (if any) is no longer valid, or the credentials are wrong. */
  | { kind: 'unauthorized'; code: string }
  /** Any other non-2xx answer. */
  | { kind: 'http'; status: number; code: string; message?: string; retryAfterMs?: number }
  /** A 2xx answer whose body is not what the contract says. */
  | { kind: 'invalid-response'; message: string };

export type PortalResult<T> = { ok: true; value: T } | { ok: false; error: PortalError };

export type MerchantListResponse =
  { notModified: true } | { notModified: false; etag: string | null; body: unknown };

export interface PortalClientOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** Per request; the merchant list has its own, longer budget. */
  timeoutMs?: number;
  listTimeoutMs?: number;
}

export type PortalClient = ReturnType<typeof createPortalClient>;

export function createPortalClient(options: PortalClientOptions) {
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 15_000;
  const listTimeoutMs = options.listTimeoutMs ?? 60_000;

  async function request(
    path: string,
    init: RequestInit & { token?: string; timeout?: number } = {},
  ): Promise<PortalResult<Response>> {
    const headers = new Headers(init.headers);
    headers.set('Accept', 'application/json');
    if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
    if (init.body !== undefined) headers.set('Content-Type', 'application/json');
    let response: Response;
    try {
      response = await fetchImpl(`${options.baseUrl}${path}`, {
        ...init,
        headers,
        // A portal that redirects elsewhere is not our portal.
        redirect: 'error',
        credentials: 'omit',
        signal: AbortSignal.timeout(init.timeout ?? timeoutMs),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        return { ok: false, error: { kind: 'timeout' } };
      }
      return { ok: false, error: { kind: 'network', message: String(error) } };
    }
    if (response.ok || response.status === 304) return { ok: true, value: response };
    return { ok: false, error: await errorOf(response) };
  }

  async function json<S extends z.ZodType>(
    result: PortalResult<Response>,
    schema: S,
  ): Promise<PortalResult<z.infer<S>>> {
    if (!result.ok) return result;
    const body = await readJson(result.value);
    if (!body.ok) return body;
    const parsed = schema.safeParse(body.value);
    if (!parsed.success) {
      return {
        ok: false,
        error: { kind: 'invalid-response', message: summariseIssues(parsed.error) },
      };
    }
    return { ok: true, value: parsed.data };
  }

  return {
    login(credentials: LoginRequest): Promise<PortalResult<LoginResponse>> {
      return request(API.login, { method: 'POST', body: JSON.stringify(credentials) }).then((r) =>
        json(r, LoginResponseSchema),
      );
    },

    async logout(token: string): Promise<PortalResult<void>> {
      const result = await request(API.logout, { method: 'POST', token });
      return result.ok ? { ok: true, value: undefined } : result;
    },

    me(token: string): Promise<PortalResult<User>> {
      return request(API.me, { token }).then((r) => json(r, UserSchema));
    },

    /** The body is returned unvalidated: the merchant-list module validates entry by entry. */
    async merchants(etag?: string | null): Promise<PortalResult<MerchantListResponse>> {
      const headers: Record<string, string> = etag ? { 'If-None-Match': etag } : {};
      const result = await request(API.merchants, { headers, timeout: listTimeoutMs });
      if (!result.ok) return result;
      if (result.value.status === 304) return { ok: true, value: { notModified: true } };
      const body = await readJson(result.value);
      if (!body.ok) return body;
      return {
        ok: true,
        value: { notModified: false, etag: result.value.headers.get('ETag'), body: body.value },
      };
    },

    createClick(token: string, click: ClickRequest): Promise<PortalResult<ClickResponse>> {
      return request(API.clicks, { method: 'POST', token, body: JSON.stringify(click) }).then((r) =>
        json(r, ClickResponseSchema),
      );
    },

    cagnotte(token: string): Promise<PortalResult<Cagnotte>> {
      return request(API.cagnotte, { token }).then((r) => json(r, CagnotteSchema));
    },
  };
}

async function readJson(response: Response): Promise<PortalResult<unknown>> {
  try {
    return { ok: true, value: await response.json() };
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      return { ok: false, error: { kind: 'timeout' } };
    }
    return {
      ok: false,
      error: { kind: 'invalid-response', message: `not JSON (${String(error)})` },
    };
  }
}

async function errorOf(response: Response): Promise<PortalError> {
  let code = `http_${response.status}`;
  let message: string | undefined;
  try {
    const parsed = ErrorBodySchema.safeParse(await response.json());
    if (parsed.success) {
      code = parsed.data.error.code;
      message = parsed.data.error.message;
    }
  } catch {
    // An error page that is not JSON (a proxy's HTML page): the status says enough.
  }
  if (response.status === 401) return { kind: 'unauthorized', code };
  const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'));
  return {
    kind: 'http',
    status: response.status,
    code,
    ...(message === undefined ? {} : { message }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** `Retry-After` is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function summariseIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
