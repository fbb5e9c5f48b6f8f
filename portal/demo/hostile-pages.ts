/**
 * Hostile pages, served on every demo merchant's host under `/hostile/<kind>` (so that the
 * extension's banner comes to them), for the end-to-end tests of tests/e2e/hostile-pages.spec.ts
 * and for trying by hand. Each page does to the banner what a careless or malicious site could:
 * global CSS that hides, restyles or moves everything; a strict Content-Security-Policy; scripts
 * that press the banner's buttons, forge messages, patch the main world's built-ins, remove the
 * banner, or read everything they can reach; and clickjacking, where the page tries to turn an
 * ordinary click into an activation (a transparent banner, one zoomed over the whole page, the
 * page's own element laid over it, the banner shown a moment before the click, the banner pulled
 * out of the top layer under an element that lets clicks through). Their scripts and styles are served from the
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
  const host = [...document.documentElement.children].find(
    (element) => element.tagName === 'DIV' && (element.shadowRoot || element.hasAttribute('popover')),
  );
  if (!host) return [];
  // Through the shadow root where it is open; else what the page can reach: the host, and what
  // the page's hit test finds at the banner's place (the host again).
  const root = host.shadowRoot;
  const box = host.getBoundingClientRect();
  const atCard = document.elementFromPoint(box.x + 40, box.bottom - 30) || host;
  const buttons = root ? [...root.querySelectorAll('button')] : [host, atCard];
  const activate = root
    ? buttons.find((button) => button.textContent.trim() === 'Activer')
    : atCard;
  const card = root ? root.querySelector('[role="region"]') : host;
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
  // The banner's host: its shadow root (closed, so null), and what a selection of everything reads.
  const hosts = [...document.documentElement.children].filter((element) => element.tagName === 'DIV');
  const selection = getSelection();
  selection.selectAllChildren(document.documentElement);
  const selected = selection.toString();
  selection.removeAllRanges();
  const entries = (storage) => Object.keys(storage).map((key) => key + '=' + storage.getItem(key));
  const chromeApi = window.chrome || {};
  return {
    html: document.documentElement.outerHTML,
    text: document.documentElement.innerText,
    shadows,
    hostShadowRoots: hosts.map((host) => String(host.shadowRoot)),
    selected,
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

/**
 * Calls `then(host)` once the banner's host is on the page and shown: the host is the one <div>
 * the page did not write under <html>.
 */
const WHEN_BANNER_JS = `
window.whenBanner = (then) => {
  const find = () =>
    [...document.documentElement.children].find(
      (element) => element.tagName === 'DIV' && element.hasAttribute('popover'),
    );
  const found = find();
  if (found) return then(found);
  const observer = new MutationObserver(() => {
    const host = find();
    if (!host) return;
    observer.disconnect();
    then(host);
  });
  observer.observe(document.documentElement, { childList: true });
};
/** An element of the page laid exactly over the banner, in the top layer if asked. */
window.decoyOver = (host, { topLayer, pointerEvents, text }) => {
  const box = host.getBoundingClientRect();
  const decoy = document.createElement('div');
  decoy.id = 'decoy';
  decoy.textContent = text;
  if (topLayer) decoy.setAttribute('popover', 'manual');
  Object.assign(decoy.style, {
    position: 'fixed', inset: 'auto', margin: '0', padding: '12px', border: '0',
    left: box.left - 8 + 'px', top: box.top - 8 + 'px',
    width: box.width + 16 + 'px', height: box.height + 16 + 'px',
    background: '#ffffff', color: '#111', font: '20px sans-serif', boxSizing: 'border-box',
    zIndex: '2147483647', pointerEvents: pointerEvents,
  });
  document.body.append(decoy);
  if (topLayer) decoy.showPopover();
  return decoy;
};
`;

/**
 * Makes the banner transparent, full-viewport and click-through in every way a page has from the
 * outside: its stylesheet (the `transparent.css` asset) and inline styles on the host, a second
 * shadow root, and its own "Ajouter au panier" button at the banner's place; reports what it
 * could reach.
 */
const TRANSPARENT_JS = `
whenBanner((host) => {
  // Were the root open, from inside: the card's own stylesheet, overridden.
  if (host.shadowRoot) {
    const inside = document.createElement('style');
    inside.textContent = ':host, .card { opacity: 0 !important; }';
    host.shadowRoot.append(inside);
  }
  for (const [name, value] of [['opacity', '0'], ['filter', 'opacity(0)'], ['visibility', 'hidden'], ['clip-path', 'inset(50%)'], ['mix-blend-mode', 'screen'], ['scale', '10'], ['inset', '0'], ['width', '100vw'], ['height', '100vh'], ['pointer-events', 'none']]) {
    host.style.setProperty(name, value, 'important');
  }
  let second = 'refused';
  try {
    host.attachShadow({ mode: 'open' });
    second = 'attached';
  } catch (error) {
    second = 'refused: ' + error.name;
  }
  const box = host.getBoundingClientRect();
  const under = document.createElement('button');
  under.id = 'under';
  under.textContent = 'Ajouter au panier';
  Object.assign(under.style, { position: 'fixed', left: box.left + 'px', top: box.top + 'px', width: box.width + 'px', height: box.height + 'px' });
  document.body.append(under);
  window.transparency = { shadowRoot: String(host.shadowRoot), secondRoot: second };
});
`;

/** Covers the banner with the page's own opaque popover, which lets clicks through. */
const OVERLAY_JS = `
whenBanner((host) => {
  const decoy = decoyOver(host, { topLayer: true, pointerEvents: 'none', text: 'Continuer vers le paiement' });
  window.uncover = () => decoy.hidePopover();
});
`;

/** Covers the banner, then shows it only when the page expects a click (`flash()`). */
const FLASH_JS = `
whenBanner((host) => {
  const decoy = decoyOver(host, { topLayer: true, pointerEvents: 'auto', text: 'Cliquez ici' });
  window.flash = () => decoy.hidePopover();
});
`;

/**
 * Pulls the banner out of the top layer, then lays its own element over it, at the highest
 * z-index and letting clicks through: in the page's stacking order, it now paints over us.
 */
const POINTER_EVENTS_JS = `
whenBanner((host) => {
  // Once the banner has settled, as a page that waits for it would.
  setTimeout(() => {
    host.hidePopover();
    host.removeAttribute('popover');
    decoyOver(host, { topLayer: false, pointerEvents: 'none', text: 'Voir les offres du jour' });
  }, 300);
});
`;

/**
 * The page's content at its size, and everything else (the banner: <html>'s child) three times
 * larger: over half the page, its "Activer" where the member clicks the page's content.
 */
const ZOOM_CSS = `
html { zoom: 3 !important; }
body { zoom: calc(1 / 3) !important; margin: 0; font: 16px/1.5 Georgia, serif; }
`;

/**
 * The page's stylesheet of the transparent banner: every rule a page can aim at the host to hide
 * it, stretch it over the whole viewport, or let clicks pass through it.
 */
const TRANSPARENT_CSS = `
html > div, [popover], :popover-open {
  opacity: 0 !important; filter: opacity(0) !important; visibility: hidden !important;
  clip-path: inset(50%) !important; mix-blend-mode: screen !important; scale: 10 !important;
  position: fixed !important; inset: 0 !important; width: 100vw !important; height: 100vh !important;
  max-width: none !important; pointer-events: none !important;
}
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
  'when-banner.js': { type: 'text/javascript', body: WHEN_BANNER_JS },
  'transparent.js': { type: 'text/javascript', body: TRANSPARENT_JS },
  'transparent.css': { type: 'text/css', body: TRANSPARENT_CSS },
  'overlay.js': { type: 'text/javascript', body: OVERLAY_JS },
  'flash.js': { type: 'text/javascript', body: FLASH_JS },
  'pointer-events.js': { type: 'text/javascript', body: POINTER_EVENTS_JS },
  'zoom.css': { type: 'text/css', body: ZOOM_CSS },
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
  transparent: {
    title: 'Bannière transparente',
    styles: 'transparent.css',
    scripts: ['when-banner.js', 'transparent.js'],
  },
  zoom: { title: 'Bannière agrandie', styles: 'zoom.css' },
  overlay: { title: 'Élément posé sur la bannière', scripts: ['when-banner.js', 'overlay.js'] },
  flash: { title: 'Bannière montrée au dernier moment', scripts: ['when-banner.js', 'flash.js'] },
  'pointer-events': {
    title: 'Bannière sortie de la couche supérieure',
    scripts: ['when-banner.js', 'pointer-events.js'],
  },
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
