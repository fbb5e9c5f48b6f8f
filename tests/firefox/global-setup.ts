/**
 * Builds the Firefox package (MV3, an event page) once per run, pointed at the port that every
 * test's reference portal will listen on, starts Firefox once for a profile the tests copy, and
 * hands them all to the tests through the environment.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildExtension, projectRoot } from '../../scripts/harness/build-extension';
import { findFirefox, prepareProfileTemplate } from '../../scripts/harness/firefox';
import { freePort } from '../../scripts/harness/free-port';

/** Returns the teardown: the profile template is removed after the run. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const port = await freePort();
  const extensionDir = join(projectRoot, '.output', 'e2e-firefox');
  await buildExtension({
    portalUrl: `http://localhost:${port}`,
    outDir: extensionDir,
    browser: 'firefox',
  });
  process.env.E2E_PORTAL_PORT = String(port);
  process.env.E2E_FIREFOX_EXTENSION_DIR = extensionDir;
  const firefox = findFirefox();
  const profileTemplate = await prepareProfileTemplate(firefox);
  process.env.E2E_FIREFOX = firefox;
  process.env.E2E_FIREFOX_PROFILE_TEMPLATE = profileTemplate;
  return () => rm(profileTemplate, { recursive: true, force: true });
}
