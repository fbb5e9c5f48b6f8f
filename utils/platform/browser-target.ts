/**
 * Every difference between the browsers we ship to, in one place (and tested in
 * tests/unit/platform/browser-target.test.ts):
 *
 * - the manifest: Chrome and Edge share one MV3 build with a service worker; Firefox gets an
 *   event page (WXT writes `background.scripts` for it), its add-on id, the oldest version that
 *   has every API we use, and the data we transmit, which Firefox shows at install;
 * - at run time, the few things the two engines name differently: why a navigation failed, who
 *   started a request, and whether a document has an id. Both names are understood whatever the
 *   browser, so no code asks which browser it runs in;
 * - the origins the browsers give their extensions, which the reference portal answers with
 *   CORS (an extension without host access calls the portal as a cross-origin site).
 *
 * Pure: wxt.config.ts reads it at build time, the background at run time, the portal too.
 * docs/browsers.md has the browser notes: what Firefox does differently, as its suite found it.
 */

/** WXT's `-b` target. Edge installs the Chrome package (`chrome` is WXT's default). */
export type TargetBrowser = 'chrome' | 'edge' | 'firefox' | (string & {});

/**
 * Firefox 140 (an ESR) is the first to read `data_collection_permissions`, which AMO requires of
 * new add-ons. Everything else we use is older: `scripting` (101), MV3 (109), `storage.session`
 * (115), MV3 host permissions shown and granted at install (127, and only where the preference
 * `extensions.originControls.grantByDefault` is on: the welcome page asks for them otherwise);
 * web-ext lint checks every manifest key against this version (tests/build/firefox.test.ts).
 */
export const FIREFOX_MIN_VERSION = '140.0';
/** Firefox for Android reads `data_collection_permissions` from 142 on. */
export const FIREFOX_ANDROID_MIN_VERSION = '142.0';

/**
 * What the extension sends out of the browser, in Mozilla's categories
 * (extensionworkshop.com/documentation/develop/firefox-builtin-data-consent), all required:
 * Ristourne exists to earn cashback through the portal, which needs both.
 * - signing in sends the member's email and password to the portal: `authenticationInfo`, and
 *   `personallyIdentifyingInfo` because an email address identifies a person;
 * - an activation, on the member's click only, sends the merchant and the URL of the page they
 *   are on (`POST /clicks`), so that the network lands them back there: `browsingActivity`.
 * Not declared, because nothing is sent: page views (matching is local), `websiteContent` and
 * `websiteActivity` (we read no page), `technicalAndInteraction` (no telemetry or error
 * reports). The cagnotte's figures come from the portal; the extension only shows them.
 */
export const FIREFOX_DATA_COLLECTION = {
  required: ['authenticationInfo', 'personallyIdentifyingInfo', 'browsingActivity'],
} as const;

export interface BrowserManifestOptions {
  /** The Firefox Add-ons id of this brand (utils/build/config.ts `firefoxId`). */
  firefoxId: string;
}

/** The manifest keys one browser needs on top of those every browser shares. */
export function browserManifest(
  browser: TargetBrowser,
  options: BrowserManifestOptions,
): Record<string, unknown> {
  if (browser !== 'firefox') return {};
  return {
    browser_specific_settings: {
      gecko: {
        id: options.firefoxId,
        strict_min_version: FIREFOX_MIN_VERSION,
        data_collection_permissions: {
          required: [...FIREFOX_DATA_COLLECTION.required],
        },
      },
      gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
    },
  };
}

/** Why a main-frame navigation failed (`webNavigation.onErrorOccurred`'s `error`). */
export type NavigationFailure =
  /** The member (or the page) went elsewhere first: not a failure to report. */
  | 'aborted'
  /** Another extension (an ad blocker) cancelled the request. */
  | 'blocked-by-client'
  /** The network, DNS, TLS, a server that hung up… */
  | 'other';

/**
 * Firefox reports `Error code <nsresult>` (WebNavigation.sys.mjs): NS_BINDING_ABORTED when the
 * load is replaced or stopped, NS_ERROR_ABORT when an extension cancels it through webRequest
 * or declarativeNetRequest. Chrome reports net error names.
 */
const FIREFOX_NS_BINDING_ABORTED = `Error code ${0x804b0002}`;
const FIREFOX_NS_ERROR_ABORT = `Error code ${0x80004004}`;

export function navigationFailure(error: string): NavigationFailure {
  switch (error) {
    case 'net::ERR_ABORTED':
    case FIREFOX_NS_BINDING_ABORTED:
      return 'aborted';
    case 'net::ERR_BLOCKED_BY_CLIENT':
    case FIREFOX_NS_ERROR_ABORT:
      return 'blocked-by-client';
    default:
      return 'other';
  }
}

/**
 * The origin of the document that started a request (`webRequest` details), or undefined when
 * the member typed the address or used a bookmark. Chrome gives `initiator`, an origin; Firefox
 * gives `originUrl`, a full URL, of which we keep the origin only, as Chrome does.
 */
export function requestInitiator(details: {
  initiator?: string;
  originUrl?: string;
}): string | undefined {
  if (details.initiator) return details.initiator;
  if (!details.originUrl) return undefined;
  try {
    const origin = new URL(details.originUrl).origin;
    // Firefox's extension and internal pages (moz-extension:, about:) have no web origin.
    return origin.startsWith('http:') || origin.startsWith('https:') ? origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where a script or a message for a tab's page goes. Chrome (106+) and Firefox (153+) name each
 * document (`documentId` in webNavigation events and message senders): aimed at the document
 * that committed, an injection or a message never reaches the tab's next document, should the
 * tab have moved on meanwhile (a quick redirect from merchant A to site B). Firefox 140–152 name
 * none, and refuse the option: then the tab's top frame, and the checks that stand in for it
 * (the view handed over checks the page's origin, the background the sender's; utils/banner/).
 */
export function injectionTarget(
  tabId: number,
  documentId: string | undefined,
): { tabId: number; documentIds?: string[] } {
  return documentId === undefined ? { tabId } : { tabId, documentIds: [documentId] };
}

/** The options of `tabs.sendMessage` for that document (see injectionTarget). */
export function messageTarget(
  documentId: string | undefined,
): { documentId: string } | { frameId: 0 } {
  return documentId === undefined ? { frameId: 0 } : { documentId };
}

/**
 * Whether a message's sender is the document a tab's state describes: the same document where
 * the browser names documents, else (Firefox 140–152) a page of the same origin.
 */
export function isSameDocument(
  known: { url: string; documentId?: string | undefined },
  sender: { origin: string; documentId?: string | undefined },
): boolean {
  if (known.documentId !== undefined && sender.documentId !== undefined) {
    return known.documentId === sender.documentId;
  }
  try {
    return new URL(known.url).origin === sender.origin;
  } catch {
    return false;
  }
}

/**
 * Whether `origin` is a browser extension's: `chrome-extension://<id>` (Chrome, Edge),
 * `moz-extension://<uuid>` (Firefox, a random UUID per profile), `safari-web-extension://<uuid>`.
 * What the `Origin` header of the extension's own requests says when it has no host access.
 */
export function isExtensionOrigin(origin: string): boolean {
  return /^(chrome-extension|moz-extension|safari-web-extension):\/\/[A-Za-z0-9._-]+$/.test(origin);
}
