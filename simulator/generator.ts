/**
 * Seeded synthetic call history for the Data API simulator: raw `get.mgf_calls`
 * rows, exactly as the API sends them, in every shape data-api.md lists.
 *
 * One world per seed: each date's calls are a function of the seed, the date
 * and the days just before it (world/day.ts: its own stream per date; weekday
 * and Russian-holiday aware, world/calendar.ts; a morning callback answers
 * last night's miss), and each call's `communication_id` a function of the
 * date and its place in the day (world/ids.ts). So a date looks the same, row
 * for row, in a one-day, a week or a month run, and different dates differ.
 * Follow-ups that land after the period's end are left out: ask for one extra
 * day when the next day's callbacks matter.
 *
 * Built for volume: events are kept in flat arrays, sorted once through a
 * Float64Array of packed (second, index) keys, and rows share frozen constant
 * objects and cached strings (world/row.ts). A million rows take a few seconds.
 */
import { DAY_MS, formatWallDate, parseWall } from '../functions/shared/time.ts';
import type { MgfCallRow } from './columns.ts';
import { dayOf } from './world/calendar.ts';
import { Day, dayTarget, dayWeight, Events, MAX_LAG_DAYS, makeWorld, type World } from './world/day.ts';
import { checkIdRange, DayIds, DEFAULT_FIRST_ID } from './world/ids.ts';
import { dayStream, hash32, mulberry32, pickCum } from './world/random.ts';
import { type Builder, buildRow, IN_LOST, IN_OK, INT_OK, OUT_OK } from './world/row.ts';
import { LINE_COMMENTS, makeStaff, type Staff } from './world/staff.ts';

export { DEFAULT_FIRST_ID } from './world/ids.ts';
export { mulberry32 } from './world/random.ts';
export { formatDuration } from './world/row.ts';

// ---------------------------------------------------------------------------
// Options

export interface GeneratorOptions {
  /** PRNG seed: the world. The same seed gives the same calls on the same date. Default 1. */
  seed?: number;
  /** First day, `YYYY-MM-DD` (account wall clock). */
  from: string;
  /** Last day, `YYYY-MM-DD`, inclusive. */
  till: string;
  /**
   * Mean calls an ordinary weekday originates (Saturdays, Sundays and holidays
   * fewer, each day ±10 %). Default 200. Ignored when `totalCalls` is set.
   */
  callsPerDay?: number;
  /**
   * Exactly this many rows over the period: the days are the world at the
   * density `callsPerDayForTotal` gives, and the last day absorbs the rest.
   */
  totalCalls?: number;
  /** Number of employees, 5..50. Default 12. */
  employees?: number;
  /** Number of virtual numbers (lines), 1..10. Default 4. */
  lines?: number;
  /** Chance that a column of a row uses an alternative shape (data-api.md "Row shapes"). Default 0.1. */
  variantRate?: number;
  /** Chance that a client number is written `8…` or as 10 digits `9…`. Default 0.06. */
  phoneFormatRate?: number;
  /**
   * The id base: date D's ids are `firstCommunicationId + (days from 2020-01-01
   * to D) × 1 000 000` plus the call's place in the day. Default 3 000 000 000.
   */
  firstCommunicationId?: number;
}

const DAY_SEC = 86_400;
const ROWS_SALT = 0x0b0e5;
const PHONE_SALT = 0x7a11;
/** Packed sort keys: seconds × 2^24 + event index, exact below 2^53. */
const KEY_SHIFT = 16_777_216;
/** The longest period whose seconds fit a packed key. */
const MAX_DAYS = Math.floor(2 ** 29 / DAY_SEC);

function clampInt(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

function staffOf(options: Pick<GeneratorOptions, 'seed' | 'employees' | 'lines'>): Staff {
  return makeStaff(
    options.seed ?? 1,
    clampInt(options.employees, 5, 50, 12),
    clampInt(options.lines, 1, LINE_COMMENTS.length, 4),
  );
}

/** The names and lines a seed gives (for demos and tests). */
export function staffFor(options: Pick<GeneratorOptions, 'seed' | 'employees' | 'lines'> = {}): {
  employees: string[];
  lines: { number: string; comment: string | null }[];
} {
  const staff = staffOf(options);
  return {
    employees: staff.employees.map((e) => e.name),
    lines: staff.lines.map((l) => ({ number: l.number, comment: l.comment })),
  };
}

/** The period as day numbers; a RangeError saying what is wrong when it is not one. */
function periodDays(from: string, till: string): { fromDay: number; days: number } {
  const startMs = parseWall(from);
  const lastMs = parseWall(till);
  if (startMs === null || lastMs === null || from.length !== 10 || till.length !== 10) {
    throw new RangeError(`Bad period ${from}..${till}: use YYYY-MM-DD`);
  }
  if (lastMs < startMs) throw new RangeError(`Period ends before it starts: ${from}..${till}`);
  const days = Math.round((lastMs - startMs) / DAY_MS) + 1;
  if (days > MAX_DAYS) {
    throw new RangeError(`Period too long: ${from}..${till} is ${days} days; at most ${MAX_DAYS} at once`);
  }
  return { fromDay: dayOf(startMs), days };
}

/**
 * The `callsPerDay` at which the seed's world has `total` calls over
 * `from`..`till` on average (the days' calendar weights and noise included).
 */
export function callsPerDayForTotal(total: number, from: string, till: string, seed = 1): number {
  const { fromDay, days } = periodDays(from, till);
  let weight = 0;
  for (let d = fromDay; d < fromDay + days; d++) weight += dayWeight(seed, d);
  return weight > 0 ? Math.max(0, total) / weight : 0;
}

// ---------------------------------------------------------------------------
// Generation

/**
 * Generates the rows of a period, sorted by start; `communication_id` grows
 * with the start time. Each date's rows are the same in every run that holds
 * the date (with the same seed, staff, shapes and `callsPerDay`); with
 * `totalCalls`, every date but the last.
 */
export function generateCalls(options: GeneratorOptions): MgfCallRow[] {
  const { fromDay, days } = periodDays(options.from, options.till);
  const seed = options.seed ?? 1;
  const base = options.firstCommunicationId ?? DEFAULT_FIRST_ID;
  checkIdRange(base, fromDay, fromDay + days - 1, `${options.from}..${options.till}`);
  const exact = options.totalCalls === undefined ? -1 : Math.max(0, Math.floor(options.totalCalls));
  const perDay =
    exact >= 0
      ? callsPerDayForTotal(exact, options.from, options.till, seed)
      : Math.max(0, options.callsPerDay ?? 200);
  const world = makeWorld(seed, staffOf(options), perDay);

  // The days of the period, and the days before it whose follow-ups land in it.
  const fromSec = fromDay * DAY_SEC;
  const endSec = (fromDay + days) * DAY_SEC;
  const lastDay = fromDay + days - 1;
  const ev = new Events();
  for (let d = fromDay - MAX_LAG_DAYS; d <= lastDay; d++) {
    const day = new Day(world, d, ev);
    if (exact < 0 || d < lastDay) {
      const target = dayTarget(world, d);
      while (day.originated < target) day.primary();
      continue;
    }
    // The last day of an exact total: its own calls until the period holds the total.
    let inPeriod = 0;
    for (let i = 0; i < ev.length; i++) if ((ev.sec[i] ?? 0) >= fromSec) inPeriod++;
    while (inPeriod < exact) {
      const before = ev.length;
      day.primary();
      for (let i = before; i < ev.length; i++) if ((ev.sec[i] ?? 0) < endSec) inPeriod++;
    }
  }

  // The events of the period by start: pack (second, event index) into one float, sort natively.
  // Ties keep the order of generation, which is the same in every run (days in order).
  const n = ev.length;
  if (n >= KEY_SHIFT) throw new RangeError(`Too many calls to generate at once: ${n}`);
  const span = endSec - fromSec;
  const all = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const s = (ev.sec[i] ?? 0) - fromSec;
    if (s >= 0 && s < span) all[m++] = s * KEY_SHIFT + i;
  }
  // An exact total drops its overshoot: the latest calls (the last day's last follow-ups).
  const keys = all
    .subarray(0, m)
    .sort()
    .subarray(0, exact >= 0 ? Math.min(m, exact) : m);
  return buildRows(world, options, ev, keys, fromDay, days, base);
}

/** Builds the rows of sorted keys, each date with its own row stream and block of ids. */
function buildRows(
  world: World,
  options: GeneratorOptions,
  ev: Events,
  keys: Float64Array,
  fromDay: number,
  days: number,
  base: number,
): MgfCallRow[] {
  const n = keys.length;
  const perDate = new Int32Array(days);
  for (let k = 0; k < n; k++) {
    const d = Math.floor(Math.floor((keys[k] ?? 0) / KEY_SHIFT) / DAY_SEC);
    perDate[d] = (perDate[d] ?? 0) + 1;
  }
  const b: Builder = {
    rand: dayStream(world.seed, ROWS_SALT, fromDay), // each date's own stream, set again per date below
    staff: world.staff,
    variantRate: Math.min(1, Math.max(0, options.variantRate ?? 0.1)),
    phoneFormatRate: Math.min(1, Math.max(0, options.phoneFormatRate ?? 0.06)),
    phoneSalt: hash32(world.seed, PHONE_SALT),
  };
  const fromSec = fromDay * DAY_SEC;
  const rows: MgfCallRow[] = new Array(n);
  let date = -1;
  let ids: DayIds | null = null;
  for (let k = 0; k < n; k++) {
    const key = keys[k] ?? 0;
    const i = key % KEY_SHIFT;
    const sec = (key - i) / KEY_SHIFT;
    const d = Math.floor(sec / DAY_SEC);
    if (d !== date || ids === null) {
      date = d;
      b.rand = dayStream(world.seed, ROWS_SALT, fromDay + d);
      const label = formatWallDate((fromDay + d) * DAY_MS);
      ids = new DayIds(base, fromDay + d, perDate[d] ?? 0, b.rand, label);
    }
    rows[k] = buildRow(
      b,
      ids.take(),
      fromSec + sec,
      ev.kind[i] ?? IN_OK,
      ev.client[i] ?? 0,
      ev.line[i] ?? 0,
      ev.emp[i] ?? 0,
      ev.emp2[i] ?? 0,
    );
  }
  return rows;
}

/**
 * Generates exactly `total` rows spread over `from`..`till` (inclusive days) by
 * the calendar: every date but the last is the seed's world at the density
 * `callsPerDayForTotal` gives; the last day absorbs what the rounding leaves
 * (were the days before it already over the total, their latest calls go).
 */
export function generateRowsForTotal(
  total: number,
  from: string,
  till: string,
  options: Omit<GeneratorOptions, 'from' | 'till' | 'totalCalls' | 'callsPerDay'> = {},
): MgfCallRow[] {
  return generateCalls({ ...options, from, till, totalCalls: total });
}

export interface ExtraRowsOptions {
  /** How many rows. */
  count: number;
  /** Start instants are drawn uniformly from [startMs, endMs] (wall ms, whole seconds). */
  startMs: number;
  endMs: number;
  /** `communication_id` of the first row; the next ones follow. */
  firstId: number;
  /** The staff seed: pass the main data's seed so names and lines match. Default 1. */
  seed?: number;
  /** Randomness of these rows (e.g. a call counter). Default 0. */
  stream?: number;
  employees?: number;
  lines?: number;
  variantRate?: number;
  phoneFormatRate?: number;
}

/**
 * Standalone rows (no follow-ups) in a time window, e.g. late-arriving calls
 * for the simulator's drift fault. Returned in start order with increasing ids.
 */
export function generateExtraRows(options: ExtraRowsOptions): MgfCallRow[] {
  const seed = options.seed ?? 1;
  const staff = staffOf(options);
  const rand = mulberry32(hash32(seed ^ 0xd21f7, (options.stream ?? 0) + 1));
  const b: Builder = {
    rand,
    staff,
    variantRate: Math.min(1, Math.max(0, options.variantRate ?? 0.1)),
    phoneFormatRate: Math.min(1, Math.max(0, options.phoneFormatRate ?? 0.06)),
    phoneSalt: hash32(seed, PHONE_SALT),
  };
  const lo = Math.ceil(options.startMs / 1000);
  const hi = Math.floor(options.endMs / 1000);
  const secs: number[] = [];
  for (let i = 0; i < options.count; i++) secs.push(lo + Math.floor(rand() * (hi - lo + 1)));
  secs.sort((x, y) => x - y);
  const count = staff.employees.length;
  return secs.map((sec, i) => {
    const u = rand();
    const line = pickCum(rand, staff.lineCum);
    const emp = Math.floor(rand() * count);
    const kind = u < 0.05 ? INT_OK : u < 0.35 ? OUT_OK : u < 0.5 ? IN_LOST : IN_OK;
    const client = 1_000_000_000 + Math.floor(rand() * 1_000_000_000);
    return buildRow(b, options.firstId + i, sec, kind, client, line, emp, (emp + 1) % count);
  });
}
