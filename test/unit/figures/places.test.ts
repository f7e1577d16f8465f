import { describe, expect, it } from 'vitest';
import { A, answeredIn, answeredOut, B, C, call, D, miss, run } from './fixture.ts';

describe('summarise: hours and lines', () => {
  it('has exactly 24 hour rows by the local start hour of external calls', () => {
    const { summary } = run([
      miss('00:00:00', A),
      answeredIn('00:59:59', A),
      answeredOut('13:30:00', A),
      miss('23:59:59', A),
      call({ at: '13:00:00', internal: true }),
    ]);
    expect(summary.hours).toHaveLength(24);
    expect(summary.hours.map((h) => h.hour)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(summary.hours[0]).toEqual({
      hour: 0,
      incoming: 2,
      incoming_missed: 1,
      missed_rate: 0.5,
      outgoing: 0,
    });
    expect(summary.hours[13]).toEqual({
      hour: 13,
      incoming: 0,
      incoming_missed: 0,
      missed_rate: 0,
      outgoing: 1,
    });
    expect(summary.hours[23]).toEqual({
      hour: 23,
      incoming: 1,
      incoming_missed: 1,
      missed_rate: 1,
      outgoing: 0,
    });
  });

  it('lines: per virtual number (null its own line), first non-empty comment, sorted by missed, incoming, number', () => {
    const L1 = '74951111111';
    const L2 = '74952222222';
    const L3 = '74953333333';
    const L4 = '74954444444';
    const { summary } = run([
      answeredIn('08:59:00', A, { virtualNumber: L4 }),
      answeredIn('09:00:00', A, { virtualNumber: L3 }),
      miss('09:01:00', A, { virtualNumber: L2, virtualNumberComment: '' }),
      answeredIn('09:02:00', A, { virtualNumber: L2, virtualNumberComment: 'Продажи' }),
      answeredIn('09:03:00', A, { virtualNumber: L2, virtualNumberComment: 'Другое' }),
      miss('09:04:00', B, { virtualNumber: L1 }),
      miss('09:05:00', C, { virtualNumber: null }),
      answeredIn('09:06:00', C, { virtualNumber: null }),
      answeredOut('09:07:00', D, { virtualNumber: '74959999999' }),
    ]);
    expect(summary.lines.map((l) => l.virtual_phone_number)).toEqual([L2, null, L1, L3, L4]);
    expect(summary.lines[0]).toEqual({
      virtual_phone_number: L2,
      virtual_number_comment: 'Продажи',
      incoming: 3,
      incoming_missed: 1,
      missed_rate: 1 / 3,
      unreturned: 0,
    });
    expect(summary.lines[1]).toMatchObject({ virtual_number_comment: null, incoming: 2, missed_rate: 0.5 });
    expect(summary.lines[2]).toMatchObject({
      incoming: 1,
      incoming_missed: 1,
      missed_rate: 1,
      unreturned: 1,
    });
    expect(summary.lines[3]).toMatchObject({
      incoming: 1,
      incoming_missed: 0,
      missed_rate: 0,
      unreturned: 0,
    });
  });
});
