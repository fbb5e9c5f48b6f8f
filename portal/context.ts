/** What every route module receives from app.ts. */
import type { AdminSessions } from './admin/admin-auth';
import type { FaultState } from './admin/faults';
import type { RequestLog } from './admin/request-log';
import type { MerchantListCache } from './api/merchant-list';
import type { Throttles } from './api/throttle';
import type { Store } from './store/store';

export interface PortalContext {
  store: Store;
  merchantList: MerchantListCache;
  /** Attempt limits: sign-ins, sign-ups, admin keys (throttle.ts). */
  throttles: Throttles;
  /** Faults the API plays on demand, and the merchant list's answer counts (tests). */
  faults: FaultState;
  /** Protects /admin: in a header, or typed into the sign-in form (admin-auth.ts). */
  adminKey: string;
  /** The back office's browser sessions, opened by the sign-in form. */
  adminSessions: AdminSessions;
  /** Shared by the demo shops and the postback endpoint (header `X-Postback-Secret`). */
  postbackSecret: string;
  /** Every request answered (method, host, path), for the tests of what is never sent. */
  requests: RequestLog;
  /**
   * The portal's public origin (`--public-url`, default `http://localhost:<port>`): every URL the
   * API hands out is built on it, never on the request's Host header.
   */
  publicOrigin(): string;
  /** Where this process listens (e.g. `http://127.0.0.1:8787`): the shops post back there. */
  internalOrigin(): string;
}
