/**
 * The like period a test summary is compared with: one day's period and its
 * totals, its missed-call outcomes zero unless given. Built as a plain object
 * and returned without a type of its own, so it fits `Summary['previous']`
 * structurally.
 */
import type { Totals } from '../../functions/shared/report/types.ts';

export function previousDay(
  day: string,
  totals: Totals,
  missed = { called_back: 0, client_called_again: 0, callback_failed: 0, unreturned: 0, call_first_count: 0 },
) {
  const previous = {
    period: { from: day, till: day, timezone: 'Europe/Moscow', as_of: null },
    totals,
    missed,
  };
  return previous;
}
