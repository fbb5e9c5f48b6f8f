/**
 * The only code that talks to the portal (docs/portal-api.md). Every call returns a
 * `PortalResult`: errors are values, sorted into the few kinds the UI explains differently.
 * Every response body is read under a size cap and a deadline, then validated with the
 * contract schemas before anyone sees it. Nothing a portal sends makes these functions throw.
 */
import type { z } from 'zod';
import {
  API,
  CagnotteSchema,
  ClaimListSchema,
  ClaimSchema,
  ClickResponseSchema,
  IDEMPOTENCY_KEY_HEADER,
  ErrorBodySchema,
  LoginResponseSchema,
  PAGE_CURSOR_PARAM,
  PayoutOptionsSchema,
  PayoutPageSchema,
  PayoutSchema,
  MERCHANT_LIST_MAX_BYTES,
  SINCE_PARAM,
  UserSchema,
  type Cagnotte,
  type Claim,
  type ClaimList,
  type ClaimRequest,
  type ClickRequest,
  type ClickResponse,
  type LoginRequest,
  type LoginResponse,
  type Payout,
  type PayoutOptions,
  type PayoutPage,
  type PayoutRequest,
  type User,
} from './schemas';

/** ~25 MB of JSON at 100,000 merchants: past this, a portal's mistake or an attack. */
export const MAX_LIST_BYTES = MERCHANT_LIST_MAX_BYTES;
/** Every other answer is a few kB (the cagnotte: 50 transactions at most). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
/** An error's body only tells us its code. */
const MAX_ERROR_BYTES = 64 * 1024;
/** The contract's limit for an ETag (docs/portal-api.md): a longer one is no ETag. */
const MAX_ETAG_LENGTH = 512;
/** Visible ASCII and spaces: what a request header can carry as it is, no line break. */
const ETAG_CHARACTERS = /^[\x20-\x7e]+$/;

/**
 * An ETag we keep and send back in `If-None-Match`, or null. Checked both ways: when the portal
 * sends it, and again when it is sent (a database written by an earlier version, or tampered
 * with): an ETag a header cannot carry would make every later sync throw, and an absurd one
 * would make it grow every request. Without one, the next sync downloads the whole list.
 */
function usableEtag(etag: string | null | undefined): string | null {
  if (!etag || etag.length > MAX_ETAG_LENGTH || !ETAG_CHARACTERS.test(etag)) return null;
  return etag;
}

export type PortalError =
  /** The portal could not be reached (offline, DNS, refused, blocked by another extension). */
  | { kind: 'network'; message: string }
  /** No complete answer in time: slow headers or a body that trickles. */
  | { kind: 'timeout' }
  /** 401: the token (if any) is no longer valid, or the credentials are wrong. */
  | { kind: 'unauthorized'; code: string }
  /** Any other non-2xx answer, a redirect included (code `redirect_refused`). */
  | { kind: 'http'; status: number; code: string; message?: string; retryAfterMs?: number }
  /** A 2xx answer whose body is not what the contract says (not JSON, wrong shape). */
  | { kind: 'invalid-response'; message: string }
  /** A body over its cap, refused while it streamed in (`limit` in bytes). */
  | { kind: 'too-large'; limit: number };

export type PortalResult<T> = { ok: true; value: T } | { ok: false; error: PortalError };

export type MerchantListResponse =
  { notModified: true } | { notModified: false; etag: string | null; body: unknown };

/** The changes since a version, unvalidated (utils/merchants/list.ts validates them). */
export interface MerchantChangesResponse {
  body: unknown;
}

export interface PortalClientOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** Per request, headers and body; the merchant list has its own, longer budget. */
  timeoutMs?: number;
  listTimeoutMs?: number;
  /** Caps on the decoded body (tests lower them). */
  maxListBytes?: number;
  maxResponseBytes?: number;
  /** The clock a `Retry-After` date is read against. */
  now?: () => number;
}

export type PortalClient = ReturnType<typeof createPortalClient>;

/** An answer whose body is still to be read, under the same deadline as its headers. */
interface Answer {
  response: Response;
  signal: AbortSignal;
}

export function createPortalClient(options: PortalClientOptions) {
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 15_000;
  const listTimeoutMs = options.listTimeoutMs ?? 60_000;
  const maxListBytes = options.maxListBytes ?? MAX_LIST_BYTES;
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const now = options.now ?? (() => Date.now());

  async function request(
    path: string,
    init: RequestInit & { token?: string; timeout?: number } = {},
  ): Promise<PortalResult<Answer>> {
    const headers = new Headers(init.headers);
    headers.set('Accept', 'application/json');
    if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
    if (init.body !== undefined) headers.set('Content-Type', 'application/json');
    const signal = AbortSignal.timeout(init.timeout ?? timeoutMs);
    let response: Response;
    try {
      response = await fetchImpl(`${options.baseUrl}${path}`, {
        ...init,
        headers,
        // The API never redirects: a portal that sends us elsewhere is not our portal. `manual`
        // (not `error`) so that the options page can say so rather than "unreachable".
        redirect: 'manual',
        credentials: 'omit',
        signal,
      });
    } catch (error) {
      return { ok: false, error: thrownError(error, signal) };
    }
    if (isRedirect(response)) {
      discard(response);
      return {
        ok: false,
        error: {
          kind: 'http',
          status: response.status,
          code: 'redirect_refused',
          message: 'the portal redirected the request elsewhere',
        },
      };
    }
    if (response.ok || response.status === 304) return { ok: true, value: { response, signal } };
    return { ok: false, error: await errorOf(response, signal, now()) };
  }

  async function json<S extends z.ZodType>(
    result: PortalResult<Answer>,
    schema: S,
  ): Promise<PortalResult<z.infer<S>>> {
    if (!result.ok) return result;
    const body = await readJson(result.value, maxResponseBytes);
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
      if (!result.ok) return result;
      discard(result.value.response);
      return { ok: true, value: undefined };
    },

    me(token: string): Promise<PortalResult<User>> {
      return request(API.me, { token }).then((r) => json(r, UserSchema));
    },

    /**
     * The body is returned unvalidated: the merchant-list module validates entry by entry. The
     * list is public and cacheable by a CDN (docs/cdn.md), but the browser's cache is kept out
     * (`no-store`): the extension holds the list and its ETag itself, so "Sync now" always asks
     * the portal, and a 304 reaches us as a 304 rather than as the browser's stored copy.
     */
    async merchants(etag?: string | null): Promise<PortalResult<MerchantListResponse>> {
      const sent = usableEtag(etag);
      const headers: Record<string, string> = sent ? { 'If-None-Match': sent } : {};
      const result = await request(API.merchants, {
        headers,
        timeout: listTimeoutMs,
        cache: 'no-store',
      });
      if (!result.ok) return result;
      const { response } = result.value;
      if (response.status === 304) {
        discard(response);
        return { ok: true, value: { notModified: true } };
      }
      const body = await readJson(result.value, maxListBytes);
      if (!body.ok) return body;
      return {
        ok: true,
        value: {
          notModified: false,
          // An absurd ETag is no ETag: the next sync downloads the whole list again.
          etag: usableEtag(response.headers.get('ETag')),
          body: body.value,
        },
      };
    },

    /**
     * The changes since the list `since` (docs/portal-api.md §2b). Public and cacheable by any
     * CDN: the browser revalidates its own copy (`no-cache`), so "Sync now" never reads a stale
     * one from the browser's cache. Errors as values, like the rest: the sync decides.
     */
    async merchantChanges(since: string): Promise<PortalResult<MerchantChangesResponse>> {
      const query = `?${SINCE_PARAM}=${encodeURIComponent(since)}`;
      const result = await request(`${API.merchantChanges}${query}`, {
        timeout: listTimeoutMs,
        cache: 'no-cache',
      });
      if (!result.ok) return result;
      if (result.value.response.status === 304) {
        // Only an answer to a condition we did not send: not the changes.
        discard(result.value.response);
        return { ok: false, error: { kind: 'invalid-response', message: 'unexpected 304' } };
      }
      const body = await readJson(result.value, maxListBytes);
      return body.ok ? { ok: true, value: { body: body.value } } : body;
    },

    createClick(token: string, click: ClickRequest): Promise<PortalResult<ClickResponse>> {
      return request(API.clicks, { method: 'POST', token, body: JSON.stringify(click) }).then((r) =>
        json(r, ClickResponseSchema),
      );
    },

    cagnotte(token: string): Promise<PortalResult<Cagnotte>> {
      return request(API.cagnotte, { token }).then((r) => json(r, CagnotteSchema));
    },

    /** What may be withdrawn and how (docs/portal-api.md §5); a 404 is an older portal. */
    payoutOptions(token: string): Promise<PortalResult<PayoutOptions>> {
      return request(API.payoutOptions, { token }).then((r) => json(r, PayoutOptionsSchema));
    },

    /**
     * Asks for a payout. `key` is the Idempotency-Key: sent again with the same key, the request
     * is answered as the first one was, and never pays twice.
     */
    requestPayout(
      token: string,
      payout: PayoutRequest,
      key: string,
    ): Promise<PortalResult<Payout>> {
      return request(API.payouts, {
        method: 'POST',
        token,
        headers: { [IDEMPOTENCY_KEY_HEADER]: key },
        body: JSON.stringify(payout),
      }).then((r) => json(r, PayoutSchema));
    },

    /** The member's payouts, newest first, a page at a time (`cursor`: the previous `nextCursor`). */
    payouts(token: string, cursor?: string | null): Promise<PortalResult<PayoutPage>> {
      const query = cursor ? `?${PAGE_CURSOR_PARAM}=${encodeURIComponent(cursor)}` : '';
      return request(`${API.payouts}${query}`, { token }).then((r) => json(r, PayoutPageSchema));
    },

    /** The member's claims (since 1.3: an older portal answers 404). */
    claims(token: string): Promise<PortalResult<ClaimList>> {
      return request(API.claims, { token }).then((r) => json(r, ClaimListSchema));
    },

    /**
     * Files a claim. `idempotencyKey` is the same for every retry of one claim: a retry after a
     * lost answer gets the claim already made, never a second one.
     */
    createClaim(
      token: string,
      claim: ClaimRequest,
      idempotencyKey: string,
    ): Promise<PortalResult<Claim>> {
      return request(API.claims, {
        method: 'POST',
        token,
        headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
        body: JSON.stringify(claim),
      }).then((r) => json(r, ClaimSchema));
    },
  };
}

async function readJson(
  { response, signal }: Answer,
  limit: number,
): Promise<PortalResult<unknown>> {
  const type = response.headers.get('Content-Type');
  if (type !== null && !isJsonType(type)) {
    discard(response);
    // A captive portal's or a proxy's HTML page served with a 200.
    return {
      ok: false,
      error: {
        kind: 'invalid-response',
        message: `not JSON (Content-Type: ${type.slice(0, 100)})`,
      },
    };
  }
  const text = await readText(response, limit, signal);
  if (!text.ok) return text;
  try {
    // V8's JSON.parse is not recursive: 10,000 nested arrays do not overflow the stack.
    return { ok: true, value: JSON.parse(text.value) };
  } catch (error) {
    return {
      ok: false,
      error: {
        kind: 'invalid-response',
        message: `not JSON (${describeThrown(error).slice(0, 200)})`,
      },
    };
  }
}

/**
 * The body as text, counted as it streams: refused as soon as it passes `limit` (a declared
 * Content-Length over it is refused before reading), and given up when `signal` fires, even
 * against a fetch that would not abort its own body.
 */
async function readText(
  response: Response,
  limit: number,
  signal: AbortSignal,
): Promise<PortalResult<string>> {
  const tooLarge = { ok: false, error: { kind: 'too-large', limit } } as const;
  const declared = Number(response.headers.get('Content-Length'));
  // With Content-Encoding this counts compressed bytes: over the cap compressed, over it decoded.
  if (declared > limit) {
    discard(response);
    return tooLarge;
  }
  if (!response.body) return { ok: true, value: '' };
  if (signal.aborted) {
    discard(response);
    return { ok: false, error: { kind: 'timeout' } };
  }
  const reader = response.body.getReader();
  let onAbort = () => undefined as void;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), aborted]);
      if (next === 'aborted') {
        reader.cancel().catch(() => undefined);
        return { ok: false, error: { kind: 'timeout' } };
      }
      if (next.done) break;
      size += next.value.byteLength;
      if (size > limit) {
        reader.cancel().catch(() => undefined);
        return tooLarge;
      }
      parts.push(decoder.decode(next.value, { stream: true }));
    }
  } catch (error) {
    return { ok: false, error: thrownError(error, signal) };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  parts.push(decoder.decode());
  return { ok: true, value: parts.join('') };
}

async function errorOf(response: Response, signal: AbortSignal, now: number): Promise<PortalError> {
  let code = `http_${response.status}`;
  let message: string | undefined;
  const text = await readText(response, MAX_ERROR_BYTES, signal);
  if (text.ok) {
    try {
      const parsed = ErrorBodySchema.safeParse(JSON.parse(text.value));
      if (parsed.success) {
        code = parsed.data.error.code;
        message = parsed.data.error.message;
      }
    } catch {
      // An error page that is not JSON (a proxy's HTML page): the status says enough.
    }
  }
  if (response.status === 401) return { kind: 'unauthorized', code };
  const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), now);
  return {
    kind: 'http',
    status: response.status,
    code,
    ...(message === undefined ? {} : { message }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** `Retry-After` is either seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,10}$/.test(trimmed)) return Number(trimmed) * 1000;
  // Date.parse accepts "0" or "12"; an HTTP date always names its month.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isRedirect(response: Response): boolean {
  // A browser hides a manual redirect as an opaque response with status 0.
  return (
    response.type === 'opaqueredirect' ||
    (response.status >= 300 && response.status < 400 && response.status !== 304)
  );
}

function isJsonType(contentType: string): boolean {
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType);
}

function thrownError(error: unknown, signal: AbortSignal): PortalError {
  if (signal.aborted || (error instanceof DOMException && error.name === 'TimeoutError')) {
    return { kind: 'timeout' };
  }
  return { kind: 'network', message: describeThrown(error) };
}

/** `String(error)` throws for an object without a prototype: a rejection's value is anything. */
function describeThrown(error: unknown): string {
  try {
    return String(error).slice(0, 500);
  } catch {
    return 'fetch failed';
  }
}

/** Lets go of a body we will not read, so the connection is not held open. */
function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

function summariseIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) =>
      `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`.slice(0, 300),
    )
    .join('; ');
}
