/**
 * A `CallTable` gives back what was pushed: every field of every call, equal
 * field by field (its shared values differ only by identity), whether read to
 * keep (`at`), into the reused record (`each`, `look`) or through a view; the
 * odd values the normaliser never makes (fractions of seconds, negative or
 * huge durations, a finish before the start, numbers that are not plain
 * digits, a normal form that is not the number's, long record ids or ones
 * with a lone surrogate)
 * included, and every nullable field null.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Call, emptyCall, type Labelled } from '../../functions/shared/calls/call.ts';
import type { CallList } from '../../functions/shared/calls/call-list.ts';
import { normalisePhone } from '../../functions/shared/calls/phone.ts';
import { CallTable } from '../../functions/shared/calls/table.ts';
import { blankCall, wall } from '../support/calls.ts';

const RUNS = 300;
const START = wall('2024-10-21 10:00:00');

/** Every call of the list, read each way it can be read, equals `want`, in order. */
function expectReadsBack(list: CallList, want: readonly Call[]): void {
  expect(list.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(list.at(i)).toEqual(want[i]);
    expect(list.look(i)).toEqual(want[i]);
  }
  const seen: number[] = [];
  const end = list.each((call, i) => {
    expect(call).toEqual(want[i]);
    seen.push(i);
  });
  expect(end).toBe(want.length);
  expect(seen).toEqual(want.map((_, i) => i));
}

/** Every field set, none null. */
const full: Call = {
  id: 9_007_199_254_740_991,
  start: START,
  finish: START + 125_000,
  direction: 'out',
  lost: true,
  internal: true,
  directionLabel: 'Исходящий звонок',
  statusLabel: 'Потерянный',
  type: { id: 'normal', label: 'Обычный' },
  finishReason: { id: 'subscriber_disconnects', label: 'Абонент положил трубку' },
  contactNumber: '79161234567',
  contactNormal: '79161234567',
  virtualNumber: '74951234567',
  virtualNumberComment: 'Основная линия',
  employees: ['Иванов Иван', 'Петрова Мария'],
  receivedCall: 'Иванов Иван',
  firstEmployeeInternal: 'Иванов Иван',
  secondEmployeeInternal: 'Петрова Мария',
  coaches: ['Сидоров Пётр'],
  coachHandled: { id: 'true', label: 'Да' },
  blacklisted: { id: 'false', label: 'Нет' },
  totalSeconds: 125,
  awaitSeconds: 7,
  talkSeconds: 118,
  processedMarkSeconds: 3,
  tags: ['VIP', 'Перезвонить'],
  records: ['2f9a0c1e', 'Запись 2'],
  rating: 5,
  comment: 'Перезвонить завтра',
  commentAuthor: 'Петрова Мария',
};

/** The odd values a table keeps aside, and the edges of its columns. */
const odd: Call[] = [
  blankCall(1, START, { finish: START + 1500 }), // a finish that is not whole seconds after the start
  blankCall(2, START, { finish: START - 60_000 }), // before the start
  blankCall(3, START, { finish: START + 2 ** 31 * 1000 }), // past what 32 bits of seconds hold
  blankCall(4, START + 0.5, { finish: START + 1000.5 }), // a start that is not whole milliseconds
  blankCall(5, START, { totalSeconds: 1.5, awaitSeconds: -1, talkSeconds: -0, processedMarkSeconds: 0 }),
  blankCall(6, START, { totalSeconds: 0xffff_ffff, awaitSeconds: 0xffff_fffe, talkSeconds: 2 ** 40 }),
  blankCall(7, START, { totalSeconds: Number.NaN, awaitSeconds: Number.POSITIVE_INFINITY }),
  blankCall(8, START, { contactNumber: '0079161234567', contactNormal: '0079161234567' }), // a leading zero
  blankCall(9, START, { contactNumber: '+7 (916) 123-45-67', contactNormal: '79161234567' }),
  blankCall(10, START, { contactNumber: '1234567890123456', contactNormal: '1234567890123456' }), // 16 digits
  blankCall(11, START, { contactNumber: '89161234567', contactNormal: '79161234567' }),
  blankCall(12, START, { contactNumber: '9161234567', contactNormal: '79161234567' }),
  blankCall(13, START, { contactNumber: '79161234567', contactNormal: 'not the number' }),
  blankCall(14, START, { contactNumber: '79161234567', contactNormal: null }),
  blankCall(15, START, { contactNumber: null, contactNormal: '79161234567' }),
  blankCall(16, START, { contactNumber: '', contactNormal: null }),
  blankCall(17, START, { contactNumber: 'anonymous', contactNormal: null }),
  blankCall(18, START, { records: ['x'.repeat(70_000), '', 'ещё 🎧'] }), // longer than 65 535 bytes
  blankCall(19, START, { records: ['y'.repeat((1 << 20) + 10)] }), // longer than a block
  blankCall(27, START, { records: ['a\ud800b', '\udc00'] }), // lone surrogates, which UTF-8 cannot hold
  blankCall(20, START, { comment: 'только текст' }),
  blankCall(21, START, { commentAuthor: 'только автор' }),
  blankCall(22, START, { comment: 'Перезвонить завтра', commentAuthor: 'Петрова Мария' }), // the same note as `full`
  blankCall(23, START, { rating: 0 }),
  blankCall(24, START, { rating: 4.5 }),
  blankCall(25, -START, { finish: null }),
  blankCall(26, START, { type: { id: '', label: '' }, employees: [''], tags: [''] }),
];

describe('CallTable', () => {
  it('gives back every field of a call with every field set', () => {
    expectReadsBack(CallTable.from([full]), [full]);
  });

  it('gives back the empty call, every nullable field null', () => {
    expectReadsBack(CallTable.from([emptyCall()]), [emptyCall()]);
  });

  it('gives back the odd values it keeps aside exactly, beside ordinary calls', () => {
    const calls = [full, ...odd, emptyCall(), full];
    expectReadsBack(CallTable.from(calls), calls);
  });

  it('gives back the same calls through a view, in the view’s order', () => {
    const calls = [full, ...odd];
    const table = CallTable.from(calls);
    const positions = Uint32Array.from([5, 0, 12, 12, 3]);
    expectReadsBack(
      table.view(positions),
      Array.from(positions, (p) => calls[p] as Call),
    );
  });

  it('keeps calls across its chunks of 16 384 rows', () => {
    const calls = Array.from({ length: 40_000 }, (_, i) =>
      blankCall(i, START + i * 1000, {
        finish: i % 3 === 0 ? null : START + i * 1000 + (i % 600) * 1000,
        contactNumber: `7916${String(i).padStart(7, '0')}`,
        contactNormal: `7916${String(i).padStart(7, '0')}`,
        records: i % 7 === 0 ? [] : [`rec-${i}`],
        totalSeconds: i % 600,
      }),
    );
    const table = CallTable.from(calls);
    for (const i of [0, 16_383, 16_384, 32_767, 32_768, 39_999]) expect(table.at(i)).toEqual(calls[i]);
    let n = 0;
    table.each((call, i) => {
      if (call.id !== i || call.records.length !== (i % 7 === 0 ? 0 : 1))
        throw new Error(`call ${i} differs`);
      n++;
    });
    expect(n).toBe(calls.length);
  });

  it('each stops after the call its visitor returns true for, and carries on from where it is told', () => {
    const calls = [full, ...odd];
    const table = CallTable.from(calls);
    const seen: number[] = [];
    const next = table.each((_, i) => {
      seen.push(i);
      return i === 2;
    });
    expect(next).toBe(3);
    expect(table.each((_, i) => seen.push(i), next)).toBe(calls.length);
    expect(seen).toEqual(calls.map((_, i) => i));
  });

  it('reads one record again and again for each and look, and a new call for at', () => {
    const table = CallTable.from([full, emptyCall()]);
    expect(table.look(0)).toBe(table.look(1));
    expect(table.at(0)).not.toBe(table.at(0));
    const kept = table.at(0);
    table.look(1);
    expect(kept).toEqual(full);
  });

  it('refuses a position it does not hold, naming it', () => {
    const table = CallTable.from([full]);
    expect(() => table.at(1)).toThrow('No call at 1: the table holds 1');
    expect(() => table.look(-1)).toThrow(RangeError);
    expect(() => table.view(Uint32Array.from([0])).at(1)).toThrow('No call at 1: the view holds 1');
  });

  it('gives back any calls at all, field by field (generated)', () => {
    const text = fc.oneof(
      fc.constant(null),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom('Иванов Иван', 'Отдел продаж', ''),
    );
    const labelled: fc.Arbitrary<Labelled | null> = fc.oneof(
      fc.constant(null),
      fc.record({ id: fc.constantFrom('in', 'lost', 'true', ''), label: fc.constantFrom('Да', 'Нет', '') }),
    );
    const names = fc.array(fc.constantFrom('Иванов Иван', 'Петрова Мария', 'Operator 1', ''), {
      maxLength: 3,
    });
    const seconds = fc.oneof(
      fc.constant(null),
      fc.nat({ max: 100_000 }),
      fc.integer({ min: 0xffff_fff0, max: 0x1_0000_0010 }),
      fc.double(),
    );
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 17 });
    const contact = fc
      .tuple(
        fc.oneof(fc.constant(null), digits, fc.string({ unit: 'grapheme', maxLength: 20 })),
        fc.oneof({ weight: 4, arbitrary: fc.constant('normal') }, fc.constant(null), text),
      )
      .map(([number, normal]) => ({
        contactNumber: number,
        contactNormal: normal === 'normal' ? normalisePhone(number) : normal,
      }));
    const start = fc.oneof(
      fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => ms - (ms % 1000)),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
    const finish = fc.oneof(
      fc.constant(null),
      fc.integer({ min: -86_400, max: 200_000 }).map((s) => s * 1000),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
    const call: fc.Arbitrary<Call> = fc
      .record({
        id: fc.oneof(fc.maxSafeNat(), fc.double()),
        start,
        finish,
        direction: fc.constantFrom('in', 'out'),
        lost: fc.boolean(),
        internal: fc.boolean(),
        directionLabel: text,
        statusLabel: text,
        type: labelled,
        finishReason: labelled,
        contact,
        virtualNumber: text,
        virtualNumberComment: text,
        employees: names,
        receivedCall: text,
        firstEmployeeInternal: text,
        secondEmployeeInternal: text,
        coaches: names,
        coachHandled: labelled,
        blacklisted: labelled,
        totalSeconds: seconds,
        awaitSeconds: seconds,
        talkSeconds: seconds,
        processedMarkSeconds: seconds,
        tags: names,
        records: fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 3 }),
        rating: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 5 }), fc.double()),
        comment: text,
        commentAuthor: text,
      })
      .map(({ contact: c, start: s, finish: f, ...rest }) => ({
        ...rest,
        ...c,
        start: s,
        // Mostly a finish after the start, as calls have it.
        finish: f === null ? null : Number.isInteger(f) && Math.abs(f) <= 200_000_000 ? s + f : f,
      }));
    fc.assert(
      fc.property(fc.array(call, { maxLength: 30 }), (calls) => {
        expectReadsBack(CallTable.from(calls), calls);
      }),
      { numRuns: RUNS },
    );
  });
});
