/**
 * Puts the banner on a hostile page: a plain <div> host (a custom element name could have been
 * defined by the page first), an open shadow root holding its own <style>, and the top layer
 * through the Popover API, so that no page stacking context or transform can cover or move it
 * (the CSS z-index is the fallback). Appended to <html> rather than <body>, where frameworks
 * expect to own every child. A hand-made root rather than WXT's createShadowRootUi: that one
 * needs a custom element name and fetches its CSS from a web-accessible file, which any page can
 * probe to detect the extension.
 */
import { render } from 'preact';
import { config } from '../../utils/config';
import type { BannerView } from '../../utils/protocol/messages';
import type { Translate } from '../../utils/format/i18n';
import { Banner, type BannerActions } from './Banner';
import { bannerCss } from './styles';

export interface BannerUi {
  /** Shows this view, or removes the banner for `null`. */
  render(view: BannerView | null): void;
  readonly host: HTMLElement;
}

export function mountBanner(doc: Document, t: Translate, actions: BannerActions): BannerUi {
  const host = doc.createElement('div');
  const shadow = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = bannerCss(config.brand);
  const container = doc.createElement('div');
  shadow.append(style, container);
  host.setAttribute('popover', 'manual');

  return {
    host,
    render(view) {
      if (!view) {
        render(null, container);
        host.remove();
        return;
      }
      render(<Banner view={view} actions={actions} t={t} />, container);
      // Also after the page removed our host: we come back once per update from the background
      // (a few per visit at most), never in a loop against the page.
      if (!host.isConnected) {
        doc.documentElement.append(host);
        try {
          host.showPopover();
        } catch {
          // No Popover API (or the page interfered): the fixed position and z-index still apply.
        }
      }
    },
  };
}
