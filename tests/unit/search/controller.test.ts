// @vitest-environment happy-dom
/** The marks of a results page, over the Google stand-in, with a scripted background. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderResultsPage, standInResults } from '../../../portal/demo/search-engines';
import {
  startSearchMarks,
  type SearchMarks,
  type SendToBackground,
} from '../../../components/search/controller';
import type { SearchOffer } from '../../../utils/protocol/messages';

const offer = (merchantId: string, label: string): SearchOffer => ({
  merchantId,
  label,
  action: `Activer ${label} chez ${merchantId} avec Ristourne`,
});
const OFFERS: Record<string, SearchOffer> = {
  'numeria.localhost': offer('numeria', "Jusqu'à 2,5 % de cashback"),
  'lenoir-paris.localhost': offer('maison-lenoir', '4 % de cashback'),
};
const WORDS = { activating: 'Activation…', failed: 'Échec', signIn: 'Connectez-vous' };

let marks: SearchMarks | undefined;
afterEach(() => marks?.stop());

function setUp() {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(
    'https://www.google.fr/search?q=t%C3%A9l%C3%A9viseur',
  );
  const html = renderResultsPage('google', 'téléviseur', standInResults(8787));
  document.documentElement.innerHTML = html.replace(/^<!doctype html><html[^>]*>|<\/html>$/g, '');
  const asked: unknown[] = [];
  const send = vi.fn(async (type: string, request: { hostnames?: string[] }) => {
    asked.push({ type, ...request });
    if (type !== 'search:match') return { state: 'activating' };
    return {
      offers: Object.fromEntries(request.hostnames!.map((h) => [h, OFFERS[h] ?? null])),
      words: WORDS,
    };
  }) as unknown as SendToBackground;
  marks = startSearchMarks({
    doc: document,
    send,
    colors: { primary: '#0b6e4f', onPrimary: '#ffffff' },
    googleDomains: ['google.fr'],
    nextFrame: (run) => setTimeout(run, 0),
  });
  return { asked, send, marks };
}

const shown = () =>
  [...document.querySelectorAll('[data-ristourne-mark]')].map((host) => ({
    after: (host.previousElementSibling as HTMLAnchorElement).href,
    text: host.shadowRoot!.querySelector('button')!.textContent,
  }));

describe('the marks of a results page', () => {
  it('asks once about the page’s hostnames and marks the merchants’ results, right after their title link', async () => {
    const { asked } = setUp();
    await vi.waitFor(() => expect(shown()).toHaveLength(1));
    expect(asked).toEqual([
      {
        type: 'search:match',
        hostnames: [
          'numeria.localhost',
          'fr.wikipedia.org',
          'octet-et-pixel.localhost',
          'voltaire-electro.localhost',
          'les-petites-mailles.localhost',
          'www.quechoisir.org',
        ],
      },
    ]);
    expect(shown()).toEqual([
      { after: 'http://numeria.localhost:8787/produit/2', text: "Jusqu'à 2,5 % de cashback" },
    ]);
    const button = document
      .querySelector('[data-ristourne-mark]')!
      .shadowRoot!.querySelector('button')!;
    expect(button.getAttribute('aria-label')).toBe(
      "Activer Jusqu'à 2,5 % de cashback chez numeria avec Ristourne",
    );
  });

  it('asks about the results the parser adds while the page loads, without waiting for a frame', async () => {
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(
      'https://www.google.fr/search?q=t%C3%A9l%C3%A9viseur',
    );
    document.documentElement.innerHTML = '<head></head><body></body>';
    const loading = vi.spyOn(document, 'readyState', 'get').mockReturnValue('loading');
    const send = vi.fn(async () => ({ offers: {}, words: WORDS })) as unknown as SendToBackground;
    marks = startSearchMarks({
      doc: document,
      send,
      colors: { primary: '#0b6e4f', onPrimary: '#ffffff' },
      googleDomains: ['google.fr'],
      // No frame before the first paint, which comes after the parser is done.
      nextFrame: () => undefined,
    });
    const html = renderResultsPage('google', 'téléviseur', standInResults(8787));
    document.body.innerHTML = html.slice(html.indexOf('<body'));
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    expect(vi.mocked(send).mock.calls[0]![1]).toMatchObject({
      hostnames: expect.arrayContaining(['numeria.localhost', 'fr.wikipedia.org']),
    });
    loading.mockRestore();
  });

  it('marks results added later, asking only about their new hostnames', async () => {
    const { asked } = setUp();
    await vi.waitFor(() => expect(shown()).toHaveLength(1));
    const more = (document.getElementById('more-results-data') as HTMLTemplateElement).innerHTML;
    document.getElementById('arc-srp_1')!.insertAdjacentHTML('beforeend', more);
    await vi.waitFor(() => expect(shown()).toHaveLength(2));
    expect(asked.at(-1)).toEqual({
      type: 'search:match',
      hostnames: ['lenoir-paris.localhost', 'www.lemonde.fr'],
    });
    expect(asked).toHaveLength(2);
  });

  it('activates nothing on a click the page made up', async () => {
    const { asked } = setUp();
    await vi.waitFor(() => expect(shown()).toHaveLength(1));
    const button = document
      .querySelector('[data-ristourne-mark]')!
      .shadowRoot!.querySelector('button')!;
    button.click();
    button.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(
      asked.filter((request) => (request as { type: string }).type === 'search:activate'),
    ).toEqual([]);
    expect(button.textContent).toBe("Jusqu'à 2,5 % de cashback");
  });
});
