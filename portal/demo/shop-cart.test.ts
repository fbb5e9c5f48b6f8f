import { describe, expect, it } from 'vitest';
import { addToCart, cartLines, cartTotal, formatCart, parseCart } from './shop-cart';

describe('the cart cookie', () => {
  it('round-trips', () => {
    const cart = addToCart(addToCart(new Map(), 1, 2), 4, 1);
    expect(formatCart(cart)).toBe('1x2-4x1');
    expect(parseCart('1x2-4x1', 'mode')).toEqual(cart);
  });

  it('drops unknown products, zero quantities and junk; caps quantities', () => {
    expect(formatCart(parseCart('9x1-0x1-2x0-abc-3x999-1x1-1x2', 'mode'))).toBe('3x20-1x3');
    expect(parseCart(undefined, 'mode').size).toBe(0);
  });

  it('totals the lines from the catalog prices', () => {
    const lines = cartLines(parseCart('1x2-6x1', 'mode'), 'mode');
    expect(lines.map((l) => l.subtotal)).toEqual([2 * 4900, 9900]);
    expect(cartTotal(lines)).toBe(19700);
  });
});
