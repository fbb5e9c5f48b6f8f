/**
 * One cashback mark next to a search result's title: a button in an open shadow root (the page's
 * styles cannot reach it), in the brand's colours. Plain DOM, no framework: the results pages'
 * script must stay tiny (docs/performance.md).
 *
 * It never moves the results: its host is positioned absolutely (out of the flow, so inserting it
 * changes no box), and the button is placed, by measure, at the end of the title's last line.
 * It comes right after the title link in the document, so Tab goes from the link to the mark.
 */
import type { SearchMarkWords, SearchOffer } from '../../utils/protocol/messages';

export type MarkState = 'offer' | 'activating' | 'failed' | 'sign-in';

export interface Mark {
  readonly host: HTMLElement;
  readonly button: HTMLButtonElement;
  /** Where the title's last line ends: the button is drawn just after it. */
  place(): void;
  setState(state: MarkState, words: SearchMarkWords): void;
}

/** Space between the title's end and the mark, in CSS pixels. */
const GAP = 8;
/** The button's height (fixed in the stylesheet), to centre it on the title's line. */
const HEIGHT = 20;

export function markCss(colors: { primary: string; onPrimary: string }): string {
  return (
    `:host{all:initial}` +
    `button{all:initial;box-sizing:border-box;position:absolute;left:0;top:0;height:${HEIGHT}px;` +
    `padding:0 8px;border-radius:10px;background:${colors.primary};color:${colors.onPrimary};` +
    `font:600 12px/${HEIGHT}px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;` +
    `white-space:nowrap;cursor:pointer;user-select:none}` +
    `button:hover{filter:brightness(1.1)}` +
    `button:focus-visible{outline:2px solid ${colors.primary};outline-offset:2px}` +
    `button[aria-disabled=true]{cursor:progress;opacity:.85}`
  );
}

export function createMark(
  doc: Document,
  link: HTMLAnchorElement,
  title: Element,
  offer: SearchOffer,
  css: string,
  onActivate: (event: MouseEvent, mark: Mark) => void,
): Mark {
  const host = doc.createElement('span');
  // Out of the flow before it is in the page: no box of the page changes when it arrives.
  host.setAttribute(
    'style',
    'all:initial!important;position:absolute!important;z-index:1!important;' +
      'width:0!important;height:0!important;overflow:visible!important',
  );
  host.dataset.ristourneMark = '';
  const shadow = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = css;
  const button = doc.createElement('button');
  button.type = 'button';
  button.textContent = offer.label;
  button.setAttribute('aria-label', offer.action);
  button.title = offer.action;
  shadow.append(style, button);

  const mark: Mark = {
    host,
    button,
    place() {
      const end = lastLineEnd(doc, title);
      const origin = host.getBoundingClientRect();
      button.style.left = `${Math.round(end.right - origin.left + GAP)}px`;
      button.style.top = `${Math.round(end.top - origin.top + (end.height - HEIGHT) / 2)}px`;
    },
    setState(state, words) {
      const busy = state === 'activating';
      button.textContent =
        state === 'offer'
          ? offer.label
          : state === 'activating'
            ? words.activating
            : state === 'sign-in'
              ? words.signIn
              : words.failed;
      button.setAttribute('aria-disabled', String(busy));
      button.setAttribute(
        'aria-label',
        state === 'offer' ? offer.action : `${button.textContent} — ${offer.action}`,
      );
    },
  };

  button.addEventListener('click', (event) => onActivate(event, mark));
  // The page's own listeners on the result (click trackers) never hear of the mark's events.
  for (const type of ['click', 'auxclick', 'mousedown', 'mouseup', 'pointerdown', 'pointerup']) {
    host.addEventListener(type, (event) => event.stopPropagation());
  }
  link.after(host);
  return mark;
}

/** The box of the title's last line of text (a wrapped title ends on its last line). */
function lastLineEnd(doc: Document, title: Element): DOMRect {
  const range = doc.createRange();
  range.selectNodeContents(title);
  const rects = range.getClientRects();
  for (let i = rects.length - 1; i >= 0; i--) {
    const rect = rects[i]!;
    if (rect.width > 0) return rect;
  }
  return title.getBoundingClientRect();
}

/**
 * Whether the member could see what they clicked: a trusted event, on a button that is
 * rendered, visible, and the topmost thing where it is (no overlay of the page over it). A
 * keyboard's click has no position: the button's centre is tested.
 */
export function isGenuineClick(doc: Document, event: MouseEvent, mark: Mark): boolean {
  if (!event.isTrusted) return false;
  const box = mark.button.getBoundingClientRect();
  if (box.width < 1 || box.height < 1) return false;
  const visible = mark.button.checkVisibility?.({
    opacityProperty: true,
    visibilityProperty: true,
  });
  if (visible === false) return false;
  const fromKeyboard = event.detail === 0;
  const x = fromKeyboard ? box.left + box.width / 2 : event.clientX;
  const y = fromKeyboard ? box.top + box.height / 2 : event.clientY;
  // From the document, an element of our shadow root is seen as its host.
  return doc.elementFromPoint(x, y) === mark.host;
}
