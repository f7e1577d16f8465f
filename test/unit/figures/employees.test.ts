import { describe, expect, it } from 'vitest';
import { NO_EMPLOYEE } from '../../../functions/shared/report/figures/employees.ts';
import { A, answeredIn, answeredOut, B, C, D, failedOut, miss, run } from './fixture.ts';

describe('summarise: employees', () => {
  it('credits answered calls to received_call, else first employee, else "(no employee)"', () => {
    const { summary } = run([
      answeredIn('09:00:00', A, {
        receivedCall: 'Борисов',
        employees: ['Андреев'],
        talkSeconds: 60,
        awaitSeconds: 4,
      }),
      answeredIn('09:10:00', A, { employees: ['Андреев', 'Борисов'], talkSeconds: 30, awaitSeconds: 7 }),
      answeredIn('09:20:00', A, { talkSeconds: 10 }),
      answeredOut('09:30:00', A, { receivedCall: '', employees: ['Андреев'], talkSeconds: 15 }),
      failedOut('09:40:00', A, { employees: ['Борисов'] }),
      failedOut('09:50:00', A),
    ]);
    const by = (name: string) => summary.employees.find((e) => e.name === name);
    expect(by('Борисов')).toMatchObject({
      incoming_answered: 1,
      outgoing: 1,
      outgoing_answered: 0,
      talk_seconds: 60,
      avg_talk_seconds: 60,
      avg_wait_seconds: 4,
    });
    expect(by('Андреев')).toMatchObject({
      incoming_answered: 1,
      outgoing: 1,
      outgoing_answered: 1,
      talk_seconds: 45,
      avg_talk_seconds: 23, // (30 + 15) / 2 = 22.5, both directions
      avg_wait_seconds: 7,
    });
    expect(by(NO_EMPLOYEE)).toMatchObject({ incoming_answered: 1, outgoing: 1, talk_seconds: 10 });
  });

  it('a missed call counts for every listed employee once, or for "(no employee)"', () => {
    const { summary } = run([
      miss('09:00:00', A, { employees: ['Андреев', 'Борисов', 'Андреев'] }),
      miss('09:10:00', B, { employees: [] }),
      miss('09:20:00', C, { employees: [''], receivedCall: 'Борисов' }),
    ]);
    const by = Object.fromEntries(summary.employees.map((e) => [e.name, e.missed]));
    expect(by).toEqual({ Андреев: 1, Борисов: 1, [NO_EMPLOYEE]: 2 });
  });

  it('sorts by missed descending, then name (Russian collation), "(no employee)" last whatever its misses', () => {
    const { summary } = run([
      miss('09:00:00', A, { employees: ['Яковлев', 'ёлкин'] }),
      miss('09:10:00', A, { employees: ['Яковлев'] }),
      miss('09:20:00', A, { employees: ['Жуков', 'Ёлкин'] }),
      answeredIn('09:30:00', A, { receivedCall: 'Абрамов' }),
      answeredIn('09:40:00', A, { receivedCall: 'Zimmer' }),
      answeredIn('09:50:00', A),
    ]);
    expect(summary.employees.map((e) => e.name)).toEqual([
      'Яковлев',
      'ёлкин',
      'Ёлкин',
      'Жуков',
      'Абрамов', // the Russian collation puts Cyrillic before Latin
      'Zimmer',
      NO_EMPLOYEE,
    ]);
  });

  it('callbacks go to the first employee of the resolving call when received_call is empty, else "(no employee)"', () => {
    const { summary, missed } = run([
      miss('09:00:00', A),
      answeredOut('09:05:00', A, { employees: ['Андреев', 'Борисов'] }),
      miss('10:00:00', B),
      answeredOut('10:05:00', B),
    ]);
    expect(missed.map((m) => m.callback_employee)).toEqual(['Андреев', NO_EMPLOYEE]);
    const by = Object.fromEntries(summary.employees.map((e) => [e.name, e.callbacks]));
    expect(by).toEqual({ Андреев: 1, [NO_EMPLOYEE]: 1 });
  });

  it('unreturned: the missed calls that rang each name and ended unreturned, hidden callers too', () => {
    const { summary } = run([
      miss('09:00:00', A, { employees: ['Андреев', 'Борисов', 'Андреев'] }),
      miss('09:10:00', B, { employees: ['Андреев'] }),
      answeredOut('09:20:00', B, { receivedCall: 'Андреев' }),
      miss('09:30:00', C, { employees: ['Борисов'] }),
      failedOut('09:40:00', C, { receivedCall: 'Борисов' }),
      miss('09:50:00', null, { employees: ['Борисов'] }),
      miss('10:00:00', D),
    ]);
    const by = Object.fromEntries(summary.employees.map((e) => [e.name, [e.missed, e.unreturned]]));
    expect(by).toEqual({ Андреев: [2, 1], Борисов: [3, 2], [NO_EMPLOYEE]: [1, 1] });
  });

  it('puts "(no employee)" last even when it has the most misses', () => {
    const { summary } = run([
      miss('09:00:00', A),
      miss('09:10:00', B),
      miss('09:20:00', C, { employees: ['Яковлев'] }),
      answeredIn('09:30:00', D, { receivedCall: 'Абрамов' }),
    ]);
    expect(summary.employees.map((e) => [e.name, e.missed])).toEqual([
      ['Яковлев', 1],
      ['Абрамов', 0],
      [NO_EMPLOYEE, 2],
    ]);
  });
});
