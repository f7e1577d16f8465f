import { describe, expect, it } from 'vitest';
import type { Period } from '../../../functions/shared/time.ts';
import { WorkingHoursError } from '../../../functions/shared/working-hours/parse.ts';
import { A, answeredIn, answeredOut, B, C, call, miss, run } from './fixture.ts';

/** Monday 2024-03-11 to Sunday 2024-03-17. */
const WEEK: Period = { from: '2024-03-11', till: '2024-03-17', timezone: 'Europe/Moscow' };
const after = { period: WEEK, nowWall: Date.UTC(2024, 2, 20) };

describe('summarise: working hours', () => {
  it('counts a call in hours by its start: range start included, end excluded, 24:00 the end of the day, closed dates and days without hours out', () => {
    const { summary } = run(
      [
        miss('2024-03-11 08:59:59', A), // before the first range
        answeredIn('2024-03-11 09:00:00', B), // a range's start: in
        miss('2024-03-11 12:59:59', C), // in
        miss('2024-03-11 13:00:00', A), // a range's end: out (lunch)
        answeredIn('2024-03-11 14:00:00', B), // in
        miss('2024-03-11 23:59:59', C), // before 24:00: in
        answeredIn('2024-03-12 00:00:00', A), // Tuesday opens at 09:00: out
        miss('2024-03-13 10:00:00', B), // a closed date: out
        answeredIn('2024-03-16 15:59:59', C), // Saturday's range: in
        miss('2024-03-16 16:00:00', A), // its end: out
        miss('2024-03-17 12:00:00', B), // Sunday has no hours: out
        answeredOut('2024-03-11 10:00:00', A), // outgoing: not incoming at all
        call({ at: '2024-03-11 10:00:00', internal: true, direction: 'in', lost: true }),
      ],
      {
        ...after,
        settings: { working_hours: 'mon-fri 09:00-13:00, 14:00-24:00; sat 10:00-16:00; closed 2024-03-13' },
      },
    );
    expect(summary.totals).toMatchObject({
      incoming: 11,
      incoming_missed: 7,
      incoming_in_hours: 5,
      incoming_missed_in_hours: 2,
      missed_rate_in_hours: 0.4,
    });
  });

  it('a text of only closed dates leaves every other day open around the clock', () => {
    const { summary } = run(
      [
        miss('2024-03-11 23:59:59', A), // in
        miss('2024-03-12 00:00:00', A), // closed: out
        answeredIn('2024-03-13 23:59:59', B), // closed: out
        answeredIn('2024-03-14 00:00:00', B), // in
      ],
      { ...after, settings: { working_hours: 'closed 2024-03-12..2024-03-13' } },
    );
    expect(summary.totals).toMatchObject({
      incoming: 4,
      incoming_missed: 2,
      incoming_in_hours: 2,
      incoming_missed_in_hours: 1,
      missed_rate_in_hours: 0.5,
    });
    expect(summary.settings.working_hours).toBe('mon-sun 00:00-24:00; closed 2024-03-12..2024-03-13');
  });

  it('with no working hours (null, absent or empty text) every in-hours figure equals its plain one', () => {
    const calls = [
      miss('2024-03-11 03:00:00', A),
      answeredIn('2024-03-11 12:00:00', B),
      miss('2024-03-16 22:00:00', C),
      answeredIn('2024-03-17 23:59:59', A),
      answeredOut('2024-03-12 10:00:00', B),
    ];
    for (const settings of [{}, { working_hours: null }, { working_hours: '' }, { working_hours: '  ' }]) {
      const { totals, settings: used } = run(calls, { ...after, settings }).summary;
      expect(used.working_hours).toBeNull();
      expect(totals.incoming).toBe(4);
      expect(totals.incoming_in_hours).toBe(totals.incoming);
      expect(totals.incoming_missed_in_hours).toBe(totals.incoming_missed);
      expect(totals.missed_rate_in_hours).toBe(totals.missed_rate);
    }
    const none = run([], after).summary.totals;
    expect(none).toMatchObject({
      incoming_in_hours: 0,
      incoming_missed_in_hours: 0,
      missed_rate_in_hours: 0,
    });
  });

  it('gives settings.working_hours back in the normal text form', () => {
    const { summary } = run([], {
      ...after,
      settings: {
        working_hours:
          'SAT 10:00-16:00; Mon-Fri 14:00-24:00 ; mon-fri 9:00-13:00; closed 2024-03-14, 2024-03-13;',
      },
    });
    expect(summary.settings.working_hours).toBe(
      'mon-fri 09:00-13:00, 14:00-24:00; sat 10:00-16:00; closed 2024-03-13..2024-03-14',
    );
  });

  it('in-hours counts of no in-hours call: rate 0', () => {
    const { summary } = run([miss('2024-03-17 12:00:00', A)], {
      ...after,
      settings: { working_hours: 'mon-fri 09:00-18:00' },
    });
    expect(summary.totals).toMatchObject({
      incoming_missed: 1,
      incoming_in_hours: 0,
      incoming_missed_in_hours: 0,
      missed_rate_in_hours: 0,
    });
  });

  it('refuses working hours the grammar refuses, with the parser’s message', () => {
    expect(() => run([], { ...after, settings: { working_hours: 'fri-mon 09:00-18:00' } })).toThrow(
      WorkingHoursError,
    );
  });
});
