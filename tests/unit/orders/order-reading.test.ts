// @vitest-environment happy-dom
/**
 * What a page says about an order, read in the page (page-reader.ts) and decided in the
 * background (order-reading.ts): confirmation pages in several languages with their reference and
 * total; carts, product and help pages never an order; the demo shops' pages, each recognised by
 * the one kind of detection it needs.
 */
import { describe, expect, it } from 'vitest';
import { readOrderSighting, type OrderSighting } from '../../../utils/orders/order-reading';
import { classifyOrderUrl } from '../../../utils/orders/order-url';
import { mayHoldSchemaOrder, readOrderPage } from '../../../utils/orders/page-reader';
import {
  confirmationPage,
  confirmationUrl,
  type ConfirmationStyle,
} from '../../../portal/demo/order-pages';
import { DEMO_MERCHANTS } from '../../../portal/demo/demo-merchants';
import { demoOrderTerms } from '../../../portal/demo/demo-order-terms';

function page(title: string, body: string): Document {
  return new DOMParser().parseFromString(
    `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`,
    'text/html',
  );
}

/** The whole decision for a page at `path` of a shop without portal paths. */
function sighting(path: string, doc: Document): OrderSighting | null {
  const kind = classifyOrderUrl(`https://www.boutique.example${path}`, {
    checkoutPaths: ['/panier', '/cart', '/checkout/cart'],
  });
  return readOrderSighting(kind, readOrderPage(doc));
}

describe('confirmation pages', () => {
  it.each<[string, string, string, string, Partial<OrderSighting>]>([
    [
      'fr',
      '/commande/confirmation',
      'Merci pour votre commande',
      '<h1>Merci pour votre commande !</h1><p>Commande n° FR-20931 — Total TTC : 59,90 €</p>',
      { orderRef: 'FR-20931', amount: { value: 5990, currency: 'EUR' } },
    ],
    [
      'en',
      '/checkout/onepage/success',
      'Order confirmation',
      '<h1>Thank you for your purchase</h1><p>Your order # is: 000123456.</p><p>Total: $1,234.50</p>',
      { orderRef: '000123456', amount: { value: 123450, currency: 'USD' } },
    ],
    [
      'de',
      '/checkout/bestellbestaetigung',
      'Bestellbestätigung',
      '<h1>Vielen Dank für Ihre Bestellung</h1><p>Bestellnummer: DE-4471</p><p>Gesamtbetrag: 89,00 €</p>',
      { orderRef: 'DE-4471', amount: { value: 8900, currency: 'EUR' } },
    ],
    [
      'es',
      '/pedido/confirmado',
      'Pedido confirmado',
      '<h1>¡Gracias por tu pedido!</h1><p>Número de pedido: ES99812</p><p>Total: 25,00 €</p>',
      { orderRef: 'ES99812', amount: { value: 2500, currency: 'EUR' } },
    ],
    [
      'it',
      '/ordine/confermato',
      'Grazie',
      "<h1>Grazie per il tuo ordine</h1><p>Numero d'ordine: IT-777</p><p>Totale: 12,50 €</p>",
      { orderRef: 'IT-777', amount: { value: 1250, currency: 'EUR' } },
    ],
    [
      'nl',
      '/bestelling/bevestigd',
      'Bedankt',
      '<h1>Bedankt voor je bestelling</h1><p>Bestelnummer: NL-31</p><p>Totaal: € 42,95</p>',
      { orderRef: 'NL-31', amount: { value: 4295, currency: 'EUR' } },
    ],
  ])('%s: %s is an order, with its reference and total', (_lang, path, title, body, expected) => {
    expect(sighting(path, page(title, body))).toMatchObject({
      detection: 'confirmation-words',
      ...expected,
    });
  });

  it('reads a schema.org Order on a page whose URL says nothing', () => {
    const json = JSON.stringify({
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebPage' },
        {
          '@type': 'Order',
          orderNumber: 'SO-552',
          acceptedOffer: [],
          totalPaymentDue: { '@type': 'PriceSpecification', price: 31.5, priceCurrency: 'EUR' },
        },
      ],
    });
    const doc = page(
      'Boutique',
      `<script type="application/ld+json">${json}</script><p>À bientôt</p>`,
    );
    expect(mayHoldSchemaOrder(doc)).toBe(true);
    expect(sighting('/c/x9', doc)).toEqual({
      detection: 'schema-org',
      orderRef: 'SO-552',
      amount: { value: 3150, currency: 'EUR' },
    });
  });

  it('keeps an order whose page shows neither reference nor total', () => {
    expect(sighting('/merci', page('Merci !', '<h1>Merci pour votre commande</h1>'))).toEqual({
      detection: 'confirmation-words',
    });
  });
});

describe('pages that are not an order', () => {
  it.each<[string, string, string, string]>([
    ['a cart', '/panier', 'Panier', '<h1>Votre panier</h1><p>Total : 59,90 €</p>'],
    [
      'a cart, in English',
      '/cart',
      'Cart',
      '<h1>Shopping cart</h1><p>Order total: $12.00</p><button>Place order</button>',
    ],
    [
      'a product page with a Product schema',
      '/produit/42',
      'Casque',
      `<script type="application/ld+json">{"@type":"Product","name":"Casque","offers":{"price":"99.00","priceCurrency":"EUR"}}</script><h1>Casque</h1><p>Total : 99,00 €</p>`,
    ],
    [
      'a "thank you" card for sale',
      '/produit/carte-merci',
      'Carte merci',
      '<h1>Carte « Merci pour votre commande »</h1><p>4,90 €</p>',
    ],
    [
      'a help page about order confirmations',
      '/aide/confirmation-de-commande',
      'Aide',
      '<h1>Confirmation de commande : où la trouver ?</h1><p>Commande n° ABC123 par exemple.</p>',
    ],
    [
      'a confirmation URL whose page does not agree',
      '/commande/confirmation',
      'Confirmez votre commande',
      '<h1>Confirmez votre commande</h1><p>Vérifiez votre adresse.</p>',
    ],
  ])('%s', (_what, path, title, body) => {
    expect(sighting(path, page(title, body))).toBeNull();
  });

  it('ignores what a hostile page hides or oversizes', () => {
    const huge = `<p>${'x'.repeat(50_000)}</p>`;
    const raw = readOrderPage(
      page('Merci', `<h1>Merci pour votre commande</h1><div hidden>Commande n° HID-1</div>${huge}`),
    );
    expect(raw.text.length).toBeLessThanOrEqual(20_000);
    expect(raw.text).not.toContain('HID-1');
    // Not the shape the background expects: nothing kept (a portal path says an order, bare).
    expect(readOrderSighting('confirmation-words', { ...raw, headings: 'no' })).toBeNull();
    expect(readOrderSighting('portal-path', 42)).toEqual({ detection: 'portal-path' });
  });
});

describe('the demo shops’ confirmation pages', () => {
  const ORDER = {
    number: 'CMD-1A2B3C4D',
    merchantId: '',
    amount: 4990,
    items: [],
    clickId: 'c_1',
    postbackStatus: 204,
    cashbackTracked: true,
    createdAt: '2026-11-23T10:00:00Z',
  };
  it.each<[string, ConfirmationStyle, OrderSighting['detection']]>([
    ['atelier-vendome', 'standard', 'confirmation-words'],
    ['comptoir-des-thes', 'portal-path', 'portal-path'],
    ['hartley-and-sons', 'english', 'confirmation-words'],
    ['terre-et-email', 'schema-only', 'schema-org'],
    ['bijoux-celeste', 'single-page', 'confirmation-words'],
  ])('%s (%s) is recognised by %s', async (id, style, detection) => {
    const merchant = DEMO_MERCHANTS.find((m) => m.id === id)!;
    const order = { ...ORDER, merchantId: id };
    const { title, body } = confirmationPage(style, merchant, order);
    const doc = page(title, String(await body));
    const kind = classifyOrderUrl(`http://${id}.localhost:8787${confirmationUrl(style, order)}`, {
      ...demoOrderTerms(merchant),
      checkoutPaths: merchant.checkoutPaths,
    });
    expect(readOrderSighting(kind, readOrderPage(doc))).toEqual({
      detection,
      orderRef: 'CMD-1A2B3C4D',
      amount: { value: 4990, currency: 'EUR' },
    });
  });
});
