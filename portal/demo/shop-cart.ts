/**
 * The demo shops' cart, kept in a cookie on the shop's host as `<product>x<quantity>` pairs joined
 * by `-` (e.g. `1x2-4x1`). Anything malformed is dropped rather than trusted.
 */
import { productOf, type Category, type Product } from './catalog';

export const CART_COOKIE = 'panier';
export const MAX_QUANTITY = 20;

export type Cart = Map<number, number>;

export function parseCart(raw: string | undefined, category: Category): Cart {
  const cart: Cart = new Map();
  for (const pair of (raw ?? '').split('-')) {
    const match = /^(\d{1,3})x(\d{1,3})$/.exec(pair);
    if (!match) continue;
    const product = Number(match[1]);
    const quantity = Number(match[2]);
    if (!productOf(category, product) || quantity < 1) continue;
    cart.set(product, Math.min(MAX_QUANTITY, (cart.get(product) ?? 0) + quantity));
  }
  return cart;
}

export function formatCart(cart: Cart): string {
  return [...cart].map(([product, quantity]) => `${product}x${quantity}`).join('-');
}

export function addToCart(cart: Cart, product: number, quantity: number): Cart {
  const next = new Map(cart);
  next.set(product, Math.min(MAX_QUANTITY, (next.get(product) ?? 0) + quantity));
  return next;
}

export interface CartLine {
  product: Product;
  quantity: number;
  subtotal: number;
}

export function cartLines(cart: Cart, category: Category): CartLine[] {
  return [...cart].flatMap(([number, quantity]) => {
    const product = productOf(category, number);
    return product ? [{ product, quantity, subtotal: product.price * quantity }] : [];
  });
}

export function cartTotal(lines: readonly CartLine[]): number {
  return lines.reduce((sum, line) => sum + line.subtotal, 0);
}

export function cartCount(cart: Cart): number {
  return [...cart.values()].reduce((sum, quantity) => sum + quantity, 0);
}
