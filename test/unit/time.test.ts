import { describe, expect, it } from 'vitest';
import { normalisePhone } from '../../functions/shared/calls/phone.ts';
import {
  parseWall,
  periodBounds,
  periodDays,
  previousPeriod,
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

  it('knows a period’s bounds, length and the period before it', () => {
    const p = { from: '2024-10-01', till: '2024-10-31', timezone: 'Europe/Moscow' };
    expect(periodBounds(p)).toEqual({ start: Date.UTC(2024, 9, 1), end: Date.UTC(2024, 9, 31, 23, 59, 59) });
    expect(periodDays(p)).toBe(31);
    expect(previousPeriod(p)).toEqual({ from: '2024-08-31', till: '2024-09-30', timezone: 'Europe/Moscow' });
  });
});
