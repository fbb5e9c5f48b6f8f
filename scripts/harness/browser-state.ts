/** Questions to the extension's own service worker (tab ids, badge), for end-to-end checks. */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import type {
  Answer,
  BackgroundProtocol,
  BackgroundRequestType,
} from '../../utils/protocol/messages';

type Response<T extends BackgroundRequestType> = BackgroundProtocol[T]['response'];

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
  ask<T extends BackgroundRequestType>(
    type: T,
    request?: BackgroundProtocol[T]['request'],
  ): Promise<Answer<Response<T>>>;
  /** The same, for the answer's value (throws on an error answer). */
  call<T extends BackgroundRequestType>(
    type: T,
    request?: BackgroundProtocol[T]['request'],
  ): Promise<Response<T>>;
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
  const ask = <T extends BackgroundRequestType>(
    type: T,
    request?: BackgroundProtocol[T]['request'],
  ): Promise<Answer<Response<T>>> =>
    page.evaluate(
      ([type, request]) =>
        (
          globalThis as unknown as {
            chrome: { runtime: { sendMessage(m: object): Promise<unknown> } };
          }
        ).chrome.runtime.sendMessage({ type, ...request }),
      [type, request ?? {}] as const,
    ) as Promise<Answer<Response<T>>>;
  const call = async <T extends BackgroundRequestType>(
    type: T,
    request?: BackgroundProtocol[T]['request'],
  ): Promise<Response<T>> => {
    const answer = await ask(type, request);
    if (!answer.ok) throw new Error(`${type}: ${answer.error}`);
    return answer.value;
  };
  return {
    ask,
    call,
    async untilMerchantListSynced(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while ((await call('sync:status')).merchantCount === 0) {
        if (Date.now() > deadline) throw new Error('the merchant list was not synced in time');
        await page.waitForTimeout(100);
      }
    },
    close: () => page.close(),
  };
}
