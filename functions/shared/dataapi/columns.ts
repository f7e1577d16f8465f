/**
 * The columns of `get.mgf_calls`: every column the seed page and docs/data-api.md
 * name, once each (the seed lists `call_is_internal` twice), in the seed's order.
 * An empty `fields` list makes the API answer nothing, so the client always sends
 * a list: this one by default.
 */
export const MGF_CALLS_COLUMNS = [
  'communication_id',
  'call_start_date',
  'call_start_time',
  'contact_phone_number',
  'call_direction',
  'call_status',
  'call_type',
  'virtual_phone_number',
  'employees',
  'call_total_duration',
  'call_await_talk_duration',
  'call_talk_duration',
  'call_is_internal',
  'call_finish_reason',
  'employee_rating',
  'call_records',
  'communication_comment',
  'communication_comment_author',
  'received_call',
  'first_employee_for_internal_call',
  'second_employee_for_internal_call',
  'call_finish_date_time',
  'coaches',
  'is_coach_handled_call',
  'virtual_number_comment',
  'is_blacklisted_phone',
  'call_start_date_time',
  'tags',
  'call_processed_mark_duration',
] as const;

export type MgfCallsColumn = (typeof MGF_CALLS_COLUMNS)[number];

const COLUMN_SET: ReadonlySet<string> = new Set(MGF_CALLS_COLUMNS);

export function isMgfCallsColumn(name: unknown): name is MgfCallsColumn {
  return typeof name === 'string' && COLUMN_SET.has(name);
}

/** Columns the API refuses to sort by (`sort_prohibited`). */
export const UNSORTABLE_COLUMNS: ReadonlySet<string> = new Set(['employees', 'call_records']);

/** Columns the normaliser cannot build a `Call` without. */
export const REQUIRED_COLUMNS: readonly MgfCallsColumn[] = [
  'communication_id',
  'call_start_date_time',
  'call_direction',
  'call_status',
];
