/**
 * The claim for a missing cashback, pre-filled from the order seen (merchant, date, reference,
 * amount) with our click id; the member checks and sends (utils/orders/claim-form.ts checks it).
 */
import { useState } from 'preact/hooks';
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';
import { checkClaimDraft, type ClaimField } from '../../utils/orders/claim-form';
import type { ClaimSubmitResult, ClaimView, OrderView } from '../../utils/protocol/messages';
import { sendToBackground } from '../../utils/protocol/send';

const FIELD_ERROR = {
  orderRef: 'popup_claim_error_orderRef',
  orderedOn: 'popup_claim_error_orderedOn',
  amount: 'popup_claim_error_amount',
} as const;

const FAILURE = {
  unsupported: 'popup_claim_failed_unsupported',
  'signed-out': 'popup_claim_failed_signed_out',
  unreachable: 'popup_claim_failed_unreachable',
  refused: 'popup_claim_failed_refused',
  'unknown-order': 'popup_claim_failed_unknown_order',
} as const;

export function ClaimForm(props: {
  order: OrderView;
  onSent(claim: ClaimView): void;
  onCancel(): void;
}) {
  const { order } = props;
  const currency = order.amount?.currency ?? 'EUR';
  const [orderRef, setOrderRef] = useState(order.orderRef ?? '');
  const [orderedOn, setOrderedOn] = useState(new Date(order.seenAt).toISOString().slice(0, 10));
  const [amount, setAmount] = useState(
    order.amount ? (order.amount.value / 100).toFixed(2).replace('.', ',') : '',
  );
  const [errors, setErrors] = useState<ClaimField[]>([]);
  const [failure, setFailure] = useState<Extract<ClaimSubmitResult, { ok: false }>['reason']>();
  const [sending, setSending] = useState(false);

  async function send(event: Event) {
    event.preventDefault();
    if (sending) return;
    const checked = checkClaimDraft(
      { orderRef, orderedOn, amount },
      { activatedAt: order.activatedAt, seenAt: order.seenAt, currency },
      Date.now(),
    );
    if (!checked.ok) return setErrors(checked.errors);
    setErrors([]);
    setSending(true);
    try {
      const result = await sendToBackground('claims:submit', { key: order.key, ...checked.claim });
      if (result.ok) props.onSent(result.claim);
      else setFailure(result.reason);
    } catch {
      setFailure('unreachable');
    } finally {
      setSending(false);
    }
  }

  const field = (name: ClaimField) =>
    errors.includes(name)
      ? { 'aria-invalid': true, 'aria-describedby': `claim-error-${name}` }
      : {};

  return (
    <form class="claim-form" data-testid="claim-form" onSubmit={(event) => void send(event)}>
      <h4>{t('popup_claim_heading', [order.merchantName])}</h4>
      <p class="muted">{t('popup_claim_intro', [order.clickId])}</p>
      <label>
        {t('popup_claim_ref')}
        <input
          name="orderRef"
          value={orderRef}
          maxLength={100}
          onInput={(e) => setOrderRef(e.currentTarget.value)}
          {...field('orderRef')}
        />
      </label>
      <label>
        {t('popup_claim_date')}
        <input
          name="orderedOn"
          type="date"
          value={orderedOn}
          onInput={(e) => setOrderedOn(e.currentTarget.value)}
          {...field('orderedOn')}
        />
      </label>
      <label>
        {t('popup_claim_amount')}
        <input
          name="amount"
          inputMode="decimal"
          value={amount}
          onInput={(e) => setAmount(e.currentTarget.value)}
          {...field('amount')}
        />
      </label>
      {errors.map((name) => (
        <p key={name} id={`claim-error-${name}`} class="notice notice-error" role="alert">
          {t(FIELD_ERROR[name])}
        </p>
      ))}
      {failure && (
        <p class="notice notice-error" role="alert">
          {t(FAILURE[failure], failure === 'unsupported' ? [config.brand.name] : undefined)}
        </p>
      )}
      <p class="claim-actions">
        <button type="submit" class="button" disabled={sending}>
          {t('popup_claim_send')}
        </button>
        <button type="button" class="button button-secondary" onClick={() => props.onCancel()}>
          {t('popup_claim_cancel')}
        </button>
      </p>
    </form>
  );
}
