/**
 * Faults the reference portal can be told to play on its API (through the admin API), so that
 * end-to-end tests show the extension staying quiet and usable when a real portal misbehaves,
 * while the demo shops, served by the same process, stay up. Also counts the merchant list's
 * answers, so tests can tell a download from a 304 or from no request at all.
 */
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { errorJson } from './http';

export const ApiFaultSchema = z.enum(['unavailable', 'invalid-json', 'not-a-list', 'hang']);
export type ApiFault = z.infer<typeof ApiFaultSchema>;

export const FaultsSchema = z.object({ api: ApiFaultSchema.nullable() });
export type Faults = z.infer<typeof FaultsSchema>;

export interface MerchantListStats {
  /** 200 answers with the whole list. */
  downloads: number;
  /** 304 answers: the client's copy was current. */
  notModified: number;
}

export interface FaultState {
  faults: Faults;
  stats: MerchantListStats;
}

export function createFaultState(): FaultState {
  return { faults: { api: null }, stats: { downloads: 0, notModified: 0 } };
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
    }
  };
}
