/**
 * Whether a click on the banner is the member's own, on a banner they could see. The page cannot
 * reach into the banner's closed shadow root, but it can still try to make an ordinary click land
 * on one of its buttons (docs/threat-model.md): lay its own element over the banner in the top
 * layer with `pointer-events: none`, so that the click passes through to us; show the banner only
 * for the few milliseconds before a click it expects; pull the banner out of the top layer to
 * cover it; zoom the page so that the banner fills the viewport. A click counts only when, at
 * its point and time:
 *
 * - the banner is in the top layer, where no element of the page can be painted over it unless
 *   it enters the top layer after us (the page's styles on <html> — opacity, filter, transform,
 *   clip — do not reach the top layer; its zoom does, hence the size checks);
 * - the page's topmost element at the click's point is our host, and in our root our button
 *   (Enter or Space on the focused button has no point: the rest still applies);
 * - the host, the card and the button are drawn as they should be (opacity 1, visible, no
 *   filter, transform, clip or blending), the card wholly inside the viewport, neither oversized
 *   nor shrunk to a speck;
 * - no other element of the page is in the top layer over the card;
 * - the banner had been continuously visible for MIN_VISIBLE_MS. Where the browser computes
 *   occlusion (IntersectionObserver v2's `isVisible`, Chromium), that includes anything painted
 *   over it, whatever its pointer events; the decision then waits for the observer's report that
 *   covers the click (it comes at most DELAY_MS late). Firefox has no such observer: there the
 *   visible time counts from the last change of the top layer, of the page's visibility, or of the
 *   banner itself, and the top-layer check sees the page's elements but not those inside its own
 *   closed shadow roots.
 *
 * MIN_VISIBLE_MS = 500: a deliberate click on something that just appeared takes longer (seeing
 * it, reading "Activer", moving the pointer there); Chromium protects its own permission prompts
 * against clicks meant for something else with the same interval. A shorter one would let a page
 * flash the banner under a click it expects; a longer one would start to be felt by a member who
 * clicks a banner they were waiting for.
 */

export const MIN_VISIBLE_MS = 500;
/** IntersectionObserver v2 computes visibility at most this often (its `delay`, 100 at least). */
const DELAY_MS = 100;
/** A click waits this long for the observer's report covering it. */
const SETTLE_MS = DELAY_MS + 50;
/** Twice the card's width: a page's zoom past that makes the banner a trap, not a card. */
const MAX_CARD_WIDTH = 720;
/** Half of the viewport at most (a narrow phone with long terms stays well under it). */
const MAX_CARD_SHARE = 0.5;
/**
 * A page's zoom below this shrinks the card into a speck it can put under the pointer (the card
 * is 360 px, or the viewport less 32 px on a narrow phone).
 */
const MIN_CARD_WIDTH = 160;

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The computed styles that decide whether an element is drawn as it should be. */
export type DrawnStyle = Pick<
  CSSStyleDeclaration,
  | 'opacity'
  | 'visibility'
  | 'filter'
  | 'transform'
  | 'clipPath'
  | 'scale'
  | 'rotate'
  | 'translate'
  | 'mixBlendMode'
>;

export interface ClickFacts {
  /** A click of a pointer (Enter or Space on the focused button has no point: `detail` 0). */
  pointed: boolean;
  /** At the click's point, the page's topmost element is our host, and in our root our button. */
  onTop: boolean;
  /** The banner is in the top layer (or the browser has none: then the z-index is all there is). */
  inTopLayer: boolean;
  /** The host's, the card's and the button's. */
  styles: DrawnStyle[];
  card: Box;
  button: Box;
  viewport: { width: number; height: number };
  /** The page's own elements in the top layer, where they could be painted over ours. */
  others: Box[];
  /** How long the banner had been continuously visible at the click; negative: it was not. */
  visibleFor: number;
}

export type ClickRefusal =
  | 'out-of-top-layer'
  | 'not-on-top'
  | 'not-drawn'
  | 'out-of-viewport'
  | 'oversized'
  | 'undersized'
  | 'covered'
  | 'too-soon';

/** Why the click does not count, or null when it is the member's. Pure. */
export function clickRefusal(facts: ClickFacts): ClickRefusal | null {
  const { card, button, viewport } = facts;
  if (!facts.inTopLayer) return 'out-of-top-layer';
  if (facts.pointed && !facts.onTop) return 'not-on-top';
  if (!facts.styles.every(isDrawn)) return 'not-drawn';
  const inside = (inner: Box, outer: Box) =>
    inner.left >= outer.left &&
    inner.top >= outer.top &&
    inner.right <= outer.right &&
    inner.bottom <= outer.bottom;
  const screen = { left: 0, top: 0, right: viewport.width, bottom: viewport.height };
  const width = card.right - card.left;
  const height = card.bottom - card.top;
  if (width <= 0 || height <= 0 || !inside(card, screen) || !inside(button, card)) {
    return 'out-of-viewport';
  }
  if (
    width > MAX_CARD_WIDTH ||
    width * height > MAX_CARD_SHARE * viewport.width * viewport.height
  ) {
    return 'oversized';
  }
  if (width < MIN_CARD_WIDTH) return 'undersized';
  const overlaps = (other: Box) =>
    other.left < card.right &&
    other.right > card.left &&
    other.top < card.bottom &&
    other.bottom > card.top;
  if (facts.others.some(overlaps)) return 'covered';
  if (!(facts.visibleFor >= MIN_VISIBLE_MS)) return 'too-soon';
  return null;
}

function isDrawn(style: DrawnStyle): boolean {
  // An empty value is a property the engine does not compute (a test's DOM): its initial value.
  const none = (value: string) => !value || value === 'none';
  return (
    !(Number(style.opacity || 1) < 1) &&
    style.visibility !== 'hidden' &&
    style.visibility !== 'collapse' &&
    none(style.filter) &&
    none(style.transform) &&
    // The individual transforms are not part of `transform`.
    none(style.scale) &&
    none(style.rotate) &&
    none(style.translate) &&
    none(style.clipPath) &&
    // Blended with the page (`screen` on a white page, say), the card vanishes.
    (!style.mixBlendMode || style.mixBlendMode === 'normal')
  );
}

export interface ClickGuard {
  /** Resolves true when `event`, a click on one of the banner's buttons, is the member's. */
  confirm: (event: MouseEvent) => Promise<boolean>;
}

/**
 * Watches the banner's visibility from the extension's isolated world (the page cannot see
 * these listeners nor the root) and judges its clicks. `raise` puts the banner back in the top
 * layer when a click finds it out (the click is refused, and the visible time starts again).
 */
export function createClickGuard(
  doc: Document,
  host: HTMLElement,
  root: ShadowRoot,
  raise: () => void,
): ClickGuard {
  const now = () => performance.now();
  const occlusionAware =
    typeof IntersectionObserverEntry === 'function' &&
    'isVisible' in IntersectionObserverEntry.prototype;
  /** Since when the banner has been continuously visible (as far as this browser can tell). */
  let since = now();
  let visible = !occlusionAware;
  const restart = () => {
    since = now();
  };
  if (occlusionAware) {
    new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const seen = (entry as IntersectionObserverEntry & { isVisible: boolean }).isVisible;
          if (seen !== visible) since = entry.time;
          visible = seen;
        }
      },
      { trackVisibility: true, delay: DELAY_MS } as IntersectionObserverInit,
    ).observe(host);
  }
  // The top layer changed (ours or one of the page's: `toggle` does not bubble, hence capture),
  // the page was hidden or shown, something went full screen: whatever the banner looked like
  // before, it must be seen anew.
  doc.addEventListener('toggle', restart, true);
  doc.addEventListener('visibilitychange', restart);
  doc.addEventListener('fullscreenchange', restart);

  return {
    async confirm(event) {
      const button = event.currentTarget as Element | null;
      if (!event.isTrusted || !button) return false;
      const clickedAt = now();
      const facts = factsAt(event, button);
      if (!facts.inTopLayer) {
        raise();
        restart();
      }
      if (occlusionAware) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      // A change reported after the click (the observer is late by up to DELAY_MS) refuses it.
      const visibleFor = visible && since <= clickedAt ? clickedAt - since : -1;
      return clickRefusal({ ...facts, visibleFor }) === null;
    },
  };

  function factsAt(event: MouseEvent, button: Element): Omit<ClickFacts, 'visibleFor'> {
    const view = doc.defaultView!;
    const card = button.closest('.card') ?? button;
    const pointed = event.detail > 0;
    const [x, y] = [event.clientX, event.clientY];
    const inRoot = pointed ? root.elementFromPoint?.(x, y) : null;
    return {
      pointed,
      onTop: doc.elementFromPoint(x, y) === host && !!inRoot && button.contains(inRoot),
      inTopLayer: !('showPopover' in host) || matches(host, ':popover-open'),
      styles: [host, card, button].map((element) => view.getComputedStyle(element)),
      card: card.getBoundingClientRect(),
      button: button.getBoundingClientRect(),
      viewport: { width: view.innerWidth, height: view.innerHeight },
      others: othersInTopLayer(),
    };
  }

  /**
   * The page's elements in the top layer: modal dialogs and full-screen elements cover the whole
   * viewport (their backdrop), popovers their box, or the whole viewport when their backdrop is
   * painted.
   */
  function othersInTopLayer(): Box[] {
    const view = doc.defaultView!;
    const everywhere = { left: 0, top: 0, right: view.innerWidth, bottom: view.innerHeight };
    const boxes: Box[] = [];
    for (const selector of [':modal', ':fullscreen', ':popover-open']) {
      let found: Element[] = [];
      try {
        found = [...doc.querySelectorAll(selector)];
      } catch {
        // A selector this browser does not know: nothing of that kind can be open.
      }
      for (const element of found) {
        if (element === host) continue;
        const backdrop = view.getComputedStyle(element, '::backdrop');
        const painted =
          selector !== ':popover-open' ||
          !/^(|transparent|rgba\(0, 0, 0, 0\))$/.test(backdrop.backgroundColor) ||
          !/^(|none)$/.test(backdrop.backdropFilter);
        boxes.push(painted ? everywhere : element.getBoundingClientRect());
      }
    }
    return boxes;
  }
}

function matches(element: Element, selector: string): boolean {
  try {
    return element.matches(selector);
  } catch {
    return false;
  }
}
