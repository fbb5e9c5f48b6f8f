import { describe, expect, it } from 'vitest';
import {
  browserManifest,
  FIREFOX_ANDROID_MIN_VERSION,
  FIREFOX_MIN_VERSION,
  injectionTarget,
  isExtensionOrigin,
  isSameDocument,
  messageTarget,
  navigationFailure,
  requestInitiator,
} from '../../../utils/platform/browser-target';

describe('browserManifest', () => {
  it('adds nothing for Chrome and Edge, which share one package', () => {
    expect(browserManifest('chrome', { firefoxId: 'a@b.example' })).toEqual({});
    expect(browserManifest('edge', { firefoxId: 'a@b.example' })).toEqual({});
  });

  it("gives Firefox the brand's id, the minimum versions and the data that leaves the browser", () => {
    expect(browserManifest('firefox', { firefoxId: 'extension@brand.example' })).toEqual({
      browser_specific_settings: {
        gecko: {
          id: 'extension@brand.example',
          strict_min_version: FIREFOX_MIN_VERSION,
          data_collection_permissions: {
            required: ['authenticationInfo', 'personallyIdentifyingInfo', 'browsingActivity'],
          },
        },
        gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
      },
    });
  });

  it('declares no telemetry and never "none": sign-in and clicks do leave the browser', () => {
    const gecko = (
      browserManifest('firefox', { firefoxId: 'a@b.example' }) as {
        browser_specific_settings: {
          gecko: { data_collection_permissions: { required: string[]; optional?: string[] } };
        };
      }
    ).browser_specific_settings.gecko.data_collection_permissions;
    expect(gecko.required).not.toContain('none');
    expect(gecko.required).not.toContain('technicalAndInteraction');
    expect(gecko.optional).toBeUndefined();
  });
});

describe('navigationFailure', () => {
  it.each([
    ['net::ERR_ABORTED', 'aborted'],
    // Firefox: NS_BINDING_ABORTED, the load replaced or stopped.
    ['Error code 2152398850', 'aborted'],
    ['net::ERR_BLOCKED_BY_CLIENT', 'blocked-by-client'],
    // Firefox: NS_ERROR_ABORT, an extension cancelled the request.
    ['Error code 2147500036', 'blocked-by-client'],
    ['net::ERR_NAME_NOT_RESOLVED', 'other'],
    ['net::ERR_CONNECTION_REFUSED', 'other'],
    // Firefox: NS_ERROR_CONNECTION_REFUSED.
    ['Error code 2152398861', 'other'],
    ['', 'other'],
  ])('%j is %s', (error, expected) => {
    expect(navigationFailure(error)).toBe(expected);
  });
});

describe('requestInitiator', () => {
  it("keeps Chrome's initiator, an origin", () => {
    expect(requestInitiator({ initiator: 'https://www.igraal.com' })).toBe(
      'https://www.igraal.com',
    );
  });

  it("reduces Firefox's originUrl to its origin, as Chrome gives it", () => {
    expect(
      requestInitiator({ originUrl: 'https://www.igraal.com/fr/codes-promo/fnac?ref=42#top' }),
    ).toBe('https://www.igraal.com');
  });

  it('has none for a typed address, or a start from an extension or browser page', () => {
    expect(requestInitiator({})).toBeUndefined();
    expect(requestInitiator({ originUrl: 'moz-extension://0b1c/popup.html' })).toBeUndefined();
    expect(requestInitiator({ originUrl: 'about:newtab' })).toBeUndefined();
    expect(requestInitiator({ originUrl: 'not a url' })).toBeUndefined();
  });
});

describe('the document a script or message goes to', () => {
  it('names the document where the browser names it (Chrome 106+, Firefox 153+), else the tab', () => {
    expect(injectionTarget(4, 'doc-1')).toEqual({ tabId: 4, documentIds: ['doc-1'] });
    expect(injectionTarget(4, undefined)).toEqual({ tabId: 4 });
    expect(messageTarget('doc-1')).toEqual({ documentId: 'doc-1' });
    expect(messageTarget(undefined)).toEqual({ frameId: 0 });
  });

  it.each<
    [string, { url: string; documentId?: string }, { origin: string; documentId?: string }, boolean]
  >([
    [
      'the same document',
      { url: 'https://a.fr/x', documentId: 'd1' },
      { origin: 'https://a.fr', documentId: 'd1' },
      true,
    ],
    [
      'another document of the same origin',
      { url: 'https://a.fr/x', documentId: 'd1' },
      { origin: 'https://a.fr', documentId: 'd2' },
      false,
    ],
    [
      'no id on our side: the origin',
      { url: 'https://a.fr/x' },
      { origin: 'https://a.fr', documentId: 'd2' },
      true,
    ],
    [
      'no id from the browser: the origin',
      { url: 'https://a.fr/x', documentId: 'd1' },
      { origin: 'https://a.fr' },
      true,
    ],
    ['no id, another origin', { url: 'https://a.fr/x' }, { origin: 'https://b.fr' }, false],
    [
      'no id, another port',
      { url: 'http://a.localhost:8787/' },
      { origin: 'http://a.localhost:9999' },
      false,
    ],
    ['an unreadable URL', { url: 'not a url' }, { origin: 'null' }, false],
  ])('isSameDocument: %s → %s', (_name, known, sender, same) => {
    expect(isSameDocument(known, sender)).toBe(same);
  });
});

describe('isExtensionOrigin', () => {
  it.each([
    'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
    'moz-extension://6f1c2b9e-4a57-4d0b-9c3e-2f8a1d7b5e40',
    'safari-web-extension://E6E1C5B2-1C0B-4D5E-9E0A-2B7F3C1D4A55',
  ])('knows %s', (origin) => {
    expect(isExtensionOrigin(origin)).toBe(true);
  });

  it.each([
    'https://www.ristourne.example',
    'http://localhost:8787',
    'null',
    '',
    'moz-extension://',
    'moz-extension://6f1c2b9e-4a57-4d0b-9c3e-2f8a1d7b5e40/popup.html',
    'moz-extension://a b',
    'MOZ-EXTENSION://6f1c2b9e',
    'chrome-extension://abc.evil.example:443@x',
  ])('refuses %j', (origin) => {
    expect(isExtensionOrigin(origin)).toBe(false);
  });
});
