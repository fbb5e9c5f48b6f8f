// @vitest-environment happy-dom
/**
 * The results each engine's page yields, read from the reference portal's stand-ins (the same
 * pages the end-to-end tests load; docs/search-marks.md keeps them faithful to the engines').
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  RESULTS_PAGES,
  renderResultsPage,
  standInResults,
  type StandInEngine,
} from '../../../portal/demo/search-engines';
import { SEARCH_ENGINES, engineOfPage } from '../../../utils/search/engines';
import { findResults } from '../../../utils/search/extract';

const RESULTS = standInResults(8787);
/** The organic results' hosts, in order: the ad (octet-et-pixel's product page) is never one. */
const ORGANIC = [
  'numeria.localhost',
  'fr.wikipedia.org',
  'octet-et-pixel.localhost',
  'voltaire-electro.localhost',
  'les-petites-mailles.localhost',
  'www.quechoisir.org',
];
const MORE = ['lenoir-paris.localhost', 'www.lemonde.fr'];

function load(engine: StandInEngine, options: { withScript?: boolean } = {}) {
  const html = renderResultsPage(engine, 'téléviseur', RESULTS);
  // The page's own scripts are not run here: DuckDuckGo's results are put in as it would.
  const url = new URL(RESULTS_PAGES[engine] + 'téléviseur');
  // Relative links (Google's /url?q=) resolve against the engine's page, as in the browser.
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url.href);
  document.documentElement.innerHTML = html.replace(/^<!doctype html><html[^>]*>|<\/html>$/g, '');
  if (engine === 'duckduckgo' && options.withScript !== false) {
    const template = document.getElementById('initial-results') as HTMLTemplateElement;
    document.querySelector('ol.react-results--main')!.append(template.content.cloneNode(true));
  }
  const found = engineOfPage(url);
  if (!found) throw new Error(`no engine for ${url}`);
  return found;
}

function showMore(engine: StandInEngine): Element[] {
  const template = document.getElementById('more-results-data') as HTMLTemplateElement;
  const targets: Record<StandInEngine, string> = {
    google: '#arc-srp_1',
    bing: '#b_results',
    duckduckgo: 'ol.react-results--main',
    'duckduckgo-html': '#links',
    qwant: '[data-testid="sectionWeb"]',
    ecosia: '.mainline',
  };
  const list = document.querySelector(targets[engine])!;
  const before = list.children.length;
  list.insertAdjacentHTML('beforeend', template.innerHTML);
  return [...list.children].slice(before);
}

const ENGINES: StandInEngine[] = [
  'google',
  'bing',
  'duckduckgo',
  'duckduckgo-html',
  'qwant',
  'ecosia',
];

describe.each(ENGINES)('the results of %s', (engine) => {
  beforeEach(() => {
    document.documentElement.innerHTML = '';
  });

  it('are the organic results, in order, each with its unwrapped target; never the ad', () => {
    const { layout } = load(engine);
    const found = findResults(document, layout, new WeakSet());
    expect(found.map((result) => result.hostname)).toEqual(ORGANIC);
    expect(found[0]!.target).toBe('http://numeria.localhost:8787/produit/2');
    expect(found[1]!.target).toBe('https://fr.wikipedia.org/wiki/T%C3%A9l%C3%A9viseur');
    for (const result of found) {
      expect(result.link.tagName).toBe('A');
      expect(result.title.textContent).toContain(
        RESULTS.organic[found.indexOf(result)]!.title.slice(0, 10),
      );
    }
  });

  it('are found once: a second look, or a look at a part, finds nothing new', () => {
    const { layout } = load(engine);
    const seen = new WeakSet<Element>();
    expect(findResults(document, layout, seen)).toHaveLength(ORGANIC.length);
    expect(findResults(document, layout, seen)).toEqual([]);
    expect(findResults(document.body.firstElementChild!, layout, seen)).toEqual([]);
  });

  it('include the results added later, looked at from what was added', () => {
    const { layout } = load(engine);
    const seen = new WeakSet<Element>();
    findResults(document, layout, seen);
    const added = showMore(engine);
    expect(added.length).toBeGreaterThan(0);
    const found = added.flatMap((node) => findResults(node, layout, seen));
    expect(found.map((result) => result.hostname)).toEqual(MORE);
  });
});

describe('a page that is not a web results page', () => {
  it.each([
    'https://www.google.fr/search?q=tv&tbm=isch',
    'https://www.google.fr/search?q=tv&udm=2',
    'https://www.google.fr/webhp',
    'https://www.google.de/search?q=tv',
    'https://duckduckgo.com/?t=h_',
    'https://www.qwant.com/?q=tv&t=images',
    'https://www.ecosia.org/images?q=tv',
    'https://www.bing.com/images/search?q=tv',
    'https://evil.example/search?q=tv',
  ])('%s: no engine, nothing read', (address) => {
    expect(engineOfPage(new URL(address))).toBeNull();
  });

  it.each([
    ['https://www.google.ca/search?q=tv', 'google'],
    ['https://www.google.com/search?client=firefox-b-d&q=tv', 'google'],
    ['https://www.google.fr/search?q=tv&udm=14', 'google'],
    ['https://duckduckgo.com/?t=h_&q=tv&ia=web', 'duckduckgo'],
    ['https://html.duckduckgo.com/html/', 'duckduckgo'],
    ['https://www.qwant.com/?q=tv', 'qwant'],
  ])('%s is a results page of %s', (address, engine) => {
    expect(engineOfPage(new URL(address))?.id).toBe(engine);
  });

  it('follows the brand’s Google domains', () => {
    expect(engineOfPage(new URL('https://www.google.de/search?q=tv'), ['google.de'])).toBe(
      SEARCH_ENGINES.google,
    );
    expect(engineOfPage(new URL('https://www.google.fr/search?q=tv'), ['google.de'])).toBeNull();
  });
});
