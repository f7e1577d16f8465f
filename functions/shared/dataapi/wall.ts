/**
 * The speed-optimised twin of time.ts's `parseWallDateTime` (the one wall-clock
 * parser) for the API's `YYYY-MM-DD hh:mm:ss` (or `T` between), without a
 * regular expression or a Date per call: a million calls read their start and
 * finish this way twice (the paging checks and the fast row path). It takes
 * the date part from `parseWall` itself, and test/unit/wall.test.ts proves the
 * two give the same instant for every text.
 */
import { parseWall } from '../time.ts';

/** Midnight of days already seen, keyed yyyymmdd; NaN for impossible dates. */
const dayStarts = new Map<number, number>();

function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The wall instant of exactly 19 characters `YYYY-MM-DD[ T]hh:mm:ss`: the same
 * number as `parseWallDateTime(text)`, and NaN where that gives null (any other length,
 * shape, or an impossible date or time).
 */
export function wallMs(text: string): number {
  if (text.length !== 19) return Number.NaN;
  const sep = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (sep !== 32 && sep !== 84)) return Number.NaN;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return Number.NaN;
  const y1 = digits2(text, 0);
  const y2 = digits2(text, 2);
  const mo = digits2(text, 5);
  const d = digits2(text, 8);
  const h = digits2(text, 11);
  const mi = digits2(text, 14);
  const sec = digits2(text, 17);
  if (y1 < 0 || y2 < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return Number.NaN;
  if (h > 23 || mi > 59 || sec > 59) return Number.NaN;
  const key = (y1 * 100 + y2) * 10_000 + mo * 100 + d;
  let day = dayStarts.get(key);
  if (day === undefined) {
    // The date part alone, through parseWall itself: month and day ranges, real dates, its quirks.
    day = parseWall(text.slice(0, 10)) ?? Number.NaN;
    if (dayStarts.size > 50_000) dayStarts.clear();
    dayStarts.set(key, day);
  }
  return day + ((h * 60 + mi) * 60 + sec) * 1000;
}
