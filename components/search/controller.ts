/**
 * The marks of one results page:
 *
 *   start, and every batch of nodes the page adds (more results, infinite scroll, instant answers)
 *     → once per animation frame: the new results' title links (utils/search/extract.ts)
 *     → one `search:match` per 50 new hostnames (hostnames only) → the background's offers
 *     → in the next frame: the marks inserted, then placed (all reads, then all writes)
 *   a mark's click (trusted, visible, on top) → `search:activate` with the result's target URL
 *     → the background activates and sends the tab through the affiliate link to that page
 *
 * Browser APIs come in through `send` and the document, so this runs in tests as on a page.
 */
import { engineOfPage, type SearchEngine } from '../../utils/search/engines';
import { findResults, type FoundResult } from '../../utils/search/extract';
import { SEARCH_MATCH_MAX_HOSTNAMES } from '../../utils/search/limits';
import type {
  ActivationStatus,
  BackgroundProtocol,
  SearchMarkWords,
  SearchOffer,
} from '../../utils/protocol/messages';
import { createMark, isGenuineClick, markCss, type Mark } from './mark';

export type SearchRequest = 'search:match' | 'search:activate';
export type SendToBackground = <T extends SearchRequest>(
  type: T,
  request: BackgroundProtocol[T]['request'],
) => Promise<BackgroundProtocol[T]['response']>;

export interface SearchMarksOptions {
  doc: Document;
  send: SendToBackground;
  colors: { primary: string; onPrimary: string };
  googleDomains: readonly string[];
  /** The next frame (requestAnimationFrame), or a timer while the tab is hidden. */
  nextFrame?: (run: () => void) => void;
}

export interface SearchMarks {
  /** Looks at the whole page again (the observer calls the same for what is added). */
  scan(roots?: readonly ParentNode[]): void;
  readonly marks: readonly Mark[];
  stop(): void;
}

export function startSearchMarks(options: SearchMarksOptions): SearchMarks {
  const { doc, send } = options;
  const view = doc.defaultView!;
  const nextFrame =
    options.nextFrame ??
    ((run: () => void) =>
      doc.visibilityState === 'hidden' ? setTimeout(run, 50) : view.requestAnimationFrame(run));
  const css = markCss(options.colors);
  const seen = new WeakSet<Element>();
  const offers = new Map<string, SearchOffer | null>();
  const asked = new Set<string>();
  let words: SearchMarkWords | null = null;
  const marks: Mark[] = [];
  /** Results found, waiting for their hostname's answer or for the next frame to be marked. */
  let waiting: FoundResult[] = [];
  let added: Node[] = [];
  let scanScheduled = false;
  let drawScheduled = false;

  const engine = (): SearchEngine | null => engineOfPage(view.location, options.googleDomains);

  /** One batch: the results under `roots`, and one request per 50 of their new hostnames. */
  function scan(roots: readonly ParentNode[] = [doc]): void {
    const current = engine();
    if (!current) return;
    const found = roots.flatMap((root) => findResults(root, current.layout, seen));
    if (found.length === 0) return;
    waiting.push(...found);
    const fresh = [...new Set(found.map((result) => result.hostname))].filter(
      (hostname) => !asked.has(hostname),
    );
    for (let i = 0; i < fresh.length; i += SEARCH_MATCH_MAX_HOSTNAMES) {
      const hostnames = fresh.slice(i, i + SEARCH_MATCH_MAX_HOSTNAMES);
      for (const hostname of hostnames) asked.add(hostname);
      send('search:match', { hostnames }).then(
        (answer) => {
          words = answer.words;
          for (const hostname of hostnames) offers.set(hostname, answer.offers[hostname] ?? null);
          scheduleDraw();
        },
        // No answer (the extension was updated under the page): these results stay unmarked.
        () => hostnames.forEach((hostname) => offers.set(hostname, null)),
      );
    }
    scheduleDraw();
  }

  function scheduleDraw(): void {
    if (drawScheduled) return;
    drawScheduled = true;
    nextFrame(draw);
  }

  function draw(): void {
    drawScheduled = false;
    const ready: Mark[] = [];
    const still: FoundResult[] = [];
    for (const result of waiting) {
      if (!offers.has(result.hostname)) {
        still.push(result);
        continue;
      }
      const offer = offers.get(result.hostname);
      if (!offer || !result.link.isConnected) continue;
      ready.push(createMark(doc, result.link, result.title, offer, css, activate(result)));
    }
    waiting = still;
    // Inserted first, then placed: one layout for the whole batch.
    for (const mark of ready) mark.place();
    marks.push(...ready);
  }

  function activate(result: FoundResult) {
    let busy = false;
    return (event: MouseEvent, mark: Mark) => {
      event.preventDefault();
      if (busy || !words || !isGenuineClick(doc, event, mark)) return;
      busy = true;
      const shown = words;
      mark.setState('activating', shown);
      const settle = (status: ActivationStatus) => {
        // 'activating': the tab is on its way through the affiliate link to the result's page.
        if (status.state === 'activating' || status.state === 'activated') return;
        busy = false;
        if (status.state === 'none') return mark.setState('offer', shown);
        mark.setState(status.failure.reason === 'signed-out' ? 'sign-in' : 'failed', shown);
      };
      send('search:activate', { url: result.target }).then(settle, () =>
        settle({ state: 'error', failure: { reason: 'failed', detail: '' } }),
      );
    };
  }

  const observer = new view.MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        // Our own marks are not results.
        if (node.nodeType === 1 && !(node as Element).hasAttribute('data-ristourne-mark')) {
          added.push(node);
        }
      }
    }
    if (added.length === 0 || scanScheduled) return;
    scanScheduled = true;
    // While the parser adds the page's own results, ask at once (a link comes whole with its
    // address): the answer is then back by the page's first frame, when the marks are drawn.
    // Results added later are asked about once a frame.
    if (doc.readyState === 'loading') scanAdded();
    else nextFrame(scanAdded);
  });
  function scanAdded(): void {
    if (!scanScheduled) return;
    scanScheduled = false;
    const roots = added.filter((root) => root.isConnected) as Element[];
    added = [];
    scan(roots);
  }
  // Started with the document (document_start): what the parser added is asked about the moment
  // it is done, not a frame later.
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', scanAdded);
  observer.observe(doc, { childList: true, subtree: true });

  // A new width rewraps the titles: the marks follow their last line.
  let placeScheduled = false;
  const onResize = () => {
    if (placeScheduled) return;
    placeScheduled = true;
    nextFrame(() => {
      placeScheduled = false;
      for (const mark of marks) if (mark.host.isConnected) mark.place();
    });
  };
  view.addEventListener('resize', onResize);

  scan();
  return {
    scan,
    marks,
    stop() {
      observer.disconnect();
      view.removeEventListener('resize', onResize);
      doc.removeEventListener('DOMContentLoaded', scanAdded);
    },
  };
}
