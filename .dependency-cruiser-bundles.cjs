/**
 * What each bundle contains, checked by dependency-cruiser after .dependency-cruiser.cjs
 * (`npm run lint:deps`). Only the imports that survive compilation are followed here: a
 * type-only import vanishes from the bundle, so it cannot bring zod into the banner.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
const { options } = require('./.dependency-cruiser.cjs');

const PAGES_AND_BANNER = [
  '^entrypoints/banner[.]tsx$',
  '^entrypoints/(popup|options|welcome|history)/main[.]tsx$',
];

module.exports = {
  forbidden: [
    {
      name: 'banner-stays-tiny',
      severity: 'error',
      comment:
        "The banner runs in other people's pages and stays under 10 kB gzip (docs/performance.md): " +
        'it checks its messages by hand (utils/protocol/banner-update.ts) instead of with zod, ' +
        'never opens IndexedDB, and talks to the browser without webextension-polyfill ' +
        '(wxt.config.ts aliases wxt/browser for it).',
      from: { path: '^entrypoints/banner[.]tsx$' },
      to: {
        path: ['^node_modules/(zod|dexie|webextension-polyfill|@wxt-dev/storage)/'],
        reachable: true,
      },
    },
    {
      name: 'only-the-background-talks-to-the-portal',
      severity: 'error',
      comment:
        'Pages and the banner ask the background for everything and hold no token: they reach ' +
        'neither the portal client nor the database where the session lives.',
      from: { path: PAGES_AND_BANNER },
      to: {
        path: ['^utils/contract/client[.]ts$', '^utils/storage/db[.]ts$', '^node_modules/dexie/'],
        reachable: true,
      },
    },
  ],
  // Same resolution as the source pass; only the type-only imports are left out.
  options: { ...options, tsPreCompilationDeps: false },
};
