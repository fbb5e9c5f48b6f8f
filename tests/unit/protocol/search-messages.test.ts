/**
 * What a results page's script may tell the background: hostnames only (never the query nor the
 * page's address), a capped number of them, and for an activation the one result's URL.
 */
import { describe, expect, it, vi } from 'vitest';
import { BackgroundRequestSchema, CONTENT_SCRIPT_REQUESTS } from '../../../utils/protocol/messages';
import { createMessageRouter, type Handlers } from '../../../utils/protocol/router';
import { SEARCH_MATCH_MAX_HOSTNAMES } from '../../../utils/search/limits';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const searchPage = {
  id: ID,
  url: 'https://www.google.fr/search?q=cadeau+anniversaire',
  tab: { id: 4 } as never,
  frameId: 0,
};

describe('search:match', () => {
  it('is a content script’s request', () => {
    expect(CONTENT_SCRIPT_REQUESTS.has('search:match')).toBe(true);
    expect(CONTENT_SCRIPT_REQUESTS.has('search:activate')).toBe(true);
  });

  it('carries hostnames, and nothing else: a query or an address sent along is dropped', () => {
    const parsed = BackgroundRequestSchema.parse({
      type: 'search:match',
      hostnames: ['www.fnac.com', 'xn--caf-dma.fr', 'fr.wikipedia.org'],
      query: 'cadeau anniversaire',
      url: 'https://www.google.fr/search?q=cadeau+anniversaire',
    });
    expect(parsed).toEqual({
      type: 'search:match',
      hostnames: ['www.fnac.com', 'xn--caf-dma.fr', 'fr.wikipedia.org'],
    });
  });

  it.each([
    ['a URL', 'https://www.fnac.com/'],
    ['a path', 'www.fnac.com/livres'],
    ['a query', 'www.fnac.com?q=cadeau'],
    ['words', 'cadeau anniversaire'],
    ['upper case', 'WWW.FNAC.COM'],
    ['a port', 'www.fnac.com:443'],
    ['a single label', 'localhost'],
    ['non-ASCII', 'café.fr'],
    ['too long', `${'a'.repeat(250)}.com`],
    ['empty', ''],
  ])('refuses %s where a hostname goes', (_, hostname) => {
    expect(
      BackgroundRequestSchema.safeParse({ type: 'search:match', hostnames: [hostname] }).success,
    ).toBe(false);
  });

  it(`asks about ${SEARCH_MATCH_MAX_HOSTNAMES} hostnames at most, and at least one`, () => {
    const hosts = (n: number) => Array.from({ length: n }, (_, i) => `shop-${i}.fr`);
    const ok = (n: number) =>
      BackgroundRequestSchema.safeParse({ type: 'search:match', hostnames: hosts(n) }).success;
    expect(ok(SEARCH_MATCH_MAX_HOSTNAMES)).toBe(true);
    expect(ok(SEARCH_MATCH_MAX_HOSTNAMES + 1)).toBe(false);
    expect(ok(0)).toBe(false);
  });
});

describe('search:activate', () => {
  it.each([
    ['https://www.fnac.com/a123?ref=seo', true],
    ['http://numeria.localhost:8787/produit/2', true],
    ['javascript:alert(1)', false],
    ['data:text/html,<p>', false],
    [`https://www.fnac.com/${'a'.repeat(8000)}`, false],
  ])('%s → accepted: %s', (url, accepted) => {
    expect(BackgroundRequestSchema.safeParse({ type: 'search:activate', url }).success).toBe(
      accepted,
    );
  });

  it('reaches its handler with the sender’s own tab, never one named in the message', async () => {
    const handler = vi.fn(async () => ({ state: 'activating' as const }));
    const route = createMessageRouter({ 'search:activate': handler } as unknown as Handlers, {
      extensionId: ID,
      extensionOrigin: `chrome-extension://${ID}/`,
    });
    await route({ type: 'search:activate', url: 'https://www.fnac.com/', tabId: 99 }, searchPage);
    // And the document it came from (utils/platform/browser-target.ts `isSameDocument`).
    expect(handler).toHaveBeenCalledWith(
      { url: 'https://www.fnac.com/' },
      { tabId: 4, document: { origin: 'https://www.google.fr' } },
    );
  });
});
