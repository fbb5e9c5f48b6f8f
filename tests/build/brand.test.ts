/**
 * White label: a portal's brand folder is all it takes. Built with a second brand (another
 * name, short name, colours, logo, portal and pages), the extension wears it in the manifest,
 * in every icon, in its bundles and in the popup Chromium renders — and nothing of the default.
 */
import { chromium, type BrowserContext } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionArgs, findChromium } from '../../scripts/harness/chromium';
import { resolveBrand } from '../../utils/build/config';
import {
  buildExtension,
  projectRoot,
  readScripts,
  removeDir,
  tempDir,
  type BuiltExtension,
} from './build-helpers';
import { decodePng, dominantColor } from './png';

const SECOND_BRAND = 'tests/build/fixtures/brand-second';
const second = resolveBrand({ WXT_BRAND_DIR: SECOND_BRAND }, projectRoot).config;
const ristourne = resolveBrand({}, projectRoot).config;

let outDir: string;
let extension: BuiltExtension;

beforeAll(async () => {
  outDir = await tempDir('brand');
  // The brand folder alone: the overrides a caller's shell may export are emptied.
  const overrides = Object.keys(process.env).filter((name) =>
    /^WXT_(BRAND|PORTAL|.*_URL)/.test(name),
  );
  extension = await buildExtension('chrome', {
    outDir,
    env: {
      ...Object.fromEntries(overrides.map((name) => [name, ''])),
      WXT_BRAND_DIR: SECOND_BRAND,
    },
  });
});

afterAll(() => removeDir(outDir));

describe('an extension built with a second brand', () => {
  it('names the brand in the manifest and the toolbar tooltip', () => {
    expect(second.brand.name).not.toBe(ristourne.brand.name);
    expect(extension.manifest).toMatchObject({
      name: 'Cashbee Plus',
      short_name: 'Cashbee',
      action: { default_title: 'Cashbee Plus', default_popup: 'popup.html' },
    });
  });

  it('has an icon at every size the stores and the toolbar need, all in the brand colour', async () => {
    const manifest = extension.manifest as {
      icons: Record<string, string>;
      action: { default_icon: Record<string, string> };
    };
    expect(Object.keys(manifest.icons).map(Number)).toEqual([16, 32, 48, 96, 128]);
    expect(Object.keys(manifest.action.default_icon).map(Number)).toEqual([16, 24, 32]);
    for (const [size, path] of [
      ...Object.entries(manifest.icons),
      ...Object.entries(manifest.action.default_icon),
    ]) {
      const png = decodePng(await readFile(join(extension.dir, path)));
      expect({ path, width: png.width, height: png.height }).toEqual({
        path,
        width: Number(size),
        height: Number(size),
      });
      expect(dominantColor(png), path).toBe(second.brand.primaryColor);
    }
    // The 128 px icon keeps the Chrome Web Store's transparent margin around its artwork.
    const large = decodePng(await readFile(join(extension.dir, manifest.icons['128']!)));
    expect(large.pixel(8, 64)[3]).toBe(0);
    expect(large.pixel(64, 64)[3]).toBe(255);
  });

  it("talks to the brand's portal and opens its pages, with nothing left of the default", async () => {
    const code = [...(await readScripts(extension)).values()].join('\n');
    expect(code).toContain(second.portalUrl);
    expect(code).toContain(second.pages.account);
    expect(code).toContain(second.pages.signUp);
    expect(code).toContain(second.pages.help);
    expect(code).not.toContain(ristourne.portalUrl);
    expect(code).not.toContain(`\`${ristourne.brand.name}\``);
    for (const page of ['popup.html', 'options.html', 'welcome.html', 'history.html']) {
      const html = await readFile(join(extension.dir, page), 'utf8');
      expect(html, page).toContain(`<title>${second.brand.name}</title>`);
    }
  });

  describe('rendered by Chromium', () => {
    let profile: string;
    let context: BrowserContext;

    beforeAll(async () => {
      profile = await tempDir('brand-profile');
      context = await chromium.launchPersistentContext(profile, {
        executablePath: findChromium(),
        headless: true,
        env: { ...process.env, LANGUAGE: 'fr', LANG: 'fr_FR.UTF-8' },
        locale: 'fr-FR',
        args: [...extensionArgs(extension.dir), '--no-first-run', '--disable-sync'],
      });
    });

    afterAll(async () => {
      await context?.close();
      await removeDir(profile);
    });

    it("shows the popup with the brand's name, logo and colours", async () => {
      const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
      const page = await context.newPage();
      // The popup is 360 px wide in the toolbar; as a tab it keeps the same column.
      await page.setViewportSize({ width: 360, height: 600 });
      await page.goto(`chrome-extension://${new URL(worker.url()).host}/popup.html`);

      const heading = page.getByRole('heading', { level: 1 });
      await expect.poll(() => heading.innerText()).toBe('Cashbee Plus');
      expect(await page.title()).toBe('Cashbee Plus');
      const logo = heading.locator('img');
      await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(32);

      const rgb = (hex: string) =>
        `rgb(${[1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)).join(', ')})`;
      const signIn = page.locator('form.sign-in button[type="submit"]');
      await signIn.waitFor();
      const style = await signIn.evaluate((button) => {
        const computed = getComputedStyle(button);
        return { background: computed.backgroundColor, color: computed.color };
      });
      expect(style).toEqual({
        background: rgb(second.brand.primaryColor),
        color: rgb(second.brand.onPrimaryColor),
      });
      const header = await page
        .locator('.popup-header')
        .evaluate((element) => getComputedStyle(element).backgroundColor);
      expect(header).toBe(rgb(second.brand.primaryColor));
      // The sign-up link goes to the brand's own page.
      expect(
        await page
          .locator('a[href]')
          .evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href)),
      ).toContain(second.pages.signUp);
    });
  });
});
