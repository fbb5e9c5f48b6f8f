/**
 * The sign-in form of the popup and the first-run page. The states live in the pure reducer
 * of utils/account/sign-in-form.ts; this component renders them and sends the request.
 */
import { useEffect, useId, useReducer, useRef } from 'preact/hooks';
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';
import type { AccountView, SignInResult } from '../../utils/protocol/messages';
import { sendToBackground } from '../../utils/protocol/send';
import {
  fieldInError,
  initialSignInForm,
  signInFormReducer,
  type SignInErrorKind,
} from '../../utils/account/sign-in-form';
import { ExternalLink } from './ExternalLink';

function errorText(error: SignInErrorKind): string {
  switch (error) {
    case 'email-missing':
      return t('account_error_email_missing');
    case 'email-invalid':
      return t('account_error_email_invalid');
    case 'password-missing':
      return t('account_error_password_missing');
    case 'invalid-credentials':
      return t('account_error_invalid_credentials');
    case 'portal-unreachable':
      return t('account_error_unreachable', [config.brand.name]);
    case 'failed':
      return t('account_error_failed');
  }
}

export interface SignInFormProps {
  /** The id of the heading that names the form. */
  labelledBy: string;
  /** Called once the background has stored the session. */
  onSignedIn: (account: AccountView) => void;
  /** Each new value above 0 moves the focus to the email field ("sign in to activate"). */
  focusRequest?: number;
}

export function SignInForm({ labelledBy, onSignedIn, focusRequest = 0 }: SignInFormProps) {
  const [state, dispatch] = useReducer(signInFormReducer, initialSignInForm);
  const id = useId();
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const invalidField = state.status === 'error' ? fieldInError(state.error) : null;
  const submitting = state.status === 'submitting';
  const errorId = `${id}-error`;

  useEffect(() => {
    if (focusRequest > 0) emailRef.current?.focus();
  }, [focusRequest]);

  // The field in error gets the focus, so the member can correct it at once.
  useEffect(() => {
    if (invalidField === 'email') emailRef.current?.focus();
    if (invalidField === 'password') passwordRef.current?.focus();
  }, [state.error, invalidField]);

  useEffect(() => {
    if (!submitting) return;
    // Nothing waits for an effect: a failed request already reads as a failed sign-in.
    void sendToBackground('account:sign-in', { email: state.email, password: state.password })
      .catch((): SignInResult => ({ ok: false, reason: 'failed' }))
      .then((result) => {
        dispatch({ type: 'result', result });
        if (result.ok) onSignedIn(result.account);
      });
    // Sent once per submission: the fields cannot change while it runs.
  }, [submitting]);

  return (
    <form
      class="sign-in"
      aria-labelledby={labelledBy}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        dispatch({ type: 'submit' });
      }}
    >
      <div class="field">
        <label for={`${id}-email`}>{t('account_email_label')}</label>
        <input
          ref={emailRef}
          id={`${id}-email`}
          name="email"
          type="email"
          autocomplete="username"
          required
          value={state.email}
          aria-invalid={invalidField === 'email'}
          aria-describedby={invalidField === 'email' ? errorId : undefined}
          onInput={(event) =>
            dispatch({ type: 'edit', field: 'email', value: event.currentTarget.value })
          }
        />
      </div>
      <div class="field">
        <label for={`${id}-password`}>{t('account_password_label')}</label>
        <input
          ref={passwordRef}
          id={`${id}-password`}
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={state.password}
          aria-invalid={invalidField === 'password'}
          aria-describedby={invalidField === 'password' ? errorId : undefined}
          onInput={(event) =>
            dispatch({ type: 'edit', field: 'password', value: event.currentTarget.value })
          }
        />
      </div>
      {state.status === 'error' && state.error && (
        <p id={errorId} class="notice notice-error" role="alert">
          {errorText(state.error)}
        </p>
      )}
      {/* aria-disabled rather than disabled: the button keeps the focus while it works. */}
      <button type="submit" class="button" aria-disabled={submitting}>
        {submitting ? t('account_signing_in') : t('account_sign_in_button')}
      </button>
      <p class="sign-up">
        {t('account_no_account')}{' '}
        <ExternalLink href={config.pages.signUp}>{t('account_sign_up_link')}</ExternalLink>
      </p>
    </form>
  );
}
