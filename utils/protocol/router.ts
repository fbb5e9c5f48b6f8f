/**
 * Receives every request to the background: validates it, checks who sent it, and hands it to
 * its handler. Content scripts (pages we do not control) may only use the banner requests, only
 * from the top frame, and only about the tab they run in; everything else must come from the
 * extension's own pages. Anything else gets no answer at all, and never reaches a handler.
 *
 * Web pages cannot reach us: the manifest has no `externally_connectable`, and nothing listens to
 * `runtime.onMessageExternal`, `onConnect` or a page's `postMessage`.
 */
import type { Runtime } from 'webextension-polyfill';
import { CONTENT_SCRIPT_REQUESTS, BackgroundRequestSchema } from './messages';
import type {
  Answer,
  BackgroundProtocol,
  BackgroundRequest,
  BackgroundRequestType,
} from './messages';

export type Handlers = {
  [T in BackgroundRequestType]: (
    request: Omit<Extract<BackgroundRequest, { type: T }>, 'type'>,
    sender: { tabId: number | undefined },
  ) => Promise<BackgroundProtocol[T]['response']>;
};

export interface RouterOptions {
  extensionId: string;
  /** `chrome-extension://<id>/` (or moz-extension://…): where the extension's pages live. */
  extensionOrigin: string;
  onError?: (type: string, error: unknown) => void;
}

/** Who sent a message, as far as the router trusts it. */
export type SenderKind =
  { kind: 'extension-page' } | { kind: 'content-script'; tabId: number } | { kind: 'untrusted' };

/**
 * Classifies a sender from what the browser reports (never from the message): our id, then an
 * extension page by its URL (and its `origin`, where Chrome reports it) under our origin, else
 * a content script of ours in a web page's top frame, with a real tab. Compared as strings:
 * `URL.origin` is "null" for extension schemes outside the browser.
 */
export function classifySender(
  sender: Runtime.MessageSender & { origin?: string },
  options: Pick<RouterOptions, 'extensionId' | 'extensionOrigin'>,
): SenderKind {
  if (sender.id !== options.extensionId) return { kind: 'untrusted' };
  const pagesPrefix = options.extensionOrigin.replace(/\/*$/, '/');
  const url = typeof sender.url === 'string' ? sender.url : '';
  if (url.startsWith(pagesPrefix)) {
    return sender.origin === undefined || `${sender.origin}/` === pagesPrefix
      ? { kind: 'extension-page' }
      : { kind: 'untrusted' };
  }
  const tabId = sender.tab?.id;
  if (
    /^https?:\/\//i.test(url) &&
    typeof tabId === 'number' &&
    Number.isInteger(tabId) &&
    tabId >= 0 &&
    sender.frameId === 0
  ) {
    return { kind: 'content-script', tabId };
  }
  return { kind: 'untrusted' };
}

/**
 * Returns the `runtime.onMessage` listener. It answers with an `Answer` envelope, or
 * `undefined` (no answer at all) for messages that are not ours to take. It never throws.
 */
export function createMessageRouter(handlers: Handlers, options: RouterOptions) {
  return (
    message: unknown,
    sender: Runtime.MessageSender,
  ): Promise<Answer<unknown>> | undefined => {
    const from = classifySender(sender, options);
    if (from.kind === 'untrusted') return undefined;
    const parsed = BackgroundRequestSchema.safeParse(message);
    if (!parsed.success) return undefined;
    const { type, ...request } = parsed.data;
    if (from.kind === 'content-script' && !CONTENT_SCRIPT_REQUESTS.has(type)) return undefined;
    const handler = handlers[type] as (
      request: unknown,
      sender: { tabId: number | undefined },
    ) => Promise<unknown>;
    // The only tab a handler hears of is the content script's own: a tab id in a banner
    // request was dropped by the schema; an extension page has none.
    const tabId = from.kind === 'content-script' ? from.tabId : undefined;
    return Promise.resolve()
      .then(() => handler(request, { tabId }))
      .then(
        (value): Answer<unknown> => ({ ok: true, value }),
        (error: unknown): Answer<unknown> => {
          options.onError?.(type, error);
          return { ok: false, error: error instanceof Error ? error.message : String(error) };
        },
      );
  };
}
