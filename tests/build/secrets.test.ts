/**
 * No secret in any bundle: the Chrome and Firefox builds are read file by file for the demo
 * credentials, private keys, the usual token shapes, the values of .env files and of secret
 * environment variables present at build time, and source maps that would ship the sources.
 * The scanner is first shown to find each of them in a planted file, so that a clean result
 * means something.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildExtension,
  projectRoot,
  removeDir,
  tempDir,
  type BuiltExtension,
} from './build-helpers';

/** Canaries put in the build's environment: a build that inlines its environment shows them. */
const CANARIES = {
  WXT_API_SECRET: 'canary-wxt-5f1c0e9a7b',
  VITE_STRIPE_KEY: 'canary-vite-2d8a4c6e1f',
  PORTAL_DB_PASSWORD: 'canary-env-9b3e7d5a0c',
};

interface SecretRule {
  name: string;
  pattern: RegExp;
}

/** The values of the project's .env files (WXT and Vite read them), 6 characters or more. */
function dotEnvValues(): string[] {
  return readdirSync(projectRoot)
    .filter((name) => /^\.env(\..+)?$/.test(name) && !name.endsWith('.example'))
    .flatMap((name) => readFileSync(join(projectRoot, name), 'utf8').split('\n'))
    .map((line) => line.replace(/^\s*(export\s+)?[\w.]+\s*=\s*/, '').replace(/^['"]|['"]$/g, ''))
    .filter((value) => value.trim().length >= 6);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const RULES: SecretRule[] = [
  { name: 'the demo password', pattern: /cagnotte-demo/ },
  { name: 'the admin key', pattern: /demo-admin/ },
  { name: 'the demo member', pattern: /demo@ristourne\.test/ },
  { name: 'a private key or certificate', pattern: /-----BEGIN/ },
  { name: 'an AWS access key', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'a GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{22,})/ },
  { name: 'a Stripe secret key', pattern: /\b[sr]k_live_[0-9A-Za-z]{10,}/ },
  { name: 'a Slack token', pattern: /\bxox[abposr]-[0-9A-Za-z-]{10,}/ },
  { name: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'a JWT', pattern: /\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*/ },
  // A literal token after "Bearer" (the code builds the header from the member's own token).
  { name: 'a literal bearer token', pattern: /Bearer [A-Za-z0-9._~+/=-]{16,}/ },
  { name: 'a source map', pattern: /sourceMappingURL=|"sourcesContent"/ },
  ...Object.entries(CANARIES).map(([variable, value]) => ({
    name: `the build environment's ${variable}`,
    pattern: new RegExp(escape(value)),
  })),
  ...dotEnvValues().map((value, index) => ({
    name: `the value of line ${index + 1} of a .env file`,
    pattern: new RegExp(escape(value)),
  })),
];

/** Every rule that matches any file of the folder, as "file: rule". */
async function findSecrets(extension: BuiltExtension): Promise<string[]> {
  const found: string[] = [];
  for (const file of extension.files) {
    if (file.endsWith('.map')) found.push(`${file}: a source map file`);
    // Binary files as Latin-1: a secret in an image's metadata shows too.
    const text = await readFile(join(extension.dir, file), 'latin1');
    for (const rule of RULES) if (rule.pattern.test(text)) found.push(`${file}: ${rule.name}`);
  }
  return found;
}

const builds: Partial<Record<'chrome' | 'firefox', BuiltExtension>> = {};
let outDir: string;

beforeAll(async () => {
  outDir = await tempDir('secrets');
  for (const browser of ['chrome', 'firefox'] as const) {
    builds[browser] = await buildExtension(browser, { outDir, env: CANARIES });
  }
}, 300_000);

afterAll(() => removeDir(outDir));

describe('the secret scan', () => {
  it('finds every kind of secret planted in a bundle', async () => {
    const plantedDir = await tempDir('secrets-planted');
    try {
      const samples = [
        'const password = "cagnotte-demo";',
        'fetch("/admin?key=demo-admin");',
        'login("demo@ristourne.test");',
        '-----BEGIN RSA PRIVATE KEY-----',
        'aws = "AKIAIOSFODNN7EXAMPLE";',
        `gh = "ghp_${'a1B2'.repeat(9)}";`,
        `stripe = "sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}";`,
        'slack = "xoxb-123456789012-abcdefghij";',
        `google = "AIza${'Sy'.padEnd(35, 'x')}";`,
        'jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc";',
        'headers = { Authorization: "Bearer 0123456789abcdefXYZ" };',
        '//# sourceMappingURL=background.js.map',
        ...Object.values(CANARIES),
      ];
      for (const [index, sample] of samples.entries()) {
        await writeFile(join(plantedDir, `chunk-${index}.js`), `/* */${sample}\n`);
      }
      const planted: BuiltExtension = {
        dir: plantedDir,
        manifest: { manifest_version: 3, name: 'planted', version: '0' },
        files: samples.map((_, index) => `chunk-${index}.js`),
      };
      const found = await findSecrets(planted);
      const fixedRules = RULES.length - dotEnvValues().length;
      expect(new Set(found.map((line) => line.split(': ')[1])).size).toBe(fixedRules);
      for (const [index] of samples.entries()) {
        expect(
          found.some((line) => line.startsWith(`chunk-${index}.js:`)),
          samples[index],
        ).toBe(true);
      }
    } finally {
      await removeDir(plantedDir);
    }
  });

  it('leaves the code that builds the Authorization header alone', () => {
    const bearer = RULES.find((rule) => rule.name === 'a literal bearer token')!;
    expect(bearer.pattern.test('headers:{Authorization:`Bearer ${e}`}')).toBe(false);
    expect(bearer.pattern.test('Authorization:"Bearer "+t')).toBe(false);
  });

  it.each(['chrome', 'firefox'] as const)('finds nothing in the %s build', async (browser) => {
    const extension = builds[browser]!;
    expect(extension.files.length).toBeGreaterThan(10);
    expect(await findSecrets(extension)).toEqual([]);
  });

  it('finds nothing of the project sources either (no maps, no sources zipped in)', () => {
    for (const extension of Object.values(builds)) {
      expect(
        extension.files.filter((file) => /\.(map|ts|tsx|env)$|(^|\/)\.env/.test(file)),
      ).toEqual([]);
      expect(existsSync(join(extension.dir, 'portal'))).toBe(false);
    }
  });
});
