/**
 * Wires the browser's navigation events to the visit and activation flows. Called
 * synchronously at the top of the background's `main`, so a worker woken by a navigation
 * has its listeners in place. Only main frames of web pages count.
 */
import { browser } from 'wxt/browser';
import { handleActivationNavigationError } from '../activation/flow';
import { navigations, tabStates } from '../background/stores';
import type { BackgroundDeps } from '../background/deps';
import type { Navigation } from '../background/state';
import { badgeChanges, showBadge } from './badge';
import { deliverBanner } from '../banner/delivery';
import { requestInitiator } from '../platform/browser-target';
import { inTabOrder } from './tab-queue';
import {
  handleCommittedNavigation,
  handleSameDocumentNavigation,
  ownRedirectPassages,
  recordNavigationRequest,
} from './flow';

const WEB_PAGES = { url: [{ schemes: ['http', 'https'] }] };

export function setUpNavigationTracking(
  deps: BackgroundDeps,
  onMerchantChange: (merchantId: string) => Promise<void>,
): void {
  const guard = (what: string, task: () => Promise<unknown>) =>
    task().catch((error: unknown) => console.warn(`[ristourne] ${what}:`, error));
  // What this worker already knows, to spare storage round trips on every page one opens. Each is
  // a shortcut over the stored records, never the only copy: a worker that just started has
  // neither and reads storage (docs/performance.md, "Browsing").
  const writtenNavigations = new Map<number, Navigation>();
  /** Tab → the URL of its page that this worker found to be no merchant's. */
  const plainPages = new Map<number, string>();

  browser.webRequest.onBeforeRequest.addListener(
    (details) => {
      if (details.tabId < 0) return undefined;
      void guard('request', () =>
        inTabOrder(details.tabId, () =>
          recordNavigationRequest(
            details.tabId,
            {
              url: details.url,
              requestId: details.requestId,
              initiator: requestInitiator(details),
            },
            deps.now(),
            writtenNavigations,
          ),
        ),
      );
      return undefined;
    },
    { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] },
  );

  browser.webNavigation.onCommitted.addListener((details) => {
    if (details.frameId !== 0) return;
    void guard('commit', () =>
      inTabOrder(details.tabId, async () => {
        const { landing, merchant, state, facts, previousMerchantId } =
          await handleCommittedNavigation(deps, {
            tabId: details.tabId,
            url: details.url,
            clientRedirect: details.transitionQualifiers.includes('client_redirect'),
            // Absent in Firefox before 153, whatever the types say.
            documentId: (details as { documentId?: string }).documentId,
          });
        await Promise.all([
          merchant &&
            deliverBanner(deps, details.tabId, {
              update: false,
              merchant,
              visit: { state, ...(facts ? { facts } : {}) },
            }),
          badgeChanges(previousMerchantId, merchant) && showBadge(details.tabId, merchant),
        ]);
        if (merchant) plainPages.delete(details.tabId);
        else plainPages.set(details.tabId, details.url);
        // The merchant's other tabs follow: activated, or standing down.
        if (merchant && landing !== 'plain') await onMerchantChange(merchant.id);
      }),
    );
  }, WEB_PAGES);

  browser.webNavigation.onDOMContentLoaded.addListener((details) => {
    if (details.frameId !== 0) return;
    // In case the injection at commit failed (the document was not there yet).
    void guard('banner', () =>
      inTabOrder(details.tabId, async () => {
        // Found to be no merchant's page when it committed: no banner, nothing to read.
        if (plainPages.get(details.tabId) === details.url) return;
        await deliverBanner(deps, details.tabId, { update: false });
      }),
    );
  }, WEB_PAGES);

  const sameDocument = (details: { tabId: number; frameId: number; url: string }) => {
    if (details.frameId !== 0) return;
    void guard('same-document navigation', () =>
      inTabOrder(details.tabId, async () => {
        const { state, previousMerchantId } = await handleSameDocumentNavigation(
          deps,
          details.tabId,
          details.url,
        );
        const merchant = state.merchantId ? await deps.merchants.get(state.merchantId) : null;
        plainPages.delete(details.tabId);
        if (badgeChanges(previousMerchantId, merchant)) await showBadge(details.tabId, merchant);
        await deliverBanner(deps, details.tabId, { update: true });
      }),
    );
  };
  browser.webNavigation.onHistoryStateUpdated.addListener(sameDocument, WEB_PAGES);
  browser.webNavigation.onReferenceFragmentUpdated.addListener(sameDocument, WEB_PAGES);

  browser.webNavigation.onErrorOccurred.addListener((details) => {
    if (details.frameId !== 0) return;
    void guard('navigation error', () =>
      inTabOrder(details.tabId, () =>
        handleActivationNavigationError(
          deps,
          { tabId: details.tabId, url: details.url, error: details.error },
          onMerchantChange,
        ),
      ),
    );
  });

  browser.tabs.onRemoved.addListener((tabId) => {
    writtenNavigations.delete(tabId);
    plainPages.delete(tabId);
    void guard('tab closed', () =>
      inTabOrder(tabId, async () => {
        await Promise.all([
          tabStates.remove(tabId),
          navigations.remove(tabId),
          ownRedirectPassages.remove(tabId),
        ]);
      }),
    );
  });
}
