// @vitest-environment happy-dom
/**
 * The order watch in the page: it reads a loaded page at once and again later while the
 * background has not recognised an order, stops once it has, and a document that keeps changing
 * its address (each same-document navigation brings the watch again) gets a bounded number.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_WATCHES_PER_DOCUMENT,
  ORDER_READ_DELAYS_MS,
  watchOrderPage,
  type WatchWorld,
} from '../../../utils/orders/page-watch';
import type { RawOrderPage } from '../../../utils/orders/page-reader';

beforeEach(() => {
  vi.useFakeTimers();
  document.title = 'Commande CMD-1 confirmée';
  document.body.innerHTML = '<h1>Commande n° CMD-1 confirmée</h1>';
});

afterEach(() => {
  vi.useRealTimers();
});

const allDelays = ORDER_READ_DELAYS_MS.reduce((sum, delay) => sum + delay, 0);

describe('watchOrderPage', () => {
  it('reads the loaded page at once, then at each delay while no order is recognised', async () => {
    const send = vi.fn(async (_page: RawOrderPage) => ({ seen: false }));
    watchOrderPage(document, 'confirmation-words', send, {});
    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]![0]).toMatchObject({ title: 'Commande CMD-1 confirmée' });
    await vi.advanceTimersByTimeAsync(allDelays + 1000);
    expect(send).toHaveBeenCalledTimes(ORDER_READ_DELAYS_MS.length);
  });

  it('stops reading once the background has recognised the order', async () => {
    const send = vi.fn(async () => ({ seen: true }));
    watchOrderPage(document, 'confirmation-words', send, {});
    await vi.advanceTimersByTimeAsync(allDelays + 1000);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('keeps reading when the background cannot be reached', async () => {
    const send = vi.fn(async (): Promise<{ seen: boolean }> => {
      throw new Error('Extension context invalidated');
    });
    watchOrderPage(document, 'portal-path', send, {});
    await vi.advanceTimersByTimeAsync(allDelays + 1000);
    expect(send).toHaveBeenCalledTimes(ORDER_READ_DELAYS_MS.length);
  });

  it('sends nothing from a page whose address says nothing and that holds no structured data', async () => {
    const send = vi.fn(async () => ({ seen: false }));
    watchOrderPage(document, 'unknown', send, {});
    await vi.advanceTimersByTimeAsync(allDelays + 1000);
    expect(send).not.toHaveBeenCalled();
  });

  it('gives one document a bounded number of watches, however often it changes its address', async () => {
    const send = vi.fn(async () => ({ seen: true }));
    const world: WatchWorld = {};
    for (let i = 0; i < MAX_WATCHES_PER_DOCUMENT + 20; i++) {
      watchOrderPage(document, 'confirmation-words', send, world);
    }
    await vi.advanceTimersByTimeAsync(allDelays + 1000);
    expect(send).toHaveBeenCalledTimes(MAX_WATCHES_PER_DOCUMENT);
    // Another document's world starts afresh.
    watchOrderPage(document, 'confirmation-words', send, {});
    await vi.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledTimes(MAX_WATCHES_PER_DOCUMENT + 1);
  });
});
