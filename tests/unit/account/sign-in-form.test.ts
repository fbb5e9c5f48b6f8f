import { describe, expect, it } from 'vitest';
import type { SignInResult } from '../../../utils/protocol/messages';
import {
  fieldInError,
  initialSignInForm,
  signInFormReducer,
  validateCredentials,
  type SignInFormAction,
  type SignInFormState,
} from '../../../utils/account/sign-in-form';

const run = (actions: SignInFormAction[], from: SignInFormState = initialSignInForm) =>
  actions.reduce(signInFormReducer, from);

const filled = run([
  { type: 'edit', field: 'email', value: '  demo@ristourne.test ' },
  { type: 'edit', field: 'password', value: 'secret' },
]);
const submitting = run([{ type: 'submit' }], filled);
const failure = (reason: Extract<SignInResult, { ok: false }>['reason']): SignInFormAction => ({
  type: 'result',
  result: { ok: false, reason },
});

describe('validateCredentials', () => {
  it.each([
    ['', 'x', 'email-missing'],
    ['   ', 'x', 'email-missing'],
    ['demo', 'x', 'email-invalid'],
    ['demo@ristourne', 'x', 'email-invalid'],
    ['demo @ristourne.test', 'x', 'email-invalid'],
    ['demo@ristourne.test', '', 'password-missing'],
    [' demo@ristourne.test ', ' ', null],
  ])('%j / %j → %s', (email, password, expected) => {
    expect(validateCredentials(email, password)).toBe(expected);
  });
});

describe('the sign-in form reducer', () => {
  it('starts idle and empty', () => {
    expect(initialSignInForm).toEqual({ email: '', password: '', status: 'idle', error: null });
  });

  it('does not send invalid fields: it says what is wrong', () => {
    expect(run([{ type: 'submit' }])).toMatchObject({ status: 'error', error: 'email-missing' });
    const noPassword = run([
      { type: 'edit', field: 'email', value: 'demo@ristourne.test' },
      { type: 'submit' },
    ]);
    expect(noPassword).toMatchObject({ status: 'error', error: 'password-missing' });
  });

  it('submits valid fields, with the email trimmed', () => {
    expect(submitting).toEqual({
      email: 'demo@ristourne.test',
      password: 'secret',
      status: 'submitting',
      error: null,
    });
  });

  it('ignores a second submit and edits while submitting', () => {
    expect(run([{ type: 'submit' }], submitting)).toBe(submitting);
    expect(run([{ type: 'edit', field: 'email', value: 'x' }], submitting)).toBe(submitting);
  });

  it('is done on success, and forgets the password', () => {
    const done = run(
      [{ type: 'result', result: { ok: true, account: { signedIn: false } } }],
      submitting,
    );
    expect(done).toMatchObject({ status: 'done', error: null, password: '' });
  });

  it('says wrong credentials, and empties the password to type again', () => {
    expect(run([failure('invalid-credentials')], submitting)).toEqual({
      email: 'demo@ristourne.test',
      password: '',
      status: 'error',
      error: 'invalid-credentials',
    });
  });

  it('keeps both fields when the portal is unreachable, to retry as is', () => {
    expect(run([failure('portal-unreachable')], submitting)).toMatchObject({
      password: 'secret',
      status: 'error',
      error: 'portal-unreachable',
    });
    expect(run([failure('failed')], submitting)).toMatchObject({ error: 'failed' });
  });

  it('ignores a result that arrives when nothing was sent', () => {
    expect(run([failure('failed')], filled)).toBe(filled);
  });

  it('clears the error as soon as a field is edited, and can submit again', () => {
    const failed = run([failure('invalid-credentials')], submitting);
    const edited = run([{ type: 'edit', field: 'password', value: 'right' }], failed);
    expect(edited).toMatchObject({ status: 'idle', error: null, password: 'right' });
    expect(run([{ type: 'submit' }], edited).status).toBe('submitting');
  });

  it('names the field each error is about', () => {
    expect(fieldInError('email-invalid')).toBe('email');
    expect(fieldInError('invalid-credentials')).toBe('password');
    expect(fieldInError('portal-unreachable')).toBeNull();
    expect(fieldInError(null)).toBeNull();
  });
});
