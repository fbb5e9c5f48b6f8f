/**
 * The boundaries of docs/architecture.md ("Boundaries"), checked by dependency-cruiser on every
 * `npm test` (`npm run lint:deps`). This pass reads the source as written, type-only imports
 * included (they couple folders too); .dependency-cruiser-bundles.cjs then follows what each
 * bundle really contains. tests/unit/boundaries.test.ts shows that a forbidden import fails.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */

/** What only the extension's bundles may run: the browser's API and its storage. */
const BROWSER_API = [
  '^node_modules/wxt/dist/(browser|utils/storage)[.]',
  '^node_modules/@wxt-dev/(browser|storage)/',
  '^node_modules/webextension-polyfill/',
];
const DEXIE = '^node_modules/dexie/';

/**
 * The modules of utils/ that touch the browser, storage or the network, or drive ones that do:
 * the adapters and flows around the decisions. Every other module of utils/ is a decision or a
 * helper of one, and stays pure (rule `decisions-stay-pure`). A new file is pure by default;
 * one that needs the browser joins this list, where a reviewer sees it.
 */
const ADAPTERS = [
  // All of storage but deadline.ts: a pure rule for reading stored times, used by decisions.
  '^utils/storage/(?!deadline[.]ts$)',
  '^utils/background/(deps|handlers|stores)[.]ts$',
  '^utils/[^/]+/[^/]+-setup[.]ts$',
  '^utils/account/(account|store)[.]ts$',
  '^utils/activation/flow[.]ts$',
  '^utils/banner/(delivery|view)[.]ts$',
  '^utils/contract/client[.]ts$',
  '^utils/format/i18n[.]ts$',
  '^utils/merchants/(store|sync)[.]ts$',
  '^utils/orders/(journal|flow|claims)[.]ts$',
  '^utils/platform/host-access(-watch)?[.]ts$',
  '^utils/protocol/send[.]ts$',
  '^utils/search/(match|registration)[.]ts$',
  '^utils/visit/(badge|flow|tab-offer)[.]ts$',
];

/** Code that runs in the browser: every bundle is built from these folders. */
const BUNDLED = '^(entrypoints|components|utils)/';
/** utils/build/ runs at build time only (wxt.config.ts, modules/, scripts/). */
const BUILD_TIME = '^utils/build/';
const TEST_FILE = '[.]test[.]tsx?$';

module.exports = {
  forbidden: [
    {
      name: 'decisions-stay-pure',
      severity: 'error',
      comment:
        'A decision takes data and the time and returns data, so that its table tests need no ' +
        'browser: it imports neither the browser API nor Dexie, and no adapter at run time ' +
        '(types are free). Declare a module that must touch the browser in ADAPTERS.',
      from: { path: '^utils/', pathNot: [...ADAPTERS, BUILD_TIME] },
      to: { path: [...BROWSER_API, DEXIE, ...ADAPTERS], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'decisions-name-no-browser-type',
      severity: 'error',
      comment:
        'Not even as types: a decision that names a browser or Dexie type has a browser object ' +
        'among its inputs. (The router reads a sender as a type and is declared here instead.)',
      from: { path: '^utils/', pathNot: [...ADAPTERS, BUILD_TIME, '^utils/protocol/router[.]ts$'] },
      to: { path: [...BROWSER_API, DEXIE] },
    },
    {
      name: 'utils-import-no-ui',
      severity: 'error',
      comment:
        'utils/ decides, components/ renders: the background imports utils/ and must never ' +
        'pull a component (or a page) into the worker.',
      from: { path: '^utils/' },
      to: { path: '^(components|entrypoints)/' },
    },
    {
      name: 'components-import-no-entrypoint',
      severity: 'error',
      comment: 'Entrypoints are composition roots: they import components, never the reverse.',
      from: { path: '^components/' },
      to: { path: '^entrypoints/' },
    },
    {
      name: 'portal-shares-only-the-contract',
      severity: 'error',
      comment:
        "The reference portal stands in for anyone's portal: it shares utils/contract/ (the " +
        'schemas of docs/portal-api.md) with the extension, and nothing else.',
      from: { path: '^portal/' },
      to: {
        path: '^(utils|components|entrypoints|modules|scripts|tests|brand|public)/',
        pathNot: '^utils/contract/',
      },
    },
    {
      name: 'extension-imports-no-portal',
      severity: 'error',
      comment: 'The extension works with any portal that serves the contract, not with ours.',
      from: { path: BUNDLED },
      to: { path: '^portal/' },
    },
    {
      name: 'no-build-time-code-in-bundles',
      severity: 'error',
      comment:
        'Build-time code (utils/build/, modules/, scripts/, Node builtins) never reaches a ' +
        "bundle: it would fail in the browser, or ship the build machine's paths. Reading the " +
        "build config's types is fine: they vanish at compile time.",
      from: { path: BUNDLED, pathNot: [BUILD_TIME, TEST_FILE] },
      to: {
        path: [BUILD_TIME, '^(modules|scripts|tests)/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'no-node-builtins-in-bundles',
      severity: 'error',
      comment:
        'Node builtins do not exist in a browser (utils/build/ reads files through process).',
      from: { path: BUNDLED, pathNot: [BUILD_TIME, TEST_FILE] },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-openapi-in-bundles',
      severity: 'error',
      comment:
        'The OpenAPI document is for the portal and the contract test; in a bundle it would add ' +
        "zod's JSON Schema converter for nothing.",
      from: { path: BUNDLED, pathNot: '^utils/contract/openapi[.]ts$' },
      to: { path: '^utils/contract/openapi[.]ts$' },
    },
    {
      name: 'scripts-import-no-tests',
      severity: 'error',
      comment:
        'The demo and the store listing run without the test suite; the tests may use the ' +
        'harness in scripts/, not the other way round.',
      from: { path: '^scripts/' },
      to: { path: '^tests/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle makes two modules one: neither can be understood, tested or moved alone, and ' +
        'at run time one of them sees the other half-initialised.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unused-code',
      severity: 'error',
      comment:
        'Every module of utils/ and components/ is used by the extension, the build or the ' +
        'portal; code that only tests reach is a defect, so no test is a root.',
      from: {
        path: ['^entrypoints/', '^wxt[.]config[.]ts$', '^modules/', '^portal/', '^scripts/'],
        pathNot: TEST_FILE,
      },
      to: { path: '^(utils|components)/', pathNot: [TEST_FILE, '[.]d[.]ts$'], reachable: false },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A file nothing imports and that imports nothing is dead, or a misplaced script.',
      from: {
        orphan: true,
        pathNot: ['[.]d[.]ts$', '(^|/)[.][^/]+[.](c|m)?js$', '[.]config[.]ts$', TEST_FILE],
      },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import that resolves to nothing breaks the build, or hides behind a bundler alias.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-dev-dep-in-bundles',
      severity: 'error',
      comment:
        'A bundle needs its packages in "dependencies"; a devDependency there ships untracked.',
      from: { path: BUNDLED, pathNot: [BUILD_TIME, TEST_FILE] },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    // Follow our code, not the packages': a package is a leaf named by its path.
    doNotFollow: { path: '^node_modules/' },
    // Generated, installed or produced by a run: not ours to check.
    exclude: {
      path: '^([.]output|[.]wxt|test-results|playwright-report|bench-results|demo-screenshots|portal/data)/',
    },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Packages are resolved as Vite and TypeScript do: through their "exports" map.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    combinedDependencies: false,
    reporterOptions: { text: { highlightFocused: true } },
  },
};
