/**
 * The Firefox end-to-end fixture: for every test, a reference portal with fresh data (the same
 * fixture as Chromium's), and Firefox with the built package freshly installed in a fresh
 * profile, every http host sent to the portal. FIREFOX_DEBUG=1 shows Firefox's output and the
 * extension's console.
 */
import { test as base, expect as baseExpect } from '@playwright/test';
import { ExtensionChannel, FirefoxSession, type FirefoxTab } from '../../scripts/harness/firefox';
import { env, portalFixture, type PortalHandle } from '../e2e/portal-fixture';

export { ADMIN_KEY, DEMO_MEMBER, type PortalHandle } from '../e2e/portal-fixture';

interface Fixtures {
  portal: PortalHandle;
  /** Preferences of this test's profile on top of the test ones (`test.use`). */
  firefoxPrefs: Record<string, unknown>;
  /** Firefox, the extension just installed (its welcome tab opening). */
  firefox: FirefoxSession;
  /** An options page of the extension, to talk to the background and read the browser. */
  background: ExtensionChannel;
  /** The same, once the merchant list is synced. */
  extension: ExtensionChannel;
}

export const test = base.extend<Fixtures>({
  portal: portalFixture,

  firefoxPrefs: [{}, { option: true }],

  firefox: async ({ portal, firefoxPrefs }, use) => {
    const session = await FirefoxSession.launch({
      executablePath: env('E2E_FIREFOX'),
      extensionDir: env('E2E_FIREFOX_EXTENSION_DIR'),
      proxyPort: portal.port,
      prefs: firefoxPrefs,
      profileTemplate: env('E2E_FIREFOX_PROFILE_TEMPLATE'),
      debug: process.env.FIREFOX_DEBUG === '1',
    });
    await use(session);
    await session.close();
  },

  // Not `channel`: Playwright has a fixture of that name (the browser's release channel).
  background: async ({ firefox }, use) => {
    await use(await firefox.openChannel());
  },

  extension: async ({ background }, use) => {
    await background.untilMerchantListSynced();
    await use(background);
  },
});

export const expect = baseExpect;

/** A new tab on a web page, loaded. */
export async function openTab(firefox: FirefoxSession, url: string): Promise<FirefoxTab> {
  const tab = await firefox.newTab();
  await tab.goto(url);
  return tab;
}
