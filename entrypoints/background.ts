/**
 * The background service worker: a composition root. It binds the modules of utils/ to the
 * browser and registers every listener synchronously, so that a worker woken by an event
 * (a navigation, an alarm, a message) finds its listener in place.
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createBackgroundAccount } from '../utils/account/account';
import { createHistory } from '../utils/account/history';
import { createPayouts } from '../utils/account/payouts';
import { accountStore } from '../utils/account/store';
import {
  forgetActivations,
  recoverInterruptedActivations,
  resumeActivationAfterSignIn,
} from '../utils/activation/flow';
import { bindBackgroundDeps } from '../utils/background/deps';
import { createBackgroundHandlers } from '../utils/background/handlers';
import { refreshMerchantBanners } from '../utils/banner/delivery';
import { config } from '../utils/config';
import { extensionDb } from '../utils/storage/db';
import { setUpHostAccessWatch } from '../utils/platform/host-access-watch';
import { createMerchantStore } from '../utils/merchants/store';
import { requestSyncNow, setUpMerchantSync } from '../utils/merchants/sync-setup';
import { createMessageRouter } from '../utils/protocol/router';
import { setUpNavigationTracking } from '../utils/visit/navigation-setup';
import {
  clearCagnotteNotification,
  setUpNotifications,
} from '../utils/account/notifications-setup';
import { createPortalClient } from '../utils/contract/client';
import { syncSearchMarksScript } from '../utils/search/registration';
import { getSettings } from '../utils/storage/settings';
import { orderJournal } from '../utils/orders/journal';
import { takeMissingOrdersToNotify } from '../utils/orders/flow';

export default defineBackground({
  type: 'module',
  main() {
    const db = extensionDb();
    // This worker's incarnation: what a stopped one left half-done (a sync, an activation) is
    // recognised by another id.
    const worker = crypto.randomUUID();
    const store = createMerchantStore(db, { worker });
    const portal = createPortalClient({ baseUrl: config.portalUrl });
    const onMerchantChange = (merchantId: string) => refreshMerchantBanners(deps, merchantId);
    const account = createBackgroundAccount({
      client: portal,
      onSignedIn: () => resumeActivationAfterSignIn(deps, onMerchantChange),
      // The next member on this browser starts afresh: no activation, figure nor purchase of this
      // one (sign-out, 401).
      onSignedOut: async () => {
        await forgetActivations(deps, onMerchantChange);
        await Promise.all([clearCagnotteNotification(), orderJournal.forget()]);
      },
    });
    const payouts = createPayouts({
      client: portal,
      store: accountStore,
      now: Date.now,
      portalUrl: config.portalUrl,
      forgetSession: () => account.forgetSession(),
    });
    const history = createHistory({
      client: portal,
      store: accountStore,
      now: Date.now,
      forgetSession: (token) => account.forgetSession(token),
    });
    const deps = bindBackgroundDeps({
      // Read at each call, not bound once: the journeys that wait days move the clock of a
      // running worker (docs/testing.md "Moving the clock").
      now: () => Date.now(),
      worker,
      portal,
      store,
      account,
      journal: orderJournal,
    });

    browser.runtime.onMessage.addListener(
      // webextension-polyfill sends back what the listener's promise resolves to (the browser's
      // types only know `sendResponse`); the router's promise never rejects: a failure is an answer.
      // eslint-disable-next-line @typescript-eslint/no-misused-promises
      createMessageRouter(
        createBackgroundHandlers({
          deps,
          store,
          account,
          payouts,
          history,
          onMerchantChange,
          syncNow: requestSyncNow,
        }),
        {
          extensionId: browser.runtime.id,
          extensionOrigin: browser.runtime.getURL('/'),
          onError: (type, error) => console.warn(`[ristourne] ${type} failed:`, error),
        },
      ),
    );
    setUpNavigationTracking(deps, onMerchantChange);
    setUpHostAccessWatch(deps);
    setUpMerchantSync({ db, client: portal, worker });
    setUpNotifications({
      account,
      payouts,
      missingOrders: (cagnotte) => takeMissingOrdersToNotify(deps, cagnotte),
    });
    recoverInterruptedActivations(deps, onMerchantChange).catch((error: unknown) =>
      console.warn('[ristourne] activation recovery failed:', error),
    );
    // The results pages' script follows the setting (install, update, browser start, woken worker).
    getSettings()
      .then(({ searchMarks }) => syncSearchMarksScript(searchMarks))
      .catch((error: unknown) => console.warn('[ristourne] search marks registration:', error));
    browser.runtime.onInstalled.addListener(({ reason }) => {
      if (reason === 'install')
        void browser.tabs.create({ url: browser.runtime.getURL('/welcome.html') });
    });
  },
});
