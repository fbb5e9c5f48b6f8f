/**
 * `browser.permissions` for tests (WXT's fake browser leaves it unimplemented): the host access
 * the member left the extension, which they can withdraw or give back while a page is open, and
 * the answer they give to the browser's prompt.
 */
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

type Permissions = { origins?: string[]; permissions?: string[] };
type Listener = (permissions: Permissions) => void;

export function fakeHostAccess(initial: { allSites: boolean; sites?: string[] }) {
  let allSites = initial.allSites;
  const sites = new Set(initial.sites ?? []);
  const added: Listener[] = [];
  const removed: Listener[] = [];
  let promptAnswer = true;
  const event = (listeners: Listener[]) => ({
    addListener: (listener: Listener) => void listeners.push(listener),
    removeListener: (listener: Listener) => {
      const index = listeners.indexOf(listener);
      if (index >= 0) listeners.splice(index, 1);
    },
    hasListener: (listener: Listener) => listeners.includes(listener),
    hasListeners: () => listeners.length > 0,
  });
  const grantAll = () => {
    allSites = true;
    for (const listener of [...added]) listener({ origins: ['<all_urls>'], permissions: [] });
  };

  const contains = vi.fn(async ({ origins = [] }: Permissions) =>
    origins.every((origin) => allSites || (origin !== '<all_urls>' && sites.has(origin))),
  );
  // The browser's prompt: the member accepts or refuses.
  const request = vi.fn(async ({ origins = [] }: Permissions) => {
    if (!origins.includes('<all_urls>')) throw new Error('only all sites is ever requested');
    if (promptAnswer && !allSites) grantAll();
    return promptAnswer;
  });
  Object.assign(fakeBrowser.permissions, {
    contains,
    request,
    onAdded: event(added),
    onRemoved: event(removed),
  });

  return {
    contains,
    request,
    /** The member answers the next prompts so. */
    answerPrompt(answer: boolean) {
      promptAnswer = answer;
    },
    /** The member takes access to all sites back in the browser's menu. */
    withdraw() {
      allSites = false;
      for (const listener of [...removed]) listener({ origins: ['<all_urls>'], permissions: [] });
    },
    /** The member gives it back in the browser's menu. */
    grant: grantAll,
    listenerCount: () => added.length + removed.length,
  };
}
