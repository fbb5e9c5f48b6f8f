/**
 * The brand's images, all rendered from its one SVG logo with resvg: the extension's icons
 * (build time, modules/brand-icons) and the store's icon and promo tile (scripts/store-listing.ts).
 */
import { Resvg } from '@resvg/resvg-js';

/** Manifest `icons`: 16 (favicon), 32 (Windows), 48 (extensions page), 96 (Firefox, 48 @2x), 128 (install, store). */
export const EXTENSION_ICON_SIZES = [16, 32, 48, 96, 128] as const;
/** Manifest `action.default_icon`: the toolbar at 1x, 1.5x and 2x. */
export const ACTION_ICON_SIZES = [16, 24, 32] as const;
export const ALL_ICON_SIZES = [...new Set([...ACTION_ICON_SIZES, ...EXTENSION_ICON_SIZES])].sort(
  (a, b) => a - b,
);

/** Where an icon lives in the extension. */
export function iconPath(size: number): string {
  return `icons/${size}.png`;
}

/**
 * A square PNG of the logo. The 128 px icon keeps 16 px of transparent margin around 96 px
 * of artwork, as the Chrome Web Store asks; smaller ones use the whole square to stay legible.
 */
export function renderIcon(logoSvg: string, size: number): Buffer {
  const margin = size === 128 ? 16 : 0;
  return renderSvg(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">` +
      image(logoSvg, margin, margin, size - 2 * margin) +
      `</svg>`,
  );
}

/** The Chrome Web Store's small promo tile (440×280): logo, name and tagline on the brand colour. */
export function renderPromoTile(options: {
  logoSvg: string;
  name: string;
  tagline: string;
  primaryColor: string;
  onPrimaryColor: string;
}): Buffer {
  const { logoSvg, name, tagline, primaryColor, onPrimaryColor } = options;
  return renderSvg(
    `<svg xmlns="http://www.w3.org/2000/svg" width="440" height="280">` +
      `<rect width="440" height="280" fill="${primaryColor}"/>` +
      `<rect x="168" y="28" width="104" height="104" rx="26" fill="#ffffff"/>` +
      image(logoSvg, 176, 36, 88) +
      `<text x="220" y="186" text-anchor="middle" font-family="sans-serif" font-weight="700" ` +
      `font-size="36" fill="${onPrimaryColor}">${escapeXml(name)}</text>` +
      `<text x="220" y="226" text-anchor="middle" font-family="sans-serif" font-size="18" ` +
      `fill="${onPrimaryColor}">${escapeXml(tagline)}</text>` +
      `</svg>`,
  );
}

function image(svg: string, x: number, y: number, size: number): string {
  const href = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  return `<image x="${x}" y="${y}" width="${size}" height="${size}" href="${href}"/>`;
}

function renderSvg(svg: string): Buffer {
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } })
    .render()
    .asPng();
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (char) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[char]};`,
  );
}
