/**
 * Builds the production extension once per run, pointed at the port that every test's
 * reference portal will listen on, and hands both to the tests through the environment.
 */
import { join } from 'node:path';
import { buildExtension, projectRoot } from '../../scripts/harness/build-extension';
import { findChromium } from '../../scripts/harness/chromium';
import { freePort } from '../../scripts/harness/free-port';

export default async function globalSetup(): Promise<void> {
  const port = await freePort();
  const extensionDir = join(projectRoot, '.output', 'e2e-extension');
  await buildExtension({ portalUrl: `http://localhost:${port}`, outDir: extensionDir });
  process.env.E2E_PORTAL_PORT = String(port);
  process.env.E2E_EXTENSION_DIR = extensionDir;
  process.env.E2E_CHROMIUM = findChromium();
}
