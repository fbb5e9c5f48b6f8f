/**
 * Builds the production extension for a given portal into its own folder, so the demo and
 * the end-to-end tests load exactly what a store would get, pointed at the local portal:
 * the Chrome package (MV3, a service worker) by default, or the Firefox one (MV3, an event page).
 */
import { spawn } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function buildExtension(options: {
  portalUrl: string;
  outDir: string;
  env?: Record<string, string>;
  /** WXT's target: `chrome` (default, also Edge's package) or `firefox` (built as MV3). */
  browser?: 'chrome' | 'firefox';
}): Promise<string> {
  const browser = options.browser ?? 'chrome';
  const wxt = join(
    projectRoot,
    'node_modules',
    '.bin',
    process.platform === 'win32' ? 'wxt.cmd' : 'wxt',
  );
  const buildDir = `${options.outDir}.build`;
  await new Promise<void>((resolve, reject) => {
    const args = browser === 'firefox' ? ['build', '-b', 'firefox', '--mv3'] : ['build'];
    const child = spawn(wxt, args, {
      cwd: projectRoot,
      env: {
        ...process.env,
        // Another NODE_ENV (Vitest's `test`) builds JSX in development mode, with our folders in it.
        NODE_ENV: 'production',
        ...options.env,
        WXT_PORTAL_URL: options.portalUrl,
        WXT_OUT_DIR: buildDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`wxt build failed (${code}):\n${output}`)),
    );
  });
  await rm(options.outDir, { recursive: true, force: true });
  await cp(join(buildDir, `${browser}-mv3`), options.outDir, { recursive: true });
  await rm(buildDir, { recursive: true, force: true });
  return options.outDir;
}
