/**
 * Faults the reference portal can be told to play on its API (through the admin API), so that
 * end-to-end tests show the extension staying quiet and usable when a real portal misbehaves,
 * while the demo shops, served by the same process, stay up. Also counts the merchant list's
 * answers, so tests can tell a download from a 304 or from no request at all.
 */
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { MERCHANT_LIST_MAX_BYTES } from '../../utils/contract/schemas';
import { errorJson } from '../api/http';

/** `slow-body`: one byte this often, far slower than any client's deadline allows. */
export const SLOW_BODY_INTERVAL_MS = 500;

export const ApiFaultSchema = z.enum([
  'unavailable',
  'invalid-json',
  'not-a-list',
  'hang',
  'too-large',
  'slow-body',
  'retry-after',
  'redirect-other-origin',
  'html-error',
]);
export type ApiFault = z.infer<typeof ApiFaultSchema>;

/**
 * Faults of the changes route alone (docs/portal-api.md §2b), on top of `api`: what a portal, a
 * proxy or a CDN that gets deltas wrong would send. The whole list stays served as it is.
 */
export const ChangesFaultSchema = z.enum([
  /** 404, as a portal without the route. */
  'unsupported',
  /** 410 `version_too_old` for any version. */
  'gone',
  /** The whole list instead of the changes (a proxy that drops the path's end). */
  'whole-list',
  /** Changes that start from another version than the one asked. */
  'wrong-base',
  /** Changes that remove an id no list ever had, beside the real ones. */
  'unknown-removal',
]);
export type ChangesFault = z.infer<typeof ChangesFaultSchema>;

/** How the demo network's hop hands the member's own clicks on to the merchant (network.ts). */
export const NetworkHopSchema = z.enum(['redirect', 'meta-refresh', 'script']);
export type NetworkHop = z.infer<typeof NetworkHopSchema>;

/** Whether the demo network reports the shops' sales to the portal, or loses them (a lost sale). */
export const PostbacksSchema = z.enum(['deliver', 'drop']);
export type Postbacks = z.infer<typeof PostbacksSchema>;

export const FaultsSchema = z.object({
  api: ApiFaultSchema.nullable(),
  changes: ChangesFaultSchema.nullable().default(null),
  networkHop: NetworkHopSchema.default('redirect'),
  postbacks: PostbacksSchema.default('deliver'),
  /**
   * Play a portal of Portal API 1.0: no claims routes (404), and neither the merchants' order
   * terms nor the transactions' expected confirmation in what the API serves.
   */
  legacyPortal: z.boolean().default(false),
});
export type Faults = z.infer<typeof FaultsSchema>;

export interface MerchantListStats {
  /** 200 answers with the whole list. */
  downloads: number;
  /** 304 answers: the client's copy was current. */
  notModified: number;
  /** 200 answers of the changes route (a delta, empty or not). */
  changes: number;
  /** Of those, the deltas that changed something. */
  changesApplied: number;
  /** 304 answers of the changes route. */
  changesNotModified: number;
  /** 410 answers of the changes route: a version too old or unknown. */
  changesGone: number;
}

export interface FaultState {
  faults: Faults;
  stats: MerchantListStats;
}

export function createFaultState(): FaultState {
  return {
    faults: {
      api: null,
      changes: null,
      networkHop: 'redirect',
      postbacks: 'deliver',
      legacyPortal: false,
    },
    stats: {
      downloads: 0,
      notModified: 0,
      changes: 0,
      changesApplied: 0,
      changesNotModified: 0,
      changesGone: 0,
    },
  };
}

/** Applies the current fault to every `/api/v1/*` call. */
export function apiFaults(state: FaultState): MiddlewareHandler {
  return async (c, next) => {
    switch (state.faults.api) {
      case null:
        return next();
      case 'unavailable':
        c.header('Retry-After', '120');
        return errorJson(c, 503, 'unavailable', 'Maintenance en cours.');
      case 'invalid-json':
        return c.body('{"version": "2026-', 200, { 'Content-Type': 'application/json' });
      case 'not-a-list':
        return c.html('<html><body><h1>Bienvenue</h1></body></html>', 200);
      case 'hang':
        // Never answers within any client's timeout; ends when the client gives up.
        await new Promise<void>((resolve) =>
          c.req.raw.signal.addEventListener('abort', () => resolve()),
        );
        return c.body(null, 504);
      case 'too-large':
        // Chunked, no Content-Length: only a client that counts while reading can refuse it.
        return c.body(oversizedList(), 200, { 'Content-Type': 'application/json' });
      case 'slow-body':
        return c.body(trickle(state), 200, { 'Content-Type': 'application/json' });
      case 'retry-after':
        // An HTTP date this time (`unavailable` sends seconds).
        c.header('Retry-After', new Date(Date.now() + 10 * 60_000).toUTCString());
        return errorJson(c, 429, 'too_many_requests', 'Trop de requêtes, réessayez plus tard.');
      case 'redirect-other-origin': {
        const url = new URL(c.req.url);
        return c.redirect(
          `${url.protocol}//elsewhere.localhost:${url.port || 80}${url.pathname}`,
          302,
        );
      }
      case 'html-error':
        // A proxy's or a CDN's error page, served as a success.
        return c.html('<!doctype html><title>Erreur</title><h1>Une erreur est survenue</h1>', 200);
    }
  };
}

/**
 * A merchant list that would be valid, streamed past the extension's cap
 * (MERCHANT_LIST_MAX_BYTES): made chunk by chunk as the client reads, so it costs no memory.
 */
function oversizedList(): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const total = MERCHANT_LIST_MAX_BYTES + 1024 * 1024;
  let sent = 0;
  let id = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) {
        controller.enqueue(
          encoder.encode(
            `{"id":"last","name":"Last","domains":["last.example"],"cashback":{"type":"percent","value":1}}]}`,
          ),
        );
        controller.close();
        return;
      }
      let chunk = sent === 0 ? '{"version":"too-large","merchants":[' : '';
      while (chunk.length < 64 * 1024) {
        id += 1;
        chunk += `{"id":"m${id}","name":"M ${id}","domains":["m${id}.example"],"cashback":{"type":"percent","value":1}},`;
      }
      const bytes = encoder.encode(chunk);
      sent += bytes.byteLength;
      controller.enqueue(bytes);
    },
  });
}

/** The list's first bytes, then one more every half second; cut short once the fault is cleared. */
function trickle(state: FaultState): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const text = '{"version":"slow","merchants":[' + ' '.repeat(10_000);
  let offset = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(text.slice(0, 32)));
      offset = 32;
      timer = setInterval(() => {
        if (state.faults.api !== 'slow-body' || offset >= text.length) {
          clearInterval(timer);
          controller.close(); // the body ends there, as JSON cut in the middle
          return;
        }
        controller.enqueue(encoder.encode(text[offset]));
        offset += 1;
      }, SLOW_BODY_INTERVAL_MS);
    },
    cancel() {
      clearInterval(timer);
    },
  });
}
