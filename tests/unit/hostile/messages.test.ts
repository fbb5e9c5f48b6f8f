/**
 * Hostile messages at the background's door: arbitrary messages from arbitrary senders (another
 * extension, a content script in another tab or in a sub-frame, a sender without a tab, an
 * extension page, a page under our URL with a foreign origin). The router never throws, answers
 * only well-formed requests from senders allowed to make them, and a handler only ever hears of
 * the sending content script's own tab.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createMessageRouter, type Handlers } from '../../../utils/protocol/router';
import {
  CONTENT_SCRIPT_REQUESTS,
  type BackgroundRequestType,
} from '../../../utils/protocol/messages';

/** fast-check runs per property: enough to mix every sender with every kind of message. */
const RUNS = 500;

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}`;
const OTHER_ID = 'ponmlkjihgfedcbaponmlkjihgfedcba';

const EMPTY_TYPES = [
  'banner:get-view',
  'banner:activate',
  'banner:dismiss',
  'banner:mute',
  'account:get',
  'account:refresh',
  'account:sign-out',
  'settings:get',
  'muted:list',
  'sync:status',
  'sync:now',
] as const satisfies readonly BackgroundRequestType[];

const ALL_TYPES: readonly BackgroundRequestType[] = [
  ...EMPTY_TYPES,
  'popup:get-offer',
  'popup:activate',
  'popup:search',
  'account:sign-in',
  'settings:set',
  'muted:unmute',
  'search:match',
  'search:activate',
];

type Message = Record<string, unknown>;

/** Fields a hostile sender adds to a valid request: the schema must drop them. */
const smuggled = fc.record(
  {
    tabId: fc.integer({ min: 0, max: 1_000 }),
    url: fc.constant('https://evil.example/'),
    frameId: fc.nat(),
  },
  { requiredKeys: [] },
);

const wellFormed: fc.Arbitrary<Message> = fc.oneof(
  fc.constantFrom(...EMPTY_TYPES).map((type) => ({ type })),
  fc.record({
    type: fc.constantFrom('popup:get-offer', 'popup:activate'),
    tabId: fc.nat({ max: 1_000_000 }),
  }),
  fc.record({ type: fc.constant('popup:search'), query: fc.string({ maxLength: 200 }) }),
  fc.record({
    type: fc.constant('account:sign-in'),
    email: fc.string({ maxLength: 320 }),
    password: fc.string({ maxLength: 1000 }),
  }),
  fc.record(
    {
      type: fc.constant('settings:set'),
      reminders: fc.boolean(),
      checkoutOnly: fc.boolean(),
      notifications: fc.boolean(),
      searchMarks: fc.boolean(),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record({
    type: fc.constant('search:match'),
    hostnames: fc.array(
      fc.domain().map((domain) => domain.toLowerCase()),
      { minLength: 1, maxLength: 50 },
    ),
  }),
  fc.record({
    type: fc.constant('muted:unmute'),
    merchantId: fc.string({ minLength: 1, maxLength: 200 }),
  }),
);

/** Requests that are known to be malformed: no answer, no handler, whoever sends them. */
const malformed: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .string()
    .filter((type) => !ALL_TYPES.includes(type as never))
    .map((type) => ({ type })),
  fc.record({
    type: fc.constantFrom('popup:get-offer', 'popup:activate'),
    tabId: fc.oneof(
      fc.string(),
      fc.integer({ max: -1 }),
      fc.double({ noInteger: true }),
      fc.constant(null),
    ),
  }),
  fc.record({ type: fc.constant('popup:search'), query: fc.string({ minLength: 201 }) }),
  fc.record({ type: fc.constant('muted:unmute'), merchantId: fc.constantFrom('', 42, null) }),
  fc.record({ type: fc.constant('settings:set'), reminders: fc.constantFrom('yes', 1, null) }),
  fc.record({ type: fc.constant('account:sign-in'), email: fc.string() }),
  // A results page's script sending more than hostnames: words, addresses, too many.
  fc.record({
    type: fc.constant('search:match'),
    hostnames: fc.oneof(
      fc.array(
        fc.string().filter((text) => !/^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(text)),
        {
          minLength: 1,
        },
      ),
      fc.array(fc.webUrl(), { minLength: 1 }),
      fc.array(fc.constant('shop.example'), { minLength: 51, maxLength: 60 }),
      fc.constant([]),
    ),
  }),
  fc.record({
    type: fc.constant('search:activate'),
    url: fc.constantFrom('javascript:void 0', '', 42),
  }),
  fc.constantFrom(...ALL_TYPES), // the bare type, not an object
  fc.anything().filter((value) => !ALL_TYPES.includes((value as Message | null)?.type as never)),
);

type Sender = Record<string, unknown>;
interface SenderCase {
  name: string;
  sender: Sender;
  /** What the router may let it do. */
  allowed: 'everything' | 'banner-requests-about-its-tab' | 'nothing';
  ownTabId?: number;
}

const tabId = fc.integer({ min: 0, max: 10_000 });
const webUrl = fc.webUrl({ validSchemes: ['http', 'https'] });
const extensionPath = fc.constantFrom('/popup.html', '/options.html?x=1', '/welcome.html');

const senders: fc.Arbitrary<SenderCase> = fc.oneof(
  fc
    .record({
      path: extensionPath,
      tab: fc.option(tabId, { nil: undefined }),
      withOrigin: fc.boolean(),
    })
    .map(({ path, tab, withOrigin }) => ({
      name: 'an extension page',
      sender: {
        id: ID,
        url: `${ORIGIN}${path}`,
        ...(withOrigin ? { origin: ORIGIN } : {}),
        ...(tab === undefined ? {} : { tab: { id: tab }, frameId: 0 }),
      },
      allowed: 'everything' as const,
    })),
  fc.record({ url: webUrl, tab: tabId }).map(({ url, tab }) => ({
    name: 'our content script in a top frame',
    sender: { id: ID, url, tab: { id: tab }, frameId: 0, origin: new URL(url).origin },
    allowed: 'banner-requests-about-its-tab' as const,
    ownTabId: tab,
  })),
  fc.record({ url: webUrl, tab: tabId, frameId: fc.integer({ min: 1 }) }).map((s) => ({
    name: 'our content script in a sub-frame',
    sender: { id: ID, url: s.url, tab: { id: s.tab }, frameId: s.frameId },
    allowed: 'nothing' as const,
  })),
  webUrl.map((url) => ({
    name: 'a sender without a tab',
    sender: { id: ID, url, frameId: 0 },
    allowed: 'nothing' as const,
  })),
  fc.record({ url: webUrl, tab: fc.constantFrom(-1, 1.5, Number.NaN) }).map(({ url, tab }) => ({
    name: 'a sender with an impossible tab id',
    sender: { id: ID, url, tab: { id: tab }, frameId: 0 },
    allowed: 'nothing' as const,
  })),
  fc
    .record({ path: extensionPath, url: webUrl, tab: fc.option(tabId, { nil: undefined }) })
    .map(({ path, url, tab }) => ({
      name: 'another extension',
      sender: {
        id: OTHER_ID,
        ...(tab === undefined
          ? { url: `chrome-extension://${OTHER_ID}${path}` }
          : { url, tab: { id: tab }, frameId: 0 }),
      },
      allowed: 'nothing' as const,
    })),
  fc.record({ path: extensionPath }).map(({ path }) => ({
    name: 'another extension claiming our pages',
    sender: { id: OTHER_ID, url: `${ORIGIN}${path}`, origin: ORIGIN },
    allowed: 'nothing' as const,
  })),
  fc.record({ path: extensionPath, origin: webUrl }).map(({ path, origin }) => ({
    name: 'our URL reported with a web origin',
    sender: { id: ID, url: `${ORIGIN}${path}`, origin: new URL(origin).origin },
    allowed: 'nothing' as const,
  })),
  fc.record({ url: webUrl, tab: tabId }).map(({ url, tab }) => ({
    name: 'a web page (no extension id)',
    sender: { url, tab: { id: tab }, frameId: 0 },
    allowed: 'nothing' as const,
  })),
);

type Outcome = 'resolve' | 'reject' | 'throw';

function recordingHandlers(outcome: Outcome) {
  const calls: { type: string; request: Message; sender: { tabId: number | undefined } }[] = [];
  const handlers = Object.fromEntries(
    ALL_TYPES.map((type) => [
      type,
      (request: Message, sender: { tabId: number | undefined }) => {
        calls.push({ type, request, sender });
        if (outcome === 'throw') throw new Error('sync failure');
        if (outcome === 'reject') return Promise.reject(new Error('async failure'));
        return Promise.resolve({ handled: type });
      },
    ]),
  );
  return { calls, handlers: handlers as unknown as Handlers };
}

const mayAnswer = (from: SenderCase, type: string): boolean =>
  from.allowed === 'everything' ||
  (from.allowed === 'banner-requests-about-its-tab' &&
    CONTENT_SCRIPT_REQUESTS.has(type as BackgroundRequestType));

describe('hostile messages at the background', () => {
  it('a well-formed request is answered only when its sender may make it, about its own tab', async () => {
    await fc.assert(
      fc.asyncProperty(
        wellFormed,
        smuggled,
        senders,
        fc.constantFrom<Outcome>('resolve', 'reject', 'throw'),
        async (request, extra, from, outcome) => {
          const message = { ...extra, ...request };
          const { calls, handlers } = recordingHandlers(outcome);
          const onError = vi.fn();
          const route = createMessageRouter(handlers, {
            extensionId: ID,
            extensionOrigin: `${ORIGIN}/`,
            onError,
          });
          const answer = route(message, from.sender);
          const type = request.type as string;
          if (!mayAnswer(from, type)) {
            expect(answer).toBeUndefined();
            expect(calls).toEqual([]);
            return;
          }
          expect(answer).toBeInstanceOf(Promise);
          expect(await answer).toEqual(
            outcome === 'resolve'
              ? { ok: true, value: { handled: type } }
              : { ok: false, error: outcome === 'throw' ? 'sync failure' : 'async failure' },
          );
          expect(calls).toHaveLength(1);
          const [call] = calls;
          // A content script hears only of its own tab (and its document, as the browser
          // reports it); an extension page of none.
          expect(call!.sender).toEqual(
            from.ownTabId === undefined
              ? { tabId: undefined }
              : {
                  tabId: from.ownTabId,
                  document: { origin: new URL(String(from.sender.url)).origin },
                },
          );
          // Smuggled fields never reach a handler; a page's own tab id for popup requests does.
          expect(call!.request).not.toHaveProperty('url');
          expect(call!.request).not.toHaveProperty('frameId');
          if (type === 'popup:get-offer' || type === 'popup:activate') {
            expect(call!.request).toEqual({ tabId: request.tabId });
          } else {
            expect(call!.request).not.toHaveProperty('tabId');
          }
          expect(onError).toHaveBeenCalledTimes(outcome === 'resolve' ? 0 : 1);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a malformed or unknown message gets no answer from anyone, and reaches no handler', () => {
    fc.assert(
      fc.property(malformed, senders, (message, from) => {
        const { calls, handlers } = recordingHandlers('resolve');
        const route = createMessageRouter(handlers, {
          extensionId: ID,
          extensionOrigin: `${ORIGIN}/`,
        });
        expect(route(message, from.sender as never)).toBeUndefined();
        expect(calls).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
