/**
 * The reference portal of one end-to-end test, with fresh data, on the port the extension was
 * built for (E2E_PORTAL_PORT, set by the suite's global setup). Shared by the Chromium suite
 * (tests/e2e/fixtures.ts) and the Firefox one (tests/firefox/fixtures.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPortal, type RunningPortal } from '../../portal/start';
import { shopOrigin } from '../../scripts/harness/pages/shop';
import { movableClock } from '../../scripts/harness/clock';

export interface PortalHandle {
  /** The portal's origin, e.g. http://localhost:41234 */
  url: string;
  port: number;
  /** A demo shop's origin on its own *.localhost host. */
  shopUrl(slug: string, path?: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
  admin<T = unknown>(path: string, init?: RequestInit): Promise<T>;
  /** Moves the portal's clock ahead (scripts/harness/clock.ts); a restart keeps it. */
  advanceClock(ms: number): void;
}

export const ADMIN_KEY = 'demo-admin';
export const DEMO_MEMBER = { email: 'demo@ristourne.test', password: 'cagnotte-demo' };

export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests through playwright.`);
  return value;
}

/**
 * A Playwright fixture: the portal, running for the test, then stopped and its data removed.
 * (Playwright reads a fixture's first parameter as a destructuring pattern: it needs none.)
 */
export async function portalFixture(
  // eslint-disable-next-line no-empty-pattern
  {}: object,
  use: (portal: PortalHandle) => Promise<void>,
): Promise<void> {
  const port = Number(env('E2E_PORTAL_PORT'));
  const dataDir = await mkdtemp(join(tmpdir(), 'ristourne-portal-'));
  let running = null as RunningPortal | null;
  const clock = movableClock();
  const start = async () => {
    running = await startPortal({ port, dataDir, log: false, now: clock.now });
  };
  await start();
  const url = `http://localhost:${port}`;
  await use({
    url,
    port,
    shopUrl: (slug, path = '/') => `${shopOrigin(slug, port)}${path}`,
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
    advanceClock: (ms) => clock.advance(ms),
  });
  await running?.close();
  await rm(dataDir, { recursive: true, force: true });
}
