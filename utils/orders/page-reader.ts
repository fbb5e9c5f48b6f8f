/**
 * What the order page shows, read in the page by the banner's script (page-watch.ts) on a page of
 * a merchant the member activated. Tiny and framework-free; it returns plain data, capped in
 * size; the background validates it with zod (order-reading.ts) and decides there. Nothing of it
 * leaves the browser.
 */

/** What the page showed; every string capped (the page may be hostile). */
export interface RawOrderPage {
  url: string;
  title: string;
  /** The first headings (h1, h2), in document order. */
  headings: string[];
  /** The visible text, without scripts nor styles, up to 20,000 characters. */
  text: string;
  /** Each schema.org `Order` found in JSON-LD or microdata. */
  schemaOrders: { orderNumber?: string; price?: string; currency?: string }[];
}

/** A JSON-LD block or a microdata Order: the only way a page with a plain URL says it is one. */
export function mayHoldSchemaOrder(doc: Document): boolean {
  return doc.querySelector('script[type="application/ld+json"], [itemtype$="/Order" i]') !== null;
}

/** Reads the page's document. */
export function readOrderPage(d: Document): RawOrderPage {
  const clip = (value: unknown, max: number): string | undefined =>
    typeof value === 'string' || typeof value === 'number'
      ? String(value).replace(/\s+/g, ' ').trim().slice(0, max)
      : undefined;
  const isOrderType = (type: unknown): boolean =>
    (Array.isArray(type) ? type : [type]).some(
      (t) => typeof t === 'string' && /(^|[/#:])Order$/.test(t),
    );

  const orders: RawOrderPage['schemaOrders'] = [];
  const add = (order: RawOrderPage['schemaOrders'][number]) => {
    if (orders.length < 5) orders.push(order);
  };

  // JSON-LD: every Order node, at any depth (arrays, @graph, nested objects), within bounds.
  const blocks = Array.from(d.querySelectorAll('script[type="application/ld+json"]')).slice(0, 20);
  for (const block of blocks) {
    let data: unknown;
    try {
      data = JSON.parse((block.textContent ?? '').slice(0, 200_000));
    } catch {
      continue;
    }
    const stack: unknown[] = [data];
    for (let visited = 0; stack.length > 0 && visited < 2000; visited += 1) {
      const node = stack.pop();
      if (node === null || typeof node !== 'object') continue;
      if (Array.isArray(node)) {
        stack.push(...(node as unknown[]).slice(0, 100));
        continue;
      }
      const record = node as Record<string, unknown>;
      if (isOrderType(record['@type'])) {
        const due = record.totalPaymentDue as Record<string, unknown> | undefined;
        const price =
          (due && typeof due === 'object' ? (due.price ?? due.value) : undefined) ?? record.price;
        const currency =
          (due && typeof due === 'object' ? (due.priceCurrency ?? due.currency) : undefined) ??
          record.priceCurrency;
        add({
          orderNumber: clip(record.orderNumber, 200),
          price: clip(price, 50),
          currency: clip(currency, 10),
        });
      }
      for (const value of Object.values(record).slice(0, 100)) {
        if (value !== null && typeof value === 'object') stack.push(value);
      }
    }
  }

  // Microdata: itemscope itemtype="https://schema.org/Order".
  const itemValue = (scope: Element, prop: string): string | undefined => {
    const element = scope.querySelector(`[itemprop~="${prop}"]`);
    if (!element) return undefined;
    return clip(element.getAttribute('content') ?? element.textContent, 200);
  };
  for (const scope of Array.from(d.querySelectorAll('[itemtype]')).slice(0, 50)) {
    if (!isOrderType(scope.getAttribute('itemtype')?.trim())) continue;
    add({
      orderNumber: itemValue(scope, 'orderNumber'),
      price: itemValue(scope, 'price')?.slice(0, 50),
      currency: itemValue(scope, 'priceCurrency')?.slice(0, 10),
    });
  }

  // The text a shopper sees, in order, without what is never shown (whole subtrees skipped).
  const parts: string[] = [];
  let length = 0;
  const skipped = /^(script|style|noscript|template|svg|textarea|select)$/i;
  const walker = d.createTreeWalker(
    d.body ?? d.documentElement,
    1 | 4 /* NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT */,
    {
      acceptNode: (node) =>
        node.nodeType === 3
          ? 1 /* FILTER_ACCEPT */
          : skipped.test(node.nodeName) || (node as HTMLElement).hidden
            ? 2 /* FILTER_REJECT: not its descendants either */
            : 3 /* FILTER_SKIP: its descendants are read */,
    },
  );
  for (
    let node = walker.nextNode(), visited = 0;
    node && length < 20_000 && visited < 50_000;
    node = walker.nextNode(), visited += 1
  ) {
    const value = (node.nodeValue ?? '').replace(/\s+/g, ' ').trim();
    if (value) {
      parts.push(value);
      length += value.length + 1;
    }
  }

  return {
    url: String(d.location?.href ?? d.URL ?? '').slice(0, 8000),
    title: clip(d.title, 300) ?? '',
    headings: Array.from(d.querySelectorAll('h1, h2'))
      .slice(0, 8)
      .map((heading) => clip(heading.textContent, 300) ?? '')
      .filter(Boolean),
    text: parts.join(' ').slice(0, 20_000),
    schemaOrders: orders,
  };
}
