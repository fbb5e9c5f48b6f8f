/**
 * The build configuration: one brand folder with defaults, single fields overridden by the
 * environment, and clear errors for what a portal could get wrong before anything is built.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  contrastRatio,
  releaseBlocker,
  resolveBrand,
  resolveBuildConfig,
} from '../../../utils/build/config';

const ROOT = resolve(__dirname, '../../..');
const SECOND = 'tests/build/fixtures/brand-second';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A copy of the default brand folder with some brand.json fields changed. */
function brandFolder(change: (brand: Record<string, unknown>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'ristourne-brand-'));
  folders.push(dir);
  cpSync(join(ROOT, 'brand/ristourne'), dir, { recursive: true });
  const brand = JSON.parse(readFileSync(join(dir, 'brand.json'), 'utf8'));
  change(brand);
  writeFileSync(join(dir, 'brand.json'), JSON.stringify(brand));
  return dir;
}

describe('resolveBuildConfig', () => {
  it('gives the default brand with its portal pages', () => {
    expect(resolveBuildConfig({}, ROOT)).toEqual({
      portalUrl: 'http://localhost:8787',
      brand: {
        name: 'Ristourne',
        shortName: 'Ristourne',
        primaryColor: '#0b6e4f',
        onPrimaryColor: '#ffffff',
      },
      firefoxId: 'extension@ristourne.example',
      pages: {
        account: 'http://localhost:8787/compte',
        signUp: 'http://localhost:8787/inscription',
        help: 'http://localhost:8787/aide',
      },
      search: {
        googleDomains: [
          'google.fr',
          'google.be',
          'google.ch',
          'google.ca',
          'google.lu',
          'google.mc',
          'google.com',
        ],
      },
    });
  });

  it("takes the Google domains of the brand's market, and refuses anything else", () => {
    const german = brandFolder((brand) => (brand.googleDomains = ['google.de', 'google.at']));
    expect(resolveBuildConfig({ WXT_BRAND_DIR: german }).search.googleDomains).toEqual([
      'google.de',
      'google.at',
    ]);
    for (const wrong of [[], ['www.google.de'], ['evil.example'], 'google.de', [42]]) {
      const folder = brandFolder((brand) => (brand.googleDomains = wrong));
      expect(() => resolveBuildConfig({ WXT_BRAND_DIR: folder })).toThrow(
        /"googleDomains" must list Google domains/,
      );
    }
  });

  it('reads another brand folder from WXT_BRAND_DIR, with its logo', () => {
    const brand = resolveBrand({ WXT_BRAND_DIR: SECOND }, ROOT);
    expect(brand.config.brand).toEqual({
      name: 'Cashbee Plus',
      shortName: 'Cashbee',
      primaryColor: '#6d28d9',
      onPrimaryColor: '#ffffff',
    });
    expect(brand.config.pages).toEqual({
      account: 'https://www.cashbee.example/mon-compte',
      signUp: 'https://portail.cashbee.example/rejoindre',
      help: 'https://aide.cashbee.example/',
    });
    expect(brand.logoFile).toBe(join(ROOT, SECOND, 'cashbee.svg'));
    expect(brand.logoSvg).toContain('#6d28d9');
  });

  it('lets the environment override single fields; relative pages follow the portal', () => {
    const config = resolveBuildConfig(
      {
        WXT_PORTAL_URL: 'https://portal.example',
        WXT_BRAND_COLOR: '#1A4D8F',
        WXT_HELP_URL: 'https://help.example/faq',
      },
      ROOT,
    );
    expect(config.portalUrl).toBe('https://portal.example');
    expect(config.brand.primaryColor).toBe('#1a4d8f');
    expect(config.brand.name).toBe('Ristourne');
    expect(config.pages).toEqual({
      account: 'https://portal.example/compte',
      signUp: 'https://portal.example/inscription',
      help: 'https://help.example/faq',
    });
  });

  it('cuts a name given alone to the 12 characters of a short name', () => {
    const config = resolveBuildConfig({ WXT_BRAND_NAME: 'Le Club des Remises' }, ROOT);
    expect(config.brand).toMatchObject({ name: 'Le Club des Remises', shortName: 'Le Club des' });
  });

  it.each([
    [{ WXT_PORTAL_URL: 'http://portal.example' }, /WXT_PORTAL_URL: .*must be https/],
    [{ WXT_PORTAL_URL: 'https://portal.example/api' }, /WXT_PORTAL_URL: .*without path/],
    [{ WXT_BRAND_COLOR: 'green' }, /WXT_BRAND_COLOR \(primary colour\) must be a colour/],
    [{ WXT_BRAND_COLOR: '#77dd77' }, /contrast of 1\.\d\d:1.*at least 4\.5:1/],
    [{ WXT_BRAND_SHORT_NAME: 'Ristourne Plus' }, /WXT_BRAND_SHORT_NAME \(short name\).*1 to 12/],
    [{ WXT_ACCOUNT_URL: 'http://portal.example/compte' }, /WXT_ACCOUNT_URL \(account page\)/],
    [{ WXT_FIREFOX_ID: 'not an id' }, /WXT_FIREFOX_ID: the Firefox id/],
    [{ WXT_BRAND_DIR: 'brand/nowhere' }, /no brand\.json in .*brand\/nowhere/],
    [{ WXT_BRAND_LOGO: 'package.json' }, /must be an SVG/],
  ])('refuses %o with a clear error', (env, message) => {
    expect(() => resolveBuildConfig(env, ROOT)).toThrow(message);
  });

  it('names the brand.json field that is wrong', () => {
    const unknownField = brandFolder((brand) => (brand.colour = '#000000'));
    expect(() => resolveBuildConfig({ WXT_BRAND_DIR: unknownField })).toThrow(
      /brand\.json: unknown field "colour"/,
    );
    const missingPage = brandFolder(
      (brand) => delete (brand.pages as Record<string, unknown>).help,
    );
    expect(() => resolveBuildConfig({ WXT_BRAND_DIR: missingPage })).toThrow(
      /"pages\.help" must be a non-empty string/,
    );
    const missingLogo = brandFolder((brand) => (brand.logo = 'absent.svg'));
    expect(() => resolveBuildConfig({ WXT_BRAND_DIR: missingLogo })).toThrow(
      /logo .*absent\.svg \(from .*brand\.json\) cannot be read/,
    );
  });

  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    expect(contrastRatio('#0b6e4f', '#ffffff')).toBeGreaterThan(4.5);
  });
});

describe('releaseBlocker: no development build in a store package', () => {
  const https = { WXT_PORTAL_URL: 'https://www.ristourne.example' };
  it.each<[string, Record<string, string>, RegExp | null]>([
    ['the default brand (a local portal)', {}, /http:\/\/localhost:8787.*loopback/s],
    ['a portal on https', https, null],
    ['https on localhost', { WXT_PORTAL_URL: 'https://localhost:8443' }, /loopback/],
    ['plain http on 127.0.0.1', { WXT_PORTAL_URL: 'http://127.0.0.1:8787' }, /loopback/],
    ['a *.localhost portal', { WXT_PORTAL_URL: 'https://portail.localhost' }, /loopback/],
    [
      'a public portal whose help page is local',
      { ...https, WXT_HELP_URL: 'http://localhost:8787/aide' },
      /help page.*http:\/\/localhost:8787\/aide/s,
    ],
  ])('%s', (_name, env, refused) => {
    const blocker = releaseBlocker(resolveBuildConfig(env, ROOT));
    if (refused === null) expect(blocker).toBeNull();
    else {
      expect(blocker).toMatch(refused);
      // Says what to do about it.
      expect(blocker).toMatch(/WXT_PORTAL_URL/);
    }
  });

  it('lets the second brand of the tests through (its portal is public, on https)', () => {
    expect(releaseBlocker(resolveBuildConfig({ WXT_BRAND_DIR: SECOND }, ROOT))).toBeNull();
  });
});
