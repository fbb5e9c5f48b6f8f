/**
 * The store listing generated from the project: in French and English, each description
 * discloses the affiliate programme (as the Chrome Web Store's affiliate ads policy requires on
 * the listing) and what data is used, names the brand, and fits the stores' limits; the store
 * icon and promo tile have the sizes the Chrome Web Store asks for. For the default brand and
 * for a second one, so that nothing of the default leaks into another portal's listing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkStoreLimits,
  readLocaleMessages,
  STORE_LANGUAGES,
  STORE_LIMITS,
  storeText,
  writeStoreListing,
  type StoreText,
} from '../../scripts/store-listing';
import { resolveBrand, type Brand } from '../../utils/build/config';
import { projectRoot, removeDir, tempDir } from './build-helpers';
import { decodePng, dominantColor } from './png';

/** The disclosure's key sentences, as the extension's messages word them. */
const DISCLOSURE = {
  fr: [/service de cashback/, /réseaux d'affiliation/, /Aucun lien d'affiliation/],
  en: [/cashback service/, /affiliate networks/, /No affiliate link/],
};
const DATA_USE = {
  fr: [
    /Ce qui reste sur votre appareil/,
    /Ce qui est envoyé à/,
    /Rien n'est envoyé/,
    // What the search results' marks read (the options page's words).
    /résultats de Google, Bing, DuckDuckGo, Qwant et Ecosia.*Ni votre recherche ni l'adresse de la page/,
  ],
  en: [
    /What stays on your device/,
    /What is sent to/,
    /Nothing is sent/,
    /Google, Bing, DuckDuckGo, Qwant and Ecosia results.*Neither your search nor the page's address/,
  ],
};

describe.each([
  ['the default brand', {}],
  ['a second brand', { WXT_BRAND_DIR: 'tests/build/fixtures/brand-second' }],
])('the store listing of %s', (_, env) => {
  let brand: Brand;
  let outDir: string;
  let written: string[];

  beforeAll(async () => {
    brand = resolveBrand(env, projectRoot);
    outDir = await tempDir('store');
    written = await writeStoreListing(brand, outDir);
  });

  afterAll(() => removeDir(outDir));

  it.each(STORE_LANGUAGES)(
    '%s: discloses the affiliate programme and the data used, with the brand',
    async (language) => {
      const file = await readFile(join(outDir, language, 'description.txt'), 'utf8');
      const { name, summary, description } = JSON.parse(
        await readFile(join(outDir, 'listing.json'), 'utf8'),
      )[language] as StoreText;
      expect(file).toContain(description);
      expect(file).toContain(summary);
      expect(name).toBe(brand.config.brand.name);
      // Prominent: the affiliate programme is described in the first lines, before the features.
      const firstLines = description.split('\n').slice(0, 6).join('\n');
      for (const sentence of DISCLOSURE[language]) expect(firstLines).toMatch(sentence);
      for (const sentence of DATA_USE[language]) expect(description).toMatch(sentence);
      expect(description).toContain(`${brand.config.brand.name} `);
      expect(description).toContain(brand.config.pages.account);
      expect(description).toContain(brand.config.pages.help);
      expect(description).not.toMatch(/\$\w+\$|\$\d/);
      if (brand.config.brand.name !== 'Ristourne') expect(file).not.toMatch(/Ristourne/i);
      expect(name.length).toBeLessThanOrEqual(STORE_LIMITS.name);
      expect(summary.length).toBeLessThanOrEqual(STORE_LIMITS.summary);
      expect(description.length).toBeLessThanOrEqual(STORE_LIMITS.description);
    },
  );

  it('speaks each language in its own words', async () => {
    const listing = JSON.parse(await readFile(join(outDir, 'listing.json'), 'utf8'));
    expect(listing.fr.summary).not.toBe(listing.en.summary);
    expect(listing.fr.description).toMatch(/cagnotte/);
    expect(listing.en.description).not.toMatch(/cagnotte/);
  });

  it('has the store icon and the small promo tile at the sizes the store asks for', async () => {
    expect(written).toEqual(
      expect.arrayContaining(['icon-128.png', 'fr/promo-440x280.png', 'en/promo-440x280.png']),
    );
    const icon = decodePng(await readFile(join(outDir, 'icon-128.png')));
    expect([icon.width, icon.height]).toEqual([128, 128]);
    expect(dominantColor(icon)).toBe(brand.config.brand.primaryColor);
    for (const language of STORE_LANGUAGES) {
      const tile = decodePng(await readFile(join(outDir, language, 'promo-440x280.png')));
      expect([tile.width, tile.height]).toEqual([440, 280]);
      expect(dominantColor(tile)).toBe(brand.config.brand.primaryColor);
    }
  });
});

describe('the store limits', () => {
  it('refuse a summary or a name the Chrome Web Store would cut', async () => {
    const config = resolveBrand({}, projectRoot).config;
    const messages = await readLocaleMessages('fr');
    const text = storeText(config, 'fr', messages);
    expect(() => checkStoreLimits('fr', text)).not.toThrow();
    const longSummary = storeText(config, 'fr', {
      ...messages,
      extensionDescription: { message: 'x'.repeat(STORE_LIMITS.summary + 1) },
    });
    expect(() => checkStoreLimits('fr', longSummary)).toThrow(/fr store summary has 133/);
    expect(() => checkStoreLimits('en', { ...text, name: 'n'.repeat(51) })).toThrow(/name/);
  });
});
