/**
 * Which hours of the day the team worked in the period: an hour is open when
 * some minute of it lies in working hours on some date of the period (a
 * closed date counts as no work). With no working hours every hour is open.
 */
import { DAY_MS, periodBounds } from '../../time.ts';
import { parseWorkingHours } from '../../working-hours/parse.ts';
import { isInHours } from '../../working-hours/schedule.ts';
import type { Summary } from '../types.ts';

const MINUTE_MS = 60_000;

/** 24 flags, hour 0 first: true when the team worked at some moment of that hour in the period. */
export function openHours(summary: Pick<Summary, 'period' | 'settings'>): boolean[] {
  const hours = parseWorkingHours(summary.settings.working_hours ?? '');
  const open = new Array<boolean>(24).fill(hours === null);
  if (hours === null) return open;
  const { start, end } = periodBounds(summary.period);
  let left = 24;
  for (let day = start; day <= end && left > 0; day += DAY_MS) {
    for (let h = 0; h < 24; h++) {
      if (open[h]) continue;
      for (let m = 0; m < 60; m++) {
        if (isInHours(hours, day + h * 3_600_000 + m * MINUTE_MS)) {
          open[h] = true;
          left--;
          break;
        }
      }
    }
  }
  return open;
}
