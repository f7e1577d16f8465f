import { describe, expect, it } from 'vitest';
import { PERIOD_RULES, periodOfRule } from '../../functions/shared/http/period-rules.ts';

const TZ = 'Europe/Moscow';
// Wednesday 2024-10-23 01:30 in Moscow (22:30 UTC the day before): the zone decides the day.
const NOW = Date.UTC(2024, 9, 22, 22, 30);

describe('quick links’ period rules', () => {
  it.each([
    ['today', '2024-10-23', '2024-10-23'],
    ['yesterday', '2024-10-22', '2024-10-22'],
    ['this_week', '2024-10-21', '2024-10-23'],
    ['last_week', '2024-10-14', '2024-10-20'],
    ['this_month', '2024-10-01', '2024-10-23'],
    ['last_month', '2024-09-01', '2024-09-30'],
  ] as const)('%s is %s..%s in the subscription’s zone', (rule, from, till) => {
    expect(periodOfRule(rule, TZ, NOW)).toEqual({ from, till, timezone: TZ });
  });

  it('start the week on Monday, also on a Sunday and a Monday', () => {
    expect(periodOfRule('this_week', 'UTC', Date.UTC(2024, 9, 27, 12))).toMatchObject({
      from: '2024-10-21',
      till: '2024-10-27',
    });
    expect(periodOfRule('this_week', 'UTC', Date.UTC(2024, 9, 28, 12))).toMatchObject({
      from: '2024-10-28',
      till: '2024-10-28',
    });
    expect(periodOfRule('last_week', 'UTC', Date.UTC(2024, 9, 28, 12))).toMatchObject({
      from: '2024-10-21',
      till: '2024-10-27',
    });
  });

  it('take last month across a year’s end', () => {
    expect(periodOfRule('last_month', 'UTC', Date.UTC(2025, 0, 5))).toMatchObject({
      from: '2024-12-01',
      till: '2024-12-31',
    });
  });

  it('are the six the quick links may carry', () => {
    expect(PERIOD_RULES).toEqual([
      'today',
      'yesterday',
      'this_week',
      'last_week',
      'this_month',
      'last_month',
    ]);
  });
});
