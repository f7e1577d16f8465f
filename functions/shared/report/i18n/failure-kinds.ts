/**
 * Why an on-demand report failed, as a small closed set: what a person is told
 * (pages-ru.ts, pages-en.ts `errors.failures`: what happened in plain words and
 * what to do) is keyed by it, and the worker records one beside the failure's
 * technical text (pipeline/failure.ts derives it from the error's class).
 */
export const FAILURE_KINDS = [
  /** The report did not finish within the worker's time (or it was stopped: time or memory). */
  'out_of_time',
  /** Another run was making the very same report and had not finished when this one had to stop. */
  'busy',
  /** The telephony's Data API did not let us in: the key is wrong, expired, blocked, or not allowed from here. */
  'data_api_auth',
  /** The Data API's request quota (a minute's or the day's) is used up. */
  'data_api_limit',
  /** The Data API did not answer, or answered with errors, through every retry. */
  'data_api_unavailable',
  /** The Data API refused the request: a setting of the report is wrong (the report id, the filter). */
  'data_api_refused',
  /** The subscription the report was asked for no longer exists. */
  'subscription_gone',
  /** The report was made but its email could not be sent. */
  'email_failed',
  /** The report was made but Telegram did not take its message. */
  'telegram_failed',
  /** Anything else: our side. */
  'internal',
] as const;

export type FailureKind = (typeof FAILURE_KINDS)[number];

export function isFailureKind(value: unknown): value is FailureKind {
  return typeof value === 'string' && (FAILURE_KINDS as readonly string[]).includes(value);
}
