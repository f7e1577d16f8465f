/**
 * The periods a quick link may name, as RULES resolved when the link is
 * opened (so a link names "last week", never dates that could be widened):
 * `today` and `this_week` / `this_month` so far are partial reports; weeks
 * start on Monday; all in the subscription's time zone at the real instant
 * `now`.
 */
import { DAY_MS, formatWallDate, type Period, toWall } from '../time.ts';

export const PERIOD_RULES = [
  'today',
  'yesterday',
  'this_week',
  'last_week',
  'this_month',
  'last_month',
] as const;
export type PeriodRule = (typeof PERIOD_RULES)[number];

export function isPeriodRule(value: unknown): value is PeriodRule {
  return typeof value === 'string' && (PERIOD_RULES as readonly string[]).includes(value);
}

/** The period a rule names in `timeZone` at the real instant `now`. */
export function periodOfRule(rule: PeriodRule, timeZone: string, now: number): Period {
  const today = Math.floor(toWall(now, timeZone) / DAY_MS) * DAY_MS;
  const d = new Date(today);
  const monday = today - ((d.getUTCDay() + 6) % 7) * DAY_MS;
  const firstOfMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const span = (from: number, till: number): Period => ({
    from: formatWallDate(from),
    till: formatWallDate(till),
    timezone: timeZone,
  });
  switch (rule) {
    case 'today':
      return span(today, today);
    case 'yesterday':
      return span(today - DAY_MS, today - DAY_MS);
    case 'this_week':
      return span(monday, today);
    case 'last_week':
      return span(monday - 7 * DAY_MS, monday - DAY_MS);
    case 'this_month':
      return span(firstOfMonth, today);
    case 'last_month':
      return span(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1), firstOfMonth - DAY_MS);
  }
}
