import { describe, expect, it } from 'vitest';
import type { Period } from '../../../functions/shared/time.ts';
import { A, answeredIn, answeredOut, B, call, miss, run } from './fixture.ts';

/** Monday 2024-03-11 to Sunday 2024-03-24: two weeks. */
const TWO_WEEKS: Period = { from: '2024-03-11', till: '2024-03-24', timezone: 'Europe/Moscow' };
const after = { period: TWO_WEEKS, nowWall: Date.UTC(2024, 2, 30) };

describe('summarise: week_hours', () => {
  it('has 7 × 24 cells, Monday (1) 00:00 first, each by the weekday and hour of the local start', () => {
    const { summary } = run(
      [
        miss('2024-03-11 00:00:00', A), // Monday 00
        answeredIn('2024-03-18 00:59:59', B), // the next Monday 00: the same cell
        answeredIn('2024-03-13 14:30:00', A), // Wednesday 14
        miss('2024-03-24 23:59:59', B), // Sunday 23
        answeredOut('2024-03-13 14:10:00', A), // outgoing: in no cell
        call({ at: '2024-03-13 14:20:00', internal: true }), // internal: in no cell
      ],
      after,
    );
    const cells = summary.week_hours ?? [];
    expect(cells).toHaveLength(168);
    expect(cells.map((c) => [c.weekday, c.hour])).toEqual(
      Array.from({ length: 168 }, (_, i) => [Math.floor(i / 24) + 1, i % 24]),
    );
    expect(cells[0]).toEqual({ weekday: 1, hour: 0, incoming: 2, incoming_missed: 1 });
    expect(cells[2 * 24 + 14]).toEqual({ weekday: 3, hour: 14, incoming: 1, incoming_missed: 0 });
    expect(cells[6 * 24 + 23]).toEqual({ weekday: 7, hour: 23, incoming: 1, incoming_missed: 1 });
    expect(cells.reduce((n, c) => n + c.incoming, 0)).toBe(summary.totals.incoming);
    expect(cells.reduce((n, c) => n + c.incoming_missed, 0)).toBe(summary.totals.incoming_missed);
  });

  it('sums to totals over a busy fortnight', () => {
    const calls = [];
    for (let day = 11; day <= 24; day++) {
      for (let h = 0; h < 24; h += 1 + (day % 3)) {
        const at = `2024-03-${day} ${String(h).padStart(2, '0')}:${String(day).padStart(2, '0')}:00`;
        calls.push(h % 5 === 0 ? miss(at, A) : answeredIn(at, B));
      }
    }
    const { summary } = run(calls, after);
    const cells = summary.week_hours ?? [];
    expect(summary.totals.incoming).toBe(calls.length);
    expect(cells.reduce((n, c) => n + c.incoming, 0)).toBe(summary.totals.incoming);
    expect(cells.reduce((n, c) => n + c.incoming_missed, 0)).toBe(summary.totals.incoming_missed);
  });

  it('is null for a one-day report, and there for two days', () => {
    expect(run([miss('09:00:00', A)]).summary.week_hours).toBeNull();
    const twoDays = run([miss('2024-03-11 09:00:00', A)], {
      period: { from: '2024-03-11', till: '2024-03-12', timezone: 'Europe/Moscow' },
      nowWall: Date.UTC(2024, 2, 20),
    });
    expect(twoDays.summary.week_hours).toHaveLength(168);
    expect(twoDays.summary.week_hours?.[9]).toEqual({ weekday: 1, hour: 9, incoming: 1, incoming_missed: 1 });
  });
});
