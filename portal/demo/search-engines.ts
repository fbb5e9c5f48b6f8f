/**
 * Stand-ins for the search engines' results pages, on their real hostnames (the tests' Chromium
 * maps them to this server over https: scripts/harness/tls-proxy.ts), so that the extension's
 * search marks run on pages built like the engines' own where it matters: the result containers,
 * the title links, the engines' redirect links, the ads, and results that arrive later (a page
 * rendered by script, a "more results" button). docs/search-marks.md describes each engine's real
 * page and how to refresh these when an engine changes.
 *
 * Every engine answers the same query with the same results: partner merchants (one of each
 * prompt policy), sites that are no merchant, an ad for a partner merchant (never marked), and
 * two more results behind "Plus de résultats".
 */
import { Hono, type Context } from 'hono';
import type { PortalContext } from '../context';

export type StandInEngine =
  'google' | 'bing' | 'duckduckgo' | 'duckduckgo-html' | 'qwant' | 'ecosia';

/** The hosts this module answers for, and the engine each plays. */
export const SEARCH_ENGINE_HOSTS: Readonly<Record<string, StandInEngine>> = {
  'www.google.fr': 'google',
  'www.google.be': 'google',
  'www.google.ch': 'google',
  'www.google.ca': 'google',
  'www.google.lu': 'google',
  'www.google.mc': 'google',
  'www.google.com': 'google',
  'www.bing.com': 'bing',
  'duckduckgo.com': 'duckduckgo',
  'html.duckduckgo.com': 'duckduckgo-html',
  'www.qwant.com': 'qwant',
  'www.ecosia.org': 'ecosia',
};

/** The results page of each engine, on one of its hosts (what the tests and the tour open). */
export const RESULTS_PAGES: Readonly<Record<StandInEngine, string>> = {
  google: 'https://www.google.fr/search?q=',
  bing: 'https://www.bing.com/search?q=',
  duckduckgo: 'https://duckduckgo.com/?q=',
  'duckduckgo-html': 'https://html.duckduckgo.com/html/?q=',
  qwant: 'https://www.qwant.com/?t=web&q=',
  ecosia: 'https://www.ecosia.org/search?method=index&q=',
};

export interface StandInResult {
  title: string;
  url: string;
  snippet: string;
}

export interface StandInResults {
  ads: StandInResult[];
  organic: StandInResult[];
  /** Behind "Plus de résultats": added by the page's script. */
  more: StandInResult[];
}

/**
 * The results, with the shops on `<merchant>.localhost:<port>` (the port this server listens on:
 * the demo's browser reaches the shops without any mapping).
 */
export function standInResults(shopPort: number | null): StandInResults {
  const shop = (id: string, path: string) =>
    `http://${id}.localhost${shopPort === null ? '' : `:${shopPort}`}${path}`;
  return {
    ads: [
      {
        title: 'Octet & Pixel — Ordinateurs portables en promotion',
        url: shop('octet-et-pixel', '/produit/1'),
        snippet: 'Livraison offerte dès 49 €.',
      },
    ],
    organic: [
      {
        title: 'Numéria — Téléviseurs, ordinateurs et high-tech',
        url: shop('numeria', '/produit/2'),
        snippet: 'Comparez les téléviseurs 4K et OLED, livrés en 48 h.',
      },
      {
        title: 'Téléviseur — Wikipédia',
        url: 'https://fr.wikipedia.org/wiki/T%C3%A9l%C3%A9viseur',
        snippet: 'Un téléviseur est un appareil…',
      },
      {
        title: 'Octet & Pixel : informatique et gaming',
        url: shop('octet-et-pixel', '/'),
        snippet: 'PC, écrans et accessoires.',
      },
      {
        title: 'Voltaire Électro — Électroménager',
        url: shop('voltaire-electro', '/produit/3'),
        snippet: 'Lave-linge, réfrigérateurs, télévision.',
      },
      {
        title: 'Les Petites Mailles — Tricots et layette',
        url: shop('les-petites-mailles', '/produit/4'),
        snippet: 'Laines naturelles, fait main.',
      },
      {
        title: 'Test : les meilleurs téléviseurs de l’année — Que Choisir',
        url: 'https://www.quechoisir.org/comparatif-televiseur-n3105/',
        snippet: 'Notre comparatif indépendant.',
      },
    ],
    more: [
      {
        title: 'Maison Lenoir Paris — Prêt-à-porter',
        url: shop('lenoir-paris', '/produit/5'),
        snippet: 'La collection de la saison.',
      },
      {
        title: 'Téléviseurs — Le Monde',
        url: 'https://www.lemonde.fr/televiseurs/',
        snippet: 'Nos articles sur la télévision.',
      },
    ],
  };
}

const hostOf = (url: string) => new URL(url).host;
const pathOf = (url: string) => new URL(url).pathname;

// ---------- each engine's markup ----------

/** Google: #search > #rso > .MjjYud > .g; the title link wraps the <h3>; ads in #tads. */
function googleResult(result: StandInResult, href: string): string {
  return `<div class="MjjYud"><div class="g" data-hveid="CAE"><div class="N54PNb"><div class="yuRUbf"><div><span><a jsname="UWckNb" href="${escapeAttr(href)}" data-ved="2ahUKEwj"><br><h3 class="LC20lb MBeuO DKV0Md">${escapeText(result.title)}</h3><div class="notranslate"><cite class="tjvcx">${escapeText(hostOf(result.url))} › ${escapeText(pathOf(result.url))}</cite></div></a></span></div></div><div class="VwiC3b"><span>${escapeText(result.snippet)}</span></div></div></div></div>`;
}

function google(results: StandInResults, query: string): { body: string; more: string } {
  // Pages without script link through /url?q=: the second result is written so.
  const organic = results.organic
    .map((result, i) =>
      googleResult(
        result,
        i === 1
          ? `/url?q=${encodeURIComponent(result.url)}&sa=U&ved=2ahUKE&usg=AOvVaw`
          : result.url,
      ),
    )
    .join('');
  const ads = results.ads
    .map(
      (ad) =>
        `<div class="uEierd" data-text-ad="1"><div class="MjjYud"><div class="g"><a class="sVXRqc" href="https://www.googleadservices.com/pagead/aclk?sa=L&amp;ai=DChc&amp;adurl=${encodeURIComponent(ad.url)}" data-rw="x"><h3 class="LC20lb">${escapeText(ad.title)}</h3></a><span class="U3A9Ac">Sponsorisé</span></div></div></div>`,
    )
    .join('');
  return {
    body: `<div id="searchform"><input name="q" value="${escapeAttr(query)}"></div><div id="search"><div id="tads" aria-label="Annonces">${ads}</div><div id="rso">${organic}</div></div><div id="botstuff"><div id="arc-srp_1"></div><button type="button" data-more>Plus de résultats</button></div>`,
    more: results.more.map((result) => googleResult(result, result.url)).join(''),
  };
}

/** Bing: ol#b_results > li.b_algo > h2 > a, every link through /ck/a?…&u=a1<base64url>. */
function bingHref(url: string): string {
  const encoded = Buffer.from(url, 'utf8').toString('base64url');
  return `https://www.bing.com/ck/a?!&&p=4f1c&ptn=3&ver=2&hsh=4&fclid=1e2&u=a1${encoded}&ntb=1`;
}

function bingResult(result: StandInResult): string {
  const href = escapeAttr(bingHref(result.url));
  return `<li class="b_algo" data-tag=""><div class="b_tpcn"><a class="tilk" href="${href}" aria-label="${escapeAttr(hostOf(result.url))}"><div class="tpic"></div></a></div><h2><a href="${href}" h="ID=SERP,5100.1">${escapeText(result.title)}</a></h2><div class="b_caption"><p>${escapeText(result.snippet)}</p></div></li>`;
}

function bing(results: StandInResults, query: string): { body: string; more: string } {
  const ads = results.ads
    .map(
      (ad) =>
        `<li class="b_ad b_adTop"><ul><li><div class="sb_add sb_adTA"><h2><a href="https://www.bing.com/aclk?ld=e8&amp;u=${encodeURIComponent(ad.url)}">${escapeText(ad.title)}</a></h2><div class="b_caption"><p>${escapeText(ad.snippet)}</p></div></div></li></ul></li>`,
    )
    .join('');
  return {
    body: `<form id="sb_form"><input name="q" value="${escapeAttr(query)}"></form><ol id="b_results">${ads}${results.organic.map(bingResult).join('')}</ol><button type="button" data-more>Plus de résultats</button>`,
    more: results.more.map(bingResult).join(''),
  };
}

/** DuckDuckGo: rendered by script from data, li[data-layout=organic] > article[data-testid=result]. */
function duckResult(result: StandInResult): string {
  const href = escapeAttr(result.url);
  return `<li data-layout="organic" class="wLL07_0Xnd1QZpzpfR4W"><article data-testid="result" data-nrn="result"><div class="OHr0VX9IuNcv6iakvT6A"><a data-testid="result-extras-url-link" href="${href}">${escapeText(hostOf(result.url))}</a></div><h2 class="LnpumSThxEWMIsDdAT17"><a data-testid="result-title-a" href="${href}" rel="noopener"><span>${escapeText(result.title)}</span></a></h2><div data-result="snippet"><span>${escapeText(result.snippet)}</span></div></article></li>`;
}

function duckduckgo(results: StandInResults, query: string): { body: string; more: string } {
  const ads = results.ads
    .map(
      (ad) =>
        `<li data-layout="ad"><article data-testid="ad"><h2><a data-testid="result-title-a" href="https://duckduckgo.com/y.js?ad_domain=${encodeURIComponent(hostOf(ad.url))}&amp;u3=${encodeURIComponent(ad.url)}">${escapeText(ad.title)}</a></h2><span>Annonce</span></article></li>`,
    )
    .join('');
  // The real page renders its results with script after the document is parsed.
  const rendered = `${ads}${results.organic.map(duckResult).join('')}`;
  return {
    body: `<form id="search_form"><input name="q" value="${escapeAttr(query)}"></form><section data-testid="mainline"><ol class="react-results--main"></ol></section><button type="button" id="more-results" data-more>Plus de résultats</button><template id="initial-results">${rendered}</template><script>setTimeout(function(){var t=document.getElementById('initial-results');document.querySelector('ol.react-results--main').append(t.content.cloneNode(true));},150);</script>`,
    more: results.more.map(duckResult).join(''),
  };
}

/** DuckDuckGo without script: #links > .result > a.result__a through //duckduckgo.com/l/?uddg=. */
function duckHtmlResult(result: StandInResult, ad = false): string {
  const href = ad
    ? `https://duckduckgo.com/y.js?ad_domain=${encodeURIComponent(hostOf(result.url))}`
    : `//duckduckgo.com/l/?uddg=${encodeURIComponent(result.url)}&rut=6b1c`;
  return `<div class="result results_links results_links_deep web-result${ad ? ' result--ad' : ''}"><div class="links_main links_deep result__body"><h2 class="result__title"><a rel="nofollow" class="result__a" href="${escapeAttr(href)}">${escapeText(result.title)}</a></h2><a class="result__snippet" href="${escapeAttr(href)}">${escapeText(result.snippet)}</a></div></div>`;
}

function duckduckgoHtml(results: StandInResults, query: string): { body: string; more: string } {
  return {
    body: `<form action="/html/" method="post"><input name="q" value="${escapeAttr(query)}"></form><div id="links" class="results">${results.ads.map((ad) => duckHtmlResult(ad, true)).join('')}${results.organic.map((r) => duckHtmlResult(r)).join('')}</div><button type="button" data-more>Plus de résultats</button>`,
    more: results.more.map((r) => duckHtmlResult(r)).join(''),
  };
}

/** Qwant: [data-testid=webResult][domain], title a[data-testid=serTitle]; ads adResult. */
function qwantResult(result: StandInResult, ad = false): string {
  const href = escapeAttr(result.url);
  return `<div data-testid="${ad ? 'adResult' : 'webResult'}" domain="${escapeAttr(hostOf(result.url))}" class="Stack-module__VerticalStack"><div class="WebResult-module__permalink"><a href="${href}" class="external">${escapeText(hostOf(result.url))}</a>${ad ? '<span>Annonce</span>' : ''}</div><div class="HhS7p"><a data-testid="serTitle" href="${href}" class="external"><span>${escapeText(result.title)}</span></a></div><div class="Text-module__snippet">${escapeText(result.snippet)}</div></div>`;
}

function qwant(results: StandInResults, query: string): { body: string; more: string } {
  return {
    body: `<form><input name="q" value="${escapeAttr(query)}"></form><div data-testid="sectionWeb" class="Web-module__container">${results.ads.map((ad) => qwantResult(ad, true)).join('')}${results.organic.map((r) => qwantResult(r)).join('')}</div><button type="button" data-more>Plus de résultats</button>`,
    more: results.more.map((r) => qwantResult(r)).join(''),
  };
}

/** Ecosia: article.result[data-test-id=mainline-result-web] > a.result__link > h2. */
function ecosiaResult(result: StandInResult, ad = false): string {
  const href = escapeAttr(result.url);
  return `<article class="result ${ad ? 'ad-result' : 'web-result'} mainline__result" data-test-id="mainline-result-${ad ? 'ad' : 'web'}"><div class="result__header"><a class="result__link" data-test-id="result-link" href="${href}"><div class="result__source"><span>${escapeText(hostOf(result.url))}</span></div><h2 class="result-title__heading">${escapeText(result.title)}</h2></a></div><p class="web-result__description">${escapeText(result.snippet)}</p></article>`;
}

function ecosia(results: StandInResults, query: string): { body: string; more: string } {
  return {
    body: `<form><input name="q" value="${escapeAttr(query)}"></form><div class="mainline">${results.ads.map((ad) => ecosiaResult(ad, true)).join('')}${results.organic.map((r) => ecosiaResult(r)).join('')}</div><button type="button" data-more>Plus de résultats</button>`,
    more: results.more.map((r) => ecosiaResult(r)).join(''),
  };
}

const RENDERERS: Record<
  StandInEngine,
  (results: StandInResults, query: string) => { body: string; more: string }
> = {
  google,
  bing,
  duckduckgo,
  'duckduckgo-html': duckduckgoHtml,
  qwant,
  ecosia,
};

/** Where "Plus de résultats" appends, per engine (each engine's own list). */
const MORE_TARGET: Record<StandInEngine, string> = {
  google: '#arc-srp_1',
  bing: '#b_results',
  duckduckgo: 'ol.react-results--main',
  'duckduckgo-html': '#links',
  qwant: '[data-testid="sectionWeb"]',
  ecosia: '.mainline',
};

/** The whole results page of an engine (also what tests/unit/search load into happy-dom). */
export function renderResultsPage(
  engine: StandInEngine,
  query: string,
  results: StandInResults,
): string {
  const { body, more } = RENDERERS[engine](results, query);
  const script = `document.addEventListener('click',function(e){var b=e.target.closest('[data-more]');if(!b)return;var t=document.getElementById('more-results-data');document.querySelector(${JSON.stringify(MORE_TARGET[engine])}).insertAdjacentHTML('beforeend',t.innerHTML);b.remove();});`;
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeText(query)} - Recherche</title><meta name="viewport" content="width=device-width"><style>body{font:16px/1.4 arial,sans-serif;margin:0 0 0 120px;max-width:660px}h2,h3{font-size:20px;font-weight:400;margin:0}a{color:#1a0dab}article,li,.g,.result,[data-testid]{display:block;margin:0 0 24px}ol{list-style:none;padding:0}cite{display:block;color:#4d5156;font-size:14px;font-style:normal}</style></head><body>${body}<template id="more-results-data">${more}</template><script>${script}</script></body></html>`;
}

/** Each engine's results page, and its own redirect for the result links that go through it. */
export function searchEngineRoutes(ctx: PortalContext): Hono {
  const app = new Hono();
  const port = () => Number(new URL(ctx.internalOrigin()).port) || null;
  const page = (c: Context, query: string) => {
    const engine = SEARCH_ENGINE_HOSTS[new URL(c.req.url).hostname]!;
    const html = renderResultsPage(engine, query, standInResults(port()));
    // The engines' pages are never cached by the browser.
    return c.html(html, 200, { 'Cache-Control': 'no-store' });
  };
  const target = (raw: string | undefined | null) => (raw && /^https?:\/\//.test(raw) ? raw : null);

  app.get('/search', (c) => page(c, c.req.query('q') ?? ''));
  app.get('/', (c) =>
    c.req.query('q') === undefined ? c.text('Recherche') : page(c, c.req.query('q')!),
  );
  app.get('/html', (c) => page(c, c.req.query('q') ?? ''));
  app.get('/html/', (c) => page(c, c.req.query('q') ?? ''));
  app.post('/html/', async (c) => {
    const query = (await c.req.parseBody()).q;
    return page(c, typeof query === 'string' ? query : '');
  });
  // The engines' redirects, as a click on the result itself follows them.
  app.get('/url', (c) => {
    const to = target(c.req.query('q') ?? c.req.query('url'));
    return to ? c.redirect(to, 302) : c.text('Lien invalide', 400);
  });
  app.get('/ck/a', (c) => {
    const u = c.req.query('u') ?? '';
    const to = u.startsWith('a1') ? target(Buffer.from(u.slice(2), 'base64url').toString()) : null;
    return to ? c.redirect(to, 302) : c.text('Lien invalide', 400);
  });
  app.get('/l/', (c) => {
    const to = target(c.req.query('uddg'));
    return to ? c.redirect(to, 302) : c.text('Lien invalide', 400);
  });
  app.notFound((c) => c.text('Page introuvable', 404));
  return app;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}
