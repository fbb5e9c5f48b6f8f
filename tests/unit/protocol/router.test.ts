import { describe, expect, it, vi } from 'vitest';
import { createMessageRouter, type Handlers } from '../../../utils/protocol/router';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}/`;

function router() {
  const handlers = new Proxy({} as Record<string, ReturnType<typeof vi.fn>>, {
    get(target, type: string) {
      target[type] ??= vi.fn(async (request: unknown, sender: unknown) => ({ request, sender }));
      return target[type];
    },
  });
  return {
    handlers,
    route: createMessageRouter(handlers as unknown as Handlers, {
      extensionId: ID,
      extensionOrigin: ORIGIN,
    }),
  };
}

const page = { id: ID, url: `${ORIGIN}popup.html` };
const contentScript = {
  id: ID,
  url: 'https://www.fnac.com/livre/1',
  tab: { id: 7 } as never,
  frameId: 0,
  documentId: 'doc-7',
};
/** What a handler hears of that content script: its tab, its document's origin and id. */
const ownTab = { tabId: 7, document: { origin: 'https://www.fnac.com', documentId: 'doc-7' } };

describe('the message router', () => {
  it('answers an extension page with the handler result', async () => {
    const { route, handlers } = router();
    const answer = await route({ type: 'popup:get-offer', tabId: 3 }, page);
    expect(answer).toEqual({
      ok: true,
      value: { request: { tabId: 3 }, sender: { tabId: undefined } },
    });
    expect(handlers['popup:get-offer']).toHaveBeenCalledOnce();
  });

  it('gives a content script its own tab only', async () => {
    const { route } = router();
    const answer = await route({ type: 'banner:activate' }, contentScript);
    expect(answer).toEqual({ ok: true, value: { request: {}, sender: ownTab } });
    // A browser that names no document (Firefox before 153): the origin alone.
    const { documentId: _none, ...unnamed } = contentScript;
    expect(await route({ type: 'banner:activate' }, unnamed)).toEqual({
      ok: true,
      value: { request: {}, sender: { tabId: 7, document: { origin: 'https://www.fnac.com' } } },
    });
  });

  it.each([
    ['a privileged request from a content script', { type: 'account:get' }, contentScript],
    ['a content script naming another tab', { type: 'popup:activate', tabId: 1 }, contentScript],
    [
      'a content script in a sub-frame',
      { type: 'banner:activate' },
      { ...contentScript, frameId: 3 },
    ],
    ['another extension', { type: 'account:get' }, { ...page, id: 'other' }],
    [
      'our page URL with a web origin',
      { type: 'account:get' },
      { ...page, origin: 'https://evil.example' },
    ],
    [
      'a content script without a tab',
      { type: 'banner:activate' },
      { id: ID, url: 'https://www.fnac.com/', frameId: 0 },
    ],
    ['an unknown type', { type: 'steal:token' }, page],
    ['a malformed request', { type: 'popup:get-offer', tabId: 'x' }, page],
    ['not an object', 'account:get', page],
  ])('ignores %s', async (_name, message, sender) => {
    const { route, handlers } = router();
    expect(route(message, sender as never)).toBeUndefined();
    expect(Object.keys(handlers)).toEqual([]);
  });

  it('strips fields a content script smuggles in (a URL to navigate to)', async () => {
    const { route } = router();
    const answer = await route({ type: 'banner:activate', url: 'https://evil' }, contentScript);
    expect(answer).toEqual({ ok: true, value: { request: {}, sender: ownTab } });
  });

  it('gives the handler the content script tab, not a tab id the request carries', async () => {
    const { route } = router();
    const answer = await route({ type: 'banner:dismiss', tabId: 99 }, contentScript);
    expect(answer).toEqual({ ok: true, value: { request: {}, sender: ownTab } });
  });

  it('turns a handler that throws at once into an error answer, never a throw', async () => {
    const handlers = {
      'account:get': vi.fn(() => {
        throw new Error('sync');
      }),
    };
    const route = createMessageRouter(handlers as unknown as Handlers, {
      extensionId: ID,
      extensionOrigin: ORIGIN,
    });
    expect(await route({ type: 'account:get' }, page)).toEqual({ ok: false, error: 'sync' });
  });

  it('turns a handler failure into an error answer', async () => {
    const handlers = { 'account:get': vi.fn(async () => Promise.reject(new Error('boom'))) };
    const route = createMessageRouter(handlers as unknown as Handlers, {
      extensionId: ID,
      extensionOrigin: ORIGIN,
    });
    expect(await route({ type: 'account:get' }, page)).toEqual({ ok: false, error: 'boom' });
  });
});
