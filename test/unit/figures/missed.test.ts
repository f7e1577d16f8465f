import { describe, expect, it } from 'vitest';
import type { Call } from '../../../functions/shared/calls/call.ts';
import { A, answeredIn, answeredOut, B, C, D, failedOut, miss, run, w } from './fixture.ts';

describe('summarise: missed call outcomes', () => {
  it('gives each of the four outcomes and they add up to missed.total', () => {
    const calls = [
      miss('09:00:00', A),
      answeredOut('09:10:00', A, { receivedCall: 'Иванов' }),
      miss('10:00:00', B),
      answeredIn('10:30:00', B),
      miss('11:00:00', C),
      failedOut('11:05:00', C),
      failedOut('11:35:00', C),
      miss('12:00:00', D),
    ];
    const { summary, missed } = run(calls);
    expect(missed.map((m) => m.outcome)).toEqual([
      'called_back',
      'client_called_again',
      'callback_failed',
      'unreturned',
    ]);
    const m = summary.missed;
    expect(m).toMatchObject({ total: 4, numbers: 4, called_back: 1, client_called_again: 1 });
    expect(m.callback_failed).toBe(1);
    expect(m.unreturned).toBe(1);
    expect(m.called_back + m.client_called_again + m.callback_failed + m.unreturned).toBe(m.total);
    expect(m.total).toBe(summary.totals.incoming_missed);
    expect(m.unreturned_numbers).toEqual(['79004444444']);
    expect(missed[0]).toMatchObject({ delay_seconds: 600, callback_employee: 'Иванов', attempts: 1 });
    expect(missed[0]?.resolved_by).toEqual(calls[1]);
    expect(missed[1]).toMatchObject({ delay_seconds: 1800, callback_employee: null, attempts: 0 });
    expect(missed[2]).toMatchObject({ resolved_by: null, delay_seconds: null, attempts: 2 });
    expect(missed[3]).toMatchObject({ resolved_by: null, delay_seconds: null, attempts: 0 });
  });

  it('client_called_again: an answered incoming call from the number resolves the miss, no callback credited', () => {
    const { summary, missed } = run([
      miss('09:00:00', A, { employees: ['Петров'] }),
      answeredIn('09:20:00', A, { receivedCall: 'Петров' }),
    ]);
    expect(missed[0]).toMatchObject({ outcome: 'client_called_again', delay_seconds: 1200 });
    expect(summary.missed.client_called_again).toBe(1);
    expect(summary.missed.avg_callback_delay_seconds).toBeNull();
    expect(summary.employees.every((e) => e.callbacks === 0)).toBe(true);
  });

  it('callback_failed: unanswered outgoing attempts count, and a later answered callback still wins', () => {
    const failedOnly = run([miss('09:00:00', A), failedOut('09:05:00', A), failedOut('09:40:00', A)]);
    expect(failedOnly.missed[0]).toMatchObject({ outcome: 'callback_failed', attempts: 2 });
    expect(failedOnly.summary.missed.callback_failed).toBe(1);
    expect(failedOnly.summary.missed.unreturned_numbers).toEqual([]);

    const thenReached = run([
      miss('09:00:00', A),
      failedOut('09:05:00', A),
      failedOut('09:40:00', A),
      answeredOut('10:00:00', A, { receivedCall: 'Иванов' }),
    ]);
    expect(thenReached.missed[0]).toMatchObject({ outcome: 'called_back', attempts: 3, delay_seconds: 3600 });
  });

  it('the first answered call (by start) resolves, not a later one', () => {
    const { missed } = run([
      miss('09:00:00', A),
      answeredOut('09:30:00', A, { receivedCall: 'Второй' }),
      answeredIn('09:10:00', A),
    ]);
    expect(missed[0]).toMatchObject({ outcome: 'client_called_again', delay_seconds: 600 });
  });

  it('only calls starting strictly after the miss count; earlier and simultaneous calls do not resolve it', () => {
    const { missed } = run([
      answeredOut('08:00:00', A),
      miss('09:00:00', A),
      answeredIn('09:00:00', A),
      failedOut('09:00:00', A),
    ]);
    expect(missed[0]).toMatchObject({ outcome: 'unreturned', attempts: 0 });
  });

  it('matches by normal number: 8…, +7… and bare 10-digit 9… forms are the same client', () => {
    const { missed } = run([miss('09:00:00', '8 900 555 55 55'), answeredOut('09:01:00', '9005555555')]);
    expect(missed[0]?.outcome).toBe('called_back');
  });

  it('internal and lost incoming calls never resolve a miss', () => {
    const { missed } = run([
      miss('09:00:00', A),
      answeredOut('09:05:00', A, { internal: true }),
      miss('09:10:00', A),
    ]);
    expect(missed.map((m) => m.outcome)).toEqual(['unreturned', 'unreturned']);
  });

  it('several misses from one number share one callback: callbacks credited 3 times, times_missed_in_period 3', () => {
    const { summary, missed } = run([
      miss('09:00:00', A, { employees: ['Иванов'] }),
      miss('09:05:00', A, { employees: ['Иванов'] }),
      miss('09:10:00', A, { employees: ['Иванов'] }),
      answeredOut('09:20:00', A, { receivedCall: 'Сидоров' }),
    ]);
    expect(missed.map((m) => m.outcome)).toEqual(['called_back', 'called_back', 'called_back']);
    expect(missed.map((m) => m.times_missed_in_period)).toEqual([3, 3, 3]);
    expect(missed.map((m) => m.delay_seconds)).toEqual([1200, 900, 600]);
    expect(summary.missed).toMatchObject({ total: 3, numbers: 1, called_back: 3 });
    expect(summary.missed.avg_callback_delay_seconds).toBe(900);
    const sidorov = summary.employees.find((e) => e.name === 'Сидоров');
    expect(sidorov?.callbacks).toBe(3);
    expect(summary.employees.reduce((n, e) => n + e.callbacks, 0)).toBe(summary.missed.called_back);
  });

  it('a miss after the callback is not resolved by it', () => {
    const { summary, missed } = run([miss('09:00:00', A), answeredOut('09:30:00', A), miss('10:00:00', A)]);
    expect(missed.map((m) => m.outcome)).toEqual(['called_back', 'unreturned']);
    expect(missed.map((m) => m.times_missed_in_period)).toEqual([2, 2]);
    expect(summary.missed.unreturned_numbers).toEqual(['79001111111']);
  });

  it('a missed call with no number is unreturned, counted, but not in numbers nor unreturned_numbers', () => {
    const { summary, missed } = run([
      miss('09:00:00', null),
      answeredOut('09:10:00', null),
      miss('10:00:00', A),
    ]);
    expect(missed[0]).toMatchObject({ outcome: 'unreturned', times_missed_in_period: 1, attempts: 0 });
    expect(summary.missed).toMatchObject({ total: 2, numbers: 1, unreturned: 2 });
    expect(summary.missed.unreturned_numbers).toEqual(['79001111111']);
    expect(summary.lines[0]?.unreturned).toBe(2);
  });

  it('the missed list is sorted by call start whatever the input order', () => {
    const late = miss('15:00:00', A);
    const early = miss('08:00:00', B);
    const noon = miss('12:00:00', null);
    const { missed } = run([late, early, noon]);
    expect(missed.map((m) => m.call)).toEqual([early, noon, late]);
  });
});

describe('summarise: callback delay buckets', () => {
  it('puts delays of exactly 900/3600/14400 s in the lower bucket and one second more in the next', () => {
    const numbers = [
      '79000000901',
      '79000000902',
      '79000000903',
      '79000000904',
      '79000000905',
      '79000000906',
    ];
    const delays = [900, 901, 3600, 3601, 14400, 14401];
    const calls: Call[] = [];
    numbers.forEach((n, i) => {
      calls.push(miss('08:00:00', n));
      const s = 8 * 3600 + (delays[i] as number);
      const hh = String(Math.floor(s / 3600)).padStart(2, '0');
      const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
      const ss = String(s % 60).padStart(2, '0');
      calls.push(answeredOut(`${hh}:${mm}:${ss}`, n));
    });
    const { summary, missed } = run(calls);
    expect(missed.map((m) => m.delay_seconds)).toEqual(delays);
    expect(summary.missed.callback_delay_buckets).toEqual({ le_15m: 1, le_1h: 2, le_4h: 2, later: 1 });
    // (900 + 901 + 3600 + 3601 + 14400 + 14401) / 6 = 6300.5 -> 6301
    expect(summary.missed.avg_callback_delay_seconds).toBe(6301);
  });
});

describe('summarise: follow-up horizon', () => {
  it('a miss at 23:50 called back at 00:10 the next day (a follow-up) is called_back with 1200 s', () => {
    const back = answeredOut('2024-03-11 00:10:00', A, { receivedCall: 'Ночной' });
    const { summary, missed } = run([miss('23:50:00', A)], { followUps: [back] });
    expect(missed[0]).toMatchObject({
      outcome: 'called_back',
      delay_seconds: 1200,
      callback_employee: 'Ночной',
    });
    expect(missed[0]?.resolved_by).toEqual(back);
    expect(summary.missed.callback_delay_buckets.le_1h).toBe(1);
    // The follow-up itself is in no other figure, but its employee gets the callback.
    expect(summary.totals.outgoing).toBe(0);
    expect(summary.employees.find((e) => e.name === 'Ночной')).toMatchObject({ outgoing: 0, callbacks: 1 });
  });

  it('the same callback is not seen when the report is made before it (nowWall 00:05): unreturned', () => {
    const back = answeredOut('2024-03-11 00:10:00', A);
    const { summary, missed } = run([miss('23:50:00', A)], {
      followUps: [back],
      nowWall: w('2024-03-11 00:05:00'),
    });
    expect(missed[0]?.outcome).toBe('unreturned');
    expect(summary.missed.unreturned_numbers).toEqual(['79001111111']);
  });

  it('nowWall itself is inclusive', () => {
    const { missed } = run([miss('23:50:00', A)], {
      followUps: [answeredOut('2024-03-11 00:10:00', A)],
      nowWall: w('2024-03-11 00:10:00'),
    });
    expect(missed[0]?.outcome).toBe('called_back');
  });

  it("the horizon (the miss's own start + 24 h, with no working hours) is inclusive; one second later is out", () => {
    const atEdge = run([miss('12:00:00', A)], { followUps: [answeredOut('2024-03-11 12:00:00', A)] });
    expect(atEdge.missed[0]).toMatchObject({ outcome: 'called_back', delay_seconds: 86_400 });
    // 2024-03-11 23:59:59 was inside the old horizon (the period's end + 24 h): no longer.
    const after = run([miss('12:00:00', A)], {
      followUps: [
        answeredOut('2024-03-11 12:00:01', A),
        failedOut('2024-03-11 12:00:02', A),
        answeredIn('2024-03-11 23:59:59', A),
      ],
    });
    expect(after.missed[0]).toMatchObject({ outcome: 'unreturned', attempts: 0 });
  });

  it('a call in `calls` after the period, within the horizon, resolves a miss but is not counted', () => {
    const { summary, missed } = run([miss('22:00:00', A), answeredOut('2024-03-11 09:00:00', A)]);
    expect(missed[0]?.outcome).toBe('called_back');
    expect(summary.totals).toMatchObject({ calls: 1, outgoing: 0 });
  });
});
