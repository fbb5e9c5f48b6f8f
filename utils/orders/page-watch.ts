/**
 * In the banner's script, on a page the background sent it to with an order watch: read the page
 * once it is loaded and hand it over; a page that draws its confirmation with scripts is read
 * again a little later, twice at most. Framework-free, no zod (the background validates).
 */
import { mayHoldSchemaOrder, readOrderPage, type RawOrderPage } from './page-reader';
import type { OrderUrlKind } from './order-url';

/** After the load event, then these delays: pages that render their confirmation late. */
export const ORDER_READ_DELAYS_MS = [0, 1500, 4000];

export function watchOrderPage(
  doc: Document,
  kind: OrderUrlKind,
  send: (page: RawOrderPage) => Promise<{ seen: boolean }>,
): void {
  let attempt = 0;
  const read = async () => {
    // Nothing in the URL: only a schema.org Order can tell, and most pages have none to read.
    const worth = kind !== 'unknown' || mayHoldSchemaOrder(doc);
    const seen = worth && (await send(readOrderPage(doc)).catch(() => ({ seen: false }))).seen;
    attempt += 1;
    const delay = ORDER_READ_DELAYS_MS[attempt];
    if (!seen && delay !== undefined) setTimeout(() => void read(), delay);
  };
  if (doc.readyState === 'complete') void read();
  else doc.defaultView?.addEventListener('load', () => void read(), { once: true });
}
