/**
 * The cagnotte notifications, wired in the background: an alarm checks the cagnotte every 3
 * hours while the member is signed in and has notifications on; what changed since the last
 * known figures becomes one notification at most; a click opens the portal's account page.
 * Listeners are registered synchronously, so an alarm that wakes a stopped worker is heard.
 */
import { browser } from 'wxt/browser';
import { createBackgroundAccount, type Account } from './account';
import type { Payouts } from './payouts';
import { config } from '../config';
import { t as browserTranslate, type Translate } from '../format/i18n';
import { messagesLocale } from '../format/locale';
import type { Settings } from '../protocol/messages';
import {
  CAGNOTTE_CHECK_ALARM,
  CAGNOTTE_NOTIFICATION_ID,
  cagnotteEvents,
  MISSING_ORDER_NOTIFICATION_PREFIX,
  missingOrderNotification,
  notificationFor,
  type NotificationPayload,
} from './notifications';
import type { Cagnotte } from '../contract/schemas';
import { getSettings } from '../storage/settings';

const CHECK_PERIOD_MINUTES = 180;

export interface NotificationDeps {
  account: Pick<Account, 'refreshCagnotte'>;
  /** The payouts paid since the last check; absent (or an older portal): none. */
  payouts?: Pick<Payouts, 'paidSince'>;
  settings(): Promise<Settings>;
  t: Translate;
  notify(payload: NotificationPayload, id?: string): Promise<void>;
  /**
   * The orders seen whose cashback is missing by these fresh figures and that were never
   * notified, each taken once (utils/orders/flow.ts). Absent: no such notification.
   */
  missingOrders?(figures: {
    figures: Cagnotte;
    fetchedAt: number;
  }): Promise<{ key: string; merchantName: string; label: string | null }[]>;
}

/** Pass the background's own account (and anything else) to share it; defaults otherwise. */
export function setUpNotifications(overrides: Partial<NotificationDeps> = {}): void {
  const deps: NotificationDeps = { ...browserNotificationDeps(), ...overrides };
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== CAGNOTTE_CHECK_ALARM) return;
    checkCagnotte(deps).catch((error: unknown) => console.warn('cagnotte check failed', error));
  });
  browser.notifications.onClicked.addListener((id) => {
    if (id.startsWith(MISSING_ORDER_NOTIFICATION_PREFIX)) {
      // The popup as a page: its orders offer "Réclamer".
      void browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
      void browser.notifications.clear(id);
      return;
    }
    if (id !== CAGNOTTE_NOTIFICATION_ID) return;
    void browser.tabs.create({ url: config.pages.account });
    void clearCagnotteNotification();
  });
  scheduleChecks().catch((error: unknown) => console.warn('cagnotte alarm not set', error));
}

/** A notification about figures must not outlive the session: call it on sign-out. */
export async function clearCagnotteNotification(): Promise<void> {
  await browser.notifications.clear(CAGNOTTE_NOTIFICATION_ID);
}

/** One check: refresh the figures and notify what changed. Returns what was notified. */
export async function checkCagnotte(deps: NotificationDeps): Promise<NotificationPayload | null> {
  // Off means no request either: the portal learns nothing from a member who opted out.
  if (!(await deps.settings()).notifications) return null;
  const { change } = await deps.account.refreshCagnotte();
  if (!change) return null;
  const paid = (await deps.payouts?.paidSince()) ?? [];
  const events = [
    ...cagnotteEvents(change.previous?.figures ?? null, change.next),
    ...paid.map((payout) => ({ kind: 'payout-paid' as const, payout })),
  ];
  const payload = notificationFor(events, change.next, messagesLocale(deps.t), deps.t);
  if (payload) await deps.notify(payload);
  const fetched = { figures: change.next, fetchedAt: Date.now() };
  for (const order of (await deps.missingOrders?.(fetched)) ?? []) {
    await deps.notify(
      missingOrderNotification(order.merchantName, order.label, deps.t),
      `${MISSING_ORDER_NOTIFICATION_PREFIX}${order.key}`,
    );
  }
  return payload;
}

async function scheduleChecks(): Promise<void> {
  // Creating an alarm again resets its timer: doing it at every worker start would keep
  // pushing the check back, so an existing alarm is left alone.
  if (await browser.alarms.get(CAGNOTTE_CHECK_ALARM)) return;
  await browser.alarms.create(CAGNOTTE_CHECK_ALARM, {
    delayInMinutes: CHECK_PERIOD_MINUTES,
    periodInMinutes: CHECK_PERIOD_MINUTES,
  });
}

function browserNotificationDeps(): NotificationDeps {
  return {
    account: createBackgroundAccount(),
    settings: getSettings,
    t: browserTranslate,
    async notify({ title, message }, id = CAGNOTTE_NOTIFICATION_ID) {
      await browser.notifications.create(id, {
        type: 'basic',
        iconUrl: notificationIcon(),
        title,
        message,
      });
    },
  };
}

/** Chrome requires an icon: the extension's largest, rendered from the brand's logo at build time. */
function notificationIcon(): string {
  const icons = Object.entries(browser.runtime.getManifest().icons ?? {});
  const largest = icons.sort(([a], [b]) => Number(b) - Number(a))[0];
  return browser.runtime.getURL((largest?.[1] ?? '/icons/128.png') as '/');
}
