/**
 * The settings a report is made with, resolved once by the pipeline: the same
 * value the summary's `settings` holds, so a stored report's settings can be
 * compared with them key by key (comparison.ts).
 */
import { DEFAULT_SETTINGS, type ReportSettings } from '../report/types.ts';
import { formatWorkingHours } from '../working-hours/format.ts';
import { parseWorkingHours } from '../working-hours/parse.ts';

/**
 * The settings of a report, every key present (DEFAULT_SETTINGS for those not
 * given or undefined) and the working hours in their normal text form: exactly
 * what the summary's `settings` will hold, so a stored report's can be compared
 * with them. A text the grammar refuses throws its WorkingHoursError.
 */
export function reportSettings(given: Partial<ReportSettings> | undefined): ReportSettings {
  const hours = given?.working_hours ?? DEFAULT_SETTINGS.working_hours;
  return {
    sla_seconds: given?.sla_seconds ?? DEFAULT_SETTINGS.sla_seconds,
    short_call_seconds: given?.short_call_seconds ?? DEFAULT_SETTINGS.short_call_seconds,
    callback_horizon_hours: given?.callback_horizon_hours ?? DEFAULT_SETTINGS.callback_horizon_hours,
    working_hours: formatWorkingHours(parseWorkingHours(hours ?? '')),
  };
}
