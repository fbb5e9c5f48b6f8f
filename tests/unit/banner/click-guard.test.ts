/**
 * When a click on the banner counts as the member's (components/banner/click-guard.ts): a table
 * of what a page may have done to the banner at the click, one trick at a time.
 */
import { describe, expect, it } from 'vitest';
import {
  clickRefusal,
  MIN_VISIBLE_MS,
  type ClickFacts,
  type ClickRefusal,
  type DrawnStyle,
} from '../../../components/banner/click-guard';

const drawn: DrawnStyle = {
  opacity: '1',
  visibility: 'visible',
  filter: 'none',
  transform: 'none',
  clipPath: 'none',
  scale: 'none',
  rotate: 'none',
  translate: 'none',
  mixBlendMode: 'normal',
};
/** The banner as it sits on an ordinary 1280×720 page, clicked on its button after a second. */
const ordinary: ClickFacts = {
  pointed: true,
  onTop: true,
  inTopLayer: true,
  styles: [drawn, drawn, drawn],
  card: { left: 904, top: 560, right: 1264, bottom: 704 },
  button: { left: 918, top: 650, right: 1000, bottom: 686 },
  viewport: { width: 1280, height: 720 },
  others: [],
  visibleFor: 1000,
};
const everywhere = { left: 0, top: 0, right: 1280, bottom: 720 };

describe('clickRefusal', () => {
  it.each<[string, Partial<ClickFacts>, ClickRefusal | null]>([
    ['an ordinary click', {}, null],
    [
      'Enter or Space on the focused button (no point to check)',
      { pointed: false, onTop: false },
      null,
    ],
    ['the exact minimum time', { visibleFor: MIN_VISIBLE_MS }, null],
    ['the banner shown a few milliseconds before the click', { visibleFor: 30 }, 'too-soon'],
    [
      'the banner hidden by the page after the click (the report came late)',
      { visibleFor: -1 },
      'too-soon',
    ],
    [
      'a key pressed on a banner that just appeared',
      { pointed: false, visibleFor: 100 },
      'too-soon',
    ],
    ['the page’s element on top at the click point', { onTop: false }, 'not-on-top'],
    ['the banner pulled out of the top layer', { inTopLayer: false }, 'out-of-top-layer'],
    ['a transparent card', { styles: [drawn, { ...drawn, opacity: '0' }, drawn] }, 'not-drawn'],
    [
      'a nearly transparent host',
      { styles: [{ ...drawn, opacity: '0.01' }, drawn, drawn] },
      'not-drawn',
    ],
    [
      'a hidden button',
      { styles: [drawn, drawn, { ...drawn, visibility: 'hidden' }] },
      'not-drawn',
    ],
    [
      'a filtered card',
      { styles: [drawn, { ...drawn, filter: 'opacity(0)' }, drawn] },
      'not-drawn',
    ],
    [
      'a scaled host',
      { styles: [{ ...drawn, transform: 'matrix(10, 0, 0, 10, 0, 0)' }, drawn, drawn] },
      'not-drawn',
    ],
    [
      'a host scaled by the individual property',
      { styles: [{ ...drawn, scale: '10' }, drawn, drawn] },
      'not-drawn',
    ],
    [
      'a host moved by the individual property',
      { styles: [{ ...drawn, translate: '0px 400px' }, drawn, drawn] },
      'not-drawn',
    ],
    [
      'a card blended into a white page',
      { styles: [drawn, { ...drawn, mixBlendMode: 'screen' }, drawn] },
      'not-drawn',
    ],
    [
      'a page zoomed out until the card is a speck under the pointer',
      {
        card: { left: 1200, top: 690, right: 1236, bottom: 704 },
        button: { left: 1201, top: 699, right: 1209, bottom: 703 },
      },
      'undersized',
    ],
    [
      'a clipped card',
      { styles: [drawn, { ...drawn, clipPath: 'inset(50%)' }, drawn] },
      'not-drawn',
    ],
    [
      'a card partly off screen',
      { card: { left: 904, top: 560, right: 1300, bottom: 704 } },
      'out-of-viewport',
    ],
    [
      'a card of no size',
      {
        card: { left: 0, top: 0, right: 0, bottom: 0 },
        button: { left: 0, top: 0, right: 0, bottom: 0 },
      },
      'out-of-viewport',
    ],
    [
      'a button outside its card',
      { button: { left: 10, top: 10, right: 90, bottom: 40 } },
      'out-of-viewport',
    ],
    [
      'a page zoom that stretches the card over the viewport',
      { card: everywhere, button: { left: 100, top: 300, right: 1200, bottom: 700 } },
      'oversized',
    ],
    [
      'a card twice as wide as it should be, and more',
      {
        card: { left: 100, top: 500, right: 900, bottom: 700 },
        button: { left: 200, top: 600, right: 300, bottom: 650 },
      },
      'oversized',
    ],
    ['a page’s modal dialog (its backdrop covers the page)', { others: [everywhere] }, 'covered'],
    [
      'a page’s popover over the card',
      { others: [{ left: 900, top: 600, right: 1100, bottom: 720 }] },
      'covered',
    ],
    [
      'a page’s popover elsewhere',
      { others: [{ left: 0, top: 0, right: 300, bottom: 100 }] },
      null,
    ],
  ])('%s → %s', (_name, trick, refusal) => {
    expect(clickRefusal({ ...ordinary, ...trick })).toBe(refusal);
  });
});
