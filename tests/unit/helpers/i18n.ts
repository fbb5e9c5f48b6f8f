/**
 * `browser.i18n` over the real locale files, for tests: WXT's fake browser does not implement
 * i18n. Follows Chrome's rules: named placeholders ($RATE$, case-insensitive) stand for their
 * `content`, which refers to the substitutions as $1…$9; an unknown message is "".
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Translate } from '../../../utils/format/i18n';

export interface LocaleMessage {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}

// happy-dom replaces the global URL, so paths are built with node:path.
export const ROOT = resolve(import.meta.dirname, '../../..');

export function localeMessages(locale: string): Record<string, LocaleMessage> {
  const file = resolve(ROOT, `public/_locales/${locale}/messages.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, LocaleMessage>;
}

export function translator(locale: 'fr' | 'en'): Translate {
  const messages = localeMessages(locale);
  return (key, substitutions = []) => {
    const entry = messages[key];
    if (!entry) return '';
    const values = typeof substitutions === 'string' ? [substitutions] : substitutions;
    return entry.message
      .replace(
        /\$(\w+)\$/g,
        (_, name: string) => entry.placeholders?.[name.toLowerCase()]?.content ?? '',
      )
      .replace(/\$(\d)/g, (_, index: string) => values[Number(index) - 1] ?? '');
  };
}

/** Makes `browser.i18n` answer in `locale` for the code under test. */
export function installMessages(locale: 'fr' | 'en'): Translate {
  const translate = translator(locale);
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(
    translate as (name: string, substitutions?: string | string[]) => string,
  );
  vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue(locale);
  return translate;
}

/** Intl and French typography put no-break spaces in ("12,50 €", "4,5 %", "Conditions :"). */
export const plain = (text: string | null | undefined) =>
  (text ?? '').replace(/[\u00a0\u202f]/g, ' ');
