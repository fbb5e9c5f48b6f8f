/**
 * The results pages' script: registered at run time on the search engines' results pages only
 * (utils/search/registration.ts), while the member's setting is on. An unlisted script, like the
 * banner, rather than a WXT content script (whose start event, named after the extension's id,
 * would let a page detect it). It reads the results' links, asks the background which of their
 * hostnames are partner merchants, and marks those results; it sends nothing else, and never the
 * query nor the page's address (docs/search-marks.md).
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { startSearchMarks } from '../components/search/controller';
import { config } from '../utils/config';
import { engineOfPage } from '../utils/search/engines';
import { sendToBackground } from '../utils/protocol/send';

/** The extension's isolated world, which the page cannot see. */
const world = globalThis as typeof globalThis & { ristourneSearchMarks?: boolean };

export default defineUnlistedScript({
  globalName: false,
  main() {
    const { googleDomains } = config.search;
    // Not a web results page (images, a home page with parameters): nothing at all.
    if (world.ristourneSearchMarks || !engineOfPage(location, googleDomains)) return;
    world.ristourneSearchMarks = true;
    startSearchMarks({
      doc: document,
      send: sendToBackground,
      colors: { primary: config.brand.primaryColor, onPrimary: config.brand.onPrimaryColor },
      googleDomains,
    });
  },
});
