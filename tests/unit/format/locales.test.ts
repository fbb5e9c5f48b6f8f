/**
 * Every locale has every message, with the same placeholders, and every message is used:
 * a missing translation shows an empty string in the browser, and an unused one rots.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localeMessages, ROOT, type LocaleMessage } from '../helpers/i18n';

const LOCALES = ['fr', 'en'] as const;
const messages = Object.fromEntries(LOCALES.map((locale) => [locale, localeMessages(locale)]));

/** Names of the `$NAME$` placeholders a message uses, lower-cased (Chrome ignores case). */
function usedPlaceholders(entry: LocaleMessage): string[] {
  const names = [...entry.message.matchAll(/\$(\w+)\$/g)].map((match) => match[1]!.toLowerCase());
  return [...new Set(names)].sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|html)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('the locale files', () => {
  it('have the same keys in every language', () => {
    const [first, ...others] = LOCALES.map((locale) => Object.keys(messages[locale]!).sort());
    for (const keys of others) expect(keys).toEqual(first);
  });

  it.each(LOCALES)('%s: every message is non-empty and its placeholders are declared', (locale) => {
    for (const [key, entry] of Object.entries(messages[locale]!)) {
      expect(entry.message.trim(), key).not.toBe('');
      const declared = Object.keys(entry.placeholders ?? {}).sort();
      expect(usedPlaceholders(entry), `${locale}/${key}`).toEqual(declared);
      // Placeholders refer to the substitutions $1…$9, each to an existing one.
      for (const { content } of Object.values(entry.placeholders ?? {})) {
        expect(content, `${locale}/${key}`).toMatch(/^\$[1-9]$/);
      }
    }
  });

  it('give every placeholder the same substitution in every language', () => {
    const placeholders = (entry: LocaleMessage) =>
      Object.fromEntries(
        Object.entries(entry.placeholders ?? {}).map(([name, { content }]) => [name, content]),
      );
    for (const key of Object.keys(messages.fr!)) {
      for (const locale of LOCALES) {
        expect(placeholders(messages[locale]![key]!), `${locale}/${key}`).toEqual(
          placeholders(messages.fr![key]!),
        );
      }
    }
  });

  it('are all used by the extension', () => {
    const sources = [
      ...['components', 'entrypoints', 'utils'].flatMap((dir) => sourceFiles(resolve(ROOT, dir))),
      resolve(ROOT, 'wxt.config.ts'),
    ]
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const unused = Object.keys(messages.fr!).filter(
      (key) => !sources.includes(`'${key}'`) && !sources.includes(`__MSG_${key}__`),
    );
    expect(unused).toEqual([]);
  });
});
