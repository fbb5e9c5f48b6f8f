/**
 * The browser the banner's component tests need and happy-dom lacks: the closed shadow roots the
 * banner attaches, kept here (as the extension's world keeps them; a page never gets them), and a
 * layout in which the member clicks. `click` is the member's click: trusted, at a point where the
 * button is topmost, on a banner on screen for longer than MIN_VISIBLE_MS; `clickWhere` lets a
 * test change what is at the point.
 */
import { vi } from 'vitest';
import { MIN_VISIBLE_MS } from '../../../components/banner/click-guard';

export function bannerDom() {
  const roots = new Map<Element, ShadowRoot>();
  const attach = Element.prototype.attachShadow;
  vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (
    this: Element,
    init: ShadowRootInit,
  ) {
    const root = attach.call(this, init);
    roots.set(this, root);
    return root;
  });
  // The time the member takes, added to the real clock at each click.
  let elapsed = 0;
  const realNow = performance.now.bind(performance);
  vi.spyOn(performance, 'now').mockImplementation(() => realNow() + elapsed);
  // What is topmost at the click's point: the clicked button, unless a test says otherwise.
  let atPoint: { page: Element | null; root: Element | null } = { page: null, root: null };
  vi.spyOn(document, 'elementFromPoint').mockImplementation(() => atPoint.page);
  const shadowPrototype = ShadowRoot.prototype as ShadowRoot & {
    elementFromPoint?: (x: number, y: number) => Element | null;
  };
  shadowPrototype.elementFromPoint = () => atPoint.root;
  // A card of the banner's size at the bottom right of happy-dom's 1024×768 window.
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(
    () => new DOMRect(648, 600, 360, 152),
  );

  /** Lets the click's judgement and what it starts settle (microtasks only: fake timers work). */
  const settle = async () => {
    for (let turn = 0; turn < 10; turn++) await Promise.resolve();
  };

  function dispatchClick(element: Element): void {
    const event = new MouseEvent('click', {
      bubbles: true,
      composed: true,
      detail: 1,
      clientX: 700,
      clientY: 700,
    });
    // happy-dom cannot make trusted events; a real browser never lets a page forge this.
    Object.defineProperty(event, 'isTrusted', { value: true });
    element.dispatchEvent(event);
  }

  return {
    /** The closed root of a banner host (never reachable from the page). */
    root(host: Element): ShadowRoot {
      const root = roots.get(host);
      if (!root) throw new Error('not a banner host');
      return root;
    },
    /** Banner hosts in the document. */
    hosts: () => [...document.documentElement.children].filter((element) => roots.has(element)),
    /** The member's click, on a banner that has been on screen long enough. */
    async click(element: Element): Promise<void> {
      elapsed += MIN_VISIBLE_MS + 1;
      // Fake timers fake the clock too: the time the member takes passes there.
      if (vi.isFakeTimers()) vi.advanceTimersByTime(MIN_VISIBLE_MS + 1);
      const host = (element.getRootNode() as ShadowRoot).host;
      atPoint = { page: host, root: element };
      dispatchClick(element);
      await settle();
    },
    /** A click with something else on the page's or the root's top, or at once (no wait). */
    async clickWhere(
      element: Element,
      options: { page?: Element | null; root?: Element | null; waitMs?: number },
    ): Promise<void> {
      elapsed += options.waitMs ?? MIN_VISIBLE_MS + 1;
      const host = (element.getRootNode() as ShadowRoot).host;
      atPoint = {
        page: options.page === undefined ? host : options.page,
        root: options.root === undefined ? element : options.root,
      };
      dispatchClick(element);
      await settle();
    },
  };
}
