/**
 * What an order page read in the page (page-reader.ts) means: validated here with zod (the page
 * may be hostile), then decided. Pure.
 *
 *   portal-path          the portal says it is a confirmation page: an order, whatever it shows
 *   confirmation-words   an order if the page agrees: thanks or "order confirmed" in its title
 *                        or headings, a schema.org Order, or an order reference in its text
 *   unknown              an order only with a schema.org Order in the page
 *
 * The order's reference and total come from the schema.org Order when there is one, else from
 * the text next to the words that name them ("Commande n° …", "Order number: …", "Total : …").
 */
import { z } from 'zod';
import type { OrderUrlKind } from './order-url';
import { parseAmount, type Money } from './money-input';

export const RawOrderPageSchema = z.object({
  url: z.string().max(8000),
  title: z.string().max(300),
  headings: z.array(z.string().max(300)).max(8),
  text: z.string().max(20_000),
  schemaOrders: z
    .array(
      z.object({
        orderNumber: z.string().max(200).optional(),
        price: z.string().max(50).optional(),
        currency: z.string().max(10).optional(),
      }),
    )
    .max(5),
});
export type RawOrderPage = z.infer<typeof RawOrderPageSchema>;

export type OrderDetection = 'portal-path' | 'confirmation-words' | 'schema-org';

/** An order the member placed, as its confirmation page showed it. */
export interface OrderSighting {
  detection: OrderDetection;
  orderRef?: string;
  amount?: Money;
}

/** Lower case, accents off, one space: how the phrases below are compared. */
function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’']/g, "'")
    .replace(/\s+/g, ' ');
}

/**
 * "Thank you for your order", "order confirmed": in the title or a heading, in the languages of
 * the checkout detection. A pre-payment "Confirmez votre commande" is none of them.
 */
const THANKS = [
  // fr
  /merci (pour|de) (votre|ta) (commande|achat)/,
  /commande .{0,40}(confirmee|validee|enregistree|bien recue|passee avec succes)/,
  /votre commande (a bien ete|est) (prise en compte|confirmee|validee|enregistree)/,
  /confirmation de (votre |la )?commande/,
  // en
  /thank(s| you) for (your )?(order|purchase|shopping)/,
  /order (has been |was )?(received|confirmed|placed|complete|successful)/,
  /your order (is|has been) (confirmed|received|placed|complete)/,
  /order confirmation/,
  // de
  /(vielen )?dank fur (ihre|deine) (bestellung|einkauf)/,
  /bestellung (ist |wurde )?(eingegangen|bestatigt|abgeschlossen|erfolgreich)/,
  /bestellbestatigung/,
  // es
  /gracias por (tu|su) (pedido|compra)/,
  /pedido (confirmado|realizado|recibido|completado)/,
  /confirmacion (del|de tu|de su) pedido/,
  // it
  /grazie per (il tuo |il suo |l')?(ordine|acquisto)/,
  /ordine (confermato|ricevuto|completato)/,
  /conferma (dell'|d')ordine/,
  // pt
  /obrigad[oa] pel[ao] (sua |tua )?(encomenda|compra|pedido)/,
  /(encomenda|pedido) (confirmad[oa]|recebid[oa])/,
  // nl
  /bedankt voor (je|uw) (bestelling|aankoop)/,
  /bestelling (is )?(ontvangen|geplaatst|bevestigd)/,
  /orderbevestiging/,
  // pl
  /dziekujemy za (zamowienie|zakupy|zakup)/,
  /zamowienie (zostalo )?(przyjete|zlozone|potwierdzone)/,
  /potwierdzenie zamowienia/,
];

export function thanksForTheOrder(page: Pick<RawOrderPage, 'title' | 'headings'>): boolean {
  return [page.title, ...page.headings].some((line) => {
    const folded = fold(line);
    return THANKS.some((phrase) => phrase.test(folded));
  });
}

/** An order reference as shops write them: a letter or digit first, a digit somewhere. */
const REFERENCE = /^[A-Z0-9][A-Z0-9\-_/.]{2,39}$/i;
const acceptableRef = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim().replace(/[.,;:]+$/, '');
  return trimmed !== undefined && REFERENCE.test(trimmed) && /\d/.test(trimmed)
    ? trimmed
    : undefined;
};

/**
 * The words before an order reference: "Commande n°", "Votre référence", "Order number:",
 * "Order #", "Bestellnummer", "Número de pedido", "Numero d'ordine", "Bestelnummer"…
 * (matched on the folded text, the reference then taken from the original at the same place).
 */
const REFERENCE_LABEL = new RegExp(
  '(?<![a-z])(?:' +
    [
      '(?:commande|order|bestellung|pedido|ordine|encomenda|bestelling|zamowienie|zamowienia)(?: (?:n°|no\\.?|nr\\.?|number|numero|nummer|id|ref(?:erence)?\\.?))?',
      '(?:(?:votre |your )?(?:reference|ref\\.)(?: de (?:la |votre )?commande)?)',
      "(?:bestellnummer|auftragsnummer|bestelnummer|ordernummer|numero (?:de|do|da) (?:pedido|encomenda)|numero d'ordine|numer zamowienia)",
    ].join('|') +
    ')',
  'g',
);

/** The reference after its label in the page's text, when there is one. */
export function orderRefInText(text: string): string | undefined {
  // Folding keeps every character's place (NFD then removing marks could not): fold per character.
  const folded = Array.from(text, (char) => (fold(char) || ' ').charAt(0)).join('');
  const chars = Array.from(text);
  for (const match of folded.matchAll(REFERENCE_LABEL)) {
    const after = chars
      .slice(match.index + match[0].length, match.index + match[0].length + 60)
      .join('');
    // "Order #: 123", "Your order # is: 123", "Commande n° 123", "Bestellung ist: 123".
    const candidate = /^\s*(?:[:#]|n°|no\.?)?\s*(?:(?:is|est|ist|es|e)\s*:?\s*)?([^\s]{3,40})/.exec(
      after,
    )?.[1];
    const ref = acceptableRef(candidate);
    if (ref) return ref;
  }
  return undefined;
}

/** Words before an order's total: "Total", "Montant payé", "Réglé", "Gesamtbetrag"… */
const TOTAL_LABEL =
  /(?<![\p{L}])(?:total(?: ttc| paye| payé| a payer| à payer| de la commande| pagado| pago)?|montant(?: total| paye| payé| regle| réglé)?|regle|réglé|gesamtbetrag|gesamtsumme|summe|importe(?: total)?|totale|totaal|suma|razem|do zaplaty)(?![\p{L}])\s*:?\s*/giu;

/** The total after its label in the page's text, when it says its currency. */
export function totalInText(text: string): Money | undefined {
  for (const match of text.matchAll(TOTAL_LABEL)) {
    const after = text.slice(match.index + match[0].length, match.index + match[0].length + 30);
    const amount =
      /^(?:[€$£]|EUR|USD|GBP|CHF)?\s*\d[\d\s.,\u00a0\u202f]*(?:\s*(?:€|\$|£|EUR|USD|GBP|CHF))?/i.exec(
        after,
      )?.[0];
    const money = amount === undefined ? undefined : parseAmount(amount);
    if (money?.currency !== undefined && money.value > 0) {
      return { value: money.value, currency: money.currency };
    }
  }
  return undefined;
}

/** What the page says about an order, given what its URL says; null when it is no order page. */
export function readOrderSighting(kind: OrderUrlKind, raw: unknown): OrderSighting | null {
  if (kind === 'not-an-order') return null;
  const parsed = RawOrderPageSchema.safeParse(raw);
  if (!parsed.success) return kind === 'portal-path' ? { detection: 'portal-path' } : null;
  const page = parsed.data;
  const schemaOrder = page.schemaOrders[0];
  const schemaRef = acceptableRef(schemaOrder?.orderNumber);
  const schemaTotal =
    schemaOrder?.price === undefined
      ? undefined
      : parseAmount(`${schemaOrder.price} ${schemaOrder.currency ?? ''}`);
  const orderRef = schemaRef ?? orderRefInText(page.text);
  const total =
    schemaTotal?.currency !== undefined && schemaTotal.value > 0
      ? { value: schemaTotal.value, currency: schemaTotal.currency }
      : totalInText(page.text);
  const details = {
    ...(orderRef === undefined ? {} : { orderRef }),
    ...(total === undefined ? {} : { amount: total }),
  };
  switch (kind) {
    case 'portal-path':
      return { detection: 'portal-path', ...details };
    case 'confirmation-words':
      return thanksForTheOrder(page) || schemaOrder !== undefined || orderRef !== undefined
        ? { detection: 'confirmation-words', ...details }
        : null;
    case 'unknown':
      return schemaOrder === undefined ? null : { detection: 'schema-org', ...details };
  }
}
