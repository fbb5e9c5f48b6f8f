/**
 * Puts the banner on a hostile page: a plain <div> host (a custom element name could have been
 * defined by the page first), a closed shadow root holding its own <style>, and the top layer
 * through the Popover API, so that no page stacking context or transform can cover or move it
 * (the CSS z-index is the fallback). Appended to <html> rather than <body>, where frameworks
 * expect to own every child. A hand-made root rather than WXT's createShadowRootUi: that one
 * needs a custom element name and fetches its CSS from a web-accessible file, which any page can
 * probe to detect the extension.
 *
 * The root is closed and kept here, in the extension's isolated world: the page can neither
 * restyle the card (make it transparent, stretch it over the page) nor read it (its words tell
 * whether the visitor is signed in, or has just activated). Its buttons' clicks count only when
 * click-guard.ts says the member could see what they clicked.
 */
import { render } from 'preact';
import { config } from '../../utils/config';
import type { BannerView } from '../../utils/protocol/messages';
import type { Translate } from '../../utils/format/i18n';
import { Banner } from './Banner';
import { createClickGuard } from './click-guard';
import { bannerCss } from './styles';

/** What the member does to the banner, once their click is judged theirs. */
export interface MemberActions {
  activate: () => void;
  /** × or Escape: hidden for this merchant, in every tab, for the session. */
  dismiss: () => void;
  /** "Ne plus afficher sur ce site". */
  mute: () => void;
}

export interface BannerUi {
  /** Shows this view, or removes the banner for `null`. */
  render: (view: BannerView | null) => void;
  readonly host: HTMLElement;
}

export function mountBanner(doc: Document, t: Translate, actions: MemberActions): BannerUi {
  const host = doc.createElement('div');
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = bannerCss(config.brand);
  const container = doc.createElement('div');
  shadow.append(style, container);
  host.setAttribute('popover', 'manual');

  /** Back on top: in the top layer, where the page's own elements cannot cover it. */
  const raise = () => {
    if (!host.isConnected) doc.documentElement.append(host);
    try {
      host.setAttribute('popover', 'manual');
      if (!host.matches(':popover-open')) host.showPopover();
    } catch {
      // No Popover API (or the page interfered): the fixed position and z-index still apply.
    }
  };
  const guard = createClickGuard(doc, host, shadow, raise);
  const guarded = (act: () => void) => (event: MouseEvent) =>
    void guard.confirm(event).then((theirs) => theirs && act());
  const bannerActions = {
    activate: guarded(actions.activate),
    dismiss: guarded(actions.dismiss),
    mute: guarded(actions.mute),
    // Escape, with the focus in the banner (Banner.tsx): only the member's keyboard gets there.
    escape: actions.dismiss,
  };

  return {
    host,
    render(view) {
      if (!view) {
        render(null, container);
        host.remove();
        return;
      }
      render(<Banner view={view} actions={bannerActions} t={t} />, container);
      // Also after the page removed our host: we come back once per update from the background
      // (a few per visit at most), never in a loop against the page.
      if (!host.isConnected) raise();
    },
  };
}
