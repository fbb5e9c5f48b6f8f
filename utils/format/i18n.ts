/**
 * The extension's sentences come from public/_locales/<language>/messages.json through
 * `browser.i18n` (the browser picks the language; French is the default locale).
 * Callers that must stay testable without a browser take a `Translate` as a parameter; tests
 * build one over the real locale files. The language they were resolved in: ./locale.ts.
 */
import { browser } from 'wxt/browser';
import type frMessages from '../../public/_locales/fr/messages.json';

/** Every message name, checked at compile time against the default (French) locale. */
export type MessageKey = keyof typeof frMessages;

/** `browser.i18n.getMessage`, with the message names checked. */
export type Translate = (key: MessageKey, substitutions?: string | string[]) => string;

// WXT types getMessage from the locale files as they were at its last `prepare`; our own
// MessageKey is derived from the file itself, so we call through a plain signature.
type GetMessage = (name: string, substitutions?: string | string[]) => string;

export const t: Translate = (key, substitutions) =>
  (browser.i18n.getMessage as GetMessage)(key, substitutions);
