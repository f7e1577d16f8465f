import { describe, expect, it } from 'vitest';
import { normalisePhone } from '../../functions/shared/calls/phone.ts';
import {
  comparisonCut,
  comparisonPeriod,
  parseWall,
  periodBounds,
  periodDays,
  toWall,
  yesterday,
} from '../../functions/shared/time.ts';

describe('normalisePhone', () => {
  it.each([
    ['+7 (495) 023-06-25', '74950230625'],
    ['84950230625', '74950230625'],
    ['9161234567', '79161234567'],
    ['74950230625', '74950230625'],
    ['4950230625', '4950230625'],
    ['123', '123'],
    ['anonymous', null],
    [null, null],
  ])('%s → %s', (raw, normal) => {
    expect(normalisePhone(raw)).toBe(normal);
  });
});

describe('wall clock', () => {
  it('parses dates and refuses impossible ones', () => {
    expect(parseWall('2024-10-21 16:08:19')).toBe(Date.UTC(2024, 9, 21, 16, 8, 19));
    expect(parseWall('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseWall('2023-02-29')).toBeNull();
    expect(parseWall('2024-13-01')).toBeNull();
    expect(parseWall('21.10.2024')).toBeNull();
  });

  it('computes yesterday in the zone, not in UTC', () => {
    // 2024-10-21 22:30 UTC is already 2024-10-22 01:30 in Moscow.
    const now = Date.UTC(2024, 9, 21, 22, 30);
    expect(yesterday(now, 'Europe/Moscow')).toEqual({
      from: '2024-10-21',
      till: '2024-10-21',
      timezone: 'Europe/Moscow',
    });
    expect(yesterday(now, 'UTC')).toEqual({ from: '2024-10-20', till: '2024-10-20', timezone: 'UTC' });
    expect(toWall(now, 'Europe/Moscow')).toBe(Date.UTC(2024, 9, 22, 1, 30));
  });

  it('knows a period’s bounds and length', () => {
    const p = { from: '2024-10-01', till: '2024-10-31', timezone: 'Europe/Moscow' };
    expect(periodBounds(p)).toEqual({ start: Date.UTC(2024, 9, 1), end: Date.UTC(2024, 9, 31, 23, 59, 59) });
    expect(periodDays(p)).toBe(31);
  });
});

describe('comparisonPeriod: the like period of report-metrics.md, the first rule that fits', () => {
  const like = (from: string, till: string) => {
    const p = comparisonPeriod({ from, till, timezone: 'Europe/Moscow' });
    expect(p.timezone).toBe('Europe/Moscow');
    return `${p.from}..${p.till}`;
  };

  it('compares a day with the same weekday a week earlier, never with the day before', () => {
    expect(like('2024-10-21', '2024-10-21')).toBe('2024-10-14..2024-10-14'); // Monday → last Monday
    expect(like('2024-10-20', '2024-10-20')).toBe('2024-10-13..2024-10-13'); // Sunday → last Sunday
    expect(like('2024-03-01', '2024-03-01')).toBe('2024-02-23..2024-02-23'); // a 1st is still one day
  });

  it('compares up to 7 days with the same days a week earlier', () => {
    expect(like('2024-10-21', '2024-10-23')).toBe('2024-10-14..2024-10-16'); // Mon–Wed → last Mon–Wed
    expect(like('2024-10-21', '2024-10-27')).toBe('2024-10-14..2024-10-20'); // a week → the week before
    expect(like('2024-03-01', '2024-03-07')).toBe('2024-02-23..2024-02-29'); // 7 days from a 1st: rule 1 first
    expect(like('2024-12-30', '2025-01-03')).toBe('2024-12-23..2024-12-27');
  });

  it('compares month to date with the same days of the previous month', () => {
    expect(like('2024-03-01', '2024-03-15')).toBe('2024-02-01..2024-02-15');
    expect(like('2025-01-01', '2025-01-26')).toBe('2024-12-01..2024-12-26'); // across the year
    expect(like('2024-03-01', '2024-03-30')).toBe('2024-02-01..2024-02-29'); // clamped to February's end
  });

  it('compares a whole month with the previous month, its last day clamped (31 against 30 days)', () => {
    expect(like('2024-10-01', '2024-10-31')).toBe('2024-09-01..2024-09-30'); // 31 days against 30
    expect(like('2024-03-01', '2024-03-31')).toBe('2024-02-01..2024-02-29'); // leap year
    expect(like('2025-03-01', '2025-03-31')).toBe('2025-02-01..2025-02-28');
    // The same days: a 30-day month against the first 30 days of the 31-day month before it.
    expect(like('2024-11-01', '2024-11-30')).toBe('2024-10-01..2024-10-30');
  });

  it('compares several whole calendar months with as many calendar months just before', () => {
    expect(like('2024-01-01', '2024-03-31')).toBe('2023-10-01..2023-12-31');
    expect(like('2025-01-01', '2025-02-28')).toBe('2024-11-01..2024-12-31'); // ends on the month’s last day there too
    expect(like('2024-04-01', '2024-05-31')).toBe('2024-02-01..2024-03-31');
    expect(like('2024-01-01', '2024-12-31')).toBe('2023-01-01..2023-12-31'); // a year
  });

  it('falls back to as many days just before for anything else', () => {
    expect(like('2024-10-10', '2024-10-25')).toBe('2024-09-24..2024-10-09'); // 16 days
    expect(like('2024-01-01', '2024-02-10')).toBe('2023-11-21..2023-12-31'); // from a 1st, not to a month’s end
    expect(like('2024-01-15', '2024-02-14')).toBe('2023-12-15..2024-01-14');
    expect(like('2024-02-02', '2024-02-29')).toBe('2024-01-05..2024-02-01'); // not from a 1st
  });
});

describe('comparisonCut: a partial period against the same span of its like period', () => {
  const at = (text: string) => parseWall(text) ?? Number.NaN;
  const cut = (from: string, till: string, asOf: string) =>
    new Date(comparisonCut({ from, till, timezone: 'Europe/Moscow' }, at(asOf))).toISOString();

  it('cuts the like period’s last day at the time of day of as_of', () => {
    expect(cut('2024-10-21', '2024-10-21', '2024-10-21 11:00:00')).toBe('2024-10-14T11:00:00.000Z');
    expect(cut('2024-10-21', '2024-10-23', '2024-10-23 09:30:15')).toBe('2024-10-16T09:30:15.000Z');
    expect(cut('2024-03-01', '2024-03-15', '2024-03-15 23:59:59')).toBe('2024-02-15T23:59:59.000Z');
    expect(cut('2024-03-01', '2024-03-31', '2024-03-31 11:00:00')).toBe('2024-02-29T11:00:00.000Z');
    expect(cut('2025-01-01', '2025-02-28', '2025-02-28 08:00:00')).toBe('2024-12-31T08:00:00.000Z');
    expect(cut('2024-10-10', '2024-10-25', '2024-10-25 00:00:00')).toBe('2024-10-09T00:00:00.000Z');
  });

  it('moves an as_of before the last day back by the period’s own rule, never past the like period’s end', () => {
    expect(cut('2024-10-21', '2024-10-27', '2024-10-23 11:00:00')).toBe('2024-10-16T11:00:00.000Z');
    expect(cut('2024-03-01', '2024-03-31', '2024-03-10 11:00:00')).toBe('2024-02-10T11:00:00.000Z');
    expect(cut('2024-03-01', '2024-03-31', '2024-03-30 11:00:00')).toBe('2024-02-29T11:00:00.000Z');
  });

  it('refuses an as_of outside the period', () => {
    expect(() => cut('2024-10-21', '2024-10-21', '2024-10-22 00:00:00')).toThrow(/outside the period/);
  });
});
