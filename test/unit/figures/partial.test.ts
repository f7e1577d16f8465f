import { describe, expect, it } from 'vitest';
import type { Period } from '../../../functions/shared/time.ts';
import { A, answeredIn, answeredOut, B, C, miss, PERIOD, run, w } from './fixture.ts';

/** Monday 2024-03-11 to Wednesday 2024-03-13, made on Tuesday at 11:00. */
const THREE_DAYS: Period = { from: '2024-03-11', till: '2024-03-13', timezone: 'Europe/Moscow' };
const AS_OF = w('2024-03-12 11:00:00');

/** The calls up to as_of. */
const early = () => [
  miss('2024-03-11 10:00:00', A),
  answeredIn('2024-03-11 10:30:00', B, { awaitSeconds: 8 }),
  miss('2024-03-12 10:00:00', C, { employees: ['Иванов'] }),
  answeredIn('2024-03-12 11:00:00', B, { awaitSeconds: 30 }), // at as_of exactly: counted
];
/** Calls after as_of (the pipeline never fetches them: summarise leaves them out all the same). */
const late = () => [
  answeredOut('2024-03-12 11:00:01', C, { receivedCall: 'Петров', talkSeconds: 60 }), // would call C back
  miss('2024-03-12 18:00:00', A, { employees: ['Петров'] }),
  answeredIn('2024-03-13 09:00:00', B, { virtualNumber: '74951111111' }),
];

describe('summarise: a partial period', () => {
  it('a whole period: partial false, as_of null', () => {
    const { period } = run([], { period: THREE_DAYS, nowWall: w('2024-03-20 00:00:00') }).summary;
    expect(period).toEqual({ ...THREE_DAYS, partial: false, as_of: null });
  });

  it('sets partial and as_of, and counts no call after as_of in any figure', () => {
    const input = { period: THREE_DAYS, nowWall: AS_OF, asOf: AS_OF };
    const before = early();
    const after = late();
    const cut = run([...before, ...after], { ...input, followUps: after });
    const only = run(before, input);
    expect(cut.summary.period).toEqual({ ...THREE_DAYS, partial: true, as_of: '2024-03-12 11:00:00' });
    expect(cut.summary).toEqual(only.summary);
    expect(cut.missed).toEqual(only.missed);
    expect(cut.summary.totals).toMatchObject({ calls: 4, incoming: 4, incoming_missed: 2, outgoing: 0 });
    expect(cut.missed.map((m) => m.outcome)).toEqual(['unreturned', 'unreturned']);
  });

  it('leaves a call after as_of out even when the clock given says later', () => {
    const cut = run([...early(), ...late()], {
      period: THREE_DAYS,
      nowWall: w('2024-03-20 00:00:00'),
      asOf: AS_OF,
    });
    expect(cut.missed.find((m) => m.call.contactNormal === '79003333333')?.outcome).toBe('unreturned');
    expect(cut.summary.employees.map((e) => e.name)).not.toContain('Петров');
    expect(cut.summary.lines.map((l) => l.virtual_phone_number)).not.toContain('74951111111');
  });

  it('lists every date: those up to as_of with their calls so far, those after with zero counts and null rates and means', () => {
    const { days, week_hours } = run([...early(), ...late()], {
      period: THREE_DAYS,
      nowWall: AS_OF,
      asOf: AS_OF,
    }).summary;
    expect(days).toEqual([
      {
        date: '2024-03-11',
        incoming: 2,
        incoming_missed: 1,
        missed_rate: 0.5,
        unreturned: 1,
        outgoing: 0,
        avg_wait_seconds: 8,
        sla_rate: 0.5,
      },
      {
        date: '2024-03-12',
        incoming: 2,
        incoming_missed: 1,
        missed_rate: 0.5,
        unreturned: 1,
        outgoing: 0,
        avg_wait_seconds: 30,
        sla_rate: 0,
      },
      {
        date: '2024-03-13',
        incoming: 0,
        incoming_missed: 0,
        missed_rate: null,
        unreturned: 0,
        outgoing: 0,
        avg_wait_seconds: null,
        sla_rate: null,
      },
    ]);
    expect(week_hours?.reduce((n, c) => n + c.incoming, 0)).toBe(4);
  });

  it('a date that begins at as_of is not after it: its rates are 0 over no calls', () => {
    const { days } = run([], {
      period: THREE_DAYS,
      nowWall: w('2024-03-12 00:00:00'),
      asOf: w('2024-03-12 00:00:00'),
    }).summary;
    expect(days.map((d) => [d.date, d.missed_rate, d.sla_rate])).toEqual([
      ['2024-03-11', 0, 0],
      ['2024-03-12', 0, 0],
      ['2024-03-13', null, null],
    ]);
  });

  it('a partial day: one date, the calls up to as_of, no week_hours', () => {
    const asOf = w('11:00:00');
    const { summary } = run(
      [miss('09:00:00', A), answeredIn('10:59:59', B), miss('11:00:01', C), answeredOut('12:00:00', A)],
      { nowWall: asOf, asOf },
    );
    expect(summary.period).toEqual({ ...PERIOD, partial: true, as_of: '2024-03-10 11:00:00' });
    expect(summary.totals).toMatchObject({ calls: 2, incoming: 2, incoming_missed: 1, outgoing: 0 });
    expect(summary.days).toEqual([
      {
        date: '2024-03-10',
        incoming: 2,
        incoming_missed: 1,
        missed_rate: 0.5,
        unreturned: 1,
        outgoing: 0,
        avg_wait_seconds: null,
        sla_rate: 0.5,
      },
    ]);
    expect(summary.hours[11]).toMatchObject({ incoming: 0, outgoing: 0 });
    expect(summary.week_hours).toBeNull();
  });

  it('refuses an as_of at or after the end of the period (that period is whole)', () => {
    const at = (text: string) => () => run([], { period: THREE_DAYS, nowWall: w(text), asOf: w(text) });
    expect(at('2024-03-13 23:59:59')).not.toThrow();
    expect(at('2024-03-14 00:00:00')).toThrow(
      /asOf must be a wall instant before the end of the period 2024-03-11\.\.2024-03-13/,
    );
    expect(() => run([], { asOf: Number.NaN })).toThrow(RangeError);
  });
});
