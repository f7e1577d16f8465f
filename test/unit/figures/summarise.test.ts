import { describe, expect, it } from 'vitest';
import type { Call } from '../../../functions/shared/calls/call.ts';
import type { Period } from '../../../functions/shared/time.ts';
import { A, answeredIn, answeredOut, B, C, call, D, miss, PERIOD, run, w } from './fixture.ts';

describe('summarise: what is counted', () => {
  it('counts an internal call only in totals.internal and totals.calls', () => {
    const internalCall = call({
      at: '10:00:00',
      internal: true,
      lost: true,
      employees: ['Иванов'],
      receivedCall: 'Иванов',
      talkSeconds: 100,
      awaitSeconds: 50,
      virtualNumber: '74951111111',
    });
    const { summary, missed } = run([internalCall]);
    expect(summary.totals).toMatchObject({
      calls: 1,
      internal: 1,
      incoming: 0,
      incoming_missed: 0,
      outgoing: 0,
      talk_seconds: 0,
      short_missed: 0,
    });
    expect(summary.totals.avg_wait_seconds).toBeNull();
    expect(summary.missed.total).toBe(0);
    expect(missed).toEqual([]);
    expect(summary.employees).toEqual([]);
    expect(summary.lines).toEqual([]);
    expect(summary.hours.every((h) => h.incoming === 0 && h.outgoing === 0)).toBe(true);
  });

  it('counts a duplicated id once, the first occurrence winning', () => {
    const first = miss('09:00:00', A);
    const dup: Call = { ...first, lost: false, direction: 'out' };
    const { summary, missed } = run([first, dup, first], { followUps: [dup] });
    expect(summary.totals).toMatchObject({ calls: 1, incoming: 1, incoming_missed: 1, outgoing: 0 });
    expect(missed).toHaveLength(1);
    expect(missed[0]?.outcome).toBe('unreturned');
  });

  it('ignores calls outside the period in every figure', () => {
    const { summary, missed } = run([
      miss('2024-03-09 23:59:59', A),
      answeredIn('2024-03-11 00:00:00', B, { talkSeconds: 100 }),
      miss('00:00:00', C),
      miss('23:59:59', D),
    ]);
    expect(summary.totals).toMatchObject({ calls: 2, incoming: 2, incoming_missed: 2, talk_seconds: 0 });
    expect(missed.map((m) => m.call.contactNormal)).toEqual(['79003333333', '79004444444']);
  });

  it('counts follow-ups in no figure', () => {
    const followUps = [
      miss('2024-03-11 01:00:00', B, { employees: ['Петров'] }),
      answeredIn('2024-03-11 02:00:00', C, { talkSeconds: 100, awaitSeconds: 10, virtualNumber: '7495999' }),
      answeredOut('2024-03-11 03:00:00', D, { receivedCall: 'Петров', talkSeconds: 100 }),
      call({ at: '2024-03-11 04:00:00', internal: true }),
    ];
    const withThem = run([answeredIn('10:00:00', A, { talkSeconds: 60 })], { followUps });
    const without = run([answeredIn('10:00:00', A, { talkSeconds: 60 })]);
    expect(withThem.summary).toEqual(without.summary);
    expect(withThem.missed).toEqual([]);
  });

  it('a follow-up inside the period (not in calls) still only resolves, and is not counted', () => {
    const { summary, missed } = run([miss('09:00:00', A)], { followUps: [answeredOut('09:30:00', A)] });
    expect(missed[0]?.outcome).toBe('called_back');
    expect(summary.totals.outgoing).toBe(0);
  });
});

describe('summarise: the summary document', () => {
  it('has exactly the keys of the contract', () => {
    const { summary } = run([
      miss('09:00:00', A, { employees: ['Иванов'] }),
      answeredOut('09:05:00', A, { receivedCall: 'Иванов' }),
    ]);
    expect(Object.keys(summary)).toEqual([
      'period',
      'generated_at',
      'source',
      'settings',
      'totals',
      'missed',
      'employees',
      'hours',
      'lines',
      'days',
      'week_hours',
      'previous',
    ]);
    expect(Object.keys(summary.period)).toEqual(['from', 'till', 'timezone', 'partial', 'as_of']);
    expect(Object.keys(summary.source)).toEqual(['report_id', 'filter']);
    expect(Object.keys(summary.settings)).toEqual([
      'sla_seconds',
      'short_call_seconds',
      'callback_horizon_hours',
      'working_hours',
    ]);
    expect(Object.keys(summary.totals)).toEqual([
      'calls',
      'internal',
      'incoming',
      'incoming_answered',
      'incoming_missed',
      'missed_rate',
      'short_missed',
      'outgoing',
      'outgoing_answered',
      'talk_seconds',
      'avg_talk_seconds_incoming',
      'avg_talk_seconds_outgoing',
      'avg_wait_seconds',
      'max_wait_seconds',
      'sla_seconds',
      'sla_rate',
      'incoming_in_hours',
      'incoming_missed_in_hours',
      'missed_rate_in_hours',
    ]);
    expect(Object.keys(summary.missed)).toEqual([
      'total',
      'numbers',
      'called_back',
      'client_called_again',
      'callback_failed',
      'unreturned',
      'callback_delay_buckets',
      'avg_callback_delay_seconds',
      'unreturned_numbers',
      'call_first',
    ]);
    expect(Object.keys(summary.missed.callback_delay_buckets)).toEqual(['le_15m', 'le_1h', 'le_4h', 'later']);
    expect(Object.keys(summary.employees[0] ?? {})).toEqual([
      'name',
      'incoming_answered',
      'outgoing',
      'outgoing_answered',
      'missed',
      'unreturned',
      'talk_seconds',
      'avg_talk_seconds',
      'avg_wait_seconds',
      'callbacks',
    ]);
    expect(Object.keys(summary.hours[0] ?? {})).toEqual([
      'hour',
      'incoming',
      'incoming_missed',
      'missed_rate',
      'outgoing',
    ]);
    expect(Object.keys(summary.lines[0] ?? {})).toEqual([
      'virtual_phone_number',
      'virtual_number_comment',
      'incoming',
      'incoming_missed',
      'missed_rate',
      'unreturned',
    ]);
    expect(Object.keys(summary.days[0] ?? {})).toEqual([
      'date',
      'incoming',
      'incoming_missed',
      'missed_rate',
      'unreturned',
      'outgoing',
      'avg_wait_seconds',
      'sla_rate',
    ]);
    expect(summary.week_hours).toBeNull();
  });

  it('carries period, generated_at (ISO), source and previous through; defaults source and previous', () => {
    const previousTotals = run([miss('09:00:00', A)]).summary.totals;
    const previous = {
      period: { from: '2024-03-09', till: '2024-03-09', as_of: null },
      totals: previousTotals,
      missed: {
        called_back: 0,
        client_called_again: 0,
        callback_failed: 0,
        unreturned: 1,
        call_first_count: 1,
      },
    };
    const { summary } = run([], { source: { report_id: 42, filter: { field: 'x' } }, previous });
    expect(summary.period).toEqual({ ...PERIOD, partial: false, as_of: null });
    expect(summary.generated_at).toBe('2024-03-12T03:00:00.000Z');
    expect(summary.source).toEqual({ report_id: 42, filter: { field: 'x' } });
    expect(summary.previous).toEqual(previous);

    const bare = run([]);
    expect(bare.summary.source).toEqual({ report_id: null, filter: null });
    expect(bare.summary.previous).toBeNull();
    expect(JSON.parse(JSON.stringify(bare.summary))).toEqual(bare.summary);
  });

  // Speed is measured in `npm run bench`, not here: this proves the figures on a large, one-number input.
  it('resolves a month of alternating misses and answers from one number', () => {
    const period: Period = { from: '2024-03-01', till: '2024-03-31', timezone: 'Europe/Moscow' };
    const calls: Call[] = [];
    const base = w('2024-03-01 00:00:00');
    for (let i = 0; i < 100_000; i++) {
      const c = call({ at: '00:00:00', number: A, lost: i % 2 === 0, direction: i % 4 === 3 ? 'out' : 'in' });
      c.start = base + i * 20_000;
      calls.push(c);
    }
    const { summary, missed } = run(calls, { period, nowWall: w('2024-04-02 00:00:00') });
    expect(summary.totals.calls).toBe(100_000);
    expect(missed).toHaveLength(50_000);
    expect(summary.missed.numbers).toBe(1);
  });
});
