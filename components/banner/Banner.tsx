/**
 * The banner card. It never takes focus (no autofocus, no focus() call) but is reachable with
 * Tab. Escape closes it only while focus is inside it: a listener on the document would also
 * close it when the user presses Escape for the page's own dialogs. That Escape stops at the
 * banner, since it was meant for it.
 */
import { config } from '../../utils/config';
import type { BannerView } from '../../utils/protocol/messages';
import type { Translate } from '../../utils/format/i18n';
import { bannerCopy } from '../../utils/banner/copy';

/** Each button hands its click over: mount.tsx decides whether it is the member's. */
export interface BannerActions {
  activate: (event: MouseEvent) => void;
  /** ×: hidden for this merchant, in every tab, for the session. */
  dismiss: (event: MouseEvent) => void;
  /** "Ne plus afficher sur ce site". */
  mute: (event: MouseEvent) => void;
  /** Escape, while the focus is in the banner: the same as ×. */
  escape: () => void;
}

export interface BannerProps {
  view: BannerView;
  actions: BannerActions;
  t: Translate;
}

/**
 * Only the user's own clicks and keys count: `.click()` or `dispatchEvent()` (by a page that
 * found a way in, or on our host) produce events whose `isTrusted` is false.
 */
export function trusted<E extends Event>(handler: (event: E) => void): (event: E) => void {
  return (event) => {
    if (event.isTrusted === true) handler(event);
  };
}

/** Stateless: the controller owns the state, so the banner script needs no hooks (1 kB gzip). */
export function Banner({ view, actions, t }: BannerProps) {
  const brand = config.brand.name;
  // The background's words for the view it sent (no i18n nor Intl to start in the page).
  const text = view.text;
  const copy = text ?? bannerCopy(view, t, brand);
  const busy = copy.action?.busy === true;

  const onKeyDown = trusted((event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    actions.escape();
  });

  return (
    <section
      class="card"
      role="region"
      aria-label={text?.region ?? t('banner_region_label', [brand])}
      onKeyDown={onKeyDown}
    >
      <div class="head">
        <span class="brand">{brand}</span>
        <button
          type="button"
          class="close"
          aria-label={text?.close ?? t('banner_close')}
          title={text?.close ?? t('banner_close')}
          onClick={trusted(actions.dismiss)}
        >
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div aria-live="polite">
        <p class="title">{copy.title}</p>
        {copy.detail && <p class="detail">{copy.detail}</p>}
      </div>
      {(copy.action || copy.canMute) && (
        <div class="actions">
          {copy.action && (
            // aria-disabled rather than disabled: a disabled button would drop the keyboard
            // user's focus to the page's <body>.
            <button
              type="button"
              class="primary"
              aria-busy={busy}
              aria-disabled={busy}
              onClick={trusted((event: MouseEvent) => busy || actions.activate(event))}
            >
              {copy.action.label}
            </button>
          )}
          {copy.canMute && (
            <button type="button" class="link" onClick={trusted(actions.mute)}>
              {text?.mute ?? t('banner_mute')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
