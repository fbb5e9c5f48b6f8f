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

/** What a handler hears of who sent a request (never anything the message itself claims). */
export interface RequestSender {
  /** A content script's own tab; undefined for an extension page. */
  tabId: number | undefined;
  /**
   * A content script's document as the browser reports it: its origin, and its id where the
   * browser names documents (utils/platform/browser-target.ts).
   */
  document?: { origin: string; documentId?: string };
}

export type Handlers = {
  [T in BackgroundRequestType]: (
    request: Omit<Extract<BackgroundRequest, { type: T }>, 'type'>,
    sender: RequestSender,
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
  | { kind: 'extension-page' }
  | { kind: 'content-script'; tabId: number; origin: string; documentId?: string }
  | { kind: 'untrusted' };

/**
 * Classifies a sender from what the browser reports (never from the message): our id, then an
 * extension page by its URL (and its `origin`, where Chrome reports it) under our origin, else
 * a content script of ours in a web page's top frame, with a real tab. Compared as strings:
 * `URL.origin` is "null" for extension schemes outside the browser.
 */
export function classifySender(
  sender: Runtime.MessageSender & { origin?: string; documentId?: string },
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
    const documentId = typeof sender.documentId === 'string' ? sender.documentId : undefined;
    return {
      kind: 'content-script',
      tabId,
      origin: new URL(url).origin,
      ...(documentId === undefined ? {} : { documentId }),
    };
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
    const handler = handlers[type] as (request: unknown, sender: RequestSender) => Promise<unknown>;
    // The only tab a handler hears of is the content script's own: a tab id in a banner
    // request was dropped by the schema; an extension page has none.
    const heard: RequestSender =
      from.kind === 'content-script'
        ? {
            tabId: from.tabId,
            document: {
              origin: from.origin,
              ...(from.documentId === undefined ? {} : { documentId: from.documentId }),
            },
          }
        : { tabId: undefined };
    return Promise.resolve()
      .then(() => handler(request, heard))
      .then(
        (value): Answer<unknown> => ({ ok: true, value }),
        (error: unknown): Answer<unknown> => {
          options.onError?.(type, error);
          return { ok: false, error: error instanceof Error ? error.message : String(error) };
        },
      );
  };
}
