/**
 * Which URLs are order confirmation pages: the portal's paths, generic words in the languages of
 * the checkout detection, shop engines' routes; never a cart, a checkout, a product or a help page.
 */
import { describe, expect, it } from 'vitest';
import { classifyOrderUrl, type OrderUrlKind } from '../../../utils/orders/order-url';

const shop = (path: string) => `https://www.boutique.fr${path}`;
const none = {};

describe('classifyOrderUrl', () => {
  it.each<[string, { confirmationPaths?: string[]; checkoutPaths?: string[] }, OrderUrlKind]>([
    // The portal's paths: on a segment boundary, whatever the words.
    ['/achat/termine/CMD-12', { confirmationPaths: ['/achat/termine'] }, 'portal-path'],
    ['/achat/termine', { confirmationPaths: ['/achat/termine/'] }, 'portal-path'],
    ['/ACHAT/Termine/x', { confirmationPaths: ['/achat/termine'] }, 'portal-path'],
    ['/achat/terminer', { confirmationPaths: ['/achat/termine'] }, 'unknown'],
    [
      '/panier/fin',
      { confirmationPaths: ['/panier/fin'], checkoutPaths: ['/panier'] },
      'portal-path',
    ],
    ['/', { confirmationPaths: ['/'] }, 'unknown'],
    ['/#/commande/ok', { confirmationPaths: ['/commande/ok'] }, 'portal-path'],
  ])('%s with %j → %s', (path, merchant, kind) => {
    expect(classifyOrderUrl(shop(path), merchant)).toBe(kind);
  });

  it.each([
    // French
    '/confirmation/CMD-1A2B3C4D',
    '/fr/confirmation/123',
    '/commande/confirmation',
    '/commande/merci',
    '/merci',
    '/checkout/merci?id=4',
    '/commande-confirmee/8891',
    '/confirmation-commande.html',
    '/paiement/succes'.replace('succes', 'success'),
    // English
    '/checkout/order-received/4512/?key=wc_order_abc',
    '/checkout/onepage/success/',
    '/checkouts/c/abc123/thank-you',
    '/checkouts/abc/thank_you',
    '/order/complete',
    '/orders/98/confirmation',
    '/order-confirmation',
    '/en-gb/checkout/thankyou',
    '/orderconfirmation.aspx',
    '/checkout_success.php',
    // German, Spanish, Italian, Portuguese, Dutch, Polish
    '/bestellung/abgeschlossen',
    '/kasse/danke',
    '/de/bestellbestaetigung',
    '/Bestellbestätigung',
    '/pedido-confirmado/77',
    '/es/gracias',
    '/ordine-confermato',
    '/it/grazie',
    '/encomenda-confirmada',
    '/obrigado',
    '/bestelling/bevestigd',
    '/nl/bedankt',
    '/zamowienie/potwierdzenie',
    '/dziekujemy',
    // Engines routed by the query
    '/index.php?controller=order-confirmation&id_order=12&key=x',
    '/index.php?route=checkout/success',
    // A single-page shop's route
    '/#/checkout/success',
  ])('%s → confirmation words', (path) => {
    expect(classifyOrderUrl(shop(path), none)).toBe('confirmation-words');
  });

  it.each([
    '/panier',
    '/cart',
    '/checkout',
    '/checkout/confirm',
    '/commande',
    '/commande/livraison',
    '/fr/commande',
    '/index.php?controller=order',
    '/index.php?route=checkout/cart',
    '/warenkorb',
  ])('%s → not an order (a cart or a checkout)', (path) => {
    expect(classifyOrderUrl(shop(path), { checkoutPaths: ['/commande'] })).toBe('not-an-order');
  });

  it.each([
    '/',
    '/produit/3',
    '/produit/carte-merci',
    '/p/thank-you-card-123',
    '/cartes/merci-maitresse',
    '/aide/confirmation-de-commande',
    '/compte/commandes',
    '/blog/merci-a-nos-clients',
    '/account/confirmation/email',
    '/newsletter/confirm',
    '/order-history',
    '/c/CMD-1A2B3C4D',
    '/confirmations',
    'not a url',
  ])('%s → unknown', (path) => {
    const url = path.startsWith('/') ? shop(path) : path;
    expect(classifyOrderUrl(url, none)).toBe('unknown');
  });
});
