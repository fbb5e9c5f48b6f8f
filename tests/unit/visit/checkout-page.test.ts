import { describe, expect, it } from 'vitest';
import { classifyPage } from '../../../utils/visit/checkout-page';

describe("classifyPage with the merchant's checkoutPaths", () => {
  const fnac = ['/panier', '/checkout', '/Mon-Compte/Valider/'];

  it.each<[string, 'checkout' | 'other']>([
    ['https://www.fnac.com/panier', 'checkout'],
    ['https://www.fnac.com/panier/', 'checkout'],
    ['https://www.fnac.com/panier/etape-2?x=1', 'checkout'],
    ['https://www.fnac.com/PANIER', 'checkout'],
    ['https://www.fnac.com/mon-compte/valider/adresse', 'checkout'],
    ['https://www.fnac.com/#/panier/etape-2', 'checkout'],
    ['https://www.fnac.com/panierdeschoux', 'other'],
    ['https://www.fnac.com/mon-compte/validerxyz', 'other'],
    ['https://www.fnac.com/livres/panier', 'checkout'], // generic: `panier` is a cart anywhere
    ['https://www.fnac.com/livres', 'other'],
  ])('%s → %s', (url, kind) => {
    expect(classifyPage(url, fnac)).toBe(kind);
  });

  it('a path only the merchant knows', () => {
    expect(classifyPage('https://shop.example/valider-achat/2', ['/valider-achat'])).toBe(
      'checkout',
    );
    expect(classifyPage('https://shop.example/valider-achat/2')).toBe('other');
  });

  it('ignores a bare "/" that would make every page a checkout', () => {
    expect(classifyPage('https://shop.example/produit/1', ['/', ''])).toBe('other');
  });

  it('compares accented paths decoded', () => {
    expect(classifyPage('https://shop.example/r%C3%A9capitulatif/1', ['/récapitulatif'])).toBe(
      'checkout',
    );
  });
});

describe('classifyPage, generic detection', () => {
  it.each([
    // English
    'https://www.zalando.example/cart/',
    'https://www.shop.example/checkout/shipping',
    'https://shop.example/cart.php',
    'https://www.argos.example/basket?x=1',
    'https://www.shop.example/order/checkout',
    'https://www.amazon.example/gp/cart/view.html?ref_=nav_cart',
    'https://shop.example/12345678/checkouts/c/abcdef0123',
    'https://www.asos.example/bag',
    'https://www.asos.example/en-gb/bag?nlid=nav',
    'https://magento.example/checkout/cart/',
    'https://shop.example/shopping-cart',
    'https://secure.fnac.example/shoppingcart',
    'https://order.cdiscount.example/Basket/Basket.html',
    'https://shop.example/payment',
    'https://shop.example/checkout;jsessionid=ABC123',
    // French
    'https://www.shop.example/fr/panier',
    'https://www.shop.example/panier?action=show',
    'https://www.shop.example/commande',
    'https://www.shop.example/fr/commande/livraison',
    'https://www.shop.example/paiement',
    'https://www.shop.example/caisse',
    'https://www.shop.example/mon-panier',
    // German
    'https://www.shop.example/warenkorb',
    'https://www.shop.example/de-de/kasse/adresse',
    'https://www.shop.example/de/checkout',
    // Spanish
    'https://www.shop.example/carrito',
    'https://www.shop.example/es/cesta',
    'https://www.shop.example/pago',
    // Italian
    'https://www.shop.example/carrello',
    'https://www.shop.example/it/cassa',
    // Dutch
    'https://www.shop.example/winkelwagen',
    'https://www.shop.example/nl-nl/afrekenen',
    // Portuguese, Polish
    'https://www.shop.example/carrinho',
    'https://www.shop.example/pl/koszyk',
    // Hash-routed SPAs
    'https://spa.example/#/cart',
    'https://spa.example/#!/checkout/payment',
    'https://spa.example/app/#/fr/panier?step=1',
    // Query-routed engines
    'https://shop.example/index.php?controller=order',
    'https://shop.example/index.php?controller=cart&action=show',
    'https://shop.example/index.php?route=checkout/cart',
  ])('%s → checkout', (url) => {
    expect(classifyPage(url)).toBe('checkout');
  });

  it.each([
    ['a product whose slug contains a word', 'https://www.shop.example/produit/panier-en-osier'],
    ['a cart-shaped product', 'https://www.shop.example/p/cart-a-roulettes-123'],
    ['a bags category', 'https://www.shop.example/bags'],
    ['a bag product deep in a category', 'https://www.shop.example/femme/sacs/bag'],
    ['French sneakers', 'https://www.shop.example/homme/chaussures/basket'],
    ['French sneakers category', 'https://www.shop.example/baskets'],
    ['basketball sport page', 'https://www.shop.example/sport/basket'],
    ['order history', 'https://www.shop.example/mon-compte/commandes'],
    ['order history, root', 'https://www.shop.example/commandes'],
    ['help page on payment', 'https://www.shop.example/aide/paiement'],
    ['help page on ordering', 'https://www.shop.example/aide/commande'],
    ['a blog post', 'https://www.shop.example/blog/how-to-checkout-faster'],
    ['a checkout guide', 'https://www.shop.example/checkout-guide'],
    ['a gift card', 'https://www.shop.example/carte-cadeau'],
    ['maps', 'https://www.shop.example/cartographie'],
    ['a toolbox', 'https://www.shop.example/outillage/caisse'],
    ['a search for a word', 'https://www.shop.example/search?q=panier'],
    ['a plain anchor', 'https://www.shop.example/faq#panier'],
    ['a German product', 'https://www.shop.example/de/produkte/kasse'],
    ['home', 'https://www.shop.example/'],
    ['locale home', 'https://www.shop.example/fr/'],
    ['another PrestaShop controller', 'https://shop.example/index.php?controller=product&id=1'],
    ['another OpenCart route', 'https://shop.example/index.php?route=product/product'],
    ['malformed', 'not a url'],
    ['empty', ''],
  ])('%s → other', (_name, url) => {
    expect(classifyPage(url)).toBe('other');
  });
});
