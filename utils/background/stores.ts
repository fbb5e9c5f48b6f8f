/** The record families of utils/background/state.ts, bound to browser storage. */
import {
  MerchantSessionSchema,
  NavigationSchema,
  SignInActivationSchema,
  StandDownRecordSchema,
  TabStateSchema,
  type MerchantSession,
} from './state';
import { recordFamily } from '../storage/records';

export const navigations = recordFamily('session', 'navigation', NavigationSchema);
export const tabStates = recordFamily('session', 'tab', TabStateSchema);
export const merchantSessions = recordFamily('session', 'merchant', MerchantSessionSchema);
export const sessionStandDowns = recordFamily('session', 'standdown', StandDownRecordSchema);
export const lastingStandDowns = recordFamily('local', 'standdown', StandDownRecordSchema);
export const signInActivations = recordFamily(
  'session',
  'signin-activation',
  SignInActivationSchema,
);

export const EMPTY_MERCHANT_SESSION: MerchantSession = { dismissed: false, activation: null };

export async function getMerchantSession(merchantId: string): Promise<MerchantSession> {
  return (await merchantSessions.get(merchantId)) ?? EMPTY_MERCHANT_SESSION;
}

/** The tail of each merchant's pending updates (only their order lives in memory). */
const merchantUpdates = new Map<string, Promise<unknown>>();

/**
 * The order is this worker's memory, lost when it stops; tests that start a new background over
 * the same storage in one process drop it too (a stopped worker's update never finishes).
 */
export function forgetMerchantUpdateOrder(): void {
  merchantUpdates.clear();
}

/**
 * Reads, changes and writes a merchant's session record, one update at a time per merchant: two
 * events of the same merchant (two tabs' "Activer", a dismissal during an activation) would
 * otherwise both read the old record and the second write would undo the first. `update` may
 * await (the activation claims the merchant inside it) but must not update the same merchant.
 */
export function updateMerchantSession(
  merchantId: string,
  update: (current: MerchantSession) => MerchantSession | Promise<MerchantSession>,
): Promise<MerchantSession> {
  const task = async () => {
    const next = await update(await getMerchantSession(merchantId));
    await merchantSessions.set(merchantId, next);
    return next;
  };
  const previous = merchantUpdates.get(merchantId) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.catch(() => undefined);
  merchantUpdates.set(merchantId, tail);
  void tail.then(() => {
    if (merchantUpdates.get(merchantId) === tail) merchantUpdates.delete(merchantId);
  });
  return run;
}

/** Stand-down holds for the browser session and at least 60 minutes, whichever is longer. */
export async function isStandingDown(merchantId: string, now: number): Promise<boolean> {
  const [session, lasting] = await Promise.all([
    sessionStandDowns.get(merchantId),
    lastingStandDowns.get(merchantId),
  ]);
  return session !== null || (lasting !== null && lasting.until > now);
}

/** Tabs whose current page belongs to the merchant. */
export async function tabsOfMerchant(merchantId: string): Promise<number[]> {
  const tabs: number[] = [];
  for (const [id, state] of await tabStates.all()) {
    if (state.merchantId === merchantId) tabs.push(Number(id));
  }
  return tabs;
}
