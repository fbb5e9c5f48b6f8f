/**
 * Is this page a cart or checkout page? The merchant's `checkoutPaths` first, then a generic
 * detection by path segment that must not mistake a product ("panier en osier", sneakers called
 * "basket" in French, a "bags" category) or a help page for a cart.
 */
export type PageKind = 'checkout' | 'other';

/** Unambiguous anywhere in the path: `/gp/cart/view.html`, `/order/checkout`, `/123/checkouts/x`. */
const CHECKOUT_WORDS = new Set([
  'checkout',
  'checkouts',
  'cart',
  'shoppingcart',
  'shopping-cart',
  'shopping_cart',
  'shoppingbag',
  'shopping-bag',
  'panier',
  'mon-panier',
  'warenkorb',
  'carrito',
  'carrello',
  'carrinho',
  'winkelwagen',
  'winkelmandje',
  'afrekenen',
  'koszyk',
]);

/**
 * Also products, categories or help topics (`/chaussures/basket`, `/aide/paiement`), so they count
 * only as the first segment after an optional locale (`/basket`, `/en-gb/bag`, `/fr/commande`).
 * `commandes` (plural) is the order history, not the checkout.
 */
const ROOT_CHECKOUT_WORDS = new Set([
  'basket',
  'bag',
  'commande',
  'paiement',
  'payment',
  'caisse',
  'kasse',
  'kassa',
  'cesta',
  'pago',
  'cassa',
  'pagamento',
]);

const LOCALE_SEGMENT = /^[a-z]{2}(?:[-_][a-z]{2,4})?$/;

function decodePath(path: string): string {
  try {
    return decodeURI(path).toLowerCase();
  } catch {
    return path.toLowerCase();
  }
}

/** A segment without its matrix parameters and file extension: `Basket.html` → `basket`. */
const segmentWord = (segment: string): string =>
  segment.replace(/;.*$/, '').replace(/\.[a-z0-9]{1,5}$/, '');

function hasCheckoutWord(path: string): boolean {
  let atRoot = true;
  for (const segment of path.split('/')) {
    if (segment === '') continue;
    const word = segmentWord(segment);
    if (CHECKOUT_WORDS.has(word)) return true;
    if (atRoot && ROOT_CHECKOUT_WORDS.has(word)) return true;
    if (!LOCALE_SEGMENT.test(word)) atRoot = false;
  }
  return false;
}

/** Prefix on a segment boundary: `/panier` matches `/panier/etape-2`, not `/panierdeschoux`. */
function hasPathPrefix(path: string, checkoutPaths: readonly string[]): boolean {
  return checkoutPaths.some((raw) => {
    const prefix = decodePath(raw).replace(/\/+$/, '');
    // A bare `/` would make every page a checkout.
    return prefix !== '' && (path === prefix || path.startsWith(`${prefix}/`));
  });
}

/**
 * Query-routed shop engines common in France: PrestaShop without friendly URLs
 * (`index.php?controller=order`) and OpenCart (`index.php?route=checkout/cart`).
 */
function isQueryRoutedCheckout(params: URLSearchParams): boolean {
  const controller = params.get('controller')?.toLowerCase();
  if (controller === 'cart' || controller === 'order' || controller === 'order-opc') return true;
  return params.get('route')?.toLowerCase().startsWith('checkout/') ?? false;
}

export function classifyPage(url: string, checkoutPaths: readonly string[] = []): PageKind {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'other';
  }
  const paths = [decodePath(parsed.pathname)];
  // Hash-routed SPAs (`/#/cart`, `/#!/checkout`); a plain anchor (`#panier`) is not a route.
  const hashRoute = /^#!?(\/[^?]*)/.exec(parsed.hash)?.[1];
  if (hashRoute !== undefined) paths.push(decodePath(hashRoute));
  const isCheckout =
    paths.some((path) => hasPathPrefix(path, checkoutPaths) || hasCheckoutWord(path)) ||
    isQueryRoutedCheckout(parsed.searchParams);
  return isCheckout ? 'checkout' : 'other';
}
