/**
 * In the order watch's script, on a page the background sent it to: read the page once it is
 * loaded and hand it over; a page that draws its confirmation with scripts is read
 * again a little later, twice at most. Framework-free, no zod (the background validates).
 */
import { mayHoldSchemaOrder, readOrderPage, type RawOrderPage } from './page-reader';
import type { OrderUrlKind } from './order-url';

/** After the load event, then these delays: pages that render their confirmation late. */
export const ORDER_READ_DELAYS_MS = [0, 1500, 4000];

/**
 * The watch comes again with each same-document navigation (a single-page shop): a page that
 * changes its address in a loop gets this many at most, a whole shopping session's worth.
 */
export const MAX_WATCHES_PER_DOCUMENT = 50;

/** What the extension's isolated world keeps between the watch's injections into one document. */
export interface WatchWorld {
  ristourneOrderWatches?: number;
}

export function watchOrderPage(
  doc: Document,
  kind: OrderUrlKind,
  send: (page: RawOrderPage) => Promise<{ seen: boolean }>,
  world: WatchWorld,
): void {
  const started = world.ristourneOrderWatches ?? 0;
  if (started >= MAX_WATCHES_PER_DOCUMENT) return;
  world.ristourneOrderWatches = started + 1;
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
