/**
 * What a caller of the Reports API may do, decided before anything is stored:
 *   POST /reports      needs `reports:create`; `email: true` also `reports:email`;
 *                      `force: true` is a create that re-makes a stored report
 *                      (`reports:create`); both are under the subscription's
 *                      cooldown (http/cooldown.ts): one forced or emailed run per 10 minutes
 *   GET /reports/{id}  needs `reports:read`
 * and only on the subscriptions the token names (all when it names none).
 * Each refusal is one sentence saying what is missing and what the token has.
 */
import { type Caller, maySee, missingScope } from './caller.ts';
import { type Cooldowns, cooldownRefusal } from './cooldown.ts';
import type { Scope } from './scopes.ts';

export interface Refusal {
  status: number;
  code: string;
  message: string;
  field: string | null;
  headers?: Record<string, string>;
}

/** The refusal when the caller lacks `scope`, else null. */
export function scopeRefusal(
  caller: Caller,
  scope: Scope,
  what: string,
  field: string | null = null,
): Refusal | null {
  const why = missingScope(caller, scope, what);
  return why === null ? null : { status: 403, code: 'missing_scope', message: why, field };
}

/** The refusal when the caller may not touch the subscription, else null. */
export function subscriptionRefusal(caller: Caller, subscription: string): Refusal | null {
  if (maySee(caller, subscription)) return null;
  return {
    status: 403,
    code: 'subscription_not_allowed',
    message: `This API token may not touch subscription "${subscription}"; it may: ${(caller.subscriptions ?? []).join(', ') || 'none'}`,
    field: 'subscription',
  };
}

/**
 * Takes the subscription's cooldown for a forced or emailed run: a release
 * for when the run could not start, or the 429 saying when it is possible.
 */
export async function takeCooldown(
  cooldowns: Cooldowns,
  subscription: string,
  run: { email: boolean; force: boolean },
  now: number,
): Promise<{ release: () => Promise<void> } | { refusal: Refusal }> {
  if (!run.email && !run.force) return { release: async () => {} };
  const taken = await cooldowns.take(subscription, now);
  if (taken.ok) return { release: taken.release };
  const what =
    run.email && run.force ? 'a forced, emailed run' : run.email ? 'an emailed run' : 'a forced run';
  const r = cooldownRefusal(subscription, what, taken.retryAt, now);
  return { refusal: { status: r.status, code: r.code, message: r.message, field: null, headers: r.headers } };
}
