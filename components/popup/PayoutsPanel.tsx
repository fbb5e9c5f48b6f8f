/**
 * Withdrawing the cagnotte from the popup (docs/payouts.md): past the threshold, "Retirer"
 * offers what the portal allows (a transfer to the registered account, a voucher, a donation),
 * one confirmation with the amount, the method and the fee, then the payout as requested and
 * later paid. The latest payouts are listed; a paid voucher's code is shown with a copy button
 * until the member says it is noted. Nothing at all on an older portal.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { largestAmount, parseAmount, planPayout } from '../../utils/account/payout-plan';
import type { PayoutChoice, PayoutPlan } from '../../utils/account/payout-plan';
import { config } from '../../utils/config';
import type { Payout, PayoutOptions } from '../../utils/contract/schemas';
import { t, type MessageKey } from '../../utils/format/i18n';
import { messagesLocale } from '../../utils/format/locale';
import { formatMoney } from '../../utils/format/money';
import type { PayoutFailure, PayoutOutcome, PayoutsView } from '../../utils/protocol/messages';
import { sendToBackground } from '../../utils/protocol/send';
import { ExternalLink } from '../shared/ExternalLink';

type Method = PayoutChoice['method'];
type Step = 'idle' | 'choose' | 'confirm' | 'done';

const METHOD_LABEL: Record<Method, MessageKey> = {
  transfer: 'withdraw_method_transfer',
  voucher: 'withdraw_method_voucher',
  donation: 'withdraw_method_donation',
};

const STATUS_LABEL: Record<Payout['status'], MessageKey> = {
  requested: 'payout_status_requested',
  paid: 'payout_status_paid',
  failed: 'payout_status_failed',
};

const FAILURE_MESSAGE: Record<PayoutFailure, MessageKey> = {
  below_threshold: 'withdraw_failed_refused',
  insufficient_balance: 'withdraw_failed_refused',
  below_minimum: 'withdraw_failed_refused',
  invalid_amount: 'withdraw_failed_refused',
  unknown_voucher: 'withdraw_failed_refused',
  unknown_charity: 'withdraw_failed_refused',
  idempotency_conflict: 'withdraw_failed_refused',
  no_bank_account: 'withdraw_no_account',
  'portal-unreachable': 'withdraw_failed_unreachable',
  'signed-out': 'withdraw_failed_signed_out',
  failed: 'withdraw_failed_refused',
};

/** One key per confirmation: a second click, or a retry, is the same request. */
function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export function PayoutsPanel(props: {
  /** Each change (a refresh of the cagnotte) reads the options again. */
  reloadKey: number;
  /** After a payout: the cagnotte's figures moved. */
  onPayout(): void;
}) {
  const [view, setView] = useState<PayoutsView | null>(null);
  const load = useCallback(async () => {
    try {
      setView(await sendToBackground('payouts:get', {}));
    } catch {
      // The feature stays absent: the cagnotte above says what the member needs.
      setView(null);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, props.reloadKey]);

  if (!view?.available) return null;
  const locale = messagesLocale(t);
  const money = (minor: number) => formatMoney(minor, view.options.currency, locale);

  return (
    <section class="panel payouts" aria-label={t('payouts_region')}>
      <Withdraw
        options={view.options}
        money={money}
        onPayout={() => {
          props.onPayout();
          void load();
        }}
      />
      {view.payouts.length > 0 && (
        <>
          <h3>{t('payouts_heading')}</h3>
          <ul class="payout-list" data-testid="payouts">
            {view.payouts.map((payout) => (
              <PayoutRow
                key={payout.id}
                payout={payout}
                money={money}
                onCodeSeen={() => void load()}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function payoutLabel(payout: Payout): string {
  if (payout.method === 'transfer' && payout.account) {
    return t('payout_label_transfer', [payout.account]);
  }
  if (payout.voucher) return t('payout_label_voucher', [payout.voucher.brandName]);
  if (payout.charity) return t('payout_label_donation', [payout.charity.name]);
  return t('payout_label_other');
}

function PayoutRow(props: { payout: Payout; money(minor: number): string; onCodeSeen(): void }) {
  const { payout } = props;
  const [copied, setCopied] = useState(false);
  const code = payout.status === 'paid' ? payout.voucher?.code : undefined;
  return (
    <li class="payout-item" data-status={payout.status}>
      <span class="payout-label">{payoutLabel(payout)}</span>
      <span class="payout-amount">{props.money(payout.amount)}</span>
      <span class={`status status-payout-${payout.status}`}>{t(STATUS_LABEL[payout.status])}</span>
      {code !== undefined && (
        <div class="voucher-code">
          <p>{t('voucher_code_label')}</p>
          <code data-testid="voucher-code">{code}</code>{' '}
          <button
            type="button"
            class="button button-secondary"
            onClick={() => {
              void navigator.clipboard
                .writeText(code)
                .then(() => setCopied(true))
                .catch(() => setCopied(false));
            }}
          >
            {copied ? t('voucher_code_copied') : t('voucher_code_copy')}
          </button>{' '}
          <button
            type="button"
            class="button-link"
            onClick={() => {
              void sendToBackground('payouts:code-seen', { payoutId: payout.id })
                .catch(() => null)
                .then(() => props.onCodeSeen());
            }}
          >
            {t('voucher_code_noted')}
          </button>
          <p class="muted">{t('voucher_code_hint')}</p>
        </div>
      )}
    </li>
  );
}

function Withdraw(props: {
  options: PayoutOptions;
  money(minor: number): string;
  onPayout(): void;
}) {
  const { options } = props;
  const money = (minor: number) => props.money(minor);
  const methods = (['transfer', 'voucher', 'donation'] as const).filter((m) => options[m]);
  const [step, setStep] = useState<Step>('idle');
  const [method, setMethod] = useState<Method>(methods[0] ?? 'transfer');
  const [brandId, setBrandId] = useState(options.voucher?.brands[0]?.id ?? '');
  const [denomination, setDenomination] = useState(
    options.voucher?.brands[0]?.denominations[0] ?? 0,
  );
  const [charityId, setCharityId] = useState(options.donation?.charities[0]?.id ?? '');
  const [amountText, setAmountText] = useState('');
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<PayoutOutcome | null>(null);
  // Kept from the confirmation step to the answer: a double click sends the same key twice
  // (the background answers the second as the first), never two payouts.
  const key = useRef<string | null>(null);
  const inFlight = useRef(false);

  if (methods.length === 0) return null;
  // The payout just made stays said, though the balance is now below the threshold.
  const below = options.available < options.threshold;
  if (below && step !== 'done') return null;

  const brand = options.voucher?.brands.find((b) => b.id === brandId);
  const charity = options.donation?.charities.find((c) => c.id === charityId);
  const typedAmount = (m: 'transfer' | 'donation') =>
    amountText.trim() === ''
      ? largestAmount(options, m)
      : (parseAmount(amountText, options.currency) ?? -1);
  const choice: PayoutChoice =
    method === 'voucher'
      ? { method, brandId, amount: denomination }
      : method === 'donation'
        ? { method, charityId, amount: typedAmount(method) }
        : { method, amount: typedAmount(method) };
  const plan = planPayout(options, choice);

  const target =
    method === 'transfer'
      ? (options.transfer?.account?.masked ?? '')
      : method === 'voucher'
        ? (brand?.name ?? '')
        : (charity?.name ?? '');

  const summary = (amount: number) =>
    method === 'transfer'
      ? t('withdraw_confirm_transfer', [money(amount), target])
      : method === 'voucher'
        ? t('withdraw_confirm_voucher', [target, money(amount)])
        : t('withdraw_confirm_donation', [money(amount), target]);

  if (step === 'idle') {
    return (
      <button
        type="button"
        class="button"
        data-testid="withdraw"
        onClick={() => {
          setOutcome(null);
          setStep('choose');
        }}
      >
        {t('withdraw_button')}
      </button>
    );
  }

  if (step === 'done' && outcome?.ok) {
    const { payout } = outcome;
    return (
      <div class="notice" role="status" data-testid="withdraw-done">
        <p>
          {payout.method === 'donation'
            ? t('withdraw_done_donation', [money(payout.amount), payout.charity?.name ?? target])
            : payout.method === 'voucher'
              ? t('withdraw_done_voucher', [
                  payout.voucher?.brandName ?? target,
                  money(payout.amount),
                ])
              : t('withdraw_done_transfer', [money(payout.amount), payout.account ?? target])}
        </p>
        <button type="button" class="button-link" onClick={() => setStep('idle')}>
          {t('withdraw_close')}
        </button>
      </div>
    );
  }

  if (step === 'confirm' && plan.ok) {
    const confirm = async () => {
      if (inFlight.current || key.current === null) return;
      inFlight.current = true;
      setSending(true);
      let answer: PayoutOutcome;
      try {
        answer = await sendToBackground('payouts:request', {
          key: key.current,
          payout: plan.request,
        });
      } catch {
        answer = { ok: false, reason: 'portal-unreachable' };
      }
      inFlight.current = false;
      setSending(false);
      setOutcome(answer);
      if (answer.ok) {
        key.current = null;
        setStep('done');
        props.onPayout();
      } else if (answer.reason !== 'portal-unreachable') {
        // A refusal is final for this key: a new confirmation makes a new one.
        key.current = null;
      }
    };
    return (
      <section class="withdraw" aria-labelledby="withdraw-heading" data-testid="withdraw-confirm">
        <h3 id="withdraw-heading">{t('withdraw_confirm_heading')}</h3>
        <p class="withdraw-summary">{summary(plan.amount)}</p>
        <p class="muted">
          {plan.fee === 0
            ? t('withdraw_free')
            : t('withdraw_debit', [money(plan.debit), money(plan.fee)])}
        </p>
        {outcome && !outcome.ok && (
          <p class="notice notice-error" role="alert">
            {t(FAILURE_MESSAGE[outcome.reason], [config.brand.name])}
          </p>
        )}
        <p class="withdraw-actions">
          <button type="button" class="button" disabled={sending} onClick={() => void confirm()}>
            {sending ? t('withdraw_sending') : t('withdraw_confirm')}
          </button>{' '}
          <button
            type="button"
            class="button button-secondary"
            disabled={sending}
            onClick={() => {
              key.current = null;
              setStep('choose');
            }}
          >
            {t('withdraw_back')}
          </button>
        </p>
      </section>
    );
  }

  return (
    <section class="withdraw" aria-labelledby="withdraw-heading">
      <h3 id="withdraw-heading">{t('withdraw_heading')}</h3>
      <fieldset class="withdraw-methods">
        <legend class="visually-hidden">{t('withdraw_heading')}</legend>
        {methods.map((m) => (
          <label key={m} class="withdraw-method">
            <input
              type="radio"
              name="withdraw-method"
              value={m}
              checked={method === m}
              onChange={() => {
                setMethod(m);
                setAmountText('');
              }}
            />
            {t(METHOD_LABEL[m])}
          </label>
        ))}
      </fieldset>
      {method === 'transfer' && <TransferFields options={options} />}
      {method === 'voucher' && options.voucher && (
        <div class="withdraw-fields">
          <label>
            {t('withdraw_brand_label')}
            <select
              value={brandId}
              onChange={(event) => {
                const id = event.currentTarget.value;
                setBrandId(id);
                const next = options.voucher?.brands.find((b) => b.id === id);
                setDenomination(next?.denominations[0] ?? 0);
              }}
            >
              {options.voucher.brands.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          </label>
          {brand?.description && <p class="muted">{brand.description}</p>}
          <label>
            {t('withdraw_denomination_label')}
            <select
              value={String(denomination)}
              onChange={(event) => setDenomination(Number(event.currentTarget.value))}
            >
              {(brand?.denominations ?? []).map((value) => (
                <option key={value} value={String(value)}>
                  {money(value)}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {method === 'donation' && options.donation && (
        <ul class="charity-list">
          {options.donation.charities.map((c) => (
            <li key={c.id}>
              <label class="charity">
                <input
                  type="radio"
                  name="withdraw-charity"
                  value={c.id}
                  checked={charityId === c.id}
                  onChange={() => setCharityId(c.id)}
                />
                {c.logoUrl && <img src={c.logoUrl} alt="" width={32} height={32} />}
                <span>
                  <strong>{c.name}</strong>
                  {c.description && <span class="muted charity-line">{c.description}</span>}
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {method !== 'voucher' && !(method === 'transfer' && !options.transfer?.account) && (
        <div class="withdraw-fields">
          <label>
            {t('withdraw_amount_label')}
            <input
              type="text"
              inputMode="decimal"
              autoComplete="off"
              value={amountText}
              placeholder={money(largestAmount(options, method)).replace(/\u00a0/g, ' ')}
              onInput={(event) => setAmountText(event.currentTarget.value)}
            />
          </label>
          <p class="muted">{t('withdraw_all_hint', [money(largestAmount(options, method))])}</p>
        </div>
      )}
      {!plan.ok && plan.problem !== 'no-account' && (
        <p class="notice notice-warning">{problemText(plan, money)}</p>
      )}
      <p class="withdraw-actions">
        <button
          type="button"
          class="button"
          disabled={!plan.ok}
          onClick={() => {
            key.current = newIdempotencyKey();
            setOutcome(null);
            setStep('confirm');
          }}
        >
          {t('withdraw_continue')}
        </button>{' '}
        <button type="button" class="button button-secondary" onClick={() => setStep('idle')}>
          {t('withdraw_cancel')}
        </button>
      </p>
    </section>
  );
}

function TransferFields(props: { options: PayoutOptions }) {
  const transfer = props.options.transfer;
  if (!transfer) return null;
  if (transfer.account) {
    return (
      <p class="withdraw-account" data-testid="withdraw-account">
        {t('withdraw_transfer_to', [transfer.account.masked])}
      </p>
    );
  }
  // The IBAN is never typed into the extension: the portal's own page takes it.
  return (
    <div class="notice notice-warning">
      <p>{t('withdraw_no_account')}</p>
      {transfer.accountUrl && (
        <ExternalLink href={transfer.accountUrl} class="button button-secondary">
          {t('withdraw_add_account', [config.brand.name])}
        </ExternalLink>
      )}
    </div>
  );
}

function problemText(plan: Extract<PayoutPlan, { ok: false }>, money: (n: number) => string) {
  switch (plan.problem) {
    case 'below-minimum':
      return t('withdraw_problem_below_minimum', [money(plan.minimum ?? 0)]);
    case 'above-balance':
      return t('withdraw_problem_above_balance');
    case 'invalid-amount':
      return t('withdraw_problem_invalid_amount');
    default:
      return t('withdraw_problem_choose');
  }
}
