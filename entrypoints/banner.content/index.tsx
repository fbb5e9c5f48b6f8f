/**
 * The banner's content script: injected by the background into merchant pages only
 * (utils/banner-delivery.ts), never declared in the manifest. It asks its tab's view once, then
 * follows the background's updates. It never handles URLs: "Activer" asks the background, which
 * navigates the tab.
 */
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import {
  createBannerController,
  type BannerController,
  type BannerRequest,
} from '../../components/banner/controller';
import { t } from '../../utils/i18n';
import { sendToBackground, type BannerUpdate } from '../../utils/messages';

/** Lives in the extension's isolated world, which the page cannot see and which outlives one run. */
const world = globalThis as typeof globalThis & { ristourneBanner?: BannerController };

export default defineContentScript({
  registration: 'runtime',
  // Otherwise WXT announces every start with window.postMessage, visible to the page.
  noScriptStartedPostMessage: true,
  globalName: false,
  main() {
    // Injected again (a same-document navigation): one banner, asked for its view again.
    if (world.ristourneBanner) return void world.ristourneBanner.refresh();

    const banner = createBannerController(
      document,
      t,
      (type) => sendToBackground<BannerRequest>(type, {}) as never,
    );
    world.ristourneBanner = banner;
    browser.runtime.onMessage.addListener((message: unknown) => {
      if (isBannerUpdate(message)) banner.show(message.view);
    });
    void banner.refresh();
  },
});

function isBannerUpdate(message: unknown): message is BannerUpdate {
  return (message as BannerUpdate | null)?.type === 'background:banner-view';
}
