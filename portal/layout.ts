/**
 * The HTML shell of every page the server renders (portal, shops, network, admin).
 * Templates use hono/html, which escapes every interpolated value. The one inline `<style>`
 * carries the answer's CSP nonce (security-headers.ts); no element has a `style` attribute.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const BASE_CSS = `
  *, *::before, *::after { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    color: #1f2328; background: #f7f7f5; }
  header.site { background: var(--accent); color: var(--on-accent); }
  header.site .inner, main, footer .inner { max-width: 960px; margin: 0 auto; padding: 16px 20px; }
  header.site a { color: inherit; text-decoration: none; }
  header.site .brand { font-size: 1.5rem; font-weight: 700; margin: 0; }
  header.site nav ul { display: flex; gap: 20px; list-style: none; margin: 8px 0 0; padding: 0; }
  header.site nav a:hover { text-decoration: underline; }
  h1, h2 { line-height: 1.2; }
  a { color: var(--link); }
  button, .button { display: inline-block; font: inherit; font-weight: 600; cursor: pointer;
    border: 0; border-radius: 6px; padding: 10px 18px; background: var(--accent);
    color: var(--on-accent); text-decoration: none; }
  button.secondary { background: #e4e4e0; color: #1f2328; }
  button:disabled { opacity: .5; cursor: not-allowed; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid #e4e4e0; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .card { background: #fff; border-radius: 8px; padding: 16px; box-shadow: 0 1px 3px #0002; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px;
    list-style: none; padding: 0; }
  .notice { padding: 12px 16px; border-radius: 6px; background: #fff8e1; border: 1px solid #f0d98c; }
  .success { background: #e8f5e9; border-color: #a5d6a7; }
  footer { color: #5c6166; font-size: .875rem; }
  form.inline { display: inline; }
  label { display: block; margin: 12px 0 4px; font-weight: 600; }
  input { font: inherit; padding: 8px; width: 100%; max-width: 360px; }
  img.inline-logo { vertical-align: middle; }
`;

export interface PageOptions {
  title: string;
  /** Main colour of the site (header, buttons, links). */
  accent: string;
  /** Site name in the header. */
  siteName: string;
  homeHref?: string;
  nav?: { href: string; label: string; testId?: string }[];
  body: Html;
  footer?: string;
  /** The answer's CSP nonce (`cspNonce(c)`), for the inline `<style>`. */
  nonce: string;
}

export function page(options: PageOptions): Html {
  const nav = options.nav ?? [];
  return html`<!doctype html>
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title}</title>
        <style nonce="${options.nonce}">
          :root {
            --accent: ${raw(safeColor(options.accent))};
            --on-accent: ${raw(isLight(options.accent) ? '#1f2328' : '#ffffff')};
            --link: ${raw(isLight(options.accent) ? '#1f2328' : safeColor(options.accent))};
          }
          ${raw(BASE_CSS)}
        </style>
      </head>
      <body>
        <header class="site">
          <div class="inner">
            <p class="brand"><a href="${options.homeHref ?? '/'}">${options.siteName}</a></p>
            ${
              nav.length > 0
                ? html`<nav aria-label="Navigation principale">
                    <ul>
                      ${nav.map(
                        (item) =>
                          html`<li>
                            <a
                              href="${item.href}"
                              ${item.testId ? html` data-testid="${item.testId}"` : ''}
                              >${item.label}</a
                            >
                          </li>`,
                      )}
                    </ul>
                  </nav>`
                : ''
            }
          </div>
        </header>
        <main>${options.body}</main>
        <footer><div class="inner">${options.footer ?? ''}</div></footer>
      </body>
    </html>`;
}

/** Light colours get dark text (WCAG relative luminance). */
export function isLight(color: string): boolean {
  const channels = safeColor(color)
    .slice(1)
    .match(/../g)!
    .map((hex) => {
      const c = parseInt(hex, 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
  const [r = 0, g = 0, b = 0] = channels;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.3;
}

/** Colours end up inside a <style> element: only accept `#rrggbb`. */
function safeColor(color: string): string {
  return /^#[0-9a-f]{6}$/i.test(color) ? color : '#444444';
}
