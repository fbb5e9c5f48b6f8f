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
import { cagnotteEvents, notificationFor, type NotificationPayload } from './notifications';
import { getSettings } from '../storage/settings';

export const CAGNOTTE_CHECK_ALARM = 'cagnotte-check';
const CHECK_PERIOD_MINUTES = 180;
/** One id for every cagnotte notification: a newer one replaces the one still on screen. */
export const CAGNOTTE_NOTIFICATION_ID = 'cagnotte-update';

export interface NotificationDeps {
  account: Pick<Account, 'refreshCagnotte'>;
  /** The payouts paid since the last check; absent (or an older portal): none. */
  payouts?: Pick<Payouts, 'paidSince'>;
  settings(): Promise<Settings>;
  t: Translate;
  notify(payload: NotificationPayload): Promise<void>;
}

/** Pass the background's own account (and anything else) to share it; defaults otherwise. */
export function setUpNotifications(overrides: Partial<NotificationDeps> = {}): void {
  const deps: NotificationDeps = { ...browserNotificationDeps(), ...overrides };
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== CAGNOTTE_CHECK_ALARM) return;
    checkCagnotte(deps).catch((error: unknown) => console.warn('cagnotte check failed', error));
  });
  browser.notifications.onClicked.addListener((id) => {
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
    async notify({ title, message }) {
      await browser.notifications.create(CAGNOTTE_NOTIFICATION_ID, {
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
