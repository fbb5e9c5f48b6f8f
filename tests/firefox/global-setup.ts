/**
 * Builds the Firefox package (MV3, an event page) once per run, pointed at the port that every
 * test's reference portal will listen on, and hands both to the tests through the environment.
 */
import { join } from 'node:path';
import { buildExtension, projectRoot } from '../../scripts/harness/build-extension';
import { findFirefox } from '../../scripts/harness/firefox';
import { freePort } from '../../scripts/harness/free-port';

export default async function globalSetup(): Promise<void> {
  const port = await freePort();
  const extensionDir = join(projectRoot, '.output', 'e2e-firefox');
  await buildExtension({
    portalUrl: `http://localhost:${port}`,
    outDir: extensionDir,
    browser: 'firefox',
  });
  process.env.E2E_PORTAL_PORT = String(port);
  process.env.E2E_FIREFOX_EXTENSION_DIR = extensionDir;
  process.env.E2E_FIREFOX = findFirefox();
}
