/**
 * A local WXT module (WXT loads `modules/*.ts` and `modules/<name>/index.ts`): renders the brand's
 * logo into the extension's icons at build time and names them in the manifest, so that one
 * SVG per brand is the only image a portal provides. It also puts the brand's name in the
 * places WXT takes from the pages' HTML (`<title>`, hence the toolbar button's tooltip).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'wxt/browser';
import { addViteConfig, defineWxtModule } from 'wxt/modules';
import { resolveBrand } from '../../utils/build/config';
import {
  ACTION_ICON_SIZES,
  ALL_ICON_SIZES,
  EXTENSION_ICON_SIZES,
  iconPath,
  renderIcon,
} from './images';

export default defineWxtModule({
  name: 'brand-icons',
  setup(wxt) {
    let renderDir: string | null = null;
    const brandName = () => resolveBrand(process.env, wxt.config.root).config.brand.name;

    addViteConfig(wxt, () => ({
      plugins: [
        {
          name: 'ristourne:brand-title',
          transformIndexHtml: (html: string) =>
            html.replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(brandName())}</title>`),
        },
      ],
    }));

    wxt.hook('build:publicAssets', async (wxt, files) => {
      const brand = resolveBrand(process.env, wxt.config.root);
      // Rendered outside the project: parallel builds (tests, demo, other brands) share `.wxt/`.
      renderDir = await mkdtemp(join(tmpdir(), 'ristourne-icons-'));
      for (const size of ALL_ICON_SIZES) {
        const file = join(renderDir, `${size}.png`);
        await writeFile(file, renderIcon(brand.logoSvg, size));
        files.push({ absoluteSrc: file, relativeDest: iconPath(size) });
      }
    });

    wxt.hook('build:manifestGenerated', (_wxt, manifest) => {
      const icons = (sizes: readonly number[]) =>
        Object.fromEntries(sizes.map((size) => [String(size), iconPath(size)]));
      manifest.icons = icons(EXTENSION_ICON_SIZES);
      manifest.action = {
        // The manifest type reads `action` through an MV2 index signature (any): it is MV3's.
        ...(manifest.action as Browser.runtime.ManifestAction | undefined),
        // WXT takes the tooltip from popup.html's <title>, written for the default brand.
        default_title: brandName(),
        default_icon: icons(ACTION_ICON_SIZES),
      };
    });

    wxt.hook('build:done', async () => {
      if (renderDir) await rm(renderDir, { recursive: true, force: true });
      renderDir = null;
    });
  },
});

function escapeHtml(text: string): string {
  return text.replace(/[<>&]/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[char]!);
}
