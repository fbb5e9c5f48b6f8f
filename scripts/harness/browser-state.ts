/** Questions to the extension's own service worker (tab ids, badge), for end-to-end checks. */
import type { BrowserContext, Page, Worker } from '@playwright/test';

declare const chrome: {
  tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> };
  action: { getBadgeText(d: { tabId: number }): Promise<string> };
};

/** The browser's id of the tab showing `page` (the popup needs it, opened as a tab in tests). */
export async function tabIdOf(worker: Worker, page: Page): Promise<number> {
  const url = page.url();
  const id = await worker.evaluate(async (target) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((tab) => tab.url === target)?.id ?? null;
  }, url);
  if (id === null) throw new Error(`No tab shows ${url}`);
  return id;
}

export async function badgeText(worker: Worker, page: Page): Promise<string> {
  const tabId = await tabIdOf(worker, page);
  return worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
}

export interface BackgroundChannel {
  /** Sends a protocol request to the background, as the extension's own pages do. */
  ask(type: string, request?: object): Promise<{ ok: boolean; value: never }>;
  syncStatus(): Promise<{ merchantCount: number }>;
  /** Resolves once the merchant list is synced (at install): before that, nothing matches. */
  untilMerchantListSynced(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** An extension page kept open to talk to the background. */
export async function openBackgroundChannel(
  context: BrowserContext,
  extensionId: string,
): Promise<BackgroundChannel> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  const ask = (type: string, request: object = {}) =>
    page.evaluate(
      ([type, request]) =>
        (
          globalThis as unknown as {
            chrome: { runtime: { sendMessage(m: object): Promise<unknown> } };
          }
        ).chrome.runtime.sendMessage({ type, ...(request as object) }),
      [type, request] as const,
    ) as Promise<{ ok: boolean; value: never }>;
  const syncStatus = async () => (await ask('sync:status')).value as { merchantCount: number };
  return {
    ask,
    syncStatus,
    async untilMerchantListSynced(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while ((await syncStatus()).merchantCount === 0) {
        if (Date.now() > deadline) throw new Error('the merchant list was not synced in time');
        await page.waitForTimeout(100);
      }
    },
    close: () => page.close(),
  };
}
