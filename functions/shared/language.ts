/**
 * The report's language: the one list of languages, the default, and the one
 * check. Everything that takes a language (subscriptions, the CLI's --lang, the
 * API's body, a job) checks it here.
 */

export const LANGUAGES = ['ru', 'en'] as const;

export type Language = (typeof LANGUAGES)[number];

/** A subscription, the CLI and the API report in Russian unless told otherwise. */
export const DEFAULT_LANGUAGE: Language = 'ru';

/** Whether `value` is one of LANGUAGES. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
