/**
 * The banner's state on one page: what the background says it should show, plus the user's own
 * actions applied at once (the banner goes away on close without waiting for an answer).
 *
 *   get-view / background:banner-view ──► show(view) ──► render (null removes it)
 *   Activer ──► activating ──► banner:activate answer ──► activated | error | back to the offer
 *   ×, Escape, "Ne plus afficher", the confirmation's timeout ──► removed here, and that
 *     (merchant, variant) is not shown again on this page (a late or repeated update)
 *   "Cashback activé" hides itself after CONFIRMATION_MS, counted only while the page is visible
 *     and the pointer or the keyboard focus is not on the banner
 *   "activating" that lasts ACTIVATION_RECHECK_MS asks for the view again: if the worker died
 *     mid-activation, the question wakes the next one, which abandons it and offers it again
 *
 * Browser APIs come in through `send`, so this runs in tests as it does on a page.
 */
import type {
  ActivationStatus,
  BackgroundProtocol,
  BannerView,
} from '../../utils/protocol/messages';
import type { Translate } from '../../utils/format/i18n';
import { mountBanner } from './mount';

export type BannerRequest =
  'banner:get-view' | 'banner:activate' | 'banner:dismiss' | 'banner:mute';
export type SendToBackground = <T extends BannerRequest>(
  type: T,
  request: BackgroundProtocol[T]['request'],
) => Promise<BackgroundProtocol[T]['response']>;

export const CONFIRMATION_MS = 8000;
/** The tab normally leaves for the network within a second or two of the click. */
export const ACTIVATION_RECHECK_MS = 10_000;

export interface BannerController {
  show(view: BannerView | null): void;
  /** Asks the background for this tab's view (on start, and when injected again). */
  refresh(): Promise<void>;
  readonly view: BannerView | null;
  readonly host: HTMLElement;
}

export function createBannerController(
  doc: Document,
  t: Translate,
  send: SendToBackground,
): BannerController {
  let view: BannerView | null = null;
  let closed: { merchantId: string; variant: BannerView['variant'] } | null = null;
  const held = { pointer: false, focus: false };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let recheck: ReturnType<typeof setTimeout> | undefined;

  const ui = mountBanner(doc, t, {
    activate,
    dismiss: () => close('banner:dismiss'),
    mute: () => close('banner:mute'),
  });
  for (const [type, by, holding] of [
    ['mouseenter', 'pointer', true],
    ['mouseleave', 'pointer', false],
    ['focusin', 'focus', true],
    ['focusout', 'focus', false],
  ] as const) {
    ui.host.addEventListener(type, (event) => {
      // A page script could otherwise hold the confirmation on screen forever.
      if (!event.isTrusted) return;
      held[by] = holding;
      scheduleHide();
    });
  }
  doc.addEventListener('visibilitychange', scheduleHide);

  function show(next: BannerView | null): void {
    const reclosed =
      next && closed?.merchantId === next.merchant.id && closed.variant === next.variant;
    view = reclosed ? null : next;
    ui.render(view);
    scheduleHide();
    clearTimeout(recheck);
    if (view?.variant === 'activating')
      recheck = setTimeout(() => void refresh(), ACTIVATION_RECHECK_MS);
  }

  function refresh(): Promise<void> {
    return send('banner:get-view', {}).then(show, () => {});
  }

  function scheduleHide(): void {
    clearTimeout(timer);
    const idle = !held.pointer && !held.focus && doc.visibilityState !== 'hidden';
    if (view?.variant === 'activated' && idle) {
      timer = setTimeout(() => close(null), CONFIRMATION_MS);
    }
  }

  function close(request: 'banner:dismiss' | 'banner:mute' | null): void {
    if (view) closed = { merchantId: view.merchant.id, variant: view.variant };
    show(null);
    // Gone from this page either way; the background hides it in the other tabs.
    if (request) send(request, {}).catch(() => {});
  }

  function activate(): void {
    // Two clicks judged at once (click-guard.ts waits for the visibility report): one activation.
    if (!view || view.variant === 'activating') return;
    const before: BannerView = {
      merchant: view.merchant,
      variant: view.variant,
      ...(view.figure === undefined ? {} : { figure: view.figure }),
    };
    show({ ...before, variant: 'activating' });
    const settle = (next: BannerView) => view?.variant === 'activating' && show(next);
    send('banner:activate', {}).then(
      (status) => settle(viewAfterActivation(before, status)),
      () => settle({ ...before, variant: 'error', failure: { reason: 'failed', detail: '' } }),
    );
  }

  return {
    show,
    refresh,
    get view() {
      return view;
    },
    host: ui.host,
  };
}

/**
 * The view once `banner:activate` answered, unless the background pushed a newer one meanwhile.
 * `none` (the background declined, or sent the user to sign in first) returns to the offer.
 */
export function viewAfterActivation(before: BannerView, status: ActivationStatus): BannerView {
  const { merchant, figure } = before;
  const same = figure === undefined ? { merchant } : { merchant, figure };
  switch (status.state) {
    case 'activating':
    case 'activated':
      return { ...same, variant: status.state };
    case 'error':
      return { ...same, variant: 'error', failure: status.failure };
    case 'none':
      return before.variant === 'error' ? { ...same, variant: 'offer' } : before;
  }
}
