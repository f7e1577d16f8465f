/**
 * Working hours (report-metrics.md, "Working hours (optional)" and the effective
 * start of "Missed calls and what became of them"): the grammar's accepted forms
 * and their normal forms, its refusals with their exact one-line messages, the
 * round trip through the normal form, and "in hours?" / "next opening" on the
 * wall clock at the edges, proven also against a model built from the grammar
 * alone and a scan of every half hour.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, formatWallDate, parseWall } from '../../functions/shared/time.ts';
import { formatWorkingHours } from '../../functions/shared/working-hours/format.ts';
import { parseWorkingHours, WorkingHoursError } from '../../functions/shared/working-hours/parse.ts';
import {
  effectiveStart,
  isInHours,
  nextOpening,
  OPENING_SEARCH_DAYS,
} from '../../functions/shared/working-hours/schedule.ts';

/** A wall instant from `YYYY-MM-DD[ hh:mm:ss]`. */
function wall(text: string): number {
  const ms = parseWall(text);
  if (ms === null) throw new Error(`bad wall time in the test: ${text}`);
  return ms;
}
function hours(text: string) {
  const h = parseWorkingHours(text);
  if (h === null) throw new Error(`no working hours in the test text: ${text}`);
  return h;
}

describe('the working-hours grammar', () => {
  it.each([
    ['mon-fri 09:00-19:00; sat 10:00-16:00; closed 2026-01-01..2026-01-08, 2026-03-09', null],
    ['MON-Fri 9:00-19:00', 'mon-fri 09:00-19:00'],
    ['  mon , wed - fri  9:00 - 13:00 ,14:00-18:00 ;  ', 'mon,wed-fri 09:00-13:00, 14:00-18:00'],
    ['mon-fri 09:00-13:00, 14:00-18:00', null],
    ['mon-fri 14:00-18:00, 09:00-13:00', 'mon-fri 09:00-13:00, 14:00-18:00'],
    ['mon-fri 09:00-13:00, 12:00-18:00', 'mon-fri 09:00-18:00'],
    ['mon-fri 09:00-13:00, 13:00-18:00', 'mon-fri 09:00-18:00'],
    ['mon-fri 09:00-13:00; mon,fri 14:00-18:00', 'mon,fri 09:00-13:00, 14:00-18:00; tue-thu 09:00-13:00'],
    ['sat 10:00-16:00; sun 10:00-16:00', 'sat-sun 10:00-16:00'],
    ['sun 10:00-16:00; mon,tue,wed 09:00-18:00', 'mon-wed 09:00-18:00; sun 10:00-16:00'],
    ['mon,wed,fri 09:00-18:00; tue 10:00-16:00', 'mon,wed,fri 09:00-18:00; tue 10:00-16:00'],
    ['mon,mon-mon 09:00-18:00', 'mon 09:00-18:00'],
    ['mon-sun 0:00-24:00', 'mon-sun 00:00-24:00'],
    ['mon 19:00-24:00; tue 00:00-09:00', null],
    ['closed 2026-03-09', 'mon-sun 00:00-24:00; closed 2026-03-09'],
    ['CLOSED 2026-03-10, 2026-03-09 .. 2026-03-09', 'mon-sun 00:00-24:00; closed 2026-03-09..2026-03-10'],
    [
      'mon-fri 09:00-18:00; closed 2026-03-09; closed 2026-01-05..2026-01-08, 2026-01-01..2026-01-06',
      'mon-fri 09:00-18:00; closed 2026-01-01..2026-01-08, 2026-03-09',
    ],
    ['closed 2026-01-01; mon-fri 09:00-18:00', 'mon-fri 09:00-18:00; closed 2026-01-01'],
    ['mon-fri 09:00-18:00;', 'mon-fri 09:00-18:00'],
    ['mon-fri\t09:00-18:00', 'mon-fri 09:00-18:00'],
    ['closed 2024-02-29', 'mon-sun 00:00-24:00; closed 2024-02-29'],
  ])('reads %j, whose normal form is %j (null: the text itself)', (text, normal) => {
    const parsed = parseWorkingHours(text);
    expect(formatWorkingHours(parsed)).toBe(normal ?? text);
    expect(parseWorkingHours(normal ?? text)).toEqual(parsed);
  });

  it('holds each weekday as sorted minute ranges and the closed days as merged runs of day numbers', () => {
    const h = hours(
      'mon-fri 14:00-18:00, 09:00-13:00; sat 10:00-24:00; closed 2026-01-03, 2026-01-01..2026-01-02',
    );
    const workday = [540, 780, 840, 1080];
    expect(h.week).toEqual([workday, workday, workday, workday, workday, [600, 1440], []]);
    expect(h.closed).toEqual([wall('2026-01-01') / DAY_MS, wall('2026-01-03') / DAY_MS]);
    expect(Object.isFrozen(h) && Object.isFrozen(h.week) && Object.isFrozen(h.week[0])).toBe(true);
  });

  it('opens every day around the clock when the text has only closed parts', () => {
    expect(hours('closed 2026-01-01').week).toEqual(Array(7).fill([0, 1440]));
  });

  it('reads an empty text, or one of spaces, as no working hours: null, formatted as null', () => {
    expect(parseWorkingHours('')).toBeNull();
    expect(parseWorkingHours('  \t ')).toBeNull();
    expect(formatWorkingHours(null)).toBeNull();
  });
});

describe('the grammar’s refusals', () => {
  const NOT_A_TIME = 'write H:MM or HH:MM from 0:00 to 23:59, or 24:00 as an end';
  const DATES =
    'write a real calendar date as YYYY-MM-DD, a range as a..b, several joined by "," (closed 2026-01-01..2026-01-08, 2026-03-09)';
  const TIMES = 'write H:MM-HH:MM, several joined by "," (09:00-13:00, 14:00-18:00)';
  const EMPTY_PART =
    'working hours: an empty part between two ";": write one part between each ";" (only the last ";" may end the text)';
  it.each([
    [
      'fri-mon 09:00-18:00',
      'working hours: "fri-mon 09:00-18:00": the day range fri-mon wraps past sunday: a range runs forward, mon to sun (write fri-sun,mon)',
    ],
    [
      'fri-mon',
      'working hours: "fri-mon": the day range fri-mon wraps past sunday: a range runs forward, mon to sun (write fri-sun,mon)',
    ],
    [
      'mon-fri 09:00-18:00; Sun-Tue 10:00-12:00',
      'working hours: "Sun-Tue 10:00-12:00": the day range sun-tue wraps past sunday: a range runs forward, mon to sun (write sun,mon-tue)',
    ],
    ['mon 09:00-25:00', `working hours: "mon 09:00-25:00": 25:00 is not a time: ${NOT_A_TIME}`],
    ['mon 09:60-18:00', `working hours: "mon 09:60-18:00": 09:60 is not a time: ${NOT_A_TIME}`],
    ['mon 09:00-24:01', `working hours: "mon 09:00-24:01": 24:01 is not a time: ${NOT_A_TIME}`],
    ['mon 9-18', `working hours: "mon 9-18": 9 is not a time: ${NOT_A_TIME}`],
    [
      'mon 19:00-09:00',
      'working hours: "mon 19:00-09:00": the range 19:00-09:00 ends before it starts: the end must be after the start; a night shift is two parts (mon 19:00-24:00; tue 00:00-09:00)',
    ],
    [
      'mon 09:00-09:00',
      'working hours: "mon 09:00-09:00": the range 09:00-09:00 is empty: the end must be after the start (the start is included, the end is not)',
    ],
    [
      'mon 24:00-24:00',
      'working hours: "mon 24:00-24:00": the range 24:00-24:00 starts at 24:00: 24:00 is allowed only as an end',
    ],
    ['closed 2026-02-30', `working hours: "closed 2026-02-30": 2026-02-30 is not a date: ${DATES}`],
    ['closed 2026-1-5', `working hours: "closed 2026-1-5": 2026-1-5 is not a date: ${DATES}`],
    ['closed 0050-01-01', `working hours: "closed 0050-01-01": 0050-01-01 is not a date: ${DATES}`],
    [
      'closed 2026-01-08..2026-01-01',
      'working hours: "closed 2026-01-08..2026-01-01": the dates 2026-01-08..2026-01-01 run backwards: write the earlier date first (2026-01-01..2026-01-08)',
    ],
    [
      'closed 2026-01-01..',
      `working hours: "closed 2026-01-01..": the dates "2026-01-01.." are not a date or a range a..b: ${DATES}`,
    ],
    ['closed 2026-01-01,', `working hours: "closed 2026-01-01,": an empty date in the list: ${DATES}`],
    ['closed', `working hours: "closed": no dates after closed: ${DATES}`],
    [
      'closed2026-01-01',
      'working hours: "closed2026-01-01": no space after closed: write closed, a space, then the dates (closed 2026-01-01)',
    ],
    [
      'mon-fri 09:00-18:00; lunch 13:00-14:00',
      'working hours: "lunch 13:00-14:00": unknown word "lunch": a part is days and times (mon-fri 09:00-18:00; days: mon tue wed thu fri sat sun) or closed and dates (closed 2026-01-01..2026-01-08)',
    ],
    [
      'monday 09:00-18:00',
      'working hours: "monday 09:00-18:00": unknown word "monday": a part is days and times (mon-fri 09:00-18:00; days: mon tue wed thu fri sat sun) or closed and dates (closed 2026-01-01..2026-01-08)',
    ],
    [
      'mon 09:00-18:00 closed 2026-01-01',
      'working hours: "mon 09:00-18:00 closed 2026-01-01": closed begins a part of its own: write it after a ";" (mon-fri 09:00-18:00; closed 2026-01-01)',
    ],
    [
      'mon',
      'working hours: "mon": no times after the days: write the hours after them as H:MM-HH:MM (mon 09:00-18:00)',
    ],
    [
      'mon-fri 09:00-18:00; sat,sun',
      'working hours: "sat,sun": no times after the days: write the hours after them as H:MM-HH:MM (sat,sun 09:00-18:00)',
    ],
    [
      '09:00-18:00',
      'working hours: "09:00-18:00": no days before the times: write the days first (mon-fri 09:00-18:00)',
    ],
    [
      'mon09:00-18:00',
      'working hours: "mon09:00-18:00": no space between the days and the times: write a space after the days (mon-fri 09:00-18:00)',
    ],
    [
      'mon tue 09:00-18:00',
      'working hours: "mon tue 09:00-18:00": the days "mon tue" are not a day list: write a day, a range a-b or a list a,b of them (mon,wed-fri)',
    ],
    [
      'mon,,tue 09:00-18:00',
      'working hours: "mon,,tue 09:00-18:00": the days "mon,,tue" are not a day list: write a day, a range a-b or a list a,b of them (mon,wed-fri)',
    ],
    ['mon 09:00-18:00,', `working hours: "mon 09:00-18:00,": an empty range in the list: ${TIMES}`],
    ['mon 09:00', `working hours: "mon 09:00": the times "09:00" are not a range: ${TIMES}`],
    ['mon 09:00-', `working hours: "mon 09:00-": the times "09:00-" are not a range: ${TIMES}`],
    [';', EMPTY_PART],
    ['mon 09:00-18:00;; tue 09:00-18:00', EMPTY_PART],
    ['mon 09:00-18:00;;', EMPTY_PART],
  ])('refuses %j with one line naming the part', (text, message) => {
    let error: unknown;
    try {
      parseWorkingHours(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkingHoursError);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe(message);
  });

  it('keeps the message on one line and short whatever the part holds', () => {
    const error = (() => {
      try {
        parseWorkingHours(`mon,\n tue\r\n"x" ${'9'.repeat(200)}`);
      } catch (e) {
        return e as WorkingHoursError;
      }
    })();
    expect(error?.name).toBe('WorkingHoursError');
    expect(error?.part).toBe(`mon,\n tue\r\n"x" ${'9'.repeat(200)}`);
    expect(error?.message).toBe(
      `working hours: "mon, tue \\"x\\" ${'9'.repeat(44)}...": unknown word "x": a part is days and times (mon-fri 09:00-18:00; days: mon tue wed thu fri sat sun) or closed and dates (closed 2026-01-01..2026-01-08)`,
    );
  });
});

describe('in hours', () => {
  it('includes a range’s start and excludes its end, to the millisecond', () => {
    const h = hours('mon-fri 09:00-19:00');
    expect(isInHours(h, wall('2026-03-13 08:59:59'))).toBe(false);
    expect(isInHours(h, wall('2026-03-13 09:00:00') - 1)).toBe(false);
    expect(isInHours(h, wall('2026-03-13 09:00:00'))).toBe(true);
    expect(isInHours(h, wall('2026-03-13 18:59:59'))).toBe(true);
    expect(isInHours(h, wall('2026-03-13 19:00:00') - 1)).toBe(true);
    expect(isInHours(h, wall('2026-03-13 19:00:00'))).toBe(false);
    expect(isInHours(h, wall('2026-03-14 12:00:00'))).toBe(false); // saturday
  });

  it('runs a 24:00 end to the last millisecond of the day, and a 00:00 start from the first', () => {
    const h = hours('sat 18:00-24:00; sun 00:00-06:00');
    expect(isInHours(h, wall('2026-03-14 23:59:59'))).toBe(true);
    expect(isInHours(h, wall('2026-03-15') - 1)).toBe(true);
    expect(isInHours(h, wall('2026-03-15 00:00:00'))).toBe(true);
    expect(isInHours(h, wall('2026-03-15 06:00:00'))).toBe(false);
    expect(isInHours(h, wall('2026-03-16 00:00:00'))).toBe(false); // monday
  });

  it('is out of hours between two ranges of a day and in hours in each', () => {
    const h = hours('mon-fri 09:00-13:00, 14:00-18:00');
    expect(isInHours(h, wall('2026-03-13 12:59:59'))).toBe(true);
    expect(isInHours(h, wall('2026-03-13 13:00:00'))).toBe(false);
    expect(isInHours(h, wall('2026-03-13 13:59:59'))).toBe(false);
    expect(isInHours(h, wall('2026-03-13 14:00:00'))).toBe(true);
    expect(isInHours(h, wall('2026-03-13 18:00:00'))).toBe(false);
  });

  it('is out of hours all day on a closed date and through a closed range, in hours either side', () => {
    const h = hours('mon-sun 09:00-18:00; closed 2026-01-01..2026-01-08, 2026-03-09');
    expect(isInHours(h, wall('2025-12-31 12:00:00'))).toBe(true);
    expect(isInHours(h, wall('2026-01-01 09:00:00'))).toBe(false);
    expect(isInHours(h, wall('2026-01-05 12:00:00'))).toBe(false);
    expect(isInHours(h, wall('2026-01-08 17:59:59'))).toBe(false);
    expect(isInHours(h, wall('2026-01-09 09:00:00'))).toBe(true);
    expect(isInHours(h, wall('2026-03-08 12:00:00'))).toBe(true);
    expect(isInHours(h, wall('2026-03-09 12:00:00'))).toBe(false);
    expect(isInHours(h, wall('2026-03-10 12:00:00'))).toBe(true);
  });

  it('is in hours at any moment of a day not closed when the text has only closed parts', () => {
    const h = hours('closed 2026-03-09');
    expect(isInHours(h, wall('2026-03-08 23:59:59'))).toBe(true);
    expect(isInHours(h, wall('2026-03-09 00:00:00'))).toBe(false);
    expect(isInHours(h, wall('2026-03-09 23:59:59'))).toBe(false);
    expect(isInHours(h, wall('2026-03-10 00:00:00'))).toBe(true);
  });

  it('is always in hours with no working hours, whose moments are their own openings', () => {
    const t = wall('2026-03-14 03:00:00');
    expect(isInHours(null, t)).toBe(true);
    expect(nextOpening(null, t)).toBe(t);
    expect(effectiveStart(null, t)).toBe(t);
  });

  it('knows days before 1970 by their weekday', () => {
    const h = hours('mon 09:00-18:00; closed 1969-12-29');
    expect(isInHours(h, wall('1969-12-22 10:00:00'))).toBe(true); // a monday
    expect(isInHours(h, wall('1969-12-23 10:00:00'))).toBe(false);
    expect(isInHours(h, wall('1969-12-29 10:00:00'))).toBe(false); // closed
    expect(nextOpening(h, wall('1969-12-23 10:00:00'))).toBe(wall('1970-01-05 09:00:00'));
  });
});

describe('the next opening and the effective start', () => {
  const weekdays = hours('mon-fri 09:00-19:00');

  it('finds monday 09:00 for a friday 19:30 miss', () => {
    expect(nextOpening(weekdays, wall('2026-03-13 19:30:00'))).toBe(wall('2026-03-16 09:00:00'));
    expect(effectiveStart(weekdays, wall('2026-03-13 19:30:00'))).toBe(wall('2026-03-16 09:00:00'));
  });

  it('counts a range that begins at that very moment, and finds the same day’s opening before it', () => {
    expect(nextOpening(weekdays, wall('2026-03-16 09:00:00'))).toBe(wall('2026-03-16 09:00:00'));
    expect(nextOpening(weekdays, wall('2026-03-16 07:15:00'))).toBe(wall('2026-03-16 09:00:00'));
    expect(nextOpening(weekdays, wall('2026-03-16 19:00:00'))).toBe(wall('2026-03-17 09:00:00'));
  });

  it('gives the start of the next range to a moment in hours, and the effective start keeps the moment', () => {
    const split = hours('mon-fri 09:00-13:00, 14:00-18:00');
    expect(nextOpening(split, wall('2026-03-16 10:00:00'))).toBe(wall('2026-03-16 14:00:00'));
    expect(nextOpening(split, wall('2026-03-16 13:30:00'))).toBe(wall('2026-03-16 14:00:00'));
    expect(effectiveStart(split, wall('2026-03-16 10:00:00'))).toBe(wall('2026-03-16 10:00:00'));
    expect(effectiveStart(split, wall('2026-03-16 13:30:00'))).toBe(wall('2026-03-16 14:00:00'));
  });

  it('steps over a closed range and a closed date to the first working day after', () => {
    const h = hours('mon-fri 09:00-19:00; closed 2026-01-01..2026-01-08, 2026-01-09');
    expect(nextOpening(h, wall('2025-12-31 19:30:00'))).toBe(wall('2026-01-12 09:00:00'));
    expect(effectiveStart(h, wall('2026-01-05 12:00:00'))).toBe(wall('2026-01-12 09:00:00'));
  });

  it(`finds an opening exactly ${OPENING_SEARCH_DAYS} days ahead, and none a second further`, () => {
    const sunday = wall('2026-03-08');
    const h = hours(`mon 09:00-10:00; closed 2026-03-08..${formatWallDate(sunday + 399 * DAY_MS)}`);
    const opening = sunday + 400 * DAY_MS + 9 * 3_600_000;
    expect(new Date(opening).getUTCDay()).toBe(1);
    expect(nextOpening(h, wall('2026-03-08 09:00:00'))).toBe(opening);
    expect(nextOpening(h, wall('2026-03-08 08:59:59'))).toBeNull();
    expect(effectiveStart(h, wall('2026-03-08 08:59:59'))).toBeNull();
  });

  it('finds none when closed beyond 400 days, however long the closed range', () => {
    const h = hours('mon-fri 09:00-19:00; closed 2026-01-01..2027-03-01');
    expect(nextOpening(h, wall('2026-01-01 12:00:00'))).toBeNull();
    expect(effectiveStart(h, wall('2026-01-01 12:00:00'))).toBeNull();
    const ages = hours('mon-fri 09:00-19:00; closed 0100-01-01..9999-12-31');
    expect(ages.closed).toHaveLength(2);
    expect(isInHours(ages, wall('2026-03-16 12:00:00'))).toBe(false);
    expect(nextOpening(ages, wall('2026-03-16 12:00:00'))).toBeNull();
  });
});

/** Working hours written as the grammar's pieces, rendered with any allowed spacing and case. */
interface Spec {
  days: Array<{ days: Array<[number, number]>; ranges: Array<[number, number]> }>;
  closed: Array<[number, number]>;
}
const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const BASE_DAY = wall('2026-01-01') / DAY_MS;
const space = fc.constantFrom('', ' ', '  ', '\t');
const word = (w: string) => fc.constantFrom(w, w.toUpperCase(), w[0]?.toUpperCase() + w.slice(1));
const dayItem = fc
  .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }))
  .map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)]);
const range = fc
  .tuple(fc.integer({ min: 0, max: 47 }), fc.integer({ min: 1, max: 48 }))
  .filter(([a, b]) => a < b)
  .map(([a, b]): [number, number] => [a * 30, b * 30]);
const dateItem = fc
  .tuple(fc.integer({ min: -40, max: 80 }), fc.integer({ min: 0, max: 6 }))
  .map(([a, n]): [number, number] => [BASE_DAY + a, BASE_DAY + a + n]);
const spec: fc.Arbitrary<Spec> = fc.record({
  days: fc.array(
    fc.record({
      days: fc.array(dayItem, { minLength: 1, maxLength: 3 }),
      ranges: fc.array(range, { minLength: 1, maxLength: 3 }),
    }),
    { maxLength: 4 },
  ),
  closed: fc.array(fc.array(dateItem, { minLength: 1, maxLength: 3 }), { maxLength: 2 }).map((c) => c.flat()),
});

function render(s: Spec): fc.Arbitrary<string> {
  const clock = (m: number, pad: boolean) =>
    `${pad ? String(Math.floor(m / 60)).padStart(2, '0') : Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
  const join = (items: fc.Arbitrary<string>[], sep: string) =>
    fc
      .tuple(
        fc.tuple(...items),
        fc.array(fc.tuple(space, space), { minLength: items.length, maxLength: items.length }),
      )
      .map(([texts, spaces]) =>
        texts.map((t, i) => (i === 0 ? t : `${spaces[i]?.[0]}${sep}${spaces[i]?.[1]}${t}`)).join(''),
      );
  const dayText = ([a, b]: [number, number]) =>
    a === b
      ? word(DAY_NAMES[a] as string)
      : fc
          .tuple(word(DAY_NAMES[a] as string), space, space, word(DAY_NAMES[b] as string))
          .map(([x, s1, s2, y]) => `${x}${s1}-${s2}${y}`);
  const rangeText = ([a, b]: [number, number]) =>
    fc
      .tuple(fc.boolean(), space, space)
      .map(([pad, s1, s2]) => `${clock(a, pad || a >= 600)}${s1}-${s2}${clock(b, pad || b >= 600)}`);
  const dateText = ([a, b]: [number, number]) =>
    fc.constant(
      a === b ? formatWallDate(a * DAY_MS) : `${formatWallDate(a * DAY_MS)}..${formatWallDate(b * DAY_MS)}`,
    );
  const parts = s.days.map((p) =>
    fc.tuple(join(p.days.map(dayText), ','), join(p.ranges.map(rangeText), ',')).map(([d, r]) => `${d} ${r}`),
  );
  if (s.closed.length > 0)
    parts.push(fc.tuple(word('closed'), join(s.closed.map(dateText), ',')).map(([w, d]) => `${w} ${d}`));
  if (parts.length === 0) return fc.constantFrom('', ' ');
  const order = parts.map((_, i) => i);
  return fc
    .shuffledSubarray(order, { minLength: order.length, maxLength: order.length })
    .chain((o) =>
      join(
        o.map((i) => parts[i] as fc.Arbitrary<string>),
        ';',
      ),
    )
    .chain((text) => fc.constantFrom('', ';', ' ; ').map((tail) => `${text}${tail}`));
}
const written = spec.chain((s) => render(s).map((text) => ({ s, text })));

/** The grammar's meaning, straight from the spec: in hours at `t`? */
function model(s: Spec) {
  const week: Array<Array<[number, number]>> = DAY_NAMES.map(() => []);
  for (const p of s.days)
    for (const [a, b] of p.days)
      for (let d = a; d <= b; d++) (week[d] as Array<[number, number]>).push(...p.ranges);
  if (s.days.length === 0) for (const d of week) d.push([0, 1440]);
  const closed = new Set<number>();
  for (const [a, b] of s.closed) for (let d = a; d <= b; d++) closed.add(d);
  return (t: number): boolean => {
    const day = Math.floor(t / DAY_MS);
    if (closed.has(day)) return false;
    const minute = (t - day * DAY_MS) / 60_000;
    const ranges = week[(new Date(t).getUTCDay() + 6) % 7] as Array<[number, number]>;
    return ranges.some(([a, b]) => a <= minute && minute < b);
  };
}
const HALF_HOUR = 1_800_000;
const moment = fc
  .integer({ min: (BASE_DAY - 50) * 1440, max: (BASE_DAY + 100) * 1440 })
  .chain((minute) => fc.constantFrom(0, 1, 30_000, 59_999).map((ms) => minute * 60_000 + ms));

describe('the working-hours properties', () => {
  it('reads the normal form back to the same hours, and the normal form is a fixed point', () => {
    fc.assert(
      fc.property(written, ({ text }) => {
        const parsed = parseWorkingHours(text);
        const normal = formatWorkingHours(parsed);
        expect(parseWorkingHours(normal ?? '')).toEqual(parsed);
        expect(formatWorkingHours(parseWorkingHours(normal ?? ''))).toBe(normal);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the grammar’s meaning on every moment, and the next opening with a scan of every half hour', () => {
    fc.assert(
      fc.property(written, fc.array(moment, { minLength: 1, maxLength: 5 }), ({ s, text }, moments) => {
        const h = parseWorkingHours(text);
        const inHours = model(s);
        for (const t of moments) {
          expect(isInHours(h, t)).toBe(inHours(t));
          if (inHours(t)) {
            expect(effectiveStart(h, t)).toBe(t);
            continue;
          }
          // Every range of the spec starts on a half hour: the first moment in hours after t is one.
          let scan = Math.ceil(t / HALF_HOUR) * HALF_HOUR;
          const end = t + 30 * DAY_MS;
          while (scan <= end && !inHours(scan)) scan += HALF_HOUR;
          const opening = nextOpening(h, t);
          if (scan <= end) expect(opening).toBe(scan);
          else expect(opening === null || opening > end).toBe(true);
          expect(effectiveStart(h, t)).toBe(opening);
        }
      }),
      { numRuns: 150 },
    );
  });
});
