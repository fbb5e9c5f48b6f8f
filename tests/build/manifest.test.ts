/**
 * Least privilege, checked on what the stores receive (the Chrome/Edge and Firefox builds):
 * exactly the permissions docs/permissions.md explains, nothing a page can probe to detect us, a
 * CSP that lets the pages reach the portal and nothing else, no declared content script, and no
 * code that is not in the package.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildExtension,
  projectRoot,
  readScripts,
  removeDir,
  tempDir,
  type BuildBrowser,
  type BuiltExtension,
} from './build-helpers';

/** What each feature needs; docs/permissions.md explains each one. */
const PERMISSIONS = [
  'storage',
  'alarms',
  'webNavigation',
  'webRequest',
  'scripting',
  'notifications',
];
const HOST_PERMISSIONS = ['<all_urls>'];

/** Code that runs a string, or loads a script from anywhere but the package. */
const REMOTE_OR_EVAL_CODE: [string, RegExp][] = [
  ['eval(', /(?<![\w$.])eval\s*\(/],
  ['the Function constructor', /(?<![\w$.])Function\s*\(/],
  ['importScripts(', /\bimportScripts\s*\(/],
  ['an import from a URL', /\b(?:import\s*\(|from)\s*[`'"](?:https?:)?\/\//],
  ['a script element given a URL', /\.src\s*=\s*[`'"](?:https?:)?\/\//],
];

/** The scripts that run inside other people's pages (docs/performance.md). */
const IN_PAGE_SCRIPTS = ['banner.js', 'order-watch.js', 'search-marks.js'];
/** What each library leaves in a bundle, minified or not. */
const HEAVY_LIBRARIES: [string, RegExp][] = [
  ['zod', /ZodError/],
  ['Dexie', /Dexie/],
  ['webextension-polyfill', /webextension-polyfill|browser-polyfill/],
];

let outDir: string;
const builds = {} as Record<BuildBrowser, BuiltExtension>;

beforeAll(async () => {
  outDir = await tempDir('manifest');
  builds.chrome = await buildExtension('chrome', { outDir });
  builds.firefox = await buildExtension('firefox', { outDir });
});

afterAll(() => removeDir(outDir));

describe.each(['chrome', 'firefox'] as const)('the %s package', (browser) => {
  it('asks for exactly the permissions its features use, none optional', () => {
    const { manifest } = builds[browser];
    expect([...(manifest.permissions ?? [])].sort()).toEqual([...PERMISSIONS].sort());
    expect(manifest.host_permissions).toEqual(HOST_PERMISSIONS);
    expect(manifest.optional_permissions).toBeUndefined();
    expect(manifest.optional_host_permissions).toBeUndefined();
  });

  it('exposes no resource a page could load to detect the extension', () => {
    const resources = (builds[browser].manifest.web_accessible_resources ?? []) as {
      use_dynamic_url?: boolean;
    }[];
    // A dynamic URL changes every session, so a page cannot probe for it.
    expect(resources.filter((resource) => resource.use_dynamic_url !== true)).toEqual([]);
  });

  it('gives its pages a policy of their own: its own scripts, and the portal as the one other host', () => {
    // The default brand's portal (the builds here are made as `npm run build` makes them).
    expect(builds[browser].manifest.content_security_policy).toEqual({
      extension_pages:
        "default-src 'self'; script-src 'self'; object-src 'none'; style-src 'self'; " +
        "img-src 'self' http://localhost:8787; connect-src 'self' http://localhost:8787; " +
        "base-uri 'none'; form-action 'none'",
    });
  });

  it('declares no content script: the banner is injected into merchant pages only', () => {
    expect(builds[browser].manifest.content_scripts ?? []).toEqual([]);
  });

  it('keeps the scripts that run in web pages tiny: in the package, declared nowhere, without zod, Dexie or the polyfill', async () => {
    const { dir, files, manifest } = builds[browser];
    for (const script of IN_PAGE_SCRIPTS) {
      expect(files, script).toContain(script);
      const code = await readFile(join(dir, script), 'utf8');
      for (const [library, marker] of HEAVY_LIBRARIES) {
        expect(marker.test(code), `${library} in ${script}`).toBe(false);
      }
    }
    // Injected (banner) or registered at run time (search marks), never listed.
    expect(JSON.stringify(manifest)).not.toMatch(/banner\.js|search-marks\.js/);
  });

  it('runs only its own code: no eval, no Function constructor, no remote script', async () => {
    const found: string[] = [];
    for (const [file, code] of await readScripts(builds[browser])) {
      for (const [what, pattern] of REMOTE_OR_EVAL_CODE) {
        if (pattern.test(code)) found.push(`${what} in ${file}`);
      }
    }
    for (const page of builds[browser].files.filter((name) => name.endsWith('.html'))) {
      const html = await readFile(join(builds[browser].dir, page), 'utf8');
      for (const [, src] of html.matchAll(/<script[^>]*\ssrc="([^"]*)"/g)) {
        if (/^(?:[a-z]+:)?\/\//i.test(src!)) found.push(`remote script ${src} in ${page}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('names no folder of the machine that built it', async () => {
    const naming = [];
    for (const file of builds[browser].files.filter((name) => /\.(js|html|css|json)$/.test(name))) {
      const text = await readFile(join(builds[browser].dir, file), 'utf8');
      if (text.includes(projectRoot)) naming.push(file);
    }
    expect(naming).toEqual([]);
  });
});

describe('the permissions table of docs/permissions.md', () => {
  it('lists exactly the permissions of the manifest, each with its reason', async () => {
    const rows = permissionRows(await readFile(join(projectRoot, PERMISSIONS_DOC), 'utf8'));
    const { manifest } = builds.chrome;
    expect(rows.map((row) => row.permission).sort()).toEqual(
      [...(manifest.permissions ?? []), ...(manifest.host_permissions ?? [])].sort(),
    );
    for (const row of rows) expect(row.why.length, row.permission).toBeGreaterThan(20);
  });
});

const PERMISSIONS_DOC = 'docs/permissions.md';
const PERMISSIONS_HEADING = '## What each permission is for';

/** The rows of the table under PERMISSIONS_HEADING: each row's first `code`, and its reason. */
function permissionRows(doc: string): { permission: string; why: string }[] {
  const section = doc.split(`\n${PERMISSIONS_HEADING}\n`)[1]?.split(/^## /m)[0];
  if (!section) throw new Error(`${PERMISSIONS_DOC} has no "${PERMISSIONS_HEADING}" section`);
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1) // the header
    .map((line) => {
      const [name = '', why = ''] = line.split('|').slice(1, 3);
      const permission = /`([^`]+)`/.exec(name)?.[1];
      if (!permission) throw new Error(`a permissions row names no \`permission\`: ${line}`);
      return { permission, why: why.trim() };
    });
}
