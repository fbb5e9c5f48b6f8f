import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { buildConfigDefine, resolveBuildConfig } from './utils/build-config';

const buildConfig = resolveBuildConfig(process.env);

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  vite: () => ({
    plugins: [preact()],
    define: buildConfigDefine(process.env),
  }),
  manifest: {
    name: buildConfig.brand.name,
    short_name: buildConfig.brand.shortName,
    description: '__MSG_extensionDescription__',
    default_locale: 'fr',
    permissions: ['storage', 'alarms', 'tabs', 'webNavigation', 'scripting'],
    host_permissions: ['<all_urls>'],
    action: { default_title: buildConfig.brand.name },
  },
});
