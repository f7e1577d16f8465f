/**
 * The cooldown on forced and emailed runs: one per subscription per
 * COOLDOWN_MS (10 minutes), whoever asks (an API token or a quick link), so a
 * loop or a leaked token cannot re-run a year of calls against the account's
 * Data API limit, or mail the recipients, every second. Another forced or
 * emailed run within the window is refused with 429, a `Retry-After` and a
 * message saying when it is possible. Ordinary runs (neither forced nor
 * emailed) find or make the stored report and are not limited here.
 *
 * The slot is kept where it can be taken atomically (adapters/aws/dynamo-cooldowns.ts).
 */

export const COOLDOWN_MS = 10 * 60_000;

export type CooldownTake = { ok: true; release: () => Promise<void> } | { ok: false; retryAt: number };

export interface Cooldowns {
  /**
   * Takes the subscription's slot at the real instant `now` for `ms`: ok (with a
   * way to give it back when the run could not start), or when it frees.
   */
  take(subscription: string, now: number, ms?: number): Promise<CooldownTake>;
}

export interface CooldownRefusal {
  status: 429;
  code: 'cooldown';
  message: string;
  headers: { 'Retry-After': string };
  retryAt: number;
}

/** The 429 for a run refused by the cooldown: what, why, and when it is possible (UTC). */
export function cooldownRefusal(
  subscription: string,
  what: string,
  retryAt: number,
  now: number,
): CooldownRefusal {
  const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
  const minutes = Math.ceil(seconds / 60);
  const at = new Date(Math.ceil(retryAt / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return {
    status: 429,
    code: 'cooldown',
    message:
      `Subscription "${subscription}" had a forced or emailed run less than ${COOLDOWN_MS / 60_000} minutes ago; ` +
      `${what} is possible again at ${at} (in ${minutes} min). A run without force and email is not limited`,
    headers: { 'Retry-After': String(seconds) },
    retryAt,
  };
}
