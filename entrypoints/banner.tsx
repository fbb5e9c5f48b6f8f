/**
 * The banner's script: injected by the background into merchant pages only
 * (utils/banner/delivery.ts, `scripting.executeScript({ files })`), never declared in the
 * manifest nor web-accessible. An unlisted script rather than a content script: WXT wraps
 * content scripts in a context that announces each start with an event on the page's document,
 * named after the extension's id, which would let any page detect the extension. It asks its
 * tab's view once, then follows the background's updates. It never handles URLs: "Activer" asks
 * the background, which navigates the tab.
 */
import { browser } from 'wxt/browser';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { createBannerController, type BannerController } from '../components/banner/controller';
import { isBannerUpdate } from '../utils/protocol/banner-update';
import { t } from '../utils/format/i18n';
import type { BannerView } from '../utils/protocol/messages';
import { sendToBackground } from '../utils/protocol/send';

/** Lives in the extension's isolated world, which the page cannot see and which outlives one run. */
const world = globalThis as typeof globalThis & {
  ristourneBanner?: BannerController;
  /** Left by the background's view sent with us, when it arrives first (utils/banner/delivery.ts). */
  ristourneInitialView?: BannerView;
  /** Takes that view when it arrives after us, or on a banner already there. */
  ristourneReceiveView?: (view: BannerView) => void;
};

export default defineUnlistedScript({
  // No global variable: the script's result is not needed, and nothing should outlive it but
  // the controller above.
  globalName: false,
  main() {
    const initial = world.ristourneInitialView;
    delete world.ristourneInitialView;
    // Injected again (a same-document navigation): one banner, with its new view.
    const existing = world.ristourneBanner;
    if (existing) {
      return whenDocumentReady(() => (initial ? existing.show(initial) : void existing.refresh()));
    }

    const banner = createBannerController(document, t, sendToBackground);
    world.ristourneBanner = banner;
    world.ristourneReceiveView = (view) => whenDocumentReady(() => banner.show(view));
    browser.runtime.onMessage.addListener((message: unknown, sender) => {
      // Only our background talks to us; anything else, or of another shape, is ignored.
      if (sender.id === browser.runtime.id && !sender.tab && isBannerUpdate(message)) {
        whenDocumentReady(() => banner.show(message.view));
      }
    });
    // Started without its view (it arrives after us, see above, or never sent): ask for it.
    whenDocumentReady(() => (initial ? banner.show(initial) : void banner.refresh()));
  },
});

/**
 * The background injects us as soon as the page commits, so that the banner is ready the moment
 * the document is: until DOMContentLoaded, the page's own elements come first.
 */
function whenDocumentReady(show: () => void): void {
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', show, { once: true });
  } else {
    show();
  }
}
