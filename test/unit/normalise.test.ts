import { describe, expect, it } from 'vitest';
import { normaliseRow, RowNormaliser, UnreadableRowsError } from '../../functions/shared/calls/normalise.ts';

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

  it.each([
    ['communication_id', (r: Record<string, unknown>) => (r.communication_id = 'abc'), /communication_id/],
    [
      'call_direction',
      (r: Record<string, unknown>) => {
        r.call_direction = { value: '?', value_id: 'sideways' };
        r.contact_phone_number = '74950230625';
      },
      /call_direction/,
    ],
    [
      'call_status',
      (r: Record<string, unknown>) => {
        delete r.call_status;
        r.contact_phone_number = '74950230625';
      },
      /call_status/,
    ],
    ['a duration', (r: Record<string, unknown>) => (r.call_talk_duration = '1 minute'), /call_talk_duration/],
    [
      'the start',
      (r: Record<string, unknown>) => {
        delete r.call_start_date_time;
        r.call_start_date = null;
      },
      /call_start/,
    ],
    ['call_is_internal', (r: Record<string, unknown>) => (r.call_is_internal = 'maybe'), /call_is_internal/],
  ])('rejects a row with a bad %s and says which column', (_name, mutate, reason) => {
    const row = canonical();
    mutate(row);
    const r = normaliseRow(row);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('never throws on rows that are not objects', () => {
    for (const v of [null, 1, 'x', [], [1, 2], { communication_id: 1 }]) {
      expect(normaliseRow(v).ok).toBe(false);
    }
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
});
