/**
 * What one report fetches, and with which settings (report-metrics.md, "Missed
 * calls and what became of them"): the period and, after it, the calls that may
 * resolve its missed calls, up to the latest follow-up horizon any of them can
 * have, never past now.
 *
 * A miss's horizon is its effective start (its start in hours, else the next
 * opening) + `callback_horizon_hours`. The effective start never decreases as
 * the start moves later (a later moment in hours is its own start, one out of
 * hours opens at the same or a later opening), so the latest horizon of the
 * period is the effective start of its last second + the hours: for a Friday
 * evening with `mon-fri 09:00-19:00`, Monday 09:00 + 24 h. With no working hours
 * that is the period's end + 24 h. When no opening lies within the 400 days
 * schedule.ts searches, the horizon is the moment the report is made (now).
 */
import type { CallRange } from '../calls/source.ts';
import type { ReportSettings } from '../report/types.ts';
import { type Period, periodBounds } from '../time.ts';
import { parseWorkingHours } from '../working-hours/parse.ts';
import { effectiveStart } from '../working-hours/schedule.ts';

const HOUR_MS = 3_600_000;

/**
 * The one range fetched for a report of `period` made at `nowWall` (the wall
 * clock of its zone): from the period's first second to the latest horizon of
 * any missed call of it, never past `nowWall` (so a partial period ends at now).
 */
export function fetchRange(
  period: Period,
  settings: Pick<ReportSettings, 'callback_horizon_hours' | 'working_hours'>,
  nowWall: number,
): CallRange {
  const { start, end } = periodBounds(period);
  const opening = effectiveStart(parseWorkingHours(settings.working_hours ?? ''), end);
  const horizon = opening === null ? nowWall : opening + settings.callback_horizon_hours * HOUR_MS;
  return { from: start, till: Math.max(start, Math.min(horizon, nowWall)) };
}
