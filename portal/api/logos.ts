/** Merchant logos: the initials of the name on the merchant's colour, as a small SVG. */
import { Hono } from 'hono';
import { html } from 'hono/html';
import { errorJson } from './http';
import { isLight } from '../layout';
import type { MerchantRecord } from './merchant-record';
import type { Merchants } from './merchants';

const SMALL_WORDS = new Set(['le', 'la', 'les', 'l', 'de', 'du', 'des', 'd', 'et', 'aux', 'au']);

export function initials(name: string): string {
  const words = name
    .split(/[\s&’'-]+/)
    .filter((word) => word && !SMALL_WORDS.has(word.toLowerCase()));
  const letters = (words.length > 0 ? words : [name]).slice(0, 2).map((word) => word[0] ?? '');
  return letters.join('').toUpperCase();
}

export async function logoSvg(merchant: Pick<MerchantRecord, 'name' | 'color'>): Promise<string> {
  const color = /^#[0-9a-f]{6}$/i.test(merchant.color) ? merchant.color : '#444444';
  return String(
    await html`<svg
      xmlns="http://www.w3.org/2000/svg"
      width="64"
      height="64"
      viewBox="0 0 64 64"
      role="img"
      aria-label="${merchant.name}"
    >
      <rect width="64" height="64" rx="12" fill="${color}" />
      <text
        x="32"
        y="41"
        text-anchor="middle"
        font-family="system-ui, sans-serif"
        font-size="24"
        font-weight="700"
        fill="${isLight(color) ? '#1f2328' : '#ffffff'}"
      >
        ${initials(merchant.name)}
      </text>
    </svg>`,
  );
}

/** `GET /logos/<merchantId>.svg` on the portal host. */
export function logoRoutes(merchants: Merchants): Hono {
  const app = new Hono();
  app.get('/logos/:file{[^/]+\\.svg}', async (c) => {
    const merchant = merchants.get(c.req.param('file').slice(0, -'.svg'.length), { listed: false });
    if (!merchant?.hasLogo) return errorJson(c, 404, 'not_found', 'No such logo.');
    return c.body(await logoSvg(merchant), 200, {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
    });
  });
  return app;
}
