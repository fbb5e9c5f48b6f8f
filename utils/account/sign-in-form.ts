/**
 * The sign-in form's states, as a pure reducer (the component only renders and sends):
 *
 *   idle ──submit──▶ (fields invalid) ──▶ error(email-missing | email-invalid | password-missing)
 *     ▲               (fields valid) ──▶ submitting ──result──▶ done
 *     │                                      │
 *     └──────── edit a field ◀───────────── error(invalid-credentials | portal-unreachable | failed)
 *
 * A submit while submitting is ignored, so a double click sends one request.
 */
import type { SignInResult } from '../protocol/messages';

export type SignInErrorKind =
  | 'email-missing'
  | 'email-invalid'
  | 'password-missing'
  | 'invalid-credentials'
  | 'portal-unreachable'
  | 'failed';

export interface SignInFormState {
  email: string;
  password: string;
  status: 'idle' | 'submitting' | 'error' | 'done';
  error: SignInErrorKind | null;
}

export type SignInFormAction =
  | { type: 'edit'; field: 'email' | 'password'; value: string }
  | { type: 'submit' }
  | { type: 'result'; result: SignInResult };

export const initialSignInForm: SignInFormState = {
  email: '',
  password: '',
  status: 'idle',
  error: null,
};

// Deliberately loose: the portal decides what an address is; this only catches typos
// such as a missing "@" before a round trip.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateCredentials(email: string, password: string): SignInErrorKind | null {
  const trimmed = email.trim();
  if (!trimmed) return 'email-missing';
  if (!EMAIL_SHAPE.test(trimmed)) return 'email-invalid';
  if (!password) return 'password-missing';
  return null;
}

export function signInFormReducer(
  state: SignInFormState,
  action: SignInFormAction,
): SignInFormState {
  switch (action.type) {
    case 'edit':
      if (state.status === 'submitting') return state;
      return { ...state, [action.field]: action.value, status: 'idle', error: null };
    case 'submit': {
      if (state.status === 'submitting') return state;
      const invalid = validateCredentials(state.email, state.password);
      return invalid
        ? { ...state, status: 'error', error: invalid }
        : { ...state, email: state.email.trim(), status: 'submitting', error: null };
    }
    case 'result':
      if (state.status !== 'submitting') return state;
      if (action.result.ok) return { ...state, password: '', status: 'done', error: null };
      return {
        ...state,
        // Wrong credentials: the password is what to type again.
        password: action.result.reason === 'invalid-credentials' ? '' : state.password,
        status: 'error',
        error: action.result.reason,
      };
  }
}

/** The field an error is about (to mark it invalid and move the focus there), if any. */
export function fieldInError(error: SignInErrorKind | null): 'email' | 'password' | null {
  switch (error) {
    case 'email-missing':
    case 'email-invalid':
      return 'email';
    case 'password-missing':
    case 'invalid-credentials':
      return 'password';
    default:
      return null;
  }
}
