/**
 * Hostile pages, served on every demo merchant's host under `/hostile/<kind>` (so that the
 * extension's banner comes to them), for the end-to-end tests of tests/e2e/hostile-pages.spec.ts
 * and for trying by hand. Each page does to the banner what a careless or malicious site could:
 * global CSS that hides, restyles or moves everything; a strict Content-Security-Policy; scripts
 * that press the banner's buttons, forge messages, patch the main world's built-ins, remove the
 * banner, or read everything they can reach. Their scripts and styles are served from the
 * page's own origin (`/hostile/assets/…`), so that they also run under the strict policy.
 */
import { Hono } from 'hono';

/** What the page script of `/hostile/scripts` tries, in this order (it reports each by name). */
export const SCRIPTED_ATTEMPTS = [
  'click() on every button',
  'dispatchEvent(MouseEvent click)',
  'pointer and mouse event sequence',
  'Enter key on Activer',
  'Space key on Activer',
  'Escape key inside the banner',
  'click with a forged isTrusted',
  'window.postMessage shaped like our messages',
  "WXT's start event named after our id",
  'chrome.runtime.sendMessage to our id',
  'chrome.runtime.connect to our id',
] as const;

/** The strict policies of `/hostile/csp` and `/hostile/csp-trusted-types`. */
export const STRICT_CSP = "default-src 'none'; style-src 'self'; script-src 'self'";
export const TRUSTED_TYPES_CSP = `${STRICT_CSP}; require-trusted-types-for 'script'; trusted-types 'none'`;

/**
 * Global rules aimed at anything an extension might add: every element reset and transformed,
 * the top layer's elements and `html > div` hidden, custom properties and `rem` changed, an
 * overlay at the highest z-index over the whole page, and a backdrop for every top-layer element.
 */
const AGGRESSIVE_CSS = `
:root { font-size: 5px !important; color-scheme: dark; direction: rtl;
  --r-primary: #ff00ff; --r-on-primary: #ff00ff; --r-bg: #000; --r-fg: #000; --r-muted: #000;
  --r-line: transparent; --r-from: 900px; }
*, *::before, *::after { all: unset !important; }
html * { transform: translate(4000px, 3000px) rotate(180deg) scale(0.1) !important;
  filter: opacity(0) blur(30px) !important; z-index: -1 !important; }
html > :not(head):not(body), html > div, div:empty, [popover], :popover-open, dialog,
  [style], [hidden] { display: none !important; visibility: hidden !important;
  opacity: 0 !important; width: 0 !important; height: 0 !important; clip-path: inset(50%) !important;
  position: absolute !important; inset: -9999px auto auto -9999px !important; pointer-events: none !important; }
:host, :host(*), ::part(card), ::slotted(*) { display: none !important; }
::backdrop { background: rgb(0 0 0 / 0.8) !important; backdrop-filter: blur(8px) !important; }
html, body { display: block !important; }
head, script, style, link { display: none !important; }
body { margin: 0 !important; font: 5px/1 serif !important; color: #222 !important; }
main, header, p, h1 { display: block !important; margin: 8px !important; transform: none !important;
  filter: none !important; }
h1 { font-size: 24px !important; }
body > div.page-overlay { display: block !important; position: fixed !important; inset: 0 !important;
  z-index: 2147483647 !important; background: rgb(255 255 255 / 0.01) !important;
  pointer-events: auto !important; transform: none !important; filter: none !important; }
`;

/** A page's own, ordinary stylesheet (the strict-policy pages). */
const PLAIN_CSS = `
body { margin: 0; font: 16px/1.5 Georgia, serif; color: #222; background: #fafaf7; }
main { max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
`;

/** Notes every policy violation the page meets, from the first script on. */
const CSP_WATCH_JS = `
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.cspViolations.push({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    sample: event.sample,
  });
  document.documentElement.dataset.cspViolations = String(window.cspViolations.length);
});
`;

/** Presses the banner's buttons and forges messages; reports each attempt (SCRIPTED_ATTEMPTS). */
const ATTACK_JS = `
window.hostileAttempts = async (extensionId) => {
  const host = [...document.documentElement.children].find((element) => element.shadowRoot);
  const root = host && host.shadowRoot;
  if (!root) return [];
  const buttons = [...root.querySelectorAll('button')];
  const activate = buttons.find((button) => button.textContent.trim() === 'Activer');
  const card = root.querySelector('[role="region"]');
  const report = [];
  const attempt = async (name, run) => {
    try {
      await run();
      report.push({ name, outcome: 'ran' });
    } catch (error) {
      report.push({ name, outcome: 'threw: ' + (error && error.message) });
    }
  };
  const key = (target, key) => {
    for (const type of ['keydown', 'keypress', 'keyup']) {
      target.dispatchEvent(new KeyboardEvent(type, { key, code: key, bubbles: true, composed: true, cancelable: true }));
    }
  };
  await attempt('click() on every button', () => buttons.forEach((button) => button.click()));
  await attempt('dispatchEvent(MouseEvent click)', () =>
    buttons.forEach((button) =>
      button.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true })),
    ),
  );
  await attempt('pointer and mouse event sequence', () => {
    const box = activate.getBoundingClientRect();
    const at = { clientX: box.x + 2, clientY: box.y + 2, bubbles: true, composed: true, cancelable: true };
    for (const type of ['pointerover', 'pointerdown', 'mousedown', 'pointerup', 'mouseup']) {
      const Event = type.startsWith('pointer') ? PointerEvent : MouseEvent;
      activate.dispatchEvent(new Event(type, at));
    }
    activate.dispatchEvent(new MouseEvent('click', at));
  });
  await attempt('Enter key on Activer', () => {
    activate.focus();
    key(activate, 'Enter');
  });
  await attempt('Space key on Activer', () => key(activate, ' '));
  await attempt('Escape key inside the banner', () => {
    key(activate, 'Escape');
    key(card, 'Escape');
  });
  await attempt('click with a forged isTrusted', () => {
    const event = new MouseEvent('click', { bubbles: true, composed: true });
    Object.defineProperty(event, 'isTrusted', { value: true });
    activate.dispatchEvent(event);
  });
  await attempt('window.postMessage shaped like our messages', () => {
    for (const message of [
      { type: 'background:banner-view', view: null },
      { type: 'background:banner-view', view: { merchant: { id: 'x', name: 'x' }, variant: 'activated' } },
      { type: 'banner:activate' },
      { type: 'banner:dismiss' },
      { type: 'banner:mute' },
    ]) {
      window.postMessage(message, '*');
      window.postMessage(JSON.stringify(message), '*');
    }
  });
  await attempt("WXT's start event named after our id", () => {
    const type = extensionId + ':banner:wxt:content-script-started';
    const detail = { contentScriptName: 'banner', messageId: 'page' };
    document.dispatchEvent(new CustomEvent(type, { detail }));
    window.dispatchEvent(new CustomEvent(type, { detail }));
    window.postMessage({ type, contentScriptName: 'banner', messageId: 'page' }, '*');
  });
  await attempt('chrome.runtime.sendMessage to our id', () =>
    Promise.all(
      ['banner:activate', 'banner:dismiss', 'popup:activate'].map((type) =>
        window.chrome.runtime.sendMessage(extensionId, { type, tabId: 1 }),
      ),
    ),
  );
  await attempt('chrome.runtime.connect to our id', () =>
    window.chrome.runtime.connect(extensionId).postMessage({ type: 'banner:activate' }),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  return report;
};
`;

/**
 * The main world's built-ins that `/hostile/globals` replaces before anything else runs (each
 * with a function that throws, but `addEventListener`, which still works), then freezes.
 */
export const PATCHED_GLOBALS = [
  'Element.prototype.attachShadow',
  'EventTarget.prototype.addEventListener',
  'Node.prototype.appendChild',
  'Element.prototype.append',
  'HTMLElement.prototype.showPopover',
  'Document.prototype.createElement',
  'CustomElementRegistry.prototype.define',
  'Function.prototype.bind',
  'JSON.parse',
  'JSON.stringify',
  ...[
    'map',
    'forEach',
    'filter',
    'find',
    'includes',
    'some',
    'every',
    'indexOf',
    'join',
    'push',
    'slice',
  ].map((method) => `Array.prototype.${method}`),
];

/** Custom element names an extension might choose, defined by `/hostile/globals` first. */
export const TAKEN_ELEMENT_NAMES = [
  'ristourne-banner',
  'ristourne-root',
  'wxt-banner',
  'banner-root',
];

/**
 * Runs first in the page: defines the custom element names, patches the built-ins above and
 * counts the calls an extension's script makes to them (test tools call some of these too). The
 * page's own code keeps working through the originals it saved, and says so on <html> (read
 * through the DOM: with JSON and Array patched, the page's globals are no place to read from).
 */
const PATCH_GLOBALS_JS = `
(() => {
  const root = document.documentElement;
  const setAttribute = Element.prototype.setAttribute;
  const addEventListener = EventTarget.prototype.addEventListener;
  let patchedCalls = 0;
  const note = (name) => {
    if (!/(chrome|moz)-extension:/.test(String(new Error().stack))) return;
    patchedCalls += 1;
    setAttribute.call(root, 'data-patched-calls', String(patchedCalls));
    setAttribute.call(root, 'data-last-patched', name);
  };
  let customElementCount = 0;
  for (const name of ${JSON.stringify(TAKEN_ELEMENT_NAMES)}) {
    customElementCount += 1;
    customElements.define(name, class extends HTMLElement {
      connectedCallback() {
        this.textContent = 'élément de la page';
      }
    });
  }
  for (const path of ${JSON.stringify(PATCHED_GLOBALS)}) {
    const keys = path.split('.');
    const name = keys.pop();
    const target = keys.reduce((object, key) => object[key], window);
    const original = target[name];
    const replacement = name === 'addEventListener'
      ? function (...args) {
          note(path);
          return original.apply(this, args);
        }
      : function () {
          note(path);
          throw new Error(path + ' is disabled by this page');
        };
    Object.defineProperty(target, name, { value: replacement, writable: false, configurable: false });
  }
  // How many it patched and names it took, for the test to check that the attack happened.
  setAttribute.call(root, 'data-patched', String(${JSON.stringify(PATCHED_GLOBALS)}.length));
  setAttribute.call(root, 'data-taken-names', String(customElementCount));
  Object.freeze(Array.prototype);
  Object.freeze(Element.prototype);
  Object.freeze(EventTarget.prototype);
  setAttribute.call(root, 'data-patched-calls', '0');
  // The page's own work, after the banner had every chance to come.
  addEventListener.call(window, 'load', () => {
    const element = document.querySelector('ristourne-banner');
    // Without the Array methods it patched itself.
    let works = element !== null && element.textContent === 'élément de la page';
    for (const name of ${JSON.stringify(TAKEN_ELEMENT_NAMES)}) works = works && !!customElements.get(name);
    setTimeout(() => setAttribute.call(root, 'data-page-script', works ? 'ok' : 'broken'), 300);
  });
})();
`;

/**
 * Removes every element added to <html> besides its head and body, and counts it; the test
 * later puts one back, mutated, with `window.putBackRemoved()`.
 */
const REMOVER_JS = `
(() => {
  const root = document.documentElement;
  const removed = [];
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        const element = node instanceof Element && node.parentNode === root;
        if (!element || node === document.head || node === document.body) continue;
        node.remove();
        removed.push(node);
        root.dataset.removals = String(removed.length);
      }
    }
  });
  observer.observe(root, { childList: true });
  root.dataset.removals = '0';
  window.putBackRemoved = () => {
    observer.disconnect();
    const host = removed[removed.length - 1];
    root.append(host);
    host.removeAttribute('popover');
    host.hidden = true;
    host.setAttribute('style', 'display:none !important; opacity:0 !important; position:static !important; transform:scale(0) !important');
    host.className = 'page-owned';
    return host.tagName;
  };
})();
`;

/** Collects everything the page's own world can read: DOM (open shadow roots too), storage, globals. */
const SNOOP_JS = `
window.snoop = async () => {
  const shadows = [];
  const walk = (root) => {
    for (const element of root.querySelectorAll('*')) {
      if (element.shadowRoot) {
        shadows.push(element.shadowRoot.innerHTML + ' ' + element.shadowRoot.textContent);
        walk(element.shadowRoot);
      }
    }
  };
  walk(document);
  const entries = (storage) => Object.keys(storage).map((key) => key + '=' + storage.getItem(key));
  const chromeApi = window.chrome || {};
  return {
    html: document.documentElement.outerHTML,
    text: document.documentElement.innerText,
    shadows,
    localStorage: entries(localStorage),
    sessionStorage: entries(sessionStorage),
    cookie: document.cookie,
    windowNames: Object.getOwnPropertyNames(window),
    databases: indexedDB.databases ? (await indexedDB.databases()).map((database) => database.name) : [],
    resources: performance.getEntriesByType('resource').map((entry) => entry.name),
    chromeStorage: typeof (chromeApi.storage),
    chromeRuntimeId: chromeApi.runtime ? String(chromeApi.runtime.id) : 'no runtime',
    browserGlobal: typeof window.browser,
  };
};
`;

interface HostilePage {
  title: string;
  styles?: string;
  scripts?: string[];
  csp?: string;
}

const ASSETS: Record<string, { type: string; body: string }> = {
  'aggressive.css': { type: 'text/css', body: AGGRESSIVE_CSS },
  'plain.css': { type: 'text/css', body: PLAIN_CSS },
  'csp-watch.js': { type: 'text/javascript', body: CSP_WATCH_JS },
  'attack.js': { type: 'text/javascript', body: ATTACK_JS },
  'patch-globals.js': { type: 'text/javascript', body: PATCH_GLOBALS_JS },
  'remover.js': { type: 'text/javascript', body: REMOVER_JS },
  'snoop.js': { type: 'text/javascript', body: SNOOP_JS },
};

export const HOSTILE_PAGES = {
  styles: { title: 'Styles agressifs', styles: 'aggressive.css' },
  csp: {
    title: 'Politique stricte',
    styles: 'plain.css',
    scripts: ['csp-watch.js'],
    csp: STRICT_CSP,
  },
  'csp-trusted-types': {
    title: 'Politique stricte et Trusted Types',
    styles: 'aggressive.css',
    scripts: ['csp-watch.js'],
    csp: TRUSTED_TYPES_CSP,
  },
  scripts: { title: 'Scripts qui cliquent', scripts: ['attack.js'] },
  globals: { title: 'Globales modifiées', scripts: ['patch-globals.js'] },
  remover: { title: 'Bannière retirée', scripts: ['remover.js'] },
  snoop: { title: 'Page curieuse', scripts: ['snoop.js'] },
} satisfies Record<string, HostilePage>;

export type HostilePageKind = keyof typeof HOSTILE_PAGES;

function renderPage(kind: string, spec: HostilePage): string {
  const styles = spec.styles ? `<link rel="stylesheet" href="/hostile/assets/${spec.styles}">` : '';
  const scripts = (spec.scripts ?? [])
    .map((name) => `<script src="/hostile/assets/${name}"></script>`)
    .join('');
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${spec.title}</title>${styles}${scripts}</head>
<body data-hostile="${kind}">
<header><p>Boutique hostile — ${spec.title}</p></header>
<main>
  <h1>${spec.title}</h1>
  <p id="intro">Cette page essaie de gêner les extensions qui s’y affichent.</p>
  <p><button type="button" id="page-button">Bouton de la page</button></p>
  <ristourne-banner></ristourne-banner>
</main>
<div class="page-overlay" aria-hidden="true">&nbsp;</div>
</body></html>`;
}

export function hostilePageRoutes(): Hono {
  const app = new Hono();
  app.get('/assets/:name', (c) => {
    const asset = ASSETS[c.req.param('name')];
    if (!asset) return c.text('Not found', 404);
    return c.body(asset.body, 200, { 'Content-Type': `${asset.type}; charset=utf-8` });
  });
  app.get('/:kind', (c) => {
    const kind = c.req.param('kind');
    const spec = (HOSTILE_PAGES as Record<string, HostilePage>)[kind];
    if (!spec) return c.text('Not found', 404);
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (spec.csp) headers['Content-Security-Policy'] = spec.csp;
    return c.html(renderPage(kind, spec), 200, headers);
  });
  return app;
}
