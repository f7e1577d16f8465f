/**
 * The period a person asks for (CLI flags, the API's body), checked once with
 * one precise message per mistake. Shared by the CLI and the Reports API.
 */
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from './language.ts';
import { DAY_MS, formatWallDate, type Period, parseWallDate, toWall, yesterday } from './time.ts';

export const MAX_PERIOD_DAYS = 366;

export class RequestError extends Error {
  readonly code: string;
  readonly field: string | null;
  constructor(code: string, field: string | null, message: string) {
    super(message);
    this.name = 'RequestError';
    this.code = code;
    this.field = field;
  }
}

export interface PeriodInput {
  date?: string | undefined;
  from?: string | undefined;
  till?: string | undefined;
}

/** How a field is called where the input came from (`from` in JSON, `--from` on the command line). */
export type FieldNamer = (field: string) => string;
const plain: FieldNamer = (f) => f;

function day(value: string, field: string, name: FieldNamer): number {
  const ms = parseWallDate(value);
  if (ms === null) {
    throw new RequestError(
      'invalid_date',
      field,
      `${name(field)} must be a real date YYYY-MM-DD, got "${value}"`,
    );
  }
  return ms;
}

/**
 * Resolves `{date}` or `{from, till}` (or nothing: yesterday) into a period in
 * `timeZone`, as of the real instant `now`. Refuses malformed dates, from after
 * till, more than 366 days, and days after today.
 */
export function resolvePeriod(
  input: PeriodInput,
  timeZone: string,
  now: number,
  name: FieldNamer = plain,
): Period {
  const { date, from, till } = input;
  if (date !== undefined && (from !== undefined || till !== undefined)) {
    throw new RequestError(
      'conflicting_fields',
      'date',
      `give either ${name('date')}, or ${name('from')} and ${name('till')}, not both`,
    );
  }
  if (date === undefined && from === undefined && till === undefined) return yesterday(now, timeZone);
  if (date === undefined && (from === undefined || till === undefined)) {
    const missing = from === undefined ? 'from' : 'till';
    throw new RequestError(
      'missing_field',
      missing,
      `${name(missing)} is missing: give both ${name('from')} and ${name('till')} (YYYY-MM-DD), or ${name('date')}`,
    );
  }
  const fromText = (date ?? from) as string;
  const tillText = (date ?? till) as string;
  const a = day(fromText, date !== undefined ? 'date' : 'from', name);
  const b = day(tillText, date !== undefined ? 'date' : 'till', name);
  if (b < a)
    throw new RequestError(
      'from_after_till',
      'from',
      `${name('from')} ${fromText} is after ${name('till')} ${tillText}`,
    );
  const days = Math.round((b - a) / DAY_MS) + 1;
  if (days > MAX_PERIOD_DAYS) {
    throw new RequestError(
      'period_too_long',
      'till',
      `the period has ${days} days; at most ${MAX_PERIOD_DAYS} are allowed`,
    );
  }
  const today = Math.floor(toWall(now, timeZone) / DAY_MS) * DAY_MS;
  if (b > today) {
    const field = date !== undefined ? 'date' : 'till';
    throw new RequestError(
      'future_date',
      field,
      `${name(field)} ${tillText} is in the future; the latest day allowed is today, ${formatWallDate(today)} (${timeZone})`,
    );
  }
  return { from: fromText, till: tillText, timezone: timeZone };
}

export function parseLanguage(value: string | undefined, field = 'language'): Language {
  if (value === undefined) return DEFAULT_LANGUAGE;
  if (isLanguage(value)) return value;
  throw new RequestError(
    'invalid_language',
    field,
    `${field} must be one of ${LANGUAGES.join(', ')}, got "${value}"`,
  );
}
