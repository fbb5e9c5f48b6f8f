/**
 * Receives every request to the background: validates it, checks who sent it, and hands it to
 * its handler. Content scripts (pages we do not control) may only use the banner requests, and
 * only about the tab they run in; everything else must come from the extension's own pages.
 */
import type { Runtime } from 'webextension-polyfill';
import { CONTENT_SCRIPT_REQUESTS, BackgroundRequestSchema } from './message-schemas';
import type { Answer, BackgroundProtocol, BackgroundRequestType } from './messages';

export type Handlers = {
  [T in BackgroundRequestType]: (
    request: Omit<Extract<import('./messages').BackgroundRequest, { type: T }>, 'type'>,
    sender: { tabId: number | undefined },
  ) => Promise<BackgroundProtocol[T]['response']>;
};

export interface RouterOptions {
  extensionId: string;
  /** `chrome-extension://<id>/` (or moz-extension://…): where the extension's pages live. */
  extensionOrigin: string;
  onError?: (type: string, error: unknown) => void;
}

/**
 * Returns the `runtime.onMessage` listener. It answers with an `Answer` envelope, or
 * `undefined` (no answer at all) for messages that are not ours to take.
 */
export function createMessageRouter(handlers: Handlers, options: RouterOptions) {
  return (
    message: unknown,
    sender: Runtime.MessageSender,
  ): Promise<Answer<unknown>> | undefined => {
    if (sender.id !== options.extensionId) return undefined;
    const parsed = BackgroundRequestSchema.safeParse(message);
    if (!parsed.success) return undefined;
    const { type, ...request } = parsed.data;
    const fromExtensionPage = sender.url?.startsWith(options.extensionOrigin) ?? false;
    const fromContentScript = !fromExtensionPage && sender.tab?.id !== undefined;
    if (fromContentScript) {
      if (!CONTENT_SCRIPT_REQUESTS.has(type) || sender.frameId !== 0) return undefined;
    } else if (!fromExtensionPage) {
      return undefined;
    }
    const handler = handlers[type] as (
      request: unknown,
      sender: { tabId: number | undefined },
    ) => Promise<unknown>;
    return handler(request, { tabId: sender.tab?.id }).then(
      (value): Answer<unknown> => ({ ok: true, value }),
      (error: unknown): Answer<unknown> => {
        options.onError?.(type, error);
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      },
    );
  };
}
