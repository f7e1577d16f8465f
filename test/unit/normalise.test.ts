import { describe, expect, it } from 'vitest';
import type { Call } from '../../functions/shared/calls/call.ts';
import {
  describeDroppedParts,
  normaliseRow,
  RowNormaliser,
  UnreadableRowsError,
} from '../../functions/shared/calls/normalise/normaliser.ts';

/** The seed's example row (with its stray `],` removed), as the canonical shape. */
const canonical = (): Record<string, unknown> => ({
  tags: {
    items: [{ id: 24498, name: 'Обработано', color: 'color2' }],
    communication_id: 26016,
    communication_type: 'call',
  },
  coaches: null,
  call_type: { value: 'Звонок ВАТС', value_id: 'va' },
  employees: ['Иванов Иван'],
  call_status: { value: 'Пропущенный', value_id: 'lost' },
  call_records: null,
  received_call: null,
  call_direction: { value: 'Входящий звонок', value_id: 'in' },
  call_start_date: '2024-10-21',
  call_start_time: '16:08:19',
  employee_rating: null,
  call_is_internal: { value: 'Внешний', value_id: 'external' },
  communication_id: 26016,
  call_finish_reason: { value: 'Не дозвонились до сотрудника', value_id: 'no_success_operator_call' },
  call_talk_duration: '00:00:00',
  call_total_duration: '00:00:24',
  call_start_date_time: '2024-10-21 16:08:19',
  contact_phone_number: { extra: { call_status: 'lost', call_direction: 'in' }, value: '74950230625' },
  is_blacklisted_phone: { value: 'Нет', value_id: false },
  virtual_phone_number: '79201234567',
  call_finish_date_time: '2024-10-21 16:08:43',
  communication_comment: { comment: null, communication_id: 26016, communication_type: 'call' },
  is_coach_handled_call: { value: 'Нет', value_id: false },
  virtual_number_comment: 'Заметка о ВН',
  call_await_talk_duration: null,
  call_processed_mark_duration: '00:01:51',
  communication_comment_author: null,
  first_employee_for_internal_call: null,
  second_employee_for_internal_call: null,
});

function ok(row: unknown) {
  const r = normaliseRow(row);
  if (!r.ok) throw new Error(`expected the row to normalise, got: ${r.reason}`);
  return r.call;
}

describe('normaliseRow', () => {
  it('reads the seed example into a typed Call', () => {
    const call = ok(canonical());
    expect(call).toMatchObject({
      id: 26016,
      start: Date.UTC(2024, 9, 21, 16, 8, 19),
      finish: Date.UTC(2024, 9, 21, 16, 8, 43),
      direction: 'in',
      lost: true,
      internal: false,
      contactNumber: '74950230625',
      contactNormal: '74950230625',
      virtualNumber: '79201234567',
      virtualNumberComment: 'Заметка о ВН',
      employees: ['Иванов Иван'],
      totalSeconds: 24,
      awaitSeconds: null,
      talkSeconds: 0,
      processedMarkSeconds: 111,
      tags: ['Обработано'],
      records: [],
      comment: null,
      finishReason: { id: 'no_success_operator_call', label: 'Не дозвонились до сотрудника' },
    });
  });

  // Each variant is a shape data-api.md says the same column can come in; all give the same Call.
  const variants: Array<[string, (r: Record<string, unknown>) => void]> = [
    ['communication_id as a numeric string', (r) => (r.communication_id = '26016')],
    ['contact_phone_number as a plain string', (r) => (r.contact_phone_number = '74950230625')],
    ['call_direction labelled "Входящий"', (r) => (r.call_direction = { value: 'Входящий', value_id: 'in' })],
    ['call_status labelled "Потерянный"', (r) => (r.call_status = { value: 'Потерянный', value_id: 'lost' })],
    [
      'call_is_internal with a boolean value_id',
      (r) => (r.call_is_internal = { value: 'Внешний', value_id: false }),
    ],
    ['call_is_internal as a bare boolean', (r) => (r.call_is_internal = false)],
    ['call_is_internal as a bare label', (r) => (r.call_is_internal = 'Внешний')],
    ['employees as objects', (r) => (r.employees = [{ employee_full_name: 'Иванов Иван', employee_id: 7 }])],
    ['tags as a bare array', (r) => (r.tags = [{ id: 24498, name: 'Обработано', color: 'color2' }])],
    ['start as date + time only', (r) => delete r.call_start_date_time],
    [
      'start as date_time only',
      (r) => {
        delete r.call_start_date;
        delete r.call_start_time;
      },
    ],
  ];
  const expected = ok(canonical());
  for (const [name, mutate] of variants) {
    it(`gives the same Call when ${name}`, () => {
      const row = canonical();
      mutate(row);
      // Labels are for display and may differ between variants; everything else must not.
      const { directionLabel: _d, statusLabel: _s, ...call } = ok(row);
      const { directionLabel: _ed, statusLabel: _es, ...want } = expected;
      expect(call).toEqual(want);
    });
  }

  it('reads the other shapes of comments, records, coaches, blacklist and null columns', () => {
    const row = canonical();
    row.communication_comment = 'перезвонить утром';
    row.call_records = ['rec-1', 77];
    row.coaches = [{ employee_full_name: 'Петров Пётр' }];
    row.is_blacklisted_phone = { value: 'Да', value_id: 'true' };
    row.employees = null;
    row.tags = null;
    row.employee_rating = 5;
    const call = ok(row);
    expect(call.comment).toBe('перезвонить утром');
    expect(call.records).toEqual(['rec-1', '77']);
    expect(call.coaches).toEqual(['Петров Пётр']);
    expect(call.blacklisted).toEqual({ id: 'true', label: 'Да' });
    expect(call.employees).toEqual([]);
    expect(call.tags).toEqual([]);
    expect(call.rating).toBe(5);
  });

  it('knows internal calls in every shape', () => {
    for (const v of [
      { value: 'Внутренний', value_id: 'internal' },
      { value: 'Внутренний', value_id: true },
      true,
      'Внутренний',
    ]) {
      const row = canonical();
      row.call_is_internal = v;
      expect(ok(row).internal).toBe(true);
    }
  });

  it('reads durations whose hours pass 24', () => {
    const row = canonical();
    row.call_talk_duration = '25:01:02';
    expect(ok(row).talkSeconds).toBe(25 * 3600 + 62);
  });

  it('puts numbers into normal form and keeps them as given', () => {
    const row = canonical();
    row.contact_phone_number = '8 (495) 023-06-25';
    const call = ok(row);
    expect(call.contactNumber).toBe('8 (495) 023-06-25');
    expect(call.contactNormal).toBe('74950230625');
  });

  it('falls back to contact_phone_number.extra when direction and status columns are missing', () => {
    const row = canonical();
    delete row.call_direction;
    delete row.call_status;
    expect(ok(row)).toMatchObject({ direction: 'in', lost: true });
  });

  it('answered status is anything not lost', () => {
    const row = canonical();
    row.call_status = { value: 'Принятый', value_id: 'successful' };
    expect(ok(row).lost).toBe(false);
  });

  it('never throws on rows that are not objects', () => {
    for (const v of [null, 1, 'x', [], [1, 2], { communication_id: 1 }]) {
      expect(normaliseRow(v).ok).toBe(false);
    }
  });
});

type Row = Record<string, unknown>;

/** Rows without what a call cannot exist without: id, start, direction, status. */
const unreadable: Array<[string, (r: Row) => void, RegExp]> = [
  ['communication_id not a number', (r) => (r.communication_id = 'abc'), /^communication_id: /],
  ['communication_id negative', (r) => (r.communication_id = -1), /^communication_id: /],
  ['communication_id a fraction', (r) => (r.communication_id = 1.5), /^communication_id: /],
  ['communication_id an object', (r) => (r.communication_id = { value: 1 }), /^communication_id: /],
  ['communication_id missing', (r) => delete r.communication_id, /^communication_id: /],
  [
    'no start at all',
    (r) => {
      delete r.call_start_date_time;
      delete r.call_start_date;
      delete r.call_start_time;
    },
    /^call_start_date_time: missing/,
  ],
  [
    'a start that is not a date, and no date + time',
    (r) => {
      r.call_start_date_time = '21.10.2024 16:08';
      r.call_start_date = null;
    },
    /^call_start_date_time: not "YYYY-MM-DD hh:mm:ss"/,
  ],
  [
    'date + time only, of an impossible date',
    (r) => {
      delete r.call_start_date_time;
      r.call_start_date = '2024-02-30';
    },
    /^call_start_date \+ call_start_time: /,
  ],
  [
    'date only, without a time',
    (r) => {
      delete r.call_start_date_time;
      delete r.call_start_time;
    },
    /^call_start_date \+ call_start_time: /,
  ],
  [
    'a direction that is neither in nor out, and no fallback',
    (r) => {
      r.call_direction = { value: '?', value_id: 'sideways' };
      r.contact_phone_number = '74950230625';
    },
    /^call_direction: /,
  ],
  [
    'a direction that is not a label object, and an odd fallback',
    (r) => {
      r.call_direction = 7;
      r.contact_phone_number = { value: '74950230625', extra: { call_direction: 5, call_status: 'lost' } };
    },
    /^call_direction: /,
  ],
  [
    'no status, and no fallback',
    (r) => {
      delete r.call_status;
      r.contact_phone_number = '74950230625';
    },
    /^call_status: /,
  ],
  [
    'a status with neither value nor value_id, and no fallback',
    (r) => {
      r.call_status = { value: null, value_id: null };
      r.contact_phone_number = '74950230625';
    },
    /^call_status: /,
  ],
];

describe('rows whose call cannot be read are rejected, with the reason', () => {
  it.each(unreadable)('%s', (_name, mutate, reason) => {
    const row = canonical();
    mutate(row);
    const r = normaliseRow(row);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);

    const n = new RowNormaliser();
    const out: Call[] = [];
    n.push([row], out);
    expect(out).toHaveLength(0);
    expect(n.rejectedCount).toBe(1);
    expect(n.rejected[0]?.reason).toMatch(reason);
    expect(n.droppedParts).toEqual([]);
  });
});

/**
 * Every optional part of a row, column by column as data-api.md's "Row shapes"
 * lists them, made odd: the call is kept, exactly as without that part (the
 * `changed` fields aside), and the part is counted under its reason.
 */
const oddParts: Array<[string, (r: Row) => void, Partial<Call>, string]> = [
  // the start: one readable form is enough
  [
    'call_start_date not a date (call_start_date_time read)',
    (r) => (r.call_start_date = '21.10.2024'),
    {},
    'call_start_date: not "YYYY-MM-DD"; ignored (call_start_date_time used)',
  ],
  [
    'call_start_time not a time (call_start_date_time read)',
    (r) => (r.call_start_time = '4pm'),
    {},
    'call_start_time: not "hh:mm:ss"; ignored (call_start_date_time used)',
  ],
  [
    'call_start_date_time odd (date + time read)',
    (r) => (r.call_start_date_time = '2024-10-21 16:08'),
    {},
    'call_start_date_time: not "YYYY-MM-DD hh:mm:ss"; call_start_date + call_start_time used',
  ],
  [
    'call_finish_date_time odd',
    (r) => (r.call_finish_date_time = 'soon'),
    { finish: null },
    'call_finish_date_time: not "YYYY-MM-DD hh:mm:ss"; left empty',
  ],
  // contact_phone_number
  [
    'contact_phone_number a list',
    (r) => (r.contact_phone_number = ['74950230625']),
    { contactNumber: null, contactNormal: null },
    'contact_phone_number: not a string or {value, extra}; left empty',
  ],
  [
    'contact_phone_number.value an object',
    (r) =>
      (r.contact_phone_number = {
        value: { digits: 1 },
        extra: { call_status: 'lost', call_direction: 'in' },
      }),
    { contactNumber: null, contactNormal: null },
    'contact_phone_number.value: not a string; left empty',
  ],
  [
    'contact_phone_number.extra a string',
    (r) => (r.contact_phone_number = { value: '74950230625', extra: 'lost' }),
    {},
    'contact_phone_number.extra: not an object; ignored',
  ],
  [
    'contact_phone_number.extra.call_status a number',
    (r) =>
      (r.contact_phone_number = { value: '74950230625', extra: { call_status: 3, call_direction: 'in' } }),
    {},
    'contact_phone_number.extra.call_status: not a string; ignored',
  ],
  // direction and status: an odd label, the id still read
  [
    'call_direction.value a number (value_id read)',
    (r) => (r.call_direction = { value: 5, value_id: 'in' }),
    { directionLabel: 'in' },
    'call_direction.value: not a string; ignored',
  ],
  [
    'call_direction not a label object (contact_phone_number.extra read)',
    (r) => (r.call_direction = 1),
    { directionLabel: null },
    'call_direction: not {value, value_id}; left empty',
  ],
  [
    'call_status.value a list (value_id read)',
    (r) => (r.call_status = { value: [], value_id: 'lost' }),
    { statusLabel: 'lost' },
    'call_status.value: not a string; ignored',
  ],
  // call_is_internal
  [
    'call_is_internal an unknown word',
    (r) => (r.call_is_internal = 'maybe'),
    { internal: false },
    'call_is_internal: not internal/external or a boolean; taken as external',
  ],
  [
    'call_is_internal with a numeric value_id',
    (r) => (r.call_is_internal = { value: 'Внешний', value_id: 7 }),
    { internal: false },
    'call_is_internal: not internal/external or a boolean; taken as external',
  ],
  [
    'call_is_internal a list',
    (r) => (r.call_is_internal = []),
    { internal: false },
    'call_is_internal: not internal/external or a boolean; taken as external',
  ],
  // call_type, call_finish_reason, is_blacklisted_phone, is_coach_handled_call
  [
    'call_type.value_id an object (value read)',
    (r) => (r.call_type = { value: 'Звонок ВАТС', value_id: { id: 'va' } }),
    { type: { id: 'Звонок ВАТС', label: 'Звонок ВАТС' } },
    'call_type.value_id: not a string, number or boolean; ignored',
  ],
  [
    'call_type a number',
    (r) => (r.call_type = 3),
    { type: null },
    'call_type: not {value, value_id}; left empty',
  ],
  [
    'call_finish_reason a boolean',
    (r) => (r.call_finish_reason = true),
    { finishReason: null },
    'call_finish_reason: not {value, value_id}; left empty',
  ],
  [
    'is_blacklisted_phone.value a number',
    (r) => (r.is_blacklisted_phone = { value: 0, value_id: false }),
    { blacklisted: { id: 'false', label: 'false' } },
    'is_blacklisted_phone.value: not a string; ignored',
  ],
  [
    'is_coach_handled_call a list',
    (r) => (r.is_coach_handled_call = [false]),
    { coachHandled: null },
    'is_coach_handled_call: not {value, value_id}; left empty',
  ],
  // employees, coaches
  [
    'employees a string',
    (r) => (r.employees = 'Иванов Иван'),
    { employees: [] },
    'employees: not a list; left empty',
  ],
  [
    'employees entry without employee_full_name',
    (r) => (r.employees = [{ employee_id: 7 }, 'Иванов Иван']),
    {},
    'employees[]: an entry without employee_full_name; dropped',
  ],
  [
    'employees entry with a numeric employee_full_name (full_name read)',
    (r) => (r.employees = [{ employee_full_name: 5, full_name: 'Иванов Иван' }]),
    {},
    'employees[].employee_full_name: not a string; ignored',
  ],
  [
    'employees entry null',
    (r) => (r.employees = [null, 'Иванов Иван']),
    {},
    'employees[]: not a name or {employee_full_name}; dropped',
  ],
  [
    'employees entry empty',
    (r) => (r.employees = ['', 'Иванов Иван']),
    {},
    'employees[]: an empty name; dropped',
  ],
  [
    'coaches entry with a null name',
    (r) => (r.coaches = [{ employee_full_name: null, employee_id: 3 }]),
    {},
    'coaches[]: an entry without employee_full_name; dropped',
  ],
  // durations
  [
    'call_talk_duration in words',
    (r) => (r.call_talk_duration = '1 minute'),
    { talkSeconds: null },
    'call_talk_duration: not "hh:mm:ss" or seconds; left empty',
  ],
  [
    'call_total_duration negative',
    (r) => (r.call_total_duration = -5),
    { totalSeconds: null },
    'call_total_duration: not "hh:mm:ss" or seconds; left empty',
  ],
  [
    'call_await_talk_duration an object',
    (r) => (r.call_await_talk_duration = { seconds: 3 }),
    { awaitSeconds: null },
    'call_await_talk_duration: not "hh:mm:ss" or seconds; left empty',
  ],
  [
    'call_processed_mark_duration with 61 minutes',
    (r) => (r.call_processed_mark_duration = '00:61:00'),
    { processedMarkSeconds: null },
    'call_processed_mark_duration: not "hh:mm:ss" or seconds; left empty',
  ],
  // call_records
  [
    'call_records a string',
    (r) => (r.call_records = 'rec-1'),
    { records: [] },
    'call_records: not a list; left empty',
  ],
  [
    'call_records entry an object',
    (r) => (r.call_records = [{ id: 1 }, 'rec-2']),
    { records: ['rec-2'] },
    'call_records[]: not a record id; dropped',
  ],
  // tags
  [
    'tags item without id',
    (r) => (r.tags = { items: [{ name: 'Обработано', color: 'color2' }] }),
    {},
    'tags[]: a tag without id; kept by its name',
  ],
  [
    'tags item with an object id',
    (r) => (r.tags = [{ id: { n: 1 }, name: 'Обработано', color: 'color2' }]),
    {},
    'tags[]: a tag without id; kept by its name',
  ],
  [
    'tags item without color',
    (r) => (r.tags = { items: [{ id: 24498, name: 'Обработано' }] }),
    {},
    'tags[]: a tag without color; kept',
  ],
  [
    'tags item without name',
    (r) => (r.tags = { items: [{ id: 24498, color: 'color2' }] }),
    { tags: [] },
    'tags[]: a tag without a name; dropped',
  ],
  [
    'tags item with a numeric name',
    (r) => (r.tags = [{ id: 24498, name: 5, color: 'color2' }]),
    { tags: [] },
    'tags[]: a tag without a name; dropped',
  ],
  ['tags item null', (r) => (r.tags = [null]), { tags: [] }, 'tags[]: not a tag {id, name, color}; dropped'],
  ['tags item an empty name', (r) => (r.tags = ['']), { tags: [] }, 'tags[]: an empty name; dropped'],
  ['tags a string', (r) => (r.tags = 'Обработано'), { tags: [] }, 'tags: not a list or {items}; left empty'],
  [
    'tags.items a string',
    (r) => (r.tags = { items: 'Обработано' }),
    { tags: [] },
    'tags.items: not a list; left empty',
  ],
  // communication_comment, employee_rating
  [
    'communication_comment a number',
    (r) => (r.communication_comment = 42),
    {},
    'communication_comment: not a string or {comment}; left empty',
  ],
  [
    'communication_comment.comment a number',
    (r) => (r.communication_comment = { comment: 42, communication_id: 26016 }),
    {},
    'communication_comment.comment: not a string; left empty',
  ],
  [
    'employee_rating a word',
    (r) => (r.employee_rating = 'five'),
    { rating: null },
    'employee_rating: not a number; left empty',
  ],
  [
    'employee_rating an object',
    (r) => (r.employee_rating = {}),
    {},
    'employee_rating: not a number; left empty',
  ],
  // text columns
  [
    'virtual_phone_number an object',
    (r) => (r.virtual_phone_number = { value: '79201234567' }),
    { virtualNumber: null },
    'virtual_phone_number: not a string; left empty',
  ],
  [
    'virtual_number_comment a list',
    (r) => (r.virtual_number_comment = ['Заметка']),
    { virtualNumberComment: null },
    'virtual_number_comment: not a string; left empty',
  ],
  ['received_call an object', (r) => (r.received_call = {}), {}, 'received_call: not a string; left empty'],
  [
    'first_employee_for_internal_call a boolean',
    (r) => (r.first_employee_for_internal_call = true),
    {},
    'first_employee_for_internal_call: not a string; left empty',
  ],
  [
    'second_employee_for_internal_call a list',
    (r) => (r.second_employee_for_internal_call = []),
    {},
    'second_employee_for_internal_call: not a string; left empty',
  ],
  [
    'communication_comment_author an object',
    (r) => (r.communication_comment_author = { name: 'x' }),
    {},
    'communication_comment_author: not a string; left empty',
  ],
];

describe('an odd optional part keeps the call: the part is dropped or defaulted and counted', () => {
  const whole = ok(canonical());

  it.each(oddParts)('%s', (_name, mutate, changed, reason) => {
    const row = canonical();
    mutate(row);
    const r = normaliseRow(row);
    if (!r.ok) throw new Error(`the call was rejected: ${r.reason}`);
    expect(r.call).toEqual({ ...whole, ...changed });
    expect(r.dropped).toEqual([reason]);

    const n = new RowNormaliser();
    const out: Call[] = [];
    n.push([row], out);
    expect(out).toHaveLength(1);
    expect(out[0]).toEqual({ ...whole, ...changed });
    expect(n.rejectedCount).toBe(0);
    expect(n.droppedParts).toEqual([{ reason, count: 1, firstCallId: 26016 }]);
  });

  it('a row with a tag object lacking id still counts as a call, its tag kept by name', () => {
    const row = canonical();
    row.tags = { items: [{ name: 'Обработано', color: 'color2' }], communication_id: 26016 };
    const n = new RowNormaliser();
    const out: Call[] = [];
    n.push([row], out);
    expect(out.map((c) => [c.id, c.tags])).toEqual([[26016, ['Обработано']]]);
    expect(n.rejectedCount).toBe(0);
    expect(n.droppedParts).toEqual([
      { reason: 'tags[]: a tag without id; kept by its name', count: 1, firstCallId: 26016 },
    ]);
  });

  it('counts each dropped part, by reason, over many calls, naming the first call of each', () => {
    const rows = [1, 2, 3].map((id) => {
      const row = canonical();
      row.communication_id = id;
      row.tags = [{ name: 'A' }, { name: 'B', id: 2, color: 'c' }];
      if (id === 2) row.call_talk_duration = 'long';
      return row;
    });
    const n = new RowNormaliser();
    const out: Call[] = [];
    n.push([canonical(), ...rows], out);
    expect(out).toHaveLength(4);
    expect(out[1]?.tags).toEqual(['A', 'B']);
    expect(n.droppedParts).toEqual([
      { reason: 'tags[]: a tag without id; kept by its name', count: 3, firstCallId: 1 },
      { reason: 'tags[]: a tag without color; kept', count: 3, firstCallId: 1 },
      { reason: 'call_talk_duration: not "hh:mm:ss" or seconds; left empty', count: 1, firstCallId: 2 },
    ]);
    expect(n.droppedCount).toBe(7);
    expect(describeDroppedParts(n.droppedParts)).toBe(
      '7 part(s) of call rows could not be understood and were dropped or defaulted, the calls kept: ' +
        'tags[]: a tag without color; kept (3×, first call 1); ' +
        'tags[]: a tag without id; kept by its name (3×, first call 1); ' +
        'call_talk_duration: not "hh:mm:ss" or seconds; left empty (1×, first call 2)',
    );
  });

  it('names no value of the row in a reason (they may be personal data)', () => {
    for (const [, mutate] of oddParts) {
      const row = canonical();
      mutate(row);
      const r = normaliseRow(row);
      for (const reason of r.ok ? r.dropped : []) {
        for (const v of ['74950230625', 'Иванов', 'Обработано', 'Заметка', 'long', '1 minute', 'maybe']) {
          expect(reason).not.toContain(v);
        }
      }
    }
  });

  it('is silent about columns that are missing or null: they were not asked for', () => {
    const row: Row = {
      communication_id: 1,
      call_start_date_time: '2024-10-21 10:00:00',
      call_direction: { value: 'Входящий', value_id: 'in' },
      call_status: { value: 'Принятый', value_id: 'successful' },
      employees: null,
      tags: { items: null },
      communication_comment: { comment: null },
      call_type: { value: null, value_id: null },
    };
    const r = normaliseRow(row);
    expect(r.ok && r.dropped).toEqual([]);
    expect(r.ok && r.call.type).toBeNull();
  });
});

describe('RowNormaliser', () => {
  it('counts and reports rows it cannot read instead of dropping them silently', () => {
    const n = new RowNormaliser();
    const out: unknown[] = [];
    n.push([canonical(), { communication_id: 5 }, 'junk'], out as never);
    expect(out).toHaveLength(1);
    expect(n.rejectedCount).toBe(2);
    expect(n.rejected[0]).toMatchObject({ id: '5' });
    expect(n.rejected[0]?.reason).toMatch(/call_start|call_direction|call_status/);
  });

  it('in strict mode the first unreadable row is fatal', () => {
    const n = new RowNormaliser({ strict: true });
    expect(() => n.push([{ communication_id: 5 }], [])).toThrow(UnreadableRowsError);
  });

  it('in strict mode a dropped part is not fatal: its call is kept', () => {
    const n = new RowNormaliser({ strict: true });
    const row = canonical();
    row.tags = [{ name: 'Обработано' }];
    const out: Call[] = [];
    n.push([row], out);
    expect(out).toHaveLength(1);
    expect(n.droppedCount).toBe(2);
  });
});
