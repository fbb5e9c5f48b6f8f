/**
 * The boundary check (`npm run lint:deps`) can fail: the project's own dependency-cruiser rules,
 * run over a tiny tree written for the occasion, catch each forbidden import in it and let the
 * allowed ones through (type-only imports above all, which vanish from the bundles).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const SOURCE_RULES = require('../../.dependency-cruiser.cjs') as IConfiguration;
const BUNDLE_RULES = require('../../.dependency-cruiser-bundles.cjs') as IConfiguration;

const fakePackage = (name: string) => ({
  [`node_modules/${name}/package.json`]: JSON.stringify({ name, main: 'index.js' }),
  [`node_modules/${name}/index.js`]: 'export default {};',
});

const TREE: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'fixture', dependencies: { dexie: '*', zod: '*' } }),
  ...fakePackage('dexie'),
  ...fakePackage('zod'),
  'utils/storage/db.ts': "import Dexie from 'dexie';\nexport const db = Dexie;",
  'utils/protocol/messages.ts':
    "import z from 'zod';\nexport const schema = z;\nexport type View = { title: string };",
  'utils/build/config.ts':
    'export interface BuildConfig { portalUrl: string }\n' +
    "export const isLoopbackHost = (host: string) => host === 'localhost';",
  // Allowed: the build config's type in a bundle.
  'utils/config.ts':
    "import type { BuildConfig } from './build/config';\nexport const config = {} as BuildConfig;",
  // Forbidden: a decision that opens the database.
  'utils/banner/decision.ts':
    "import { db } from '../storage/db';\nimport { config } from '../config';\n" +
    'export const decide = () => [db, config];',
  // Forbidden: build-time code in a bundle.
  'utils/activation/flow.ts':
    "import { isLoopbackHost } from '../build/config';\nexport const secure = isLoopbackHost;",
  // Forbidden: a cycle.
  'utils/merchants/list.ts':
    "import { normalise } from './domain';\nexport const parse = normalise;",
  'utils/merchants/domain.ts': "import { parse } from './list';\nexport const normalise = parse;",
  // Forbidden: a file only a test uses.
  'utils/format/dates.ts': 'export const today = 0;',
  'tests/unit/dates.test.ts': "import { today } from '../../utils/format/dates';\nvoid today;",
  // Forbidden: the portal reaching past the contract.
  'portal/app.ts': "import { decide } from '../utils/banner/decision';\nvoid decide;",
  // The banner's runtime imports reach Dexie (forbidden); its type-only import of the
  // zod-backed messages does not reach zod (allowed).
  'components/banner/Banner.tsx':
    "import type { View } from '../../utils/protocol/messages';\n" +
    "import { decide } from '../../utils/banner/decision';\n" +
    "import { secure } from '../../utils/activation/flow';\n" +
    "import { parse } from '../../utils/merchants/list';\n" +
    'export const Banner = (view: View) => [view.title, decide(), secure, parse];',
  'entrypoints/banner.tsx': "import { Banner } from '../components/banner/Banner';\nvoid Banner;",
};

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ristourne-boundaries-'));
  for (const [file, text] of Object.entries(TREE)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** "rule: from → to" for every violation of `rules` in the fixture tree. */
async function violations(rules: IConfiguration, paths: string[]): Promise<string[]> {
  // The project's tsconfig is no use here: the fixture imports by relative path only.
  const { tsConfig: _projectTsConfig, ...options } = rules.options ?? {};
  const { output } = await cruise(paths, {
    ...options,
    baseDir: root,
    ruleSet: { forbidden: rules.forbidden },
    validate: true,
  });
  const result = output as ICruiseResult;
  return result.summary.violations.map(({ rule, from, to }) => `${rule.name}: ${from} → ${to}`);
}

describe('the boundary rules', () => {
  it('catch each forbidden import of the source, and only those', async () => {
    expect((await violations(SOURCE_RULES, ['.'])).sort()).toEqual([
      'decisions-stay-pure: utils/banner/decision.ts → utils/storage/db.ts',
      'no-build-time-code-in-bundles: utils/activation/flow.ts → utils/build/config.ts',
      'no-circular: utils/merchants/domain.ts → utils/merchants/list.ts',
      'no-unused-code: utils/format/dates.ts → utils/format/dates.ts',
      'portal-shares-only-the-contract: portal/app.ts → utils/banner/decision.ts',
    ]);
  });

  it('catch what the banner bundle reaches at run time, not through types', async () => {
    expect((await violations(BUNDLE_RULES, ['entrypoints'])).sort()).toEqual([
      'banner-stays-tiny: entrypoints/banner.tsx → node_modules/dexie/index.js',
      'only-the-background-talks-to-the-portal: entrypoints/banner.tsx → node_modules/dexie/index.js',
      'only-the-background-talks-to-the-portal: entrypoints/banner.tsx → utils/storage/db.ts',
    ]);
  });
});
