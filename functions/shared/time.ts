/**
 * Wall-clock time helpers. A "wall" instant is the local date and time of a
 * time zone encoded as milliseconds "as if UTC" (see calls/call.ts).
 *
 * `parseWall` is the one wall-clock parser: `parseWallDate` and
 * `parseWallDateTime` are its two exact shapes, and dataapi/wall.ts's `wallMs`
 * is its speed-optimised twin for the API's rows (proven equal in
 * test/unit/wall.test.ts).
 */

export const DAY_MS = 86_400_000;

/** The time zone of a subscription, the CLI and the stack when none is named. */
export const DEFAULT_TIMEZONE = 'Europe/Moscow';

const WALL_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?$/;

/** Parses `YYYY-MM-DD` or `YYYY-MM-DD hh:mm:ss` as a wall instant; null when malformed or not a real date. */
export function parseWall(text: string): number | null {
  const m = WALL_RE.exec(text);
  if (!m) return null;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1) as string[];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(ms);
  if (back.getUTCDate() !== day || back.getUTCMonth() !== month - 1) return null; // 2024-02-30
  return ms;
}

/** Exactly `YYYY-MM-DD` as a wall instant (midnight); null otherwise. */
export function parseWallDate(text: string): number | null {
  return text.length === 10 ? parseWall(text) : null;
}

/** Exactly `YYYY-MM-DD hh:mm:ss` (or a `T` between), the API's date and time, as a wall instant; null otherwise. */
export function parseWallDateTime(text: string): number | null {
  return text.length === 19 ? parseWall(text) : null;
}

/** Formats a wall instant as the API wants it: `YYYY-MM-DD hh:mm:ss`. */
export function formatWall(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Formats the date part of a wall instant: `YYYY-MM-DD`. */
export function formatWallDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError naming the zone when it is not a known IANA time zone. */
export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(`Unknown time zone "${timeZone}": use an IANA name such as ${DEFAULT_TIMEZONE}`);
  }
}

/** The wall clock of `timeZone` at the real instant `utcMs`. */
export function toWall(utcMs: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

/** A period of whole local days: `from` 00:00:00 to `till` 23:59:59 inclusive, as wall instants. */
export interface Period {
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** Last day, `YYYY-MM-DD`. */
  till: string;
  timezone: string;
}

/** Wall instants of the period's first second and last second (inclusive). */
export function periodBounds(period: Period): { start: number; end: number } {
  const start = parseWall(period.from);
  const last = parseWall(period.till);
  if (start === null || last === null) throw new RangeError(`Bad period ${period.from}..${period.till}`);
  return { start, end: last + DAY_MS - 1000 };
}

/** Number of days in the period, both ends included. */
export function periodDays(period: Period): number {
  const { start, end } = periodBounds(period);
  return Math.round((end + 1000 - start) / DAY_MS);
}

/** Yesterday in `timeZone` at the real instant `nowUtcMs`, as a one-day period. */
export function yesterday(nowUtcMs: number, timeZone: string): Period {
  const today = Math.floor(toWall(nowUtcMs, timeZone) / DAY_MS) * DAY_MS;
  const d = formatWallDate(today - DAY_MS);
  return { from: d, till: d, timezone: timeZone };
}

/** Days in a month (`month` 0..11). */
function monthDays(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** The wall date `months` calendar months before `ms` (same day of month, clamped to that month's end), time of day kept. */
function monthsBefore(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() - months;
  const day = Math.min(d.getUTCDate(), monthDays(y, m));
  return Date.UTC(y, m, day) + (ms % DAY_MS);
}

/** How a period maps onto its like period: so many days back, or so many calendar months back. */
type LikeShift =
  | { kind: 'days'; days: number }
  /** Months back; `wholeMonths`: the last day is the last day of its month there too (rule 3). */
  | { kind: 'months'; months: number; wholeMonths: boolean };

/** Which of report-metrics.md's four rules fits the period (the first that fits). */
function likeShift(period: Period): LikeShift {
  const { start, end } = periodBounds(period);
  const days = periodDays(period);
  if (days <= 7) return { kind: 'days', days: 7 };
  const a = new Date(start);
  const b = new Date(end);
  const [ay, am, by, bm] = [a.getUTCFullYear(), a.getUTCMonth(), b.getUTCFullYear(), b.getUTCMonth()];
  if (a.getUTCDate() === 1 && ay === by && am === bm)
    return { kind: 'months', months: 1, wholeMonths: false };
  if (a.getUTCDate() === 1 && b.getUTCDate() === monthDays(by, bm)) {
    return { kind: 'months', months: (by - ay) * 12 + bm - am + 1, wholeMonths: true };
  }
  return { kind: 'days', days };
}

/**
 * The like period a report is compared with (report-metrics.md, "Comparison"),
 * the first rule that fits:
 * - 1 to 7 days → the same days a week earlier (Monday against last Monday);
 * - from the 1st of a month to a day of the same month → the same days of the
 *   previous month, the last one clamped to that month's end (Mar 1–15 → Feb
 *   1–15; Mar 1–31 → Feb 1–28; so Nov 1–30 → Oct 1–30, the same days);
 * - whole calendar months (from a 1st to a month's last day, several months) →
 *   the same number of calendar months just before (Jan–Feb → Nov–Dec);
 * - anything else → the same number of days just before.
 */
export function comparisonPeriod(period: Period): Period {
  const { start, end } = periodBounds(period);
  const lastDay = end + 1000 - DAY_MS;
  const shift = likeShift(period);
  let from: number;
  let till: number;
  if (shift.kind === 'days') {
    from = start - shift.days * DAY_MS;
    till = lastDay - shift.days * DAY_MS;
  } else {
    from = monthsBefore(start, shift.months);
    const t = new Date(lastDay);
    till = shift.wholeMonths
      ? Date.UTC(t.getUTCFullYear(), t.getUTCMonth() - shift.months + 1, 0)
      : monthsBefore(lastDay, shift.months);
  }
  return { from: formatWallDate(from), till: formatWallDate(till), timezone: period.timezone };
}

/**
 * Where a partial period's comparison period is cut (report-metrics.md: "its
 * last day cut at the same time of day as `as_of`"): `asOf` on the period's
 * last day (always so when the period ends today) → the comparison period's
 * last day at that time of day. An `asOf` on an earlier day (a period that runs
 * past today) moves back by the period's own rule (so many days, or calendar
 * months with the day clamped), never past the comparison period's end.
 */
export function comparisonCut(period: Period, asOf: number): number {
  const { start, end } = periodBounds(period);
  const like = periodBounds(comparisonPeriod(period));
  const timeOfDay = ((asOf % DAY_MS) + DAY_MS) % DAY_MS;
  if (asOf < start || asOf > end) {
    throw new RangeError(`asOf ${formatWall(asOf)} is outside the period ${period.from}..${period.till}`);
  }
  if (asOf > end + 1000 - DAY_MS) return like.end + 1000 - DAY_MS + timeOfDay;
  const shift = likeShift(period);
  const moved = shift.kind === 'days' ? asOf - shift.days * DAY_MS : monthsBefore(asOf, shift.months);
  return Math.min(moved, like.end);
}
