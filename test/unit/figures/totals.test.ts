import { describe, expect, it } from 'vitest';
import { NO_EMPLOYEE } from '../../../functions/shared/report/figures/employees.ts';
import { DEFAULT_SETTINGS, type Totals } from '../../../functions/shared/report/types.ts';
import { A, answeredIn, answeredOut, B, C, call, D, failedOut, miss, run } from './fixture.ts';

describe('summarise: totals', () => {
  it('computes the headline figures', () => {
    const { summary } = run([
      answeredIn('09:00:00', A, { talkSeconds: 100, awaitSeconds: 10 }),
      answeredIn('09:10:00', B, { talkSeconds: 200, awaitSeconds: 30 }),
      miss('09:20:00', C),
      miss('09:30:00', D),
      answeredOut('10:00:00', A, { talkSeconds: 50 }),
      failedOut('10:10:00', B, { talkSeconds: 0 }),
      call({ at: '11:00:00', internal: true, talkSeconds: 500 }),
    ]);
    expect(summary.totals).toEqual({
      calls: 7,
      internal: 1,
      incoming: 4,
      incoming_answered: 2,
      incoming_missed: 2,
      missed_rate: 0.5,
      short_missed: 0,
      outgoing: 2,
      outgoing_answered: 1,
      talk_seconds: 350,
      avg_talk_seconds_incoming: 150,
      avg_talk_seconds_outgoing: 50,
      avg_wait_seconds: 20,
      max_wait_seconds: 30,
      sla_seconds: 20,
      sla_rate: 0.25,
      incoming_in_hours: 4,
      incoming_missed_in_hours: 2,
      missed_rate_in_hours: 0.5,
    } satisfies Totals);
  });

  it('with no calls: rates are 0, means and max are null', () => {
    const { summary } = run([]);
    expect(summary.totals).toMatchObject({ calls: 0, missed_rate: 0, sla_rate: 0 });
    expect(summary.totals.avg_wait_seconds).toBeNull();
    expect(summary.totals.max_wait_seconds).toBeNull();
    expect(summary.totals.avg_talk_seconds_incoming).toBeNull();
    expect(summary.totals.avg_talk_seconds_outgoing).toBeNull();
    expect(summary.missed.avg_callback_delay_seconds).toBeNull();
    expect(summary.employees).toEqual([]);
    expect(summary.lines).toEqual([]);
  });

  it('null waits: avg/max wait null, yet those calls count within the SLA', () => {
    const { summary } = run([answeredIn('09:00:00', A), answeredIn('09:05:00', B), miss('09:10:00', C)]);
    expect(summary.totals.avg_wait_seconds).toBeNull();
    expect(summary.totals.max_wait_seconds).toBeNull();
    expect(summary.totals.sla_rate).toBeCloseTo(2 / 3, 12);
    expect(summary.employees.find((e) => e.name === NO_EMPLOYEE)?.avg_wait_seconds).toBeNull();
  });

  it('SLA: a wait equal to sla_seconds is within, one second more is not; the mean skips null waits', () => {
    const { summary } = run([
      answeredIn('09:00:00', A, { awaitSeconds: 20 }),
      answeredIn('09:01:00', A, { awaitSeconds: 21 }),
      answeredIn('09:02:00', A, { awaitSeconds: null }),
      answeredIn('09:03:00', A, { awaitSeconds: 0 }),
    ]);
    expect(summary.totals.sla_rate).toBe(0.75);
    expect(summary.totals.avg_wait_seconds).toBe(14); // (20 + 21 + 0) / 3 = 13.67
    expect(summary.totals.max_wait_seconds).toBe(21);
  });

  it('rounds means to the nearest second, halves up', () => {
    const { summary } = run([
      answeredIn('09:00:00', A, { talkSeconds: 10, awaitSeconds: 2 }),
      answeredIn('09:01:00', A, { talkSeconds: 11, awaitSeconds: 3 }),
      answeredOut('09:02:00', A, { talkSeconds: 10 }),
      answeredOut('09:03:00', A, { talkSeconds: 10 }),
      answeredOut('09:04:00', A, { talkSeconds: 11 }),
    ]);
    expect(summary.totals.avg_talk_seconds_incoming).toBe(11); // 10.5
    expect(summary.totals.avg_wait_seconds).toBe(3); // 2.5
    expect(summary.totals.avg_talk_seconds_outgoing).toBe(10); // 10.33
    expect(summary.employees[0]?.avg_talk_seconds).toBe(10); // 52 / 5 = 10.4
  });

  it('short_missed counts total duration = short_call_seconds, not one second more, not unknown', () => {
    const { summary } = run([
      miss('09:00:00', A, { totalSeconds: 5 }),
      miss('09:01:00', A, { totalSeconds: 0 }),
      miss('09:02:00', A, { totalSeconds: 6 }),
      miss('09:03:00', A, { totalSeconds: null }),
      answeredIn('09:04:00', B, { totalSeconds: 2 }),
      failedOut('09:05:00', C, { totalSeconds: 1 }),
    ]);
    expect(summary.totals.short_missed).toBe(2);
  });

  it('settings override the defaults key by key', () => {
    const calls = [
      miss('09:00:00', A, { totalSeconds: 8 }),
      answeredIn('09:01:00', B, { awaitSeconds: 30 }),
      answeredOut('11:00:00', A),
    ];
    const defaults = run(calls);
    expect(defaults.summary.settings).toEqual(DEFAULT_SETTINGS);
    expect(defaults.summary.totals).toMatchObject({ sla_seconds: 20, sla_rate: 0, short_missed: 0 });
    expect(defaults.missed[0]?.outcome).toBe('called_back');

    const custom = run(calls, { settings: { sla_seconds: 30, short_call_seconds: 10 } });
    expect(custom.summary.settings).toEqual({
      sla_seconds: 30,
      short_call_seconds: 10,
      callback_horizon_hours: 24,
      working_hours: null,
    });
    expect(custom.summary.totals).toMatchObject({ sla_seconds: 30, sla_rate: 0.5, short_missed: 1 });

    // Horizon 0 h: only until the period end 23:59:59.
    const shortHorizon = run([miss('22:00:00', A)], {
      settings: { callback_horizon_hours: 0 },
      followUps: [answeredOut('2024-03-11 00:00:00', A)],
    });
    expect(shortHorizon.missed[0]?.outcome).toBe('unreturned');
    expect(shortHorizon.summary.settings.callback_horizon_hours).toBe(0);
  });

  it('rejects a negative or non-numeric setting', () => {
    expect(() => run([], { settings: { sla_seconds: -1 } })).toThrow(RangeError);
    expect(() => run([], { settings: { callback_horizon_hours: Number.NaN } })).toThrow(RangeError);
  });
});
