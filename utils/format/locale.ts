/**
 * The language the messages were resolved in (each locale names itself in `common_locale`), so
 * that numbers and dates are written like the sentence around them: a German browser gets the
 * French default messages, and "12,50 €" rather than German figures in a French sentence.
 * Pure: the banner's words and the popup's figures are decided without a browser.
 */
import type { Translate } from './i18n';

/** The manifest's `default_locale`: the messages a browser falls back to. */
const DEFAULT_LOCALE = 'fr';

export function messagesLocale(translate: Translate): string {
  // Every locale file has `common_locale` (tests/unit/format/locales.test.ts); a translator
  // without it would fall back to the default locale's messages, so its figures do too.
  return translate('common_locale') || DEFAULT_LOCALE;
}
