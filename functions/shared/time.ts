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

/** The period of the same length just before this one. */
export function previousPeriod(period: Period): Period {
  const { start } = periodBounds(period);
  const days = periodDays(period);
  return {
    from: formatWallDate(start - days * DAY_MS),
    till: formatWallDate(start - DAY_MS),
    timezone: period.timezone,
  };
}
