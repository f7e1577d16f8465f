import { describe, expect, it } from 'vitest';
import { A, answeredIn, answeredOut, B, C, D, failedOut, miss, run } from './fixture.ts';

describe('summarise: missed.call_first, the clients to call now', () => {
  it('gives every field of an entry from the latest miss, and misses / first / longest ring over all of them', () => {
    const { summary } = run([
      miss('09:00:00', A, { totalSeconds: 40, employees: ['Андреев'], virtualNumber: '74951110000' }),
      miss('11:00:00', '8 (900) 111-11-11', {
        totalSeconds: 25,
        employees: ['Петров', '', 'Петров', 'Сидоров'],
        virtualNumber: '74952220000',
        virtualNumberComment: 'Сайт',
      }),
      failedOut('11:10:00', A),
      failedOut('12:00:00', A),
    ]);
    expect(summary.missed.call_first).toEqual([
      {
        number: '79001111111',
        display: '8 (900) 111-11-11',
        formatted: '+7 900 111-11-11',
        outcome: 'callback_failed',
        misses: 2,
        first_missed_at: '2024-03-10 09:00:00',
        last_missed_at: '2024-03-10 11:00:00',
        longest_ring_seconds: 40,
        attempts: 2,
        line: '74952220000',
        line_comment: 'Сайт',
        employees: ['Петров', 'Сидоров'],
      },
    ]);
  });

  it('keeps the API form when the number is not an 11-digit 7…; no ring, no line comment, no names: null, null, []', () => {
    const { summary } = run([
      miss('09:00:00', '+44 20 7946 0958', {
        totalSeconds: null,
        virtualNumber: null,
        virtualNumberComment: ' ',
      }),
    ]);
    expect(summary.missed.call_first[0]).toMatchObject({
      number: '442079460958',
      display: '+44 20 7946 0958',
      formatted: '+44 20 7946 0958',
      outcome: 'unreturned',
      attempts: 0,
      longest_ring_seconds: null,
      line: null,
      line_comment: null,
      employees: [],
    });
  });

  it('orders unreturned before callback_failed, then more misses, then the earliest first miss, then the number', () => {
    const F = '+7 900 555-55-55';
    const { summary } = run([
      // callback_failed with the most misses: still after every unreturned number.
      miss('07:00:00', F),
      miss('07:10:00', F),
      miss('07:20:00', F),
      failedOut('07:30:00', F),
      // Two misses each: the earlier first miss first.
      miss('10:00:00', B),
      miss('10:30:00', B),
      miss('09:00:00', A),
      miss('11:00:00', A),
      // One miss each at the same second: by the number as text.
      miss('08:00:00', D),
      miss('08:00:00', C),
    ]);
    expect(summary.missed.call_first.map((e) => [e.number, e.outcome, e.misses, e.first_missed_at])).toEqual([
      ['79001111111', 'unreturned', 2, '2024-03-10 09:00:00'],
      ['79002222222', 'unreturned', 2, '2024-03-10 10:00:00'],
      ['79003333333', 'unreturned', 1, '2024-03-10 08:00:00'],
      ['79004444444', 'unreturned', 1, '2024-03-10 08:00:00'],
      ['79005555555', 'callback_failed', 3, '2024-03-10 07:00:00'],
    ]);
  });

  it('leaves out a number whose latest miss was reached, though an earlier one is unreturned (it stays in unreturned_numbers)', () => {
    const { summary, missed } = run(
      [
        miss('09:00:00', A),
        miss('20:00:00', A),
        miss('10:00:00', B),
        answeredIn('10:05:00', B),
        miss('12:00:00', C),
      ],
      // Past the 09:00 miss's horizon (2024-03-11 09:00), inside the 20:00 one's.
      { followUps: [answeredOut('2024-03-11 10:00:00', A)] },
    );
    expect(missed.map((m) => m.outcome)).toEqual([
      'unreturned',
      'client_called_again',
      'unreturned',
      'called_back',
    ]);
    expect(summary.missed.unreturned_numbers).toEqual(['79001111111', '79003333333']);
    expect(summary.missed.call_first.map((e) => e.number)).toEqual(['79003333333']);
  });

  it('counts a hidden caller’s miss but never lists it', () => {
    const { summary } = run([miss('09:00:00', null), miss('09:30:00', 'anonymous'), miss('10:00:00', A)]);
    expect(summary.missed).toMatchObject({ total: 3, numbers: 1, unreturned: 3 });
    expect(summary.missed.unreturned_numbers).toEqual(['79001111111']);
    expect(summary.missed.call_first.map((e) => e.number)).toEqual(['79001111111']);
  });

  it('takes the latest of two misses at the same second by communication_id, whatever the input order', () => {
    const lower = miss('10:00:00', A, { virtualNumber: '74951110000', contactNumber: '89001111111' });
    const higher = miss('10:00:00', A, { virtualNumber: '74952220000' });
    expect(higher.id).toBeGreaterThan(lower.id);
    const { summary } = run([higher, lower]);
    expect(summary.missed.call_first).toHaveLength(1);
    expect(summary.missed.call_first[0]).toMatchObject({
      display: A,
      line: '74952220000',
      misses: 2,
      last_missed_at: '2024-03-10 10:00:00',
    });
  });

  it('is empty when every client was reached', () => {
    const { summary } = run([miss('09:00:00', A), answeredOut('09:10:00', A)]);
    expect(summary.missed.call_first).toEqual([]);
  });
});
