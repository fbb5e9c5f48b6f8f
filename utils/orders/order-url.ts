/**
 * Is this URL a merchant's order confirmation page? Pure, from the URL alone: the paths the
 * portal gives for the merchant first (`confirmationPaths`), then words that mean "order
 * confirmed" or "thank you" in the languages the checkout detection covers (utils/visit/
 * checkout-page.ts). A cart or checkout page is never one; any other page is unknown: only a
 * schema.org `Order` read in it (order-reading.ts) can say it is.
 */
import { classifyPage } from '../visit/checkout-page';

export type OrderUrlKind =
  /** On one of the merchant's `confirmationPaths`: the portal says it is the confirmation. */
  | 'portal-path'
  /** Its words say so; the page must agree (order-reading.ts). */
  | 'confirmation-words'
  /** A cart or checkout page: the order is not placed yet. Not read. */
  | 'not-an-order'
  /** Nothing in the URL: only the page's own data (schema.org) can tell. */
  | 'unknown';

/** A whole segment that thanks for the order, wherever it is: `/checkout/thank-you`. */
const THANKS_SEGMENTS = new Set([
  'thank-you',
  'thankyou',
  'thank_you',
  'thanks',
  'merci',
  'danke',
  'vielen-dank',
  'gracias',
  'grazie',
  'obrigado',
  'obrigada',
  'bedankt',
  'dziekujemy',
]);

/** Tokens of a segment that name the order or the purchase… */
const ORDER_TOKENS = new Set([
  'order',
  'orders',
  'commande',
  'achat',
  'purchase',
  'checkout',
  'bestellung',
  'bestell',
  'pedido',
  'compra',
  'ordine',
  'encomenda',
  'bestelling',
  'zamowienie',
  'zamowienia',
]);

/** …and tokens that say it went through: both in one segment (`order-received`). */
const DONE_TOKENS = new Set([
  'confirmation',
  'confirmed',
  'complete',
  'completed',
  'success',
  'successful',
  'received',
  'placed',
  'thankyou',
  'confirmee',
  'validee',
  'terminee',
  'termine',
  'enregistree',
  'bestaetigung',
  'bestatigung',
  'bestaetigt',
  'bestatigt',
  'abgeschlossen',
  'confirmado',
  'confirmada',
  'confirmacion',
  'confermato',
  'conferma',
  'confirmacao',
  'bevestigd',
  'bevestiging',
  'potwierdzenie',
  'zlozone',
]);

/** One-word segments that mean it too: `bestellbestaetigung`, `orderbevestiging`. */
const DONE_WORDS = new Set([
  'orderconfirmation',
  'orderconfirmed',
  'ordercomplete',
  'ordersuccess',
  'bestellbestaetigung',
  'bestellbestatigung',
  'orderbevestiging',
  'confirmationcommande',
]);

/** A segment that alone says "done" right after a cart, checkout or order segment. */
const AFTER_CHECKOUT = new Set([...DONE_TOKENS, 'done', 'finish', 'finished', 'ok', 'merci']);

/**
 * Also other things (`/confirmation` of an e-mail address, of an appointment), so they count only
 * as the first segment after an optional locale: `/confirmation/CMD-12`, `/fr/bestaetigung`.
 */
const ROOT_DONE_WORDS = new Set([
  'confirmation',
  'bestaetigung',
  'bestatigung',
  'confirmacion',
  'conferma',
  'bevestiging',
  'potwierdzenie',
  'confirmacao',
]);

const LOCALE_SEGMENT = /^[a-z]{2}(?:[-_][a-z]{2,4})?$/;

/** Lower case, accents off, no file extension nor matrix parameters. */
function normaliseSegment(segment: string): string {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A stray `%`: the raw segment will do.
  }
  return decoded
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/;.*$/, '')
    .replace(/\.[a-z0-9]{1,5}$/, '');
}

function segmentsOf(path: string): string[] {
  return path.split('/').filter(Boolean).map(normaliseSegment);
}

/** The segments after which a "done" segment is the order's end: `/checkout/onepage/success`. */
const CHECKOUT_SEGMENTS = new Set([
  'checkout',
  'checkouts',
  'onepage',
  'cart',
  'panier',
  'order',
  'orders',
  'commande',
  'paiement',
  'payment',
  'achat',
  'kasse',
  'bestellung',
  'pedido',
  'ordine',
  'encomenda',
  'bestelling',
  'zamowienie',
]);

/** Help, FAQ and blog pages talk about orders without being one: `/aide/confirmation-de-commande`. */
const HELP_SEGMENTS = new Set([
  'aide',
  'help',
  'faq',
  'faqs',
  'support',
  'blog',
  'hilfe',
  'ayuda',
  'aiuto',
  'ajuda',
  'hulp',
  'pomoc',
]);

function hasConfirmationWords(segments: readonly string[]): boolean {
  if (segments.some((segment) => HELP_SEGMENTS.has(segment))) return false;
  let atRoot = true;
  let afterCheckout = false;
  for (const segment of segments) {
    const tokens = segment.split(/[-_.+]+/).filter(Boolean);
    if (THANKS_SEGMENTS.has(segment) || DONE_WORDS.has(segment)) return true;
    if (tokens.some((t) => ORDER_TOKENS.has(t)) && tokens.some((t) => DONE_TOKENS.has(t))) {
      return true;
    }
    if (afterCheckout && AFTER_CHECKOUT.has(segment)) return true;
    if (atRoot && ROOT_DONE_WORDS.has(segment)) return true;
    // An order's id may sit between: `/orders/98/confirmation`.
    afterCheckout = CHECKOUT_SEGMENTS.has(segment) || (afterCheckout && /\d/.test(segment));
    if (!LOCALE_SEGMENT.test(segment)) atRoot = false;
  }
  return false;
}

/**
 * Query-routed shop engines: PrestaShop (`controller=order-confirmation`), OpenCart
 * (`route=checkout/success`), osCommerce-likes (`checkout_success.php` is a path).
 */
function isQueryRoutedConfirmation(params: URLSearchParams): boolean {
  const controller = params.get('controller')?.toLowerCase();
  if (controller === 'order-confirmation' || controller === 'orderconfirmation') return true;
  const route = params.get('route')?.toLowerCase();
  return route === 'checkout/success' || route === 'checkout/confirm/success';
}

/** Prefix on a segment boundary, as checkoutPaths are matched. */
function onPath(path: string, prefixes: readonly string[]): boolean {
  const lower = path.toLowerCase();
  return prefixes.some((raw) => {
    const prefix = raw.toLowerCase().replace(/\/+$/, '');
    return prefix !== '' && (lower === prefix || lower.startsWith(`${prefix}/`));
  });
}

export function classifyOrderUrl(
  url: string,
  merchant: { confirmationPaths?: readonly string[]; checkoutPaths?: readonly string[] },
): OrderUrlKind {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'unknown';
  }
  let path = parsed.pathname;
  try {
    path = decodeURI(path);
  } catch {
    // Kept as it is.
  }
  const hashRoute = /^#!?(\/[^?]*)/.exec(parsed.hash)?.[1];
  const paths = hashRoute === undefined ? [path] : [path, hashRoute];
  if (paths.some((p) => onPath(p, merchant.confirmationPaths ?? []))) return 'portal-path';
  if (
    paths.some((p) => hasConfirmationWords(segmentsOf(p))) ||
    isQueryRoutedConfirmation(parsed.searchParams) ||
    /(^|\/)checkout_success\.php$/i.test(path)
  ) {
    return 'confirmation-words';
  }
  return classifyPage(url, merchant.checkoutPaths) === 'checkout' ? 'not-an-order' : 'unknown';
}
