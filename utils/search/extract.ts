/**
 * The organic results of a results page, as the marks need them: each result's title link and
 * the hostname its link leads to (unwrapped from the engine's redirect). Reads nothing else of
 * the page: not the query, not the snippets, not the page's address.
 */
import type { ResultLayout } from './engines';
import { resultTarget } from './unwrap';

export interface FoundResult {
  /** The result's title link: the mark goes right after it (focus order: link, then mark). */
  link: HTMLAnchorElement;
  /** The element whose text is the title, to place the mark at the end of its last line. */
  title: Element;
  /** Where the link leads, unwrapped: the mark's click activates and lands there. */
  target: string;
  hostname: string;
}

/**
 * The results under `root` (the document, or what a mutation added) that are not in `seen`,
 * in document order; every title link looked at is added to `seen`, marked or not, so that
 * a page that keeps adding results costs only the new ones.
 */
export function findResults(
  root: ParentNode,
  layout: ResultLayout,
  seen: WeakSet<Element>,
): FoundResult[] {
  const found: FoundResult[] = [];
  // A node added inside a result (a late snippet), or a result itself: from its container.
  const around = root instanceof Element ? root.closest(layout.results) : null;
  const candidates = [...(around ? [around] : []), ...root.querySelectorAll(layout.results)];
  for (const container of candidates) {
    const link = titleLink(container, layout.title);
    if (!link || seen.has(link)) continue;
    seen.add(link);
    if (link.closest(layout.excluded)) continue;
    // `href` is the resolved address (a `//duckduckgo.com/l/?…` link becomes https).
    const target = resultTarget(link.href);
    if (target === null) continue;
    found.push({ link, title: titleOf(link), ...target });
  }
  return found;
}

function titleLink(container: Element, selectors: readonly string[]): HTMLAnchorElement | null {
  for (const selector of selectors) {
    const link = container.querySelector<HTMLAnchorElement>(selector);
    if (link) return link;
  }
  return null;
}

/** The heading inside the link (Google's <h3>), or the link itself (Bing, DuckDuckGo…). */
function titleOf(link: HTMLAnchorElement): Element {
  return link.querySelector('h3, h2') ?? link;
}
