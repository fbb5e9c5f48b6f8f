/**
 * The search engines whose result pages get cashback marks, and how each lays its results out
 * (docs/search-marks.md describes each page and how to refresh the reference portal's stand-ins
 * when an engine changes). Pure data and pure functions: the background builds the content
 * script's match patterns from it, the content script finds the results with it.
 *
 * A layout names, by CSS selector, the organic result containers, the title link inside one,
 * and the containers that make anything inside them an ad (never marked). Selectors are lists
 * of the engine's current and previous markup, so a change on one side keeps the other working.
 */

/**
 * Google's domains of a French-speaking market (France, Belgium, Switzerland, Canada,
 * Luxembourg, Monaco, and .com): a brand of another market lists its own (`googleDomains`).
 */
export const DEFAULT_GOOGLE_DOMAINS: readonly string[] = [
  'google.fr',
  'google.be',
  'google.ch',
  'google.ca',
  'google.lu',
  'google.mc',
  'google.com',
];

export type EngineId = 'google' | 'bing' | 'duckduckgo' | 'qwant' | 'ecosia';

export interface ResultLayout {
  /** An organic result (one block per result, ads included where the engine mixes them). */
  results: string;
  /** The result's title link inside a result: each selector in turn, the first that matches. */
  title: readonly string[];
  /** Anything inside one of these is an ad, or a block that is not a result (never marked). */
  excluded: string;
}

export interface SearchEngine {
  id: EngineId;
  /** What the member reads in the options page. */
  name: string;
  layout: ResultLayout;
}

export const SEARCH_ENGINES: Readonly<Record<EngineId, SearchEngine>> = {
  google: {
    id: 'google',
    name: 'Google',
    layout: {
      // #search holds the first page's results; continuous scrolling ("Plus de résultats")
      // appends pages under #botstuff. A result's title link is the link around its <h3>.
      results: '#search .MjjYud, #search .g, #search [data-snf], #botstuff .MjjYud, #botstuff .g',
      title: ['a[href]:has(h3)'],
      // Sponsored blocks, top and bottom; "People also ask" and knowledge panels.
      excluded: '#tads, #tadsb, #bottomads, [data-text-ad], .related-question-pair, .kp-wholepage',
    },
  },
  bing: {
    id: 'bing',
    name: 'Bing',
    layout: {
      results: '#b_results > li.b_algo',
      title: ['h2 a[href]'],
      excluded: '.b_ad, .b_adTop, .b_adBottom, .b_adLastChild',
    },
  },
  duckduckgo: {
    id: 'duckduckgo',
    name: 'DuckDuckGo',
    layout: {
      // The script page (duckduckgo.com/?q=) and the no-script one (html.duckduckgo.com/html/).
      results: 'li[data-layout="organic"], #links .result',
      title: ['a[data-testid="result-title-a"]', 'a.result__a'],
      excluded: 'li[data-layout="ad"], [data-testid="ad"], .result--ad',
    },
  },
  qwant: {
    id: 'qwant',
    name: 'Qwant',
    layout: {
      // Each web result carries its domain as an attribute.
      results: '[data-testid="webResult"]',
      title: ['a[data-testid="serTitle"]', 'h2 a[href]', 'a[href]'],
      excluded: '[data-testid="adResult"], [data-testid="productAdResult"]',
    },
  },
  ecosia: {
    id: 'ecosia',
    name: 'Ecosia',
    layout: {
      results: '[data-test-id="mainline-result-web"], article.result, div.result',
      title: ['a[data-test-id="result-link"]', 'a.result__link', 'a.result-title', 'a[href]'],
      excluded: '[data-test-id="mainline-result-ad"], [data-test-id="ad-result"], .result--ad',
    },
  },
};

/** The engines in the order the options page names them. */
export const ENGINE_ORDER: readonly EngineId[] = [
  'google',
  'bing',
  'duckduckgo',
  'qwant',
  'ecosia',
];

/**
 * The content script's match patterns: the exact results paths, never a whole host. Chrome
 * and Firefox match a pattern's path against the path and the query, so `/?*` is DuckDuckGo's
 * and Qwant's results (`/?q=…`), not their home page (`/`).
 */
export function searchMatchPatterns(
  googleDomains: readonly string[] = DEFAULT_GOOGLE_DOMAINS,
): string[] {
  return [
    ...googleDomains.map((domain) => `https://www.${domain}/search*`),
    'https://www.bing.com/search*',
    'https://duckduckgo.com/?*',
    'https://html.duckduckgo.com/html*',
    'https://www.qwant.com/?*',
    'https://www.ecosia.org/search*',
  ];
}

/**
 * The engine whose results page this is, or null: the content script runs only on the match
 * patterns above, and still checks that the page is a web results page (a DuckDuckGo or Qwant
 * address with other parameters, Google Images) before it reads anything.
 */
export function engineOfPage(
  location: { hostname: string; pathname: string; search: string },
  googleDomains: readonly string[] = DEFAULT_GOOGLE_DOMAINS,
): SearchEngine | null {
  const host = location.hostname.toLowerCase();
  const path = location.pathname;
  const params = new URLSearchParams(location.search);
  const hasQuery = params.has('q');
  if (host.startsWith('www.') && googleDomains.includes(host.slice(4))) {
    // Web results only: tbm/udm pick images, news, shopping… (another layout).
    const web = !params.has('tbm') && (params.get('udm') ?? '14') === '14';
    return path === '/search' && hasQuery && web ? SEARCH_ENGINES.google : null;
  }
  switch (host) {
    case 'www.bing.com':
      return path === '/search' && hasQuery ? SEARCH_ENGINES.bing : null;
    case 'duckduckgo.com':
      return path === '/' && hasQuery ? SEARCH_ENGINES.duckduckgo : null;
    // The no-script page is often the answer to a POST, whose address has no query.
    case 'html.duckduckgo.com':
      return path === '/html' || path === '/html/' ? SEARCH_ENGINES.duckduckgo : null;
    case 'www.qwant.com': {
      const tab = params.get('t') ?? 'web';
      return path === '/' && hasQuery && tab === 'web' ? SEARCH_ENGINES.qwant : null;
    }
    case 'www.ecosia.org':
      return path === '/search' && hasQuery ? SEARCH_ENGINES.ecosia : null;
    default:
      return null;
  }
}
