/**
 * The end-to-end fixture: for every test, a reference portal with fresh data on the port the
 * extension was built for, and Debian's Chromium with the built extension in a fresh profile.
 * Real hostnames (www.awin1.com, www.igraal.com…) are mapped to the portal, which plays them.
 */
import {
  test as base,
  chromium,
  expect as baseExpect,
  type BrowserContext,
  type Worker,
} from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extensionArgs } from '../../scripts/harness/chromium';
import { mappedHostArgs } from '../../scripts/harness/tls-proxy';
import { openBackgroundChannel, type BackgroundChannel } from '../../scripts/harness/browser-state';
import { env, portalFixture, type PortalHandle } from './portal-fixture';

export { ADMIN_KEY, DEMO_MEMBER, type PortalHandle } from './portal-fixture';

/** The extension, and an extension page's channel to its background (`ask`, `call`). */
export type ExtensionHandle = { extensionId: string } & Pick<BackgroundChannel, 'ask' | 'call'>;

interface Fixtures {
  portal: PortalHandle;
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  /** The extension, started, with the merchant list synced. */
  extension: ExtensionHandle;
}

/**
 * Debian's Chromium with the built extension, on a profile folder (a test may close the browser
 * and launch it again on the same profile, as a relaunch), with real hostnames on the portal.
 */
export function launchBrowser(
  profile: string,
  portalPort: number,
  /** A TLS proxy to the portal (scripts/harness/tls-proxy.ts): https hosts map to it. */
  options: { tlsPort?: number } = {},
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: env('E2E_CHROMIUM'),
    headless: true,
    // French first: the extension's messages follow the browser's UI language.
    // (Debian's chromium-l10n must be installed for it to take effect.)
    env: { ...process.env, LANGUAGE: 'fr', LANG: 'fr_FR.UTF-8' },
    locale: 'fr-FR',
    args: [
      ...extensionArgs(env('E2E_EXTENSION_DIR')),
      ...mappedHostArgs(portalPort, options.tlsPort),
      '--lang=fr',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const test = base.extend<Fixtures>({
  portal: portalFixture,

  context: async ({ portal }, use) => {
    const profile = await mkdtemp(join(tmpdir(), 'ristourne-profile-'));
    const context = await launchBrowser(profile, portal.port);
    await use(context);
    await context.close();
    await rm(profile, { recursive: true, force: true });
  },

  serviceWorker: async ({ context }, use) => {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    await use(worker);
  },

  extensionId: async ({ serviceWorker }, use) => {
    await use(new URL(serviceWorker.url()).host);
  },

  extension: async ({ context, extensionId }, use) => {
    const channel = await openBackgroundChannel(context, extensionId);
    await channel.untilMerchantListSynced();
    await use({ extensionId, ask: channel.ask, call: channel.call });
    await channel.close();
  },
});

export const expect = baseExpect;
