import { describe, expect, it } from 'vitest';
import type { DayFigures } from '../../../functions/shared/report/types.ts';
import { formatWallDate, type Period } from '../../../functions/shared/time.ts';
import { A, answeredIn, answeredOut, B, C, call, D, failedOut, miss, run } from './fixture.ts';

/** Monday 2024-03-11 to Sunday 2024-03-17. */
const WEEK: Period = { from: '2024-03-11', till: '2024-03-17', timezone: 'Europe/Moscow' };
const after = { period: WEEK, nowWall: Date.UTC(2024, 2, 20) };

const sum = (days: DayFigures[], key: 'incoming' | 'incoming_missed' | 'outgoing' | 'unreturned') =>
  days.reduce((n, d) => n + d[key], 0);

describe('summarise: days', () => {
  it('lists every date of the period in order, each with the figures of its own calls', () => {
    const { summary } = run(
      [
        answeredIn('2024-03-11 00:00:00', A, { awaitSeconds: 10 }),
        answeredIn('2024-03-11 12:00:00', B, { awaitSeconds: 31 }),
        miss('2024-03-11 23:59:59', C), // Monday's, though nobody could call back before Tuesday
        answeredOut('2024-03-12 00:05:00', C), // resolves it on Tuesday
        miss('2024-03-13 10:00:00', D), // never returned
        answeredIn('2024-03-13 11:00:00', A), // no wait value: within the SLA, not in the mean
        failedOut('2024-03-17 23:59:59', B),
        call({ at: '2024-03-13 12:00:00', internal: true }),
      ],
      after,
    );
    expect(summary.days.map((d) => d.date)).toEqual([
      '2024-03-11',
      '2024-03-12',
      '2024-03-13',
      '2024-03-14',
      '2024-03-15',
      '2024-03-16',
      '2024-03-17',
    ]);
    expect(summary.days[0]).toEqual({
      date: '2024-03-11',
      incoming: 3,
      incoming_missed: 1,
      missed_rate: 1 / 3,
      unreturned: 0,
      outgoing: 0,
      avg_wait_seconds: 21, // (10 + 31) / 2 = 20.5, halves up
      sla_rate: 1 / 3,
    } satisfies DayFigures);
    expect(summary.days[1]).toMatchObject({ incoming: 0, outgoing: 1, missed_rate: 0, sla_rate: 0 });
    expect(summary.days[2]).toEqual({
      date: '2024-03-13',
      incoming: 2,
      incoming_missed: 1,
      missed_rate: 0.5,
      unreturned: 1,
      outgoing: 0,
      avg_wait_seconds: null,
      sla_rate: 0.5,
    } satisfies DayFigures);
    expect(summary.days[3]).toEqual({
      date: '2024-03-14',
      incoming: 0,
      incoming_missed: 0,
      missed_rate: 0,
      unreturned: 0,
      outgoing: 0,
      avg_wait_seconds: null,
      sla_rate: 0,
    } satisfies DayFigures);
    expect(summary.days[6]).toMatchObject({ date: '2024-03-17', outgoing: 1, incoming: 0 });
  });

  it('over a week the days sum to totals: incoming, missed, outgoing and unreturned', () => {
    const calls = [];
    const numbers = [A, B, C, D];
    for (let day = 11; day <= 17; day++) {
      for (let i = 0; i <= day % 4; i++) {
        const at = `2024-03-${day} ${String(8 + 3 * i).padStart(2, '0')}:15:00`;
        const number = numbers[(day + i) % 4] as string;
        calls.push(miss(at, number));
        calls.push(answeredIn(at.replace(':15:', ':20:'), number, { awaitSeconds: 5 * i }));
        if (i % 2 === 0) calls.push(answeredOut(at.replace(':15:', ':30:'), `+7 900 555-00-${day}`));
        if (i % 2 === 1) calls.push(miss(at.replace(':15:', ':40:'), `+7 900 6${i}0-00-${day}`)); // never returned
      }
    }
    calls.push(miss('2024-03-17 23:00:00', null)); // a hidden caller: unreturned too
    const { summary, missed } = run(calls, after);
    const { days, totals } = summary;
    expect(days).toHaveLength(7);
    expect(sum(days, 'incoming')).toBe(totals.incoming);
    expect(sum(days, 'incoming_missed')).toBe(totals.incoming_missed);
    expect(sum(days, 'outgoing')).toBe(totals.outgoing);
    expect(sum(days, 'unreturned')).toBe(summary.missed.unreturned);
    // Each unreturned miss counts on the date it started, as its resolution says.
    const unreturnedOn = (date: string) =>
      missed.filter((m) => m.outcome === 'unreturned' && formatWallDate(m.call.start) === date).length;
    expect(days.map((d) => d.unreturned)).toEqual(days.map((d) => unreturnedOn(d.date)));
    expect(days.map((d) => d.unreturned)).toEqual([2, 0, 1, 1, 2, 0, 2]); // the odd i of each day, and Sunday's hidden caller
  });

  it('a one-day report has one date, with the figures of totals', () => {
    const { summary } = run([
      miss('09:00:00', A),
      answeredIn('09:05:00', A, { awaitSeconds: 25 }),
      answeredIn('10:00:00', B, { awaitSeconds: 5 }),
      miss('11:00:00', C),
      answeredOut('12:00:00', D),
    ]);
    const { totals } = summary;
    expect(summary.days).toEqual([
      {
        date: '2024-03-10',
        incoming: totals.incoming,
        incoming_missed: totals.incoming_missed,
        missed_rate: totals.missed_rate,
        unreturned: summary.missed.unreturned,
        outgoing: totals.outgoing,
        avg_wait_seconds: totals.avg_wait_seconds,
        sla_rate: totals.sla_rate,
      },
    ]);
    expect(summary.days[0]).toMatchObject({ incoming: 4, incoming_missed: 2, unreturned: 1, sla_rate: 0.25 });
  });
});
