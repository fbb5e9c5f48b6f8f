/**
 * The order watch: injected by the background after the banner's handover, and only on a page of
 * a merchant where the member activated (utils/banner/delivery.ts, utils/orders/flow.ts), to
 * notice the order confirmation page. Its own script so that the banner, which every merchant
 * page gets, carries none of it. Framework-free, no zod: the background validates what it sends.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { watchOrderPage, type WatchWorld } from '../utils/orders/page-watch';
import type { OrderUrlKind } from '../utils/orders/order-url';
import { sendToBackground } from '../utils/protocol/send';

/** The extension's isolated world, which the page cannot see. */
const world = globalThis as typeof globalThis &
  WatchWorld & {
    /** Left by the background's handover just before this script (utils/banner/delivery.ts). */
    ristourneOrderWatch?: OrderUrlKind;
  };

export default defineUnlistedScript({
  globalName: false,
  main() {
    const kind = world.ristourneOrderWatch;
    delete world.ristourneOrderWatch;
    if (!kind) return;
    watchOrderPage(
      document,
      kind,
      (page) => sendToBackground('banner:order-page', { page }),
      world,
    );
  },
});
