/**
 * Every user-facing string of the report (XLSX sheet names, headers, outcome
 * words, what each figure means), in Russian and English. The two dictionaries
 * have the same keys (`en` is typed as `Dictionary = typeof ru`), so the XLSX,
 * the email and anything else can take `dictionaries[language]` and reuse them.
 *
 * Strings may hold `{name}` placeholders, filled with `fill()`. The words
 * themselves are in `i18n/ru.ts` and `i18n/en.ts`.
 */
import type { Language } from '../language.ts';
import { en } from './i18n/en.ts';
import { type Dictionary, ru } from './i18n/ru.ts';

export type { FigureText } from './i18n/ru.ts';
export type { Dictionary, Language };

export const dictionaries: Readonly<Record<Language, Dictionary>> = Object.freeze({ ru, en });

export function dictionary(language: Language): Dictionary {
  return dictionaries[language];
}

/** Replaces `{name}` placeholders with the given values; unknown placeholders stay as they are. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = values[key];
    return v === undefined ? whole : String(v);
  });
}
