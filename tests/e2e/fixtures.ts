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
import { startPortal, type RunningPortal } from '../../portal/start';
import { extensionArgs } from '../../scripts/harness/chromium';
import { mappedHostArgs } from '../../scripts/harness/tls-proxy';
import { openBackgroundChannel, type BackgroundChannel } from '../../scripts/harness/browser-state';

export interface PortalHandle {
  /** The portal's origin, e.g. http://localhost:41234 */
  url: string;
  port: number;
  /** A demo shop's origin on its own *.localhost host. */
  shopUrl(slug: string, path?: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
  admin<T = unknown>(path: string, init?: RequestInit): Promise<T>;
}

export const ADMIN_KEY = 'demo-admin';
export const DEMO_MEMBER = { email: 'demo@ristourne.test', password: 'cagnotte-demo' };

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

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests through playwright.`);
  return value;
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
  // eslint-disable-next-line no-empty-pattern
  portal: async ({}, use) => {
    const port = Number(env('E2E_PORTAL_PORT'));
    const dataDir = await mkdtemp(join(tmpdir(), 'ristourne-portal-'));
    let running = null as RunningPortal | null;
    const start = async () => {
      running = await startPortal({ port, dataDir, log: false });
    };
    await start();
    const url = `http://localhost:${port}`;
    await use({
      url,
      port,
      shopUrl: (slug, path = '/') => `http://${slug}.localhost:${port}${path}`,
      start,
      async stop() {
        await running?.close();
        running = null;
      },
      async admin<T>(path: string, init?: RequestInit): Promise<T> {
        const response = await fetch(`${url}/admin/api${path}`, {
          ...init,
          headers: { 'X-Admin-Key': ADMIN_KEY, ...init?.headers },
        });
        if (!response.ok) throw new Error(`admin ${path}: ${response.status}`);
        return (await response.json()) as T;
      },
    });
    await running?.close();
    await rm(dataDir, { recursive: true, force: true });
  },

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
