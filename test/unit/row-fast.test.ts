/**
 * The fast row path agrees with the schema: whenever `fastCall` accepts a row,
 * its Call and its dropped parts are the schema's (a row with any other part to
 * drop than a tag's id or color must go to the schema, which counts it). Rows come in
 * every shape data-api.md's "Row shapes" table lists, some with one or two
 * columns made odd (near misses of each shape, or any JSON value).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Interner } from '../../functions/shared/calls/intern.ts';
import { fastCall } from '../../functions/shared/calls/normalise/fast.ts';
import { normaliseRow } from '../../functions/shared/calls/normalise/normaliser.ts';
import { schemaRow } from '../../functions/shared/calls/normalise/schema.ts';
import { TAG_WITHOUT_COLOR, TAG_WITHOUT_ID } from '../../functions/shared/calls/normalise/words.ts';

const RUNS = 2000;
type Row = Record<string, unknown>;

const two = (n: number) => String(n).padStart(2, '0');
const wallText = fc
  .record({
    d: fc.date({
      min: new Date('2020-01-01T00:00:00Z'),
      max: new Date('2027-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
  })
  .map(({ d }) => d.toISOString().slice(0, 19).replace('T', ' '));
const duration = fc
  .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m, s]) => `${two(h)}:${two(m)}:${two(s)}`);
const name = fc.constantFrom('Иванов Иван', 'Петрова Анна', 'Operator 1');
const text = fc.constantFrom('79201234567', 'Заметка о ВН', 'Продажи', 'x');
const phone = fc.constantFrom('74950230625', '84950230625', '9161234567', '+7 (495) 023-06-25', '100', '');
const labelled = (ids: (string | boolean)[], labels: string[]) =>
  fc.oneof(
    fc.record({ value: fc.constantFrom(...labels), value_id: fc.constantFrom(...ids) }),
    fc.record({ value: fc.constantFrom(...labels) }),
    fc.constantFrom(...labels),
  );
const direction = labelled(['in', 'out'], ['Входящий звонок', 'Входящий', 'Исходящий звонок', 'Исходящий']);
const status = labelled(['lost', 'successful', 'answered'], ['Пропущенный', 'Потерянный', 'Принятый']);
const flag = fc.oneof(labelled([true, false, 'true', 'false'], ['Да', 'Нет']), fc.constant(null));
const employees = fc.oneof(
  fc.array(name, { maxLength: 3 }),
  fc.array(fc.record({ employee_full_name: name, employee_id: fc.nat() }), { maxLength: 3 }),
  fc.constant(null),
);
const tag = fc.record({
  id: fc.nat(),
  name: fc.constantFrom('Обработано', 'Продажа', 'Спам'),
  color: fc.string(),
});
const extra = fc.record({
  call_status: fc.constantFrom('lost', 'successful'),
  call_direction: fc.constantFrom('in', 'out'),
});

/** A clean row: every column in one of its documented shapes, or absent. */
const cleanColumns = {
  communication_id: fc.oneof(fc.maxSafeNat(), fc.integer({ min: 0, max: 999_999_999_999_999 }).map(String)),
  contact_phone_number: fc.oneof(phone, fc.record({ value: phone, extra }), fc.constant(null)),
  call_direction: direction,
  call_status: status,
  call_is_internal: fc.oneof(
    labelled(['internal', 'external', true, false], ['Внутренний', 'Внешний']),
    fc.boolean(),
    fc.constantFrom('Внутренний', 'Внешний'),
  ),
  call_type: fc.oneof(labelled(['va', 'sip', true], ['Звонок ВАТС', 'SIP']), fc.constant(null)),
  call_finish_reason: fc.oneof(
    labelled(['no_success_operator_call', 'subscriber'], ['Не дозвонились']),
    fc.constant(null),
  ),
  is_blacklisted_phone: flag,
  is_coach_handled_call: flag,
  virtual_phone_number: fc.oneof(text, fc.constant(null)),
  virtual_number_comment: fc.oneof(text, fc.constant(null)),
  received_call: fc.oneof(name, fc.constant(null)),
  first_employee_for_internal_call: fc.oneof(name, fc.constant(null)),
  second_employee_for_internal_call: fc.oneof(name, fc.constant(null)),
  communication_comment_author: fc.oneof(name, fc.constant(null)),
  employees,
  coaches: employees,
  call_total_duration: fc.oneof(duration, fc.constant(null)),
  call_await_talk_duration: fc.oneof(duration, fc.constant(null)),
  call_talk_duration: fc.oneof(duration, fc.constant(null)),
  call_processed_mark_duration: fc.oneof(duration, fc.constant(null)),
  call_finish_date_time: fc.oneof(wallText, fc.constant(null)),
  call_records: fc.oneof(fc.array(fc.oneof(fc.string(), fc.nat()), { maxLength: 3 }), fc.constant(null)),
  tags: fc.oneof(
    fc.record({
      items: fc.array(tag, { maxLength: 3 }),
      communication_id: fc.nat(),
      communication_type: fc.constant('call'),
    }),
    fc.array(tag, { maxLength: 3 }),
    fc.constant(null),
  ),
  communication_comment: fc.oneof(
    fc.constantFrom('перезвонить', ''),
    fc.record({ comment: fc.constantFrom('перезвонить', '', null), communication_id: fc.nat() }),
    fc.constant(null),
  ),
  employee_rating: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant(null)),
};
type Column = keyof typeof cleanColumns | 'call_start_date_time' | 'call_start_date' | 'call_start_time';
const OPTIONAL = Object.keys(cleanColumns).filter(
  (c) => !['communication_id', 'call_direction', 'call_status'].includes(c),
);

/** The start in one of its forms: date_time, date + time, or both. */
const start = fc.tuple(wallText, fc.constantFrom('date_time', 'parts', 'both')).map(([w, form]): Row => {
  const [date, time] = w.split(' ');
  if (form === 'date_time') return { call_start_date_time: w };
  if (form === 'parts') return { call_start_date: date, call_start_time: time };
  return { call_start_date_time: w, call_start_date: date, call_start_time: time };
});

const cleanRow = fc
  .tuple(
    fc.record(cleanColumns, { requiredKeys: ['communication_id', 'call_direction', 'call_status'] }),
    start,
  )
  .map(([cols, s]): Row => ({ ...cols, ...s }));

/** Near misses of each shape (the parts the schema drops or reads differently) and any JSON value. */
const odd: Record<string, fc.Arbitrary<unknown>> = {
  communication_id: fc.constantFrom(-1, 1.5, '', 'abc', '0123', '1234567890123456', 1e20, null),
  call_start_date_time: fc.constantFrom(
    '2024-10-21T10:00:00',
    '2024-02-30 10:00:00',
    '2024-10-21 24:00:00',
    '2024-10-21',
    5,
  ),
  call_start_date: fc.constantFrom('21.10.2024', '2024-02-30', '', 20241021),
  call_start_time: fc.constantFrom('4pm', '10:00', '25:00:00', ''),
  call_finish_date_time: fc.constantFrom('soon', '2024-10-21 10:00', 0),
  contact_phone_number: fc.constantFrom(
    [],
    79161234567,
    { value: {} },
    { value: 79161234567 },
    { value: '7495', extra: 'x' },
    { value: '7495', extra: { call_status: 5, call_direction: 'in' } },
    { value: '7495', extra: { call_status: 'lost', call_direction: [] } },
    { extra: { call_status: 'lost', call_direction: 'in' } },
  ),
  labelled: fc.constantFrom(
    { value: 5, value_id: 'in' },
    { value: 'Входящий', value_id: {} },
    { value_id: 7 },
    { value: null, value_id: null },
    {},
    '',
    5,
    true,
    [],
    { value: 'Внешний', value_id: 'внешний' },
  ),
  names: fc.constantFrom(
    'Иванов Иван',
    [null],
    [''],
    [{ employee_id: 1 }],
    [{ employee_full_name: 5, full_name: 'Иванов Иван' }],
    [{ employee_full_name: '', name: 'Иванов Иван' }],
    [{ full_name: 'Петрова Анна' }],
    [{ name: 7 }],
    [['Иванов Иван']],
  ),
  duration: fc.constantFrom(
    '1 minute',
    -5,
    90,
    90.6,
    '00:61:00',
    '100:00:00',
    '1234567:00:00',
    '1:02:03',
    '',
  ),
  text: fc.constantFrom({}, [], true, 5, ''),
  records: fc.constantFrom('rec', [{}], [null, 'a'], [1.5], [true]),
  tags: fc.constantFrom(
    { items: [{ name: 'Обработано', color: 'c' }] },
    [{ id: 1, name: 'Обработано' }],
    [{ id: 1, color: 'c' }],
    [{ id: 1, name: '', color: 'c' }],
    [{ id: {}, name: 'Обработано', color: 'c' }],
    [{ id: '1', name: 'Обработано', color: 'c' }],
    [{ id: 1, name: 'Обработано', color: null }],
    [null],
    [''],
    ['Обработано'],
    'Обработано',
    { items: 'x' },
    { items: null },
    {},
  ),
  comment: fc.constantFrom(42, { comment: 5 }, { comment: '' }, [], { other: 1 }),
  rating: fc.constantFrom('five', '4', '4.5', {}, -1, 4.5),
  internal: fc.constantFrom(
    'maybe',
    { value_id: 7 },
    [],
    { value: 5, value_id: 'internal' },
    '',
    'INTERNAL',
    0,
  ),
};

function oddFor(column: Column): fc.Arbitrary<unknown> {
  const kind = column.endsWith('_duration')
    ? 'duration'
    : column === 'employees' || column === 'coaches'
      ? 'names'
      : column === 'call_records'
        ? 'records'
        : column === 'communication_comment'
          ? 'comment'
          : column === 'employee_rating'
            ? 'rating'
            : column === 'call_is_internal'
              ? 'internal'
              : ['call_direction', 'call_status', 'call_type', 'call_finish_reason'].includes(column) ||
                  column.startsWith('is_')
                ? 'labelled'
                : odd[column]
                  ? column
                  : 'text';
  return fc.oneof(
    { weight: 3, arbitrary: odd[kind] as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: fc.jsonValue() },
  );
}

const COLUMNS: Column[] = [
  ...(Object.keys(cleanColumns) as Column[]),
  'call_start_date_time',
  'call_start_date',
  'call_start_time',
];
const oddColumn = fc.constantFrom(...COLUMNS).chain((c) => oddFor(c).map((v) => [c, v] as const));

/** A clean row with up to two columns made odd (or removed). */
const row = fc
  .tuple(
    cleanRow,
    fc.array(
      fc.oneof(
        oddColumn,
        fc.constantFrom(...OPTIONAL).map((c) => [c, undefined] as const),
      ),
      { maxLength: 2 },
    ),
  )
  .map(([r, changes]) => {
    const out: Row = { ...r };
    for (const [c, v] of changes) {
      if (v === undefined) delete out[c];
      else out[c] = v;
    }
    return out;
  });

function agrees(r: Row): boolean {
  const dropped: string[] = [];
  const fast = fastCall(r, null, dropped);
  if (fast === null) return false;
  const schema = schemaRow(r);
  if (!schema.ok)
    throw new Error(`the fast path read a row the schema rejects (${schema.reason}): ${JSON.stringify(r)}`);
  expect(dropped).toEqual(schema.dropped);
  expect(fast).toEqual(schema.call);
  // Shared values change nothing but identity.
  expect(fastCall(r, new Interner(), [])).toEqual(schema.call);
  expect(normaliseRow(r, new Interner())).toEqual(schema);
  return true;
}

describe('the fast row path', () => {
  it('reads every clean row in every documented shape, exactly as the schema does', () => {
    fc.assert(
      fc.property(cleanRow, (r) => {
        expect(agrees(r)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('whenever it accepts a row with odd parts, gives the schema path’s Call and dropped parts', () => {
    let accepted = 0;
    let given = 0;
    fc.assert(
      fc.property(row, (r) => {
        given++;
        if (agrees(r)) accepted++;
        else {
          // What the fast path leaves is read by the schema: a call (its odd parts counted) or a reason.
          const s = schemaRow(r);
          expect(s.ok ? s.call.id >= 0 : s.reason.length > 0).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
    // Both outcomes were exercised: the property is not vacuous.
    expect(accepted).toBeGreaterThan(given / 10);
    expect(accepted).toBeLessThan(given);
  });

  it('leaves to the schema every row with a part the schema drops, but a tag without id or color', () => {
    fc.assert(
      fc.property(row, (r) => {
        const s = schemaRow(r);
        const tagsOnly = s.ok && s.dropped.every((d) => d === TAG_WITHOUT_ID || d === TAG_WITHOUT_COLOR);
        if (s.ok && !tagsOnly) expect(fastCall(r, null, [])).toBeNull();
      }),
      { numRuns: RUNS },
    );
  });
});
