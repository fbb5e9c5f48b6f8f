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
import { isStandDownActive } from '../visit/stand-down';

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

export type MerchantSessionUpdate = (
  merchantId: string,
  update: (current: MerchantSession) => MerchantSession | Promise<MerchantSession>,
) => Promise<MerchantSession>;

/**
 * Reads, changes and writes a merchant's session record, one update at a time per merchant: two
 * events of the same merchant (two tabs' "Activer", a dismissal during an activation) would
 * otherwise both read the old record and the second write would undo the first. `update` may
 * await (the activation claims the merchant inside it) but must not update the same merchant.
 * One per worker: only the order of the pending updates lives in memory, and a stopped worker's
 * pending updates die with it.
 */
export function merchantSessionUpdater(): MerchantSessionUpdate {
  const tails = new Map<string, Promise<unknown>>();
  return (merchantId, update) => {
    const task = async () => {
      const next = await update(await getMerchantSession(merchantId));
      await merchantSessions.set(merchantId, next);
      return next;
    };
    const previous = tails.get(merchantId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(merchantId, tail);
    void tail.then(() => {
      if (tails.get(merchantId) === tail) tails.delete(merchantId);
    });
    return run;
  };
}

/** Stand-down holds for the browser session and at least 60 minutes, whichever is longer. */
export async function isStandingDown(merchantId: string, now: number): Promise<boolean> {
  const [session, lasting] = await Promise.all([
    sessionStandDowns.get(merchantId),
    lastingStandDowns.get(merchantId),
  ]);
  return session !== null || isStandDownActive(lasting, now);
}

/** Tabs whose current page belongs to the merchant. */
export async function tabsOfMerchant(merchantId: string): Promise<number[]> {
  const tabs: number[] = [];
  for (const [id, state] of await tabStates.all()) {
    if (state.merchantId === merchantId) tabs.push(Number(id));
  }
  return tabs;
}
