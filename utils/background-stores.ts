/** The record families of utils/background-state.ts, bound to browser storage. */
import {
  MerchantSessionSchema,
  NavigationSchema,
  SignInActivationSchema,
  StandDownRecordSchema,
  TabStateSchema,
  type MerchantSession,
} from './background-state';
import { recordFamily } from './session-store';

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

export async function updateMerchantSession(
  merchantId: string,
  update: (current: MerchantSession) => MerchantSession,
): Promise<MerchantSession> {
  const next = update(await getMerchantSession(merchantId));
  await merchantSessions.set(merchantId, next);
  return next;
}

/** Stand-down holds for the browser session and at least 60 minutes, whichever is longer. */
export async function isStandingDown(merchantId: string, now: number): Promise<boolean> {
  if (await sessionStandDowns.get(merchantId)) return true;
  const lasting = await lastingStandDowns.get(merchantId);
  return lasting !== null && lasting.until > now;
}

/** Tabs whose current page belongs to the merchant. */
export async function tabsOfMerchant(merchantId: string): Promise<number[]> {
  const tabs: number[] = [];
  for (const [id, state] of await tabStates.all()) {
    if (state.merchantId === merchantId) tabs.push(Number(id));
  }
  return tabs;
}
