/**
 * The current tab's offer, with the activation button. It works on every merchant page, also
 * where the banner stays quiet: opening the popup is the member's own act.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { config } from '../../utils/config';
import { onHostAccessChange } from '../../utils/platform/host-access';
import { t } from '../../utils/format/i18n';
import { messagesLocale } from '../../utils/format/locale';
import type { ActivationStatus, TabOffer } from '../../utils/protocol/messages';
import { sendToBackground } from '../../utils/protocol/send';
import { offerPhrase } from '../../utils/format/money';
import { merchantInitials } from '../../utils/merchants/summary';
import { HostAccessNotice, useAllSitesAccess } from '../shared/HostAccessNotice';
import { activationCopy } from './activation-copy';
import { MerchantSearch } from './MerchantSearch';

/** The popup has no push channel: while an activation runs, it asks again this often. */
const ACTIVATION_POLL_MS = 1000;

type OfferState = { kind: 'loading' } | { kind: 'failed' } | TabOffer;
type MerchantOffer = Extract<TabOffer, { kind: 'merchant' }>;

export function OfferPanel(props: {
  tabId: number | null;
  /** Changes when the offer may have changed (after a sign-in, say). */
  reloadKey: number;
  onSignInNeeded: () => void;
}) {
  const { tabId, onSignInNeeded } = props;
  const [offer, setOffer] = useState<OfferState>({ kind: 'loading' });
  // Moves at each click on "Activer" and at its answer: an offer asked for before them (a reload
  // after the sign-in, say) is older than the activation on screen, and would stop following it.
  const clicks = useRef(0);

  const load = useCallback(async () => {
    if (tabId === null) return setOffer({ kind: 'unsupported' });
    const askedAfter = clicks.current;
    let next: OfferState;
    try {
      next = await sendToBackground('popup:get-offer', { tabId });
    } catch {
      next = { kind: 'failed' };
    }
    if (askedAfter === clicks.current) setOffer(next);
  }, [tabId]);

  useEffect(() => {
    void load();
  }, [load, props.reloadKey]);

  // Access given back (here or in the browser's menu) or taken away: the offer changes with it.
  useEffect(() => onHostAccessChange(() => void load()), [load]);
  const allSites = useAllSitesAccess();
  // Elsewhere than on a site it cannot see, the member still learns that merchants go unseen.
  const accessNotice = allSites === false && (
    <HostAccessNotice hostname={null} onGranted={() => void load()} />
  );

  const activating = offer.kind === 'merchant' && offer.activation.state === 'activating';
  useEffect(() => {
    if (!activating) return;
    const timer = setInterval(() => void load(), ACTIVATION_POLL_MS);
    return () => clearInterval(timer);
  }, [activating, load]);

  const activate = useCallback(async () => {
    if (tabId === null) return;
    clicks.current += 1;
    const withStatus = (activation: ActivationStatus) =>
      setOffer((current) => (current.kind === 'merchant' ? { ...current, activation } : current));
    withStatus({ state: 'activating' });
    let status: ActivationStatus;
    try {
      status = await sendToBackground('popup:activate', { tabId });
    } catch (error) {
      status = { state: 'error', failure: { reason: 'failed', detail: String(error) } };
    }
    clicks.current += 1;
    withStatus(status);
    if (status.state === 'error' && status.failure.reason === 'signed-out') onSignInNeeded();
  }, [tabId, onSignInNeeded]);

  return (
    <section class="panel offer" aria-labelledby="offer-heading">
      <h2 id="offer-heading">{t('popup_offer_heading')}</h2>
      {offer.kind === 'failed' && <p class="notice notice-error">{t('popup_offer_failed')}</p>}
      {offer.kind === 'no-access' && (
        <>
          <HostAccessNotice hostname={offer.hostname} onGranted={() => void load()} />
          <MerchantSearch />
        </>
      )}
      {offer.kind === 'unsupported' && (
        <>
          {accessNotice}
          <p>{t('popup_unsupported')}</p>
          <MerchantSearch />
        </>
      )}
      {offer.kind === 'not-merchant' && (
        <>
          {accessNotice}
          <p>{t('popup_not_merchant', [offer.hostname, config.brand.name])}</p>
          <MerchantSearch />
        </>
      )}
      {offer.kind === 'merchant' && (
        <MerchantOfferView
          offer={offer}
          onActivate={() => void activate()}
          onSignIn={onSignInNeeded}
        />
      )}
    </section>
  );
}

function MerchantOfferView(props: { offer: MerchantOffer; onActivate(): void; onSignIn(): void }) {
  const { merchant, activation, standDown, muted } = props.offer;
  const copy = activationCopy(activation, merchant.name, config.brand.name, t);
  const statusRef = useRef<HTMLDivElement>(null);

  // When the button goes away (activated, or an error nothing can fix), the focus it had
  // would fall back to the page: give it to the sentence that says what happened.
  useEffect(() => {
    if (!copy.action && document.activeElement === document.body) statusRef.current?.focus();
  }, [copy.action]);

  return (
    <div class="merchant-offer">
      <div class="merchant">
        {/* Logos come from the portal's origin only (utils/merchants/summary.ts). */}
        {merchant.logoUrl ? (
          <img class="merchant-logo" src={merchant.logoUrl} alt="" width={40} height={40} />
        ) : (
          <span class="merchant-logo merchant-initials" aria-hidden="true">
            {merchantInitials(merchant.name)}
          </span>
        )}
        <div>
          <h3 class="merchant-name">{merchant.name}</h3>
          <p class="merchant-rate">{offerPhrase(merchant.cashback, messagesLocale(t), t)}</p>
        </div>
      </div>
      {merchant.terms && <p class="terms muted">{t('popup_terms', [merchant.terms])}</p>}
      {standDown && <p class="notice">{t('popup_stand_down', [config.brand.name])}</p>}
      {muted && <p class="notice">{t('popup_muted')}</p>}
      <div
        ref={statusRef}
        tabIndex={-1}
        class={`activation-status activation-${copy.tone}`}
        role="status"
        aria-live="polite"
      >
        {copy.message && <p>{copy.message}</p>}
      </div>
      {copy.action && (
        <button
          type="button"
          class={copy.action.does === 'sign-in' ? 'button button-secondary' : 'button activate'}
          aria-disabled={copy.action.busy}
          onClick={() => {
            if (copy.action?.busy) return;
            if (copy.action?.does === 'sign-in') props.onSignIn();
            else props.onActivate();
          }}
        >
          {copy.action.label}
        </button>
      )}
    </div>
  );
}
