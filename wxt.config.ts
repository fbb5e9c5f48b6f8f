import preact from '@preact/preset-vite';
import type { Alias, AliasOptions, Plugin } from 'vite';
import { defineConfig } from 'wxt';
import { browserManifest } from './utils/platform/browser-target';
import {
  buildConfigDefine,
  extensionPagesCsp,
  releaseBlocker,
  resolveBuildConfig,
} from './utils/build/config';

const buildConfig = resolveBuildConfig(process.env);

export default defineConfig({
  // Builds for tests, the demo and other brands go to their own folders, so that two of them
  // can run at once without overwriting each other's output.
  outDir: process.env.WXT_OUT_DIR || '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  vite: () => ({
    plugins: [preact(), zodWithoutEval()],
    define: buildConfigDefine(process.env),
  }),
  hooks: {
    // No development build in a store package: a local or plain-http portal stops `npm run zip`
    // before anything is zipped (`npm run build` still builds it, for the demo and the tests).
    'zip:start': () => {
      const blocker = releaseBlocker(buildConfig);
      if (blocker) throw new Error(blocker);
    },
    // The banner runs in every merchant page and must stay under 10 kB gzip, the search results'
    // script under 6 kB, the order watch (pages of an activated merchant) smaller still: they talk to the browser through WXT's plain `browser` (native promises
    // in MV3 Chromium and Firefox) instead of webextension-polyfill, which the rest of the
    // extension keeps (~2.8 kB gzip).
    'vite:build:extendConfig': (entrypoints, viteConfig) => {
      const inPages = ['banner', 'order-watch', 'search-marks'];
      if (!entrypoints.some((entrypoint) => inPages.includes(entrypoint.name))) return;
      const previous = viteConfig.resolve?.alias ?? [];
      const aliases = isAliasList(previous)
        ? previous
        : Object.entries(previous).map(([find, replacement]) => ({ find, replacement }));
      viteConfig.resolve = {
        ...viteConfig.resolve,
        alias: [{ find: /^wxt\/browser$/, replacement: '@wxt-dev/browser' }, ...aliases],
      };
    },
  },
  // Least privilege: each permission is explained in docs/permissions.md, and
  // tests/build/manifest.test.ts holds the built manifests to exactly this list.
  // No `tabs`: the host permission already shows us the URL of the tabs we work on.
  manifest: ({ browser }) => ({
    name: buildConfig.brand.name,
    short_name: buildConfig.brand.shortName,
    description: '__MSG_extensionDescription__',
    default_locale: 'fr',
    permissions: ['storage', 'alarms', 'webNavigation', 'webRequest', 'scripting', 'notifications'],
    host_permissions: ['<all_urls>'],
    action: { default_title: buildConfig.brand.name },
    // The portal is the only other host the pages and the background may reach (docs/permissions.md).
    content_security_policy: { extension_pages: extensionPagesCsp(buildConfig.portalUrl) },
    ...browserManifest(browser, { firefoxId: buildConfig.firefoxId }),
  }),
  zip: {
    // The sources a Firefox Add-ons reviewer needs to rebuild the very same package, and
    // nothing else: everything is excluded, then these are let in (tests/build/zip.test.ts).
    excludeSources: ['**/*'],
    includeSources: [
      'package.json',
      'package-lock.json',
      'wxt.config.ts',
      'tsconfig.json',
      'README.md',
      'entrypoints/**',
      'components/**',
      'utils/**',
      'public/**',
      'modules/**',
      'brand/**',
    ],
  },
});

/** `Array.isArray` would narrow Vite's readonly list to `any[]`; this keeps its types. */
function isAliasList(aliases: AliasOptions): aliases is readonly Alias[] {
  return Array.isArray(aliases);
}

/**
 * zod probes `new Function("")` to compile faster parsers. The extension pages' CSP forbids
 * eval in every browser, so the probe can only fail, and each failure is reported as a CSP
 * violation; store reviewers' scanners (Firefox's "DANGEROUS_EVAL") flag it too. Here zod's
 * `Function` becomes a constructor that throws, as the CSP would: zod keeps its eval-free
 * parsers, and no bundle contains the Function constructor (tests/build/manifest.test.ts).
 */
function zodWithoutEval(): Plugin {
  const FUNCTION_CONSTRUCTOR = 'const F = Function;';
  return {
    name: 'ristourne:zod-without-eval',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]zod[\\/]/.test(id) || !code.includes(FUNCTION_CONSTRUCTOR))
        return;
      return code.replaceAll(
        FUNCTION_CONSTRUCTOR,
        'const F = function () { throw new EvalError("no eval in this extension"); };',
      );
    },
  };
}
