/**
 * The demo merchants' shops: any request whose Host matches a merchant's domain gets that
 * merchant's shop (home, product pages, cart, checkout). The affiliate attribution works as on
 * the real web: landing with `rdclid=<clickId>` sets a first-party cookie, and paying with that
 * cookie reports the conversion to the portal by a server-side postback.
 */
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { z } from 'zod';
import { formatMoney } from '../api/cashback';
import { CATEGORIES, productOf, productsOf } from './catalog';
import type { PortalContext } from '../context';
import { hostilePageRoutes } from './hostile-pages';
import { page, type Html } from '../layout';
import { cspNonce, ownPolicy, pagePolicy, securityHeaders } from '../security-headers';
import type { MerchantRecord } from '../api/merchant-record';
import { POSTBACK_PATH, TRACKING_PARAM, type Postback } from './network';
import {
  CONFIRMATION_ROUTES,
  confirmationPage,
  confirmationStyleOf,
  confirmationUrl,
} from './order-pages';
import {
  CART_COOKIE,
  MAX_QUANTITY,
  addToCart,
  cartCount,
  cartLines,
  cartTotal,
  formatCart,
  parseCart,
  type Cart,
} from './shop-cart';

export const TRACKING_COOKIE = 'rd_click';
const TRACKING_COOKIE_DAYS = 30;
const CLICK_ID = /^[A-Za-z0-9_-]{1,200}$/;

type Env = { Variables: { merchant: MerchantRecord } };

const AddToCartSchema = z.object({
  produit: z.coerce.number().int().min(1).max(99),
  quantite: z.coerce.number().int().min(1).max(MAX_QUANTITY).default(1),
});

export function shopRoutes(ctx: PortalContext): Hono<Env> {
  const { merchants, shopOrders } = ctx.store;
  const app = new Hono<Env>();
  app.use(securityHeaders());

  app.use(async (c, next) => {
    const merchant = merchants.forHost(new URL(c.req.url).hostname);
    if (!merchant) return c.html('<h1>Boutique introuvable</h1>', 404);
    c.set('merchant', merchant);
    // The affiliate cookie: first-party, on the shop's host, last click wins.
    const clickId = c.req.query(TRACKING_PARAM);
    if (c.req.method === 'GET' && clickId && CLICK_ID.test(clickId)) {
      setCookie(c, TRACKING_COOKIE, clickId, {
        path: '/',
        maxAge: TRACKING_COOKIE_DAYS * 24 * 60 * 60,
        httpOnly: true,
        sameSite: 'Lax',
      });
    }
    await next();
  });

  app.get('/', (c) => {
    const merchant = c.get('merchant');
    return c.html(
      shopPage(
        c,
        `${merchant.name} — ${CATEGORIES[merchant.category]}`,
        html` <h1>Bienvenue chez ${merchant.name}</h1>
          <p>${CATEGORIES[merchant.category]} : notre sélection du moment.</p>
          <section aria-labelledby="products-title">
            <h2 id="products-title">Nos produits</h2>
            <ul class="grid" data-testid="product-grid">
              ${productsOf(merchant.category).map(
                (product) =>
                  html`<li class="card" data-testid="product-card">
                    <h3><a href="/produit/${product.number}">${product.name}</a></h3>
                    <p>${product.description}</p>
                    <p data-testid="product-price">
                      <strong>${formatMoney(product.price)}</strong>
                    </p>
                    ${addToCartForm(product.number)}
                  </li>`,
              )}
            </ul>
          </section>`,
      ),
    );
  });

  app.get('/produit/:number{[0-9]{1,3}}', (c) => {
    const merchant = c.get('merchant');
    const product = productOf(merchant.category, Number(c.req.param('number')));
    if (!product) return notFound(c);
    return c.html(
      shopPage(
        c,
        `${product.name} — ${merchant.name}`,
        html` <nav aria-label="Fil d’Ariane"><a href="/">Accueil</a> › ${product.name}</nav>
          <article class="card" data-testid="product">
            <h1>${product.name}</h1>
            <p>${product.description}</p>
            <p data-testid="product-price"><strong>${formatMoney(product.price)}</strong></p>
            ${addToCartForm(product.number)}
          </article>`,
      ),
    );
  });

  app.post('/panier/ajouter', async (c) => {
    const merchant = c.get('merchant');
    const parsed = AddToCartSchema.safeParse(await c.req.parseBody());
    if (!parsed.success || !productOf(merchant.category, parsed.data.produit)) {
      return c.html(
        shopPage(
          c,
          'Produit invalide',
          html`<h1>Produit invalide</h1>
            <p><a href="/">Retour à la boutique</a></p>`,
        ),
        400,
      );
    }
    writeCart(c, addToCart(readCart(c), parsed.data.produit, parsed.data.quantite));
    return c.redirect('/panier', 303);
  });

  app.post('/panier/vider', (c) => {
    deleteCookie(c, CART_COOKIE, { path: '/' });
    return c.redirect('/panier', 303);
  });

  app.get('/panier', (c) => {
    const merchant = c.get('merchant');
    const lines = cartLines(readCart(c), merchant.category);
    return c.html(
      shopPage(
        c,
        `Panier — ${merchant.name}`,
        html` <h1>Votre panier</h1>
          ${
            lines.length === 0
              ? html`<p data-testid="cart-empty">Votre panier est vide.</p>
                  <p><a href="/">Continuer mes achats</a></p>`
              : html`${cartTable(lines)}
                  <p data-testid="cart-total">
                    Total : <strong>${formatMoney(cartTotal(lines))}</strong>
                  </p>
                  <p>
                    <a class="button" href="/commande">Passer la commande</a>
                  </p>
                  <form method="post" action="/panier/vider">
                    <button type="submit" class="secondary">Vider le panier</button>
                  </form>`
          }`,
      ),
    );
  });

  app.get('/commande', (c) => {
    const merchant = c.get('merchant');
    const singlePage = confirmationStyleOf(merchant.id) === 'single-page';
    if (singlePage) {
      c.header('Content-Security-Policy', pagePolicy(cspNonce(c), { fetchesOwnOrigin: true }));
    }
    const lines = cartLines(readCart(c), merchant.category);
    const total = cartTotal(lines);
    return c.html(
      shopPage(
        c,
        `Paiement — ${merchant.name}`,
        html` <h1>Paiement</h1>
          ${
            lines.length === 0
              ? html`<p data-testid="cart-empty">Votre panier est vide.</p>`
              : cartTable(lines)
          }
          <p data-testid="order-total">Montant à payer : <strong>${formatMoney(total)}</strong></p>
          <p>Carte de démonstration •••• 4242 — aucun paiement réel.</p>
          <form method="post" action="/commande/payer">
            <button type="submit" ${lines.length === 0 ? 'disabled' : ''}>Payer</button>
          </form>
          ${singlePage ? payWithoutLeaving(cspNonce(c)) : ''}`,
      ),
    );
  });

  app.post('/commande/payer', async (c) => {
    const merchant = c.get('merchant');
    const lines = cartLines(readCart(c), merchant.category);
    if (lines.length === 0) return c.redirect('/panier', 303);
    const cookie = getCookie(c, TRACKING_COOKIE);
    const clickId = cookie && CLICK_ID.test(cookie) ? cookie : null;
    const order = shopOrders.create({
      merchantId: merchant.id,
      amount: cartTotal(lines),
      items: lines.map((line) => ({ product: line.product.number, quantity: line.quantity })),
      clickId,
    });
    if (clickId && ctx.faults.faults.postbacks === 'drop') {
      // The network lost the sale (admin faults): the order is paid, nothing is reported.
      shopOrders.recordPostback(order.number, 0, false);
    } else if (clickId) {
      const status = await postback(ctx, {
        clickId,
        merchantId: merchant.id,
        orderRef: order.number,
        orderAmount: order.amount,
        currency: 'EUR',
        orderedAt: order.createdAt,
      });
      shopOrders.recordPostback(order.number, status, status === 200 || status === 201);
    }
    deleteCookie(c, CART_COOKIE, { path: '/' });
    return c.redirect(confirmationUrl(confirmationStyleOf(merchant.id), order), 303);
  });

  // The order's confirmation, at the address of the shop's style only (order-pages.ts).
  for (const [style, route] of Object.entries(CONFIRMATION_ROUTES)) {
    app.get(route, (c) => {
      const merchant = c.get('merchant');
      const order = shopOrders.get(c.req.param('number') ?? '');
      if (
        !order ||
        order.merchantId !== merchant.id ||
        confirmationStyleOf(merchant.id) !== style
      ) {
        return notFound(c);
      }
      const { title, body } = confirmationPage(style, merchant, order);
      return c.html(shopPage(c, title, body));
    });
  }

  // Pages that attack the extension's banner, for its end-to-end tests (hostile-pages.ts). They
  // play another site's pages: whether they have a policy, and which, is part of the attack.
  app.use('/hostile/*', ownPolicy());
  app.route('/hostile', hostilePageRoutes());

  app.notFound(notFound);
  return app;
}

/** Reports the conversion to the portal as the network would; returns the HTTP status (0: failed). */
async function postback(ctx: PortalContext, body: Postback): Promise<number> {
  try {
    const response = await fetch(`${ctx.internalOrigin()}${POSTBACK_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Postback-Secret': ctx.postbackSecret },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

function readCart(c: Context<Env>): Cart {
  return parseCart(getCookie(c, CART_COOKIE), c.get('merchant').category);
}

function writeCart(c: Context<Env>, cart: Cart): void {
  setCookie(c, CART_COOKIE, formatCart(cart), {
    path: '/',
    maxAge: 7 * 24 * 60 * 60,
    sameSite: 'Lax',
  });
}

/**
 * A single-page shop's checkout (order-pages.ts): the payment is its own request, whose answer
 * (the confirmation page, after the server's redirect) replaces the page's content, and the
 * address becomes the confirmation's by `history.pushState`: the document stays the same.
 */
function payWithoutLeaving(nonce: string): Html {
  return html`<script nonce="${nonce}">
    document
      .querySelector('form[action="/commande/payer"]')
      .addEventListener('submit', async (event) => {
        event.preventDefault();
        const response = await fetch('/commande/payer', { method: 'POST' });
        const next = new DOMParser().parseFromString(await response.text(), 'text/html');
        history.pushState({}, '', new URL(response.url).pathname);
        document.title = next.title;
        document.querySelector('main').replaceWith(next.querySelector('main'));
      });
  </script>`;
}

function addToCartForm(product: number): Html {
  return html`<form method="post" action="/panier/ajouter">
    <input type="hidden" name="produit" value="${product}" />
    <button type="submit">Ajouter au panier</button>
  </form>`;
}

function cartTable(lines: ReturnType<typeof cartLines>): Html {
  return html`<table data-testid="cart-lines">
    <thead>
      <tr>
        <th scope="col">Produit</th>
        <th scope="col" class="num">Quantité</th>
        <th scope="col" class="num">Prix</th>
      </tr>
    </thead>
    <tbody>
      ${lines.map(
        (line) =>
          html`<tr>
            <td>${line.product.name}</td>
            <td class="num">${line.quantity}</td>
            <td class="num">${formatMoney(line.subtotal)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function shopPage(c: Context<Env>, title: string, body: Html): Html {
  const merchant = c.get('merchant');
  const count = cartCount(readCart(c));
  return page({
    nonce: cspNonce(c),
    title,
    siteName: merchant.name,
    accent: merchant.color,
    nav: [
      { href: '/', label: 'Accueil' },
      { href: '/panier', label: `Panier (${count})`, testId: 'cart-link' },
    ],
    body,
    footer: 'Boutique de démonstration : aucun paiement réel, aucune livraison.',
  });
}

function notFound(c: Context<Env>) {
  return c.html(
    shopPage(
      c,
      'Page introuvable',
      html`<h1>Page introuvable</h1>
        <p><a href="/">Retour à l’accueil</a></p>`,
    ),
    404,
  );
}
