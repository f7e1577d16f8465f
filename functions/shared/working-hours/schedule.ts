/**
 * Working hours on the wall clock (docs/metrics.md, "Working hours" and
 * "Missed calls and what became of them"). A wall instant is the account's
 * local date and time as milliseconds "as if UTC" (time.ts), so a day is
 * `Math.floor(ms / DAY_MS)` and the time of day `ms - day * DAY_MS`; no zone
 * or daylight-saving rule enters here.
 *
 * `isInHours` runs per incoming call and `nextOpening` per missed one: they
 * read the parsed value's flat lists directly, allocate nothing, and find a
 * closed day by binary search over the merged closed runs.
 *
 * `null` hours (no working hours) are always open: every moment is in hours
 * and is its own opening, so the effective start of a miss is its start.
 */
import { DAY_MS } from '../time.ts';
import type { WorkingHours } from './parse.ts';

/** How far ahead `nextOpening` looks: a later opening counts as none. */
export const OPENING_SEARCH_DAYS = 400;

const MINUTE_MS = 60_000;

/** The weekday of a day number, 0 = Monday (day 0, 1970-01-01, was a Thursday). */
function weekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Index of the first closed run whose last day is at or after `day` (the run count when none). */
function closedRunFrom(closed: readonly number[], day: number): number {
  let lo = 0;
  let hi = closed.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((closed[2 * mid + 1] as number) < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether the moment lies inside a working range of a day that is not closed (start included, end excluded). */
export function isInHours(hours: WorkingHours | null, wallMs: number): boolean {
  if (hours === null) return true;
  const day = Math.floor(wallMs / DAY_MS);
  const closed = hours.closed;
  if (closed.length > 0) {
    const run = closedRunFrom(closed, day);
    if (2 * run < closed.length && (closed[2 * run] as number) <= day) return false;
  }
  const ranges = hours.week[weekday(day)];
  if (ranges === undefined) return false; // not a finite instant
  const time = wallMs - day * DAY_MS;
  for (let i = 0; i < ranges.length; i += 2) {
    if (time < (ranges[i] as number) * MINUTE_MS) return false;
    if (time < (ranges[i + 1] as number) * MINUTE_MS) return true;
  }
  return false;
}

/**
 * The moment the next working range of a day that is not closed begins, at or
 * after `wallMs` (a range beginning exactly at `wallMs` counts); `null` when
 * there is none within OPENING_SEARCH_DAYS × 24 h. Meant for a moment out of
 * hours, where it is the first moment in hours; for a moment in hours it is
 * the start of a later range (see `effectiveStart`). With no working hours: `wallMs`.
 */
export function nextOpening(hours: WorkingHours | null, wallMs: number): number | null {
  if (hours === null) return wallMs;
  const limit = wallMs + OPENING_SEARCH_DAYS * DAY_MS;
  const lastDay = Math.floor(limit / DAY_MS);
  const closed = hours.closed;
  let day = Math.floor(wallMs / DAY_MS);
  let run = closedRunFrom(closed, day);
  while (day <= lastDay) {
    if (2 * run < closed.length && (closed[2 * run] as number) <= day) {
      day = (closed[2 * run + 1] as number) + 1; // runs never touch: the next one starts later
      run++;
      continue;
    }
    const ranges = hours.week[weekday(day)] as readonly number[];
    const base = day * DAY_MS;
    for (let i = 0; i < ranges.length; i += 2) {
      const start = base + (ranges[i] as number) * MINUTE_MS;
      if (start >= wallMs) return start <= limit ? start : null;
    }
    day++;
  }
  return null;
}

/**
 * The contract's effective start of a missed call that started at `wallMs`:
 * its start when in hours, else the next opening; `null` when no opening lies
 * within OPENING_SEARCH_DAYS (the contract then takes the moment the report is
 * made: the caller clamps).
 */
export function effectiveStart(hours: WorkingHours | null, wallMs: number): number | null {
  return isInHours(hours, wallMs) ? wallMs : nextOpening(hours, wallMs);
}
