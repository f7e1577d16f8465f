/**
 * The team's working hours (docs/metrics.md, "Working hours (optional)"):
 * the value, and the one parser of its text form
 * `mon-fri 09:00-19:00; sat 10:00-16:00; closed 2026-01-01..2026-01-08, 2026-03-09`.
 * format.ts writes the normal text form back, schedule.ts answers "in hours?"
 * and "when do we open next?" on wall-clock milliseconds. This room imports
 * only time.ts.
 *
 * Choices where the contract is silent:
 * - An empty text (or one of only spaces) means no working hours: the parser
 *   returns `null`, and `null` everywhere in this room means "always open"
 *   (format gives `null`, every moment is in hours, a moment is its own
 *   opening). A non-empty text that names `mon-sun 00:00-24:00` is not `null`:
 *   it is set, and formats as itself.
 * - Spaces are any whitespace; they are allowed around `;`, `,`, `-` and `..`,
 *   and at least one is required after the days and after `closed`. Day names
 *   and `closed` are read in any case. Exactly one trailing `;` is allowed; an
 *   empty part elsewhere (`;;`, a leading `;`) is refused.
 * - Hours are `H:MM` or `HH:MM`, 0:00–23:59, and `24:00` only as an end.
 *   Overlapping or touching ranges of a day are merged (`09:00-13:00, 13:00-18:00`
 *   is `09:00-18:00`); `mon-mon` is the one day mon; a day listed twice counts once.
 * - Dates are `YYYY-MM-DD`, real calendar dates; `a..a` is the one day a;
 *   `a..b` with b before a is refused. Closed runs are kept as merged runs of
 *   day numbers, not one entry per day, so a long range costs nothing.
 * - A night shift is two parts (`mon 19:00-24:00; tue 00:00-09:00`): a range
 *   never crosses midnight, and the refusal of `19:00-09:00` says so.
 *
 * Every refusal is a WorkingHoursError (a RangeError) of one line:
 * `working hours: "<the part>": <what was wrong>: <what is allowed>`.
 */
import { DAY_MS, formatWallDate, parseWallDate } from '../time.ts';

/** The days, Monday first: `week[0]` is Monday, `week[6]` Sunday. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Minutes in a day: the largest end a range may have (`24:00`). */
export const DAY_MINUTES = 1440;

/**
 * Working hours, as the parser builds them (frozen). `null` in their place
 * means no working hours: always open.
 */
export interface WorkingHours {
  /**
   * Seven days, Monday first; each the day's ranges as a flat list
   * `[start, end, start, end, …]` of minutes since midnight (start included,
   * end excluded, `0 ≤ start < end ≤ 1440`), sorted, with no two ranges
   * overlapping or touching. An empty list: no work that weekday. At least one
   * day has a range.
   */
  readonly week: readonly (readonly number[])[];
  /**
   * Closed days as a flat list `[first, last, first, last, …]` of day numbers
   * (a wall instant's `Math.floor(ms / DAY_MS)`, both ends included), sorted,
   * with no two runs overlapping or adjacent.
   */
  readonly closed: readonly number[];
}

export class WorkingHoursError extends RangeError {
  /** The part the message names, as written (trimmed); null for an empty part. */
  readonly part: string | null;
  constructor(part: string | null, problem: string) {
    super(`working hours: ${part === null ? '' : `${quote(part)}: `}${problem.replace(/\s+/g, ' ')}`);
    this.name = 'WorkingHoursError';
    this.part = part;
  }
}

const ALLOWED_PART =
  'a part is days and times (mon-fri 09:00-18:00; days: mon tue wed thu fri sat sun) or closed and dates (closed 2026-01-01..2026-01-08)';
const ALLOWED_DAYS = 'write a day, a range a-b or a list a,b of them (mon,wed-fri)';
const ALLOWED_TIMES = 'write H:MM-HH:MM, several joined by "," (09:00-13:00, 14:00-18:00)';
const ALLOWED_TIME = 'write H:MM or HH:MM from 0:00 to 23:59, or 24:00 as an end';
const ALLOWED_DATES =
  'write a real calendar date as YYYY-MM-DD, a range as a..b, several joined by "," (closed 2026-01-01..2026-01-08, 2026-03-09)';

/** Quoted on one line (runs of whitespace as one space, quotes escaped), shortened when long. */
function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 57)}...` : line);
}

/** Parses the text form; `null` for an empty text (no working hours). Throws a WorkingHoursError. */
export function parseWorkingHours(text: string): WorkingHours | null {
  if (text.trim() === '') return null;
  const pieces = text.split(';');
  if (pieces.length > 1 && (pieces.at(-1) as string).trim() === '') pieces.pop();
  const days: Array<Array<[number, number]>> = WEEKDAYS.map(() => []);
  const closed: Array<[number, number]> = [];
  let named = false;
  for (const piece of pieces) {
    const part = piece.trim();
    if (part === '')
      throw new WorkingHoursError(
        null,
        'an empty part between two ";": write one part between each ";" (only the last ";" may end the text)',
      );
    if (/^\p{L}+/u.exec(part)?.[0]?.toLowerCase() === 'closed') parseClosed(part, closed);
    else {
      parseDayPart(part, days);
      named = true;
    }
  }
  const week = named ? days.map(mergeRanges) : WEEKDAYS.map(() => [0, DAY_MINUTES]);
  return Object.freeze({
    week: Object.freeze(week.map((d) => Object.freeze(d))),
    closed: Object.freeze(mergeRuns(closed)),
  });
}

/** `days times`: adds each range to each day named. */
function parseDayPart(part: string, days: Array<Array<[number, number]>>): void {
  for (const [word] of part.matchAll(/\p{L}+/gu)) {
    const w = word.toLowerCase();
    if (w === 'closed')
      throw new WorkingHoursError(
        part,
        'closed begins a part of its own: write it after a ";" (mon-fri 09:00-18:00; closed 2026-01-01)',
      );
    if (!(WEEKDAYS as readonly string[]).includes(w))
      throw new WorkingHoursError(part, `unknown word ${quote(word)}: ${ALLOWED_PART}`);
  }
  const at = part.search(/\d/);
  const daysText = at < 0 ? part : part.slice(0, at);
  if (daysText.trim() === '')
    throw new WorkingHoursError(part, 'no days before the times: write the days first (mon-fri 09:00-18:00)');
  const named = parseDays(part, daysText.trim());
  if (at < 0)
    throw new WorkingHoursError(
      part,
      `no times after the days: write the hours after them as H:MM-HH:MM (${daysText.trim()} 09:00-18:00)`,
    );
  if (!/\s$/.test(daysText))
    throw new WorkingHoursError(
      part,
      'no space between the days and the times: write a space after the days (mon-fri 09:00-18:00)',
    );
  const ranges = parseTimes(part, part.slice(at));
  for (const d of named) (days[d] as Array<[number, number]>).push(...ranges);
}

/** The weekdays (0 = mon) a day list names. Every word in it is already a day name. */
function parseDays(part: string, text: string): number[] {
  const out: number[] = [];
  for (const item of text.split(',')) {
    const m = /^(\p{L}+)(?:\s*-\s*(\p{L}+))?$/u.exec(item.trim());
    if (!m) throw new WorkingHoursError(part, `the days ${quote(text)} are not a day list: ${ALLOWED_DAYS}`);
    const a = dayIndex(m[1] as string);
    const b = m[2] === undefined ? a : dayIndex(m[2]);
    if (b < a) {
      const [from, till] = [WEEKDAYS[a] as string, WEEKDAYS[b] as string];
      const head = from === 'sun' ? 'sun' : `${from}-sun`;
      const tail = till === 'mon' ? 'mon' : `mon-${till}`;
      throw new WorkingHoursError(
        part,
        `the day range ${from}-${till} wraps past sunday: a range runs forward, mon to sun (write ${head},${tail})`,
      );
    }
    for (let d = a; d <= b; d++) out.push(d);
  }
  return out;
}

function dayIndex(word: string): number {
  return (WEEKDAYS as readonly string[]).indexOf(word.toLowerCase());
}

/** `H:MM-HH:MM[, H:MM-HH:MM…]` as [start, end] minute pairs. */
function parseTimes(part: string, text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') throw new WorkingHoursError(part, `an empty range in the list: ${ALLOWED_TIMES}`);
    const ends = item.split('-').map((t) => t.trim());
    if (ends.length !== 2 || ends.includes(''))
      throw new WorkingHoursError(part, `the times ${quote(item)} are not a range: ${ALLOWED_TIMES}`);
    const start = parseTime(part, ends[0] as string);
    const end = parseTime(part, ends[1] as string);
    if (start === DAY_MINUTES)
      throw new WorkingHoursError(part, `the range ${item} starts at 24:00: 24:00 is allowed only as an end`);
    if (end === start)
      throw new WorkingHoursError(
        part,
        `the range ${item} is empty: the end must be after the start (the start is included, the end is not)`,
      );
    if (end < start)
      throw new WorkingHoursError(
        part,
        `the range ${item} ends before it starts: the end must be after the start; a night shift is two parts (mon 19:00-24:00; tue 00:00-09:00)`,
      );
    out.push([start, end]);
  }
  return out;
}

/** Minutes since midnight of `H:MM` / `HH:MM` (0:00–24:00). */
function parseTime(part: string, text: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  const hours = Number(m?.[1]);
  const minutes = Number(m?.[2]);
  if (!m || hours > 24 || minutes > 59 || (hours === 24 && minutes > 0))
    throw new WorkingHoursError(part, `${text} is not a time: ${ALLOWED_TIME}`);
  return hours * 60 + minutes;
}

/** `closed a[, a..b…]`: adds each [first, last] day-number pair to `out`. */
function parseClosed(part: string, out: Array<[number, number]>): void {
  const rest = part.slice('closed'.length);
  if (rest.trim() === '') throw new WorkingHoursError(part, `no dates after closed: ${ALLOWED_DATES}`);
  if (!/^\s/.test(rest))
    throw new WorkingHoursError(
      part,
      'no space after closed: write closed, a space, then the dates (closed 2026-01-01)',
    );
  for (const raw of rest.split(',')) {
    const item = raw.trim();
    if (item === '') throw new WorkingHoursError(part, `an empty date in the list: ${ALLOWED_DATES}`);
    const ends = item.split('..').map((d) => d.trim());
    if (ends.length > 2 || ends.includes(''))
      throw new WorkingHoursError(
        part,
        `the dates ${quote(item)} are not a date or a range a..b: ${ALLOWED_DATES}`,
      );
    const first = parseDay(part, ends[0] as string);
    const last = ends.length === 2 ? parseDay(part, ends[1] as string) : first;
    if (last < first)
      throw new WorkingHoursError(
        part,
        `the dates ${item} run backwards: write the earlier date first (${formatWallDate(last * DAY_MS)}..${formatWallDate(first * DAY_MS)})`,
      );
    out.push([first, last]);
  }
}

/** The day number of a `YYYY-MM-DD` date. */
function parseDay(part: string, text: string): number {
  const ms = parseWallDate(text);
  // The round trip refuses what Date.UTC would silently move (years 0000–0099 become 19xx).
  if (ms === null || formatWallDate(ms) !== text)
    throw new WorkingHoursError(part, `${text} is not a date: ${ALLOWED_DATES}`);
  return ms / DAY_MS;
}

/** Sorted, overlapping or touching ranges joined, flattened. */
function mergeRanges(ranges: Array<[number, number]>): number[] {
  const out: number[] = [];
  for (const [s, e] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = out.length - 1;
    if (last > 0 && s <= (out[last] as number)) out[last] = Math.max(out[last] as number, e);
    else out.push(s, e);
  }
  return out;
}

/** Sorted, overlapping or adjacent day runs joined, flattened. */
function mergeRuns(runs: Array<[number, number]>): number[] {
  const out: number[] = [];
  for (const [a, b] of [...runs].sort((x, y) => x[0] - y[0])) {
    const last = out.length - 1;
    if (last > 0 && a <= (out[last] as number) + 1) out[last] = Math.max(out[last] as number, b);
    else out.push(a, b);
  }
  return out;
}
