/** Questions to the extension's own service worker (tab ids, badge), for end-to-end checks. */
import type { Page, Worker } from '@playwright/test';

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
