/**
 * The calendar of the synthetic world: days are numbered from 1970-01-01
 * (wall clock), and each day's volume and hourly profile follow its weekday
 * and the Russian public holidays.
 *
 * Holidays (Labour Code art. 112): 1–8 January, 23 February, 8 March, 1 May,
 * 9 May, 12 June, 4 November. A holiday other than January's that falls on a
 * Saturday or Sunday moves its day off to the Monday after. The government's
 * yearly decrees that swap further days are not modelled.
 */
import { DAY_MS } from '../../functions/shared/time.ts';

/** The day number of a wall-clock instant (milliseconds "as if UTC"). */
export function dayOf(wallMs: number): number {
  return Math.floor(wallMs / DAY_MS);
}

/** Day of the week, Sunday 0 (Date#getUTCDay order; 1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Relative volume by weekday, Sunday first. */
const WEEKDAY_WEIGHT = [0.3, 1.05, 1, 1, 0.98, 0.92, 0.45];
/** Relative volume of a public holiday, and of New Year's Day, the quietest of all. */
const HOLIDAY_WEIGHT = 0.25;
const NEW_YEAR_WEIGHT = 0.12;

/** Month * 100 + day of the fixed holidays outside January. */
const FIXED_HOLIDAYS = new Set([223, 308, 501, 509, 612, 1104]);

function monthDay(day: number): number {
  const d = new Date(day * DAY_MS);
  return (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

function isFixedHoliday(day: number): boolean {
  const md = monthDay(day);
  return (md >= 101 && md <= 108) || FIXED_HOLIDAYS.has(md);
}

/** A public holiday, or the Monday that a weekend holiday (not January's) moved its day off to. */
export function isHoliday(day: number): boolean {
  if (isFixedHoliday(day)) return true;
  if (weekday(day) !== 1) return false;
  return FIXED_HOLIDAYS.has(monthDay(day - 1)) || FIXED_HOLIDAYS.has(monthDay(day - 2));
}

/** Saturday, Sunday or a holiday: the lighter, later hourly profile and more misses. */
export function isRestDay(day: number): boolean {
  const dow = weekday(day);
  return dow === 0 || dow === 6 || isHoliday(day);
}

/** The day's volume relative to an ordinary Tuesday (1). */
export function volumeWeight(day: number): number {
  const byWeekday = WEEKDAY_WEIGHT[weekday(day)] ?? 1;
  if (!isHoliday(day)) return byWeekday;
  return Math.min(byWeekday, monthDay(day) === 101 ? NEW_YEAR_WEIGHT : HOLIDAY_WEIGHT);
}
