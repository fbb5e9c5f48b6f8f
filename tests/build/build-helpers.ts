/**
 * Shared by the tests of tests/build/ (Firefox, zips, manifest, brands…): build or zip the
 * extension the way `npm run build`, `build:firefox` and `zip` do, into a temporary folder of
 * its own (WXT_OUT_DIR), then read what came out. Nothing here is specific to one test.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
// WXT's own zip library (a dependency of wxt): reads the packages back.
import JSZip from 'jszip';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type BuildBrowser = 'chrome' | 'firefox';

export interface ExtensionManifest {
  manifest_version: number;
  name: string;
  version: string;
  permissions?: string[];
  host_permissions?: string[];
  optional_permissions?: string[];
  optional_host_permissions?: string[];
  icons?: Record<string, string>;
  action?: {
    default_icon?: Record<string, string>;
    default_title?: string;
    default_popup?: string;
  };
  background?: { service_worker?: string; scripts?: string[]; type?: string };
  content_scripts?: unknown[];
  web_accessible_resources?: unknown[];
  content_security_policy?: unknown;
  browser_specific_settings?: {
    gecko?: {
      id?: string;
      strict_min_version?: string;
      data_collection_permissions?: { required?: string[]; optional?: string[] };
    };
    gecko_android?: { strict_min_version?: string };
  };
  [key: string]: unknown;
}

export interface BuiltExtension {
  /** The unpacked extension (`<outDir>/chrome-mv3` or `<outDir>/firefox-mv3`). */
  dir: string;
  manifest: ExtensionManifest;
  /** Every file of the extension, relative, with `/`. */
  files: string[];
}

/** A fresh folder under the OS's temp dir; `removeDir` it in `afterAll`. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `ristourne-${prefix}-`));
}

export function removeDir(dir: string | undefined): Promise<void> {
  return dir ? rm(dir, { recursive: true, force: true }) : Promise.resolve();
}

/** Runs a command of the project (`npx`-free: node_modules/.bin first), returns its output. */
export function run(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? projectRoot,
      env: {
        ...shellEnv(),
        PATH: `${join(options.cwd ?? projectRoot, 'node_modules', '.bin')}:${process.env.PATH}`,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output}`)),
    );
  });
}

/**
 * The environment of a shell, without what Vitest adds to its own: with `NODE_ENV=test`, Vite
 * compiles JSX in development mode, which writes the builder's absolute source paths into the
 * bundles; `npm run build` in a shell has no NODE_ENV, hence a production build.
 */
function shellEnv(): Record<string, string | undefined> {
  const env = { ...process.env };
  for (const name of ['NODE_ENV', 'MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL', 'TEST'])
    delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith('VITEST')) delete env[name];
  return env;
}

/** The production build of one browser, as `npm run build` / `npm run build:firefox` make it. */
export async function buildExtension(
  browser: BuildBrowser,
  options: { outDir: string; env?: Record<string, string>; cwd?: string },
): Promise<BuiltExtension> {
  const args = browser === 'firefox' ? ['build', '-b', 'firefox', '--mv3'] : ['build'];
  await run('wxt', args, {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: { ...options.env, WXT_OUT_DIR: options.outDir },
  });
  return readBuiltExtension(join(options.outDir, `${browser}-mv3`));
}

export async function readBuiltExtension(dir: string): Promise<BuiltExtension> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  return { dir, manifest, files: await listFiles(dir) };
}

/** Every file under `dir`, relative to it, with `/` separators, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** The JavaScript of a built extension, file by file. */
export async function readScripts(extension: BuiltExtension): Promise<Map<string, string>> {
  const scripts = new Map<string, string>();
  for (const file of extension.files.filter((name) => name.endsWith('.js'))) {
    scripts.set(file, await readFile(join(extension.dir, file), 'utf8'));
  }
  return scripts;
}

/** The entries of a zip file (files only) and a reader for their text. */
export async function readZip(
  path: string,
): Promise<{ names: string[]; text(name: string): Promise<string> }> {
  const zip = await JSZip.loadAsync(await readFile(path));
  const names = Object.values(zip.files)
    .filter((entry) => !entry.dir)
    .map((entry) => entry.name)
    .sort();
  return {
    names,
    async text(name) {
      const entry = zip.file(name);
      if (!entry) throw new Error(`${name} is not in ${path}`);
      return entry.async('string');
    },
  };
}

export async function packageJson(): Promise<{ name: string; version: string }> {
  return JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8'));
}
