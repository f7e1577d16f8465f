import { describe, expect, it } from 'vitest';
import type { Call } from '../../../functions/shared/calls/call.ts';
import type { SummariseInput } from '../../../functions/shared/report/figures/summarise.ts';
import type { Period } from '../../../functions/shared/time.ts';
import { A, answeredIn, answeredOut, B, C, failedOut, miss, run, w } from './fixture.ts';

/** Friday 2024-03-15; the Monday after is the 18th. */
const FRIDAY: Period = { from: '2024-03-15', till: '2024-03-15', timezone: 'Europe/Moscow' };
const WEEKDAYS = 'mon-fri 09:00-19:00';

/** The Friday's report, made long after every horizon unless told otherwise, with `mon-fri 09:00-19:00`. */
function friday(
  calls: Call[],
  followUps: Call[],
  more: Partial<Omit<SummariseInput, 'calls' | 'followUps'>> = {},
) {
  return run(calls, {
    period: FRIDAY,
    followUps,
    settings: { working_hours: WEEKDAYS },
    nowWall: w('2024-03-25 06:00:00'),
    ...more,
  });
}

describe('summarise: each miss has its own horizon, from its effective start', () => {
  it('a Friday 19:30 miss called back Monday 09:10 is called_back after 600 s; one never called is unreturned', () => {
    const { summary, missed } = friday(
      [miss('2024-03-15 19:30:00', A), miss('2024-03-15 19:30:00', B)],
      [answeredOut('2024-03-18 09:10:00', A, { receivedCall: 'Иванов' })],
    );
    expect(missed.map((m) => [m.call.contactNormal, m.outcome, m.delay_seconds])).toEqual([
      ['79001111111', 'called_back', 600],
      ['79002222222', 'unreturned', null],
    ]);
    expect(summary.missed).toMatchObject({ called_back: 1, unreturned: 1, avg_callback_delay_seconds: 600 });
    expect(summary.missed.callback_delay_buckets.le_15m).toBe(1);
    expect(summary.missed.unreturned_numbers).toEqual(['79002222222']);
  });

  it('a miss in hours counts from its own start', () => {
    const { missed } = friday([miss('2024-03-15 18:59:59', A), answeredOut('2024-03-15 19:09:59', A)], []);
    expect(missed[0]).toMatchObject({ outcome: 'called_back', delay_seconds: 600 });
  });

  it('a callback before opening counts as immediate: delay 0, never below', () => {
    const { summary, missed } = friday(
      [miss('2024-03-15 19:30:00', A), miss('2024-03-15 20:00:00', B)],
      [answeredOut('2024-03-16 10:00:00', A), answeredIn('2024-03-18 08:59:59', B)],
    );
    expect(missed.map((m) => [m.outcome, m.delay_seconds])).toEqual([
      ['called_back', 0],
      ['client_called_again', 0],
    ]);
    expect(summary.missed.avg_callback_delay_seconds).toBe(0);
    expect(summary.missed.callback_delay_buckets.le_15m).toBe(1);
  });

  it('a callback exactly 24 h after the effective start is inside; 24 h + 1 s is outside', () => {
    // Both effective starts are Monday 09:00, so both horizons are Tuesday 09:00:00.
    const { missed } = friday(
      [miss('2024-03-15 19:30:00', A), miss('2024-03-16 11:00:00', B)],
      [
        answeredOut('2024-03-19 09:00:00', A),
        answeredOut('2024-03-19 09:00:01', B),
        failedOut('2024-03-19 09:00:01', B),
      ],
      { period: { ...FRIDAY, till: '2024-03-16' } },
    );
    expect(missed.map((m) => [m.outcome, m.delay_seconds, m.attempts])).toEqual([
      ['called_back', 86_400, 1],
      ['unreturned', null, 0],
    ]);
  });

  it('several misses from one number: each resolved within its own horizon, an earlier one left unreturned', () => {
    // 10:00 is in hours (horizon Saturday 10:00), 20:00 is not (horizon Tuesday 09:00).
    const { summary, missed } = friday(
      [
        miss('2024-03-15 10:00:00', A, { employees: ['Петров'] }),
        failedOut('2024-03-15 12:00:00', A),
        miss('2024-03-15 20:00:00', A, { employees: ['Петров'] }),
        miss('2024-03-15 16:00:00', C),
      ],
      [
        answeredOut('2024-03-18 09:30:00', A, { receivedCall: 'Сидоров' }),
        answeredIn('2024-03-18 09:30:00', C),
      ],
    );
    expect(missed.map((m) => [m.call.contactNormal, m.outcome, m.delay_seconds, m.attempts])).toEqual([
      ['79001111111', 'callback_failed', null, 1],
      ['79003333333', 'unreturned', null, 0],
      ['79001111111', 'called_back', 1800, 1],
    ]);
    expect(missed.map((m) => m.times_missed_in_period)).toEqual([2, 1, 2]);
    expect(summary.employees.find((e) => e.name === 'Сидоров')?.callbacks).toBe(1);
  });

  it('without working hours, one number: a callback 19 h after the second miss is past the first miss’s horizon', () => {
    const { missed } = run([miss('09:00:00', A), miss('20:00:00', A)], {
      followUps: [answeredOut('2024-03-11 15:00:00', A)],
    });
    expect(missed.map((m) => [m.outcome, m.delay_seconds])).toEqual([
      ['unreturned', null],
      ['called_back', 68_400],
    ]);
  });

  it('the horizon never passes the moment the report is made, even before the effective start', () => {
    const { missed } = friday(
      [miss('2024-03-15 19:30:00', A), miss('2024-03-15 19:30:00', B)],
      [answeredOut('2024-03-16 11:59:59', A), answeredOut('2024-03-16 12:00:01', B)],
      { nowWall: w('2024-03-16 12:00:00') },
    );
    expect(missed.map((m) => [m.outcome, m.delay_seconds])).toEqual([
      ['called_back', 0],
      ['unreturned', null],
    ]);
  });

  it('with no opening within 400 days, the horizon is the moment the report is made and a callback is immediate', () => {
    const { missed } = friday(
      [miss('2024-03-15 10:00:00', A), miss('2024-03-15 10:00:00', B)],
      [answeredOut('2024-05-01 10:00:00', A), answeredOut('2024-06-01 00:00:01', B)],
      {
        settings: { working_hours: `${WEEKDAYS}; closed 2024-03-15..2025-12-31` },
        nowWall: w('2024-06-01 00:00:00'),
      },
    );
    expect(missed.map((m) => [m.outcome, m.delay_seconds])).toEqual([
      ['called_back', 0],
      ['unreturned', null],
    ]);
  });
});
