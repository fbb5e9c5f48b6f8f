/**
 * `npm run zip`: the packages the stores receive. The Chrome package (also Edge's), the Firefox
 * package and the sources Firefox Add-ons asks for, all named with package.json's version, and
 * sources that rebuild the very same Firefox package, with nothing else in them.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildExtension,
  listFiles,
  packageJson,
  projectRoot,
  readZip,
  removeDir,
  run,
  tempDir,
} from './build-helpers';

/** What a reviewer needs to rebuild the Firefox package (wxt.config.ts `zip.includeSources`). */
const SOURCE_FILES = ['package.json', 'package-lock.json', 'wxt.config.ts', 'tsconfig.json'];
const SOURCE_DIRS = ['entrypoints', 'components', 'utils', 'public', 'modules', 'brand'];

/** A store build is for a public portal: the default brand's is the local one (a dev build). */
const RELEASE_ENV = { WXT_PORTAL_URL: 'https://www.ristourne.example' };

type Zip = Awaited<ReturnType<typeof readZip>>;

let outDir: string;
let rebuildDir: string;
let version: string;
let zips: { chrome: Zip; firefox: Zip; sources: Zip };
let zipNames: string[];

beforeAll(async () => {
  outDir = await tempDir('zip');
  const pkg = await packageJson();
  version = pkg.version;
  await run('npm', ['run', 'zip'], { env: { ...RELEASE_ENV, WXT_OUT_DIR: outDir } });
  zipNames = (await readdir(outDir)).filter((name) => name.endsWith('.zip')).sort();
  const zipOf = (suffix: string) => readZip(join(outDir, `${pkg.name}-${version}-${suffix}.zip`));
  zips = {
    chrome: await zipOf('chrome'),
    firefox: await zipOf('firefox'),
    sources: await zipOf('sources'),
  };
});

afterAll(async () => {
  await removeDir(outDir);
  await removeDir(rebuildDir);
});

describe('npm run zip', () => {
  it("writes the Chrome/Edge, Firefox and sources zips, named with package.json's version", async () => {
    const { name } = await packageJson();
    expect(zipNames).toEqual([
      `${name}-${version}-chrome.zip`,
      `${name}-${version}-firefox.zip`,
      `${name}-${version}-sources.zip`,
    ]);
  });

  it('puts an installable extension with that version in each browser zip', async () => {
    for (const [browser, zip] of [
      ['chrome', zips.chrome],
      ['firefox', zips.firefox],
    ] as const) {
      const manifest = JSON.parse(await zip.text('manifest.json'));
      expect(manifest.version, browser).toBe(version);
      expect(zip.names, browser).toContain(
        manifest.background.service_worker ?? manifest.background.scripts[0],
      );
    }
    const firefoxManifest = JSON.parse(await zips.firefox.text('manifest.json'));
    expect(firefoxManifest.browser_specific_settings.gecko.id).toBeTruthy();
    const chromeManifest = JSON.parse(await zips.chrome.text('manifest.json'));
    expect(chromeManifest.browser_specific_settings).toBeUndefined();
  });
});

describe('a development build', () => {
  it('is refused by npm run zip, with what to do about it, and no package is written', async () => {
    const devOut = await tempDir('zip-dev');
    try {
      // The default brand as it is: its portal is the local reference portal.
      const failure = await run('npm', ['run', 'zip'], { env: { WXT_OUT_DIR: devOut } }).then(
        () => 'zipped',
        (error: Error) => error.message,
      );
      expect(failure).toMatch(/http:\/\/localhost:8787/);
      expect(failure).toMatch(/loopback/);
      expect(failure).toMatch(/WXT_PORTAL_URL/);
      expect((await readdir(devOut)).filter((name) => name.endsWith('.zip'))).toEqual([]);
    } finally {
      await removeDir(devOut);
    }
  });
});

describe('the sources zip', () => {
  it("holds exactly what a rebuild needs: the project's config, its sources and the README", async () => {
    const expected = [...SOURCE_FILES, 'README.md'];
    for (const dir of SOURCE_DIRS.filter((name) => existsSync(join(projectRoot, name)))) {
      const files = await listFiles(join(projectRoot, dir));
      // Hidden files (an editor's, a local .env) stay out, as WXT leaves them.
      expected.push(
        ...files
          .filter((file) => !file.split('/').some((part) => part.startsWith('.')))
          .map((file) => `${dir}/${file}`),
      );
    }
    expect(zips.sources.names).toEqual(expected.sort());
  });

  it('leaves out the dependencies, builds, tests, the portal and its data', () => {
    const leftOut =
      /^(node_modules|\.output|\.wxt|portal|tests|test-results|playwright-report|demo-screenshots|bench-results|scripts)\/|^\.env/;
    expect(zips.sources.names.filter((name) => leftOut.test(name))).toEqual([]);
  });

  it('rebuilds the very files of the Firefox package', async () => {
    rebuildDir = await tempDir('rebuild');
    const sourcesDir = join(rebuildDir, 'sources');
    for (const name of zips.sources.names) {
      const target = join(sourcesDir, name);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, await zips.sources.text(name));
    }
    // What `npm ci` would install from package-lock.json, without the network.
    await symlink(join(projectRoot, 'node_modules'), join(sourcesDir, 'node_modules'), 'dir');
    const rebuilt = await buildExtension('firefox', {
      cwd: sourcesDir,
      outDir: join(rebuildDir, 'out'),
      env: RELEASE_ENV,
    });

    expect(rebuilt.files).toEqual(zips.firefox.names);
    const differing = [];
    for (const name of rebuilt.files) {
      const original = await zips.firefox.text(name);
      if ((await readFile(join(rebuilt.dir, name), 'utf8')) !== original) differing.push(name);
    }
    expect(differing).toEqual([]);
  });
});
