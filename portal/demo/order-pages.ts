/**
 * The demo shops' order confirmation pages. Most shops confirm as a French shop typically does
 * (`/confirmation/CMD-…`, "Commande n° … confirmée"); three shops confirm in a way that only one
 * kind of the extension's detection recognises (docs/architecture.md, "After the purchase"):
 *
 *   portal-path   `/achat/termine/CMD-…`, no telling word: only the path the portal gives
 *                 (`confirmationPaths`) says it is a confirmation
 *   english       `/checkout/order-received/CMD-…?key=…`, "Thank you. Your order has been
 *                 received." (WooCommerce's way): the generic words, in English
 *   schema-only   `/c/CMD-…`, nothing in the URL nor in the words: a schema.org `Order` in JSON-LD
 *
 * and one shop is a single-page application: its checkout pays by a request of its own and draws
 * the confirmation (`/commande/confirmee/CMD-…`, as the standard one reads) in the same document,
 * its address changed by the History API — no page load the extension could start from.
 */
import { html, raw } from 'hono/html';
import { formatCashback, formatMoney } from '../api/cashback';
import type { Html } from '../layout';
import type { MerchantRecord } from '../api/merchant-record';
import type { ShopOrder } from './shop-orders';

export type ConfirmationStyle =
  'standard' | 'portal-path' | 'english' | 'schema-only' | 'single-page';

const STYLES: Record<string, ConfirmationStyle> = {
  'comptoir-des-thes': 'portal-path',
  'hartley-and-sons': 'english',
  'terre-et-email': 'schema-only',
  'bijoux-celeste': 'single-page',
};

export function confirmationStyleOf(merchantId: string): ConfirmationStyle {
  return STYLES[merchantId] ?? 'standard';
}

/** Where a shop sends the shopper once paid, by its style; each route serves it. */
export const CONFIRMATION_ROUTES: Record<ConfirmationStyle, string> = {
  standard: '/confirmation/:number',
  'portal-path': '/achat/termine/:number',
  english: '/checkout/order-received/:number',
  'schema-only': '/c/:number',
  'single-page': '/commande/confirmee/:number',
};

export function confirmationUrl(style: ConfirmationStyle, order: ShopOrder): string {
  const path = CONFIRMATION_ROUTES[style].replace(':number', encodeURIComponent(order.number));
  // WooCommerce adds the order's key; nothing reads it here.
  return style === 'english' ? `${path}?key=wc_order_${order.number.slice(4).toLowerCase()}` : path;
}

/** What the shop tells about the cashback (a demo's help, not what a real shop would say). */
function cashbackNotice(merchant: MerchantRecord, order: ShopOrder): Html {
  return order.cashbackTracked
    ? html`<p class="notice success" data-testid="cashback-status" data-tracked="true">
        Cashback suivi : votre achat a été signalé à votre programme de cashback
        (${formatCashback(merchant.cashback)}).
      </p>`
    : html`<p class="notice" data-testid="cashback-status" data-tracked="false">
        Aucun cashback suivi pour cette commande.
      </p>`;
}

/** The page's title and body for one order, in the shop's style. */
export function confirmationPage(
  style: ConfirmationStyle,
  merchant: MerchantRecord,
  order: ShopOrder,
): { title: string; body: Html } {
  const amount = formatMoney(order.amount);
  const notice = cashbackNotice(merchant, order);
  const again = html`<p><a href="/">Continuer mes achats</a></p>`;
  switch (style) {
    case 'standard':
    case 'single-page':
      return {
        title: `Commande ${order.number} — ${merchant.name}`,
        body: html`<h1>Commande n° ${order.number} confirmée</h1>
          <p data-testid="order-amount">Montant payé : <strong>${amount}</strong></p>
          ${notice} ${again}`,
      };
    case 'portal-path':
      return {
        title: `${merchant.name} — c'est dans la boîte`,
        body: html`<h1>C'est dans la boîte !</h1>
          <dl class="card">
            <dt>Votre référence</dt>
            <dd data-testid="order-number">${order.number}</dd>
            <dt>Réglé</dt>
            <dd data-testid="order-amount">${amount}</dd>
          </dl>
          ${notice} ${again}`,
      };
    case 'english': {
      const total = `€${(order.amount / 100).toFixed(2)}`;
      return {
        title: `Order received — ${merchant.name}`,
        body: html`<h1>Thank you. Your order has been received.</h1>
          <ul class="card">
            <li>Order number: <strong>${order.number}</strong></li>
            <li>Total: <strong data-testid="order-amount">${total}</strong></li>
            <li>Payment method: demo card</li>
          </ul>
          ${notice} ${again}`,
      };
    }
    case 'schema-only': {
      const data = {
        '@context': 'https://schema.org',
        '@type': 'Order',
        orderNumber: order.number,
        orderStatus: 'https://schema.org/OrderProcessing',
        seller: { '@type': 'Organization', name: merchant.name },
        totalPaymentDue: {
          '@type': 'PriceSpecification',
          price: (order.amount / 100).toFixed(2),
          priceCurrency: 'EUR',
        },
      };
      // In a JSON block `</` is all that could end it early: escaped, it stays data.
      const json = JSON.stringify(data).replace(/</g, '\\u003c');
      return {
        title: merchant.name,
        body: html`<script type="application/ld+json">
            ${raw(json)}
          </script>
          <h1>À très vite, chez ${merchant.name}</h1>
          <p>Nous préparons votre colis avec soin.</p>
          <p data-testid="order-amount">${amount}</p>
          ${notice} ${again}`,
      };
    }
  }
}
