/**
 * The navigation listeners as the browser calls them, for a member browsing: what each page that
 * is no merchant's costs the browser (storage round trips, badge calls), and that merchant pages
 * still get their badge and banner whatever was browsed before.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { isStandingDown, tabStates } from '../../../utils/background/stores';
import { setUpNavigationTracking } from '../../../utils/visit/navigation-setup';
import { fakeDeps } from '../helpers/fake-background';
import { installMessages } from '../helpers/i18n';

type Listener = (details: Record<string, unknown>) => unknown;

/** Captures the listeners the setup adds (fakeBrowser has no webRequest or webNavigation). */
function captureListeners() {
  const listeners: Record<string, Listener> = {};
  const capture = (name: string, event: { addListener: unknown }) =>
    vi
      .spyOn(event as { addListener: (l: Listener) => void }, 'addListener')
      .mockImplementation((listener: Listener) => void (listeners[name] = listener));
  capture('request', fakeBrowser.webRequest.onBeforeRequest);
  capture('commit', fakeBrowser.webNavigation.onCommitted);
  capture('loaded', fakeBrowser.webNavigation.onDOMContentLoaded);
  capture('history', fakeBrowser.webNavigation.onHistoryStateUpdated);
  capture('fragment', fakeBrowser.webNavigation.onReferenceFragmentUpdated);
  capture('error', fakeBrowser.webNavigation.onErrorOccurred);
  capture('closed', fakeBrowser.tabs.onRemoved);
  return listeners;
}

/** Lets every queued task of the listeners run (they chain promises per tab). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
  installMessages('fr');
});

describe('browsing with the listeners in place', () => {
  async function browse(
    listeners: Record<string, Listener>,
    tabId: number,
    url: string,
    n: number,
  ) {
    listeners.request!({ tabId, url, requestId: `r${n}`, type: 'main_frame' });
    listeners.commit!({ tabId, frameId: 0, url, transitionQualifiers: [] });
    listeners.loaded!({ tabId, frameId: 0, url });
    await settle();
  }

  it('a page that is no merchant’s, after another: a few storage calls, no badge call', async () => {
    const listeners = captureListeners();
    const { deps } = fakeDeps();
    setUpNavigationTracking(deps, async () => undefined);
    await browse(listeners, 3, 'https://www.example.org/', 1);
    const session = fakeBrowser.storage.session;
    const calls = {
      get: vi.spyOn(session, 'get'),
      set: vi.spyOn(session, 'set'),
      remove: vi.spyOn(session, 'remove'),
      badge: vi.spyOn(fakeBrowser.action, 'setBadgeText'),
      title: vi.spyOn(fakeBrowser.action, 'setTitle'),
      access: vi.spyOn(fakeBrowser.permissions, 'contains'),
    };
    await browse(listeners, 3, 'https://news.example.org/article', 2);
    // The request written; at commit one read of the tab's records, the request removed and the
    // page written; nothing at DOMContentLoaded.
    expect(calls.set).toHaveBeenCalledTimes(2);
    expect(calls.get).toHaveBeenCalledTimes(1);
    expect(calls.remove).toHaveBeenCalledTimes(1);
    expect(calls.badge).not.toHaveBeenCalled();
    expect(calls.title).not.toHaveBeenCalled();
    expect(calls.access).not.toHaveBeenCalled();
    expect(await tabStates.get(3)).toMatchObject({
      url: 'https://news.example.org/article',
      merchantId: null,
    });
  });

  it('a merchant’s page gets its badge, and the badge comes down on the next site', async () => {
    const listeners = captureListeners();
    const { deps } = fakeDeps();
    setUpNavigationTracking(deps, async () => undefined);
    const badge = vi.spyOn(fakeBrowser.action, 'setBadgeText');
    await browse(listeners, 4, 'https://www.example.org/', 1);
    expect(badge).not.toHaveBeenCalled();
    await browse(listeners, 4, 'https://www.fnac.com/livre/1', 2);
    expect(badge).toHaveBeenLastCalledWith({ tabId: 4, text: '4,5%' });
    await browse(listeners, 4, 'https://www.example.org/', 3);
    expect(badge).toHaveBeenLastCalledWith({ tabId: 4, text: '' });
    expect(badge).toHaveBeenCalledTimes(2);
  });

  it('a request redirected continues its chain from what the worker wrote', async () => {
    const listeners = captureListeners();
    const { deps } = fakeDeps();
    setUpNavigationTracking(deps, async () => undefined);
    const get = vi.spyOn(fakeBrowser.storage.session, 'get');
    listeners.request!({ tabId: 5, url: 'https://tracker.example/c?awc=1', requestId: 'r1' });
    listeners.request!({ tabId: 5, url: 'https://www.fnac.com/', requestId: 'r1' });
    await settle();
    // The first hop of a tab this worker never saw reads storage; the second does not.
    expect(get).toHaveBeenCalledTimes(1);
    listeners.commit!({
      tabId: 5,
      frameId: 0,
      url: 'https://www.fnac.com/',
      transitionQualifiers: [],
    });
    await settle();
    // The hop before the merchant carried another affiliate's parameter: the visit stands down.
    expect(await tabStates.get(5)).toMatchObject({ merchantId: 'fnac' });
    expect(await isStandingDown('fnac', deps.now())).toBe(true);
  });
});
