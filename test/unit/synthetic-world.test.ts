/**
 * The synthetic data is one world: a date's calls do not depend on the period
 * asked for, different dates differ, a morning callback answers last night's
 * miss, and the calendar (weekends, Russian public holidays) shows.
 */
import { describe, expect, it } from 'vitest';
import { normalisePhone } from '../../functions/shared/calls/phone.ts';
import { DAY_MS, formatWallDate, parseWall } from '../../functions/shared/time.ts';
import type { MgfCallRow } from '../../simulator/columns.ts';
import { callsPerDayForTotal, generateCalls, generateRowsForTotal } from '../../simulator/generator.ts';

/** The demo's settings (cli/main.ts): seed 1, 400 calls a day, the period and the day after it. */
const demo = (from: string, till: string): MgfCallRow[] =>
  generateCalls({ seed: 1, from, till: addDays(till, 1), callsPerDay: 400 });

function addDays(date: string, days: number): string {
  return formatWallDate((parseWall(date) ?? 0) + days * DAY_MS);
}
const onDate = (rows: readonly MgfCallRow[], date: string): MgfCallRow[] =>
  rows.filter((r) => r.call_start_date === date);
const phoneOf = (r: MgfCallRow): string | null =>
  typeof r.contact_phone_number === 'string'
    ? r.contact_phone_number
    : (r.contact_phone_number?.value ?? null);
const isExternal = (r: MgfCallRow): boolean => r.virtual_phone_number !== null;
const isMiss = (r: MgfCallRow): boolean =>
  isExternal(r) && r.call_direction.value_id === 'in' && r.call_status.value_id === 'lost';
const isAnsweredCallback = (r: MgfCallRow): boolean =>
  isExternal(r) && r.call_direction.value_id === 'out' && r.call_status.value_id !== 'lost';

function countsByDate(rows: readonly MgfCallRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.call_start_date, (counts.get(r.call_start_date) ?? 0) + 1);
  return counts;
}

describe('synthetic world: a date is the same in every run', () => {
  it.each([
    ['2026-11-25', 'a Wednesday'],
    ['2026-11-23', 'a Monday (after a weekend)'],
    ['2026-11-04', 'a public holiday (4 November)'],
    ['2026-12-01', 'the first of a month'],
  ])('%s (%s) is identical row for row in a one-day, a week and a month run', (date) => {
    const one = onDate(demo(date, date), date);
    const week = onDate(demo(addDays(date, -3), addDays(date, 3)), date);
    const month = onDate(demo(addDays(date, -20), addDays(date, 10)), date);
    expect(one.length).toBeGreaterThan(50);
    expect(week).toEqual(one);
    expect(month).toEqual(one);
  });

  it('keeps ids growing with the start within and across days, and the same for a call in every run', () => {
    const month = demo('2026-11-01', '2026-11-30');
    for (let i = 1; i < month.length; i++) {
      const prev = month[i - 1] as MgfCallRow;
      const row = month[i] as MgfCallRow;
      expect(prev.call_start_date_time <= row.call_start_date_time).toBe(true);
      expect(Number(row.communication_id)).toBeGreaterThan(Number(prev.communication_id));
    }
    const week = demo('2026-11-16', '2026-11-22');
    const idsInMonth = new Map(month.map((r) => [Number(r.communication_id), r.call_start_date_time]));
    for (const r of week) {
      if (r.call_start_date > '2026-11-30') continue;
      expect(idsInMonth.get(Number(r.communication_id))).toBe(r.call_start_date_time);
    }
  });

  it('shifts every id by the same amount with another firstCommunicationId, and says which bases are allowed', () => {
    const a = generateCalls({ seed: 4, from: '2024-10-01', till: '2024-10-02', callsPerDay: 50 });
    const b = generateCalls({
      seed: 4,
      from: '2024-10-01',
      till: '2024-10-02',
      callsPerDay: 50,
      firstCommunicationId: 9e9,
    });
    expect(b.map((r) => Number(r.communication_id) - 6e9)).toEqual(a.map((r) => Number(r.communication_id)));
    expect(() => generateCalls({ from: '2011-01-01', till: '2011-01-01', firstCommunicationId: 1 })).toThrow(
      /below 1.*firstCommunicationId/,
    );
  });
});

describe('synthetic world: different dates differ', () => {
  const month = demo('2026-10-19', '2026-11-30');
  const pairs = (date: string): Set<string> =>
    new Set(onDate(month, date).map((r) => `${r.call_start_time} ${phoneOf(r)}`));

  it.each([
    ['2026-11-25', '2026-11-30', 'the issue’s pair'],
    ['2026-11-25', '2026-11-18', 'same weekday, a week apart'],
    ['2026-11-23', '2026-11-16', 'Mondays a week apart'],
    ['2026-11-21', '2026-11-28', 'Saturdays a week apart'],
    ['2026-11-24', '2026-11-25', 'consecutive days'],
    ['2026-10-21', '2026-11-25', 'five weeks apart'],
  ])('%s and %s (%s) share under 5 percent of their (time, number) pairs', (a, b) => {
    const pa = pairs(a);
    const pb = pairs(b);
    expect(Math.min(pa.size, pb.size)).toBeGreaterThan(50);
    const shared = [...pa].filter((p) => pb.has(p)).length;
    expect(shared / Math.min(pa.size, pb.size)).toBeLessThan(0.05);
  });
});

describe('synthetic world: the next day answers last night', () => {
  it('a miss late on day D is called back on D+1, and the D+1 run holds that same callback', () => {
    const d = '2026-11-24';
    const next = addDays(d, 1);
    const both = demo(d, d);
    const lateMisses = onDate(both, d).filter((r) => isMiss(r) && r.call_start_time >= '19:00:00');
    const missed = new Set(lateMisses.map((r) => normalisePhone(phoneOf(r))));
    const callbacks = onDate(both, next).filter(
      (r) => isAnsweredCallback(r) && missed.has(normalisePhone(phoneOf(r))),
    );
    // Far more than regular clients called by chance would give (about 1 in 20).
    const calledBack = new Set(callbacks.map((r) => normalisePhone(phoneOf(r))));
    const answered = lateMisses.filter((r) => calledBack.has(normalisePhone(phoneOf(r))));
    expect(lateMisses.length).toBeGreaterThan(5);
    expect(answered.length / lateMisses.length).toBeGreaterThan(0.3);

    // The one-day run of D+1 (nothing of D in it) holds exactly these callbacks.
    const alone = onDate(demo(next, next), next);
    expect(alone.some((r) => r.call_start_date === d)).toBe(false);
    const byId = new Map(alone.map((r) => [Number(r.communication_id), r]));
    for (const c of callbacks) expect(byId.get(Number(c.communication_id))).toEqual(c);
  });

  it('over a month most mornings call back some of the previous evening’s misses', () => {
    const rows = demo('2026-11-01', '2026-11-30');
    let mornings = 0;
    let late = 0;
    let answeredNextDay = 0;
    for (let day = 2; day <= 30; day++) {
      const date = `2026-11-${String(day).padStart(2, '0')}`;
      const prev = addDays(date, -1);
      const missed = new Set(
        onDate(rows, prev)
          .filter((r) => isMiss(r) && r.call_start_time >= '19:00:00')
          .map((r) => normalisePhone(phoneOf(r))),
      );
      const calledBack = onDate(rows, date).filter(
        (r) => isAnsweredCallback(r) && missed.has(normalisePhone(phoneOf(r))),
      );
      if (calledBack.some((r) => r.call_start_time < '12:00:00')) mornings++;
      late += missed.size;
      answeredNextDay += new Set(calledBack.map((r) => normalisePhone(phoneOf(r)))).size;
    }
    expect(mornings).toBeGreaterThan(20);
    expect(answeredNextDay / late).toBeGreaterThan(0.25);
  });
});

describe('synthetic world: the calendar', () => {
  const year = generateCalls({ seed: 1, from: '2025-01-01', till: '2025-12-31', callsPerDay: 200 });
  const counts = countsByDate(year);
  const count = (date: string): number => counts.get(date) ?? 0;
  const weekday = (date: string): number => new Date(parseWall(date) ?? 0).getUTCDay();
  // 2025's public holidays: 23 Feb was a Sunday (off on Monday 24th), 8 Mar a Saturday (off on Monday 10th).
  const holidays = [
    ...['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => `2025-01-${d}`),
    '2025-02-23',
    '2025-02-24',
    '2025-03-08',
    '2025-03-10',
    '2025-05-01',
    '2025-05-09',
    '2025-06-12',
    '2025-11-04',
  ];
  const dates = [...counts.keys()];
  const workdays = dates.filter((d) => !holidays.includes(d) && weekday(d) !== 0 && weekday(d) !== 6);
  const mean = (list: string[]): number => list.reduce((s, d) => s + count(d), 0) / list.length;
  const workdayMean = mean(workdays);

  it('every working day is busy; Saturdays and Sundays are quieter', () => {
    expect(dates).toHaveLength(365);
    for (const d of workdays) expect(count(d), d).toBeGreaterThan(0.7 * workdayMean);
    const saturdays = dates.filter((d) => weekday(d) === 6 && !holidays.includes(d));
    const sundays = dates.filter((d) => weekday(d) === 0 && !holidays.includes(d));
    for (const d of [...saturdays, ...sundays]) expect(count(d), d).toBeLessThan(0.65 * workdayMean);
    expect(mean(sundays)).toBeLessThan(mean(saturdays));
  });

  it.each(holidays)('%s, a public holiday (or its day off), is quieter than a working day', (date) => {
    expect(count(date)).toBeGreaterThan(0);
    expect(count(date)).toBeLessThan(0.45 * workdayMean);
  });

  it('the quiet days are quiet by the calendar, not by chance: the same dates in two seeds', () => {
    const other = countsByDate(
      generateCalls({ seed: 2, from: '2025-06-09', till: '2025-06-15', callsPerDay: 200 }),
    );
    // Mon 9 .. Sun 15 June 2025: Thursday 12th is Russia Day.
    expect((other.get('2025-06-12') ?? 0) * 2).toBeLessThan(other.get('2025-06-11') ?? 0);
    expect((other.get('2025-06-15') ?? 0) * 2).toBeLessThan(other.get('2025-06-10') ?? 0);
  });
});

describe('synthetic world: an exact total', () => {
  it('is the world at the density callsPerDayForTotal gives on every day but the last', () => {
    const total = generateRowsForTotal(5000, '2024-10-01', '2024-10-14', { seed: 11 });
    expect(total).toHaveLength(5000);
    const perDay = callsPerDayForTotal(5000, '2024-10-01', '2024-10-14', 11);
    const world = generateCalls({ seed: 11, from: '2024-10-01', till: '2024-10-13', callsPerDay: perDay });
    expect(total.filter((r) => r.call_start_date < '2024-10-14')).toEqual(world);
    // And a different period at the same density gives the same days.
    const longer = generateCalls({ seed: 11, from: '2024-09-20', till: '2024-10-20', callsPerDay: perDay });
    expect(onDate(longer, '2024-10-07')).toEqual(onDate(total, '2024-10-07'));
  });

  it('spreads a small total over the period instead of piling it on one day', () => {
    const rows = generateRowsForTotal(60, '2024-10-01', '2024-10-30', { seed: 2 });
    expect(rows).toHaveLength(60);
    expect(countsByDate(rows).size).toBeGreaterThan(15);
  });
});
