import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { buildConfigDefine, resolveBuildConfig } from './utils/build-config';

const buildConfig = resolveBuildConfig(process.env);

export default defineConfig({
  // Builds for tests, the demo and other brands go to their own folders, so that two of them
  // can run at once without overwriting each other's output.
  outDir: process.env.WXT_OUT_DIR || '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  vite: () => ({
    plugins: [preact()],
    define: buildConfigDefine(process.env),
  }),
  hooks: {
    // The banner runs in every merchant page and must stay under 10 kB gzip: it talks to the
    // browser through WXT's plain `browser` (native promises in MV3 Chromium and Firefox)
    // instead of webextension-polyfill, which the rest of the extension keeps (~2.8 kB gzip).
    'vite:build:extendConfig': (entrypoints, viteConfig) => {
      if (!entrypoints.some((entrypoint) => entrypoint.name === 'banner')) return;
      const previous = viteConfig.resolve?.alias ?? [];
      const aliases = Array.isArray(previous)
        ? previous
        : Object.entries(previous).map(([find, replacement]) => ({ find, replacement }));
      viteConfig.resolve = {
        ...viteConfig.resolve,
        alias: [{ find: /^wxt\/browser$/, replacement: '@wxt-dev/browser' }, ...aliases],
      };
    },
  },
  manifest: {
    name: buildConfig.brand.name,
    short_name: buildConfig.brand.shortName,
    description: '__MSG_extensionDescription__',
    default_locale: 'fr',
    permissions: [
      'storage',
      'alarms',
      'tabs',
      'webNavigation',
      'webRequest',
      'scripting',
      'notifications',
    ],
    host_permissions: ['<all_urls>'],
    action: { default_title: buildConfig.brand.name },
  },
});
