/**
 * The columns of `get.mgf_calls` (shared/seed/get_mgf_calls.md) and the raw
 * row type the simulator stores and serves. Rows are plain objects exactly as
 * the API returns them, in any of the shapes listed in data-api.md's
 * "Row shapes" table, so every column type below is a union.
 */

/** A `{value, value_id}` column: `value` is the Russian label, `value_id` the stable id. */
export interface LabelledValue<Id extends string | boolean = string | boolean> {
  value: string;
  value_id: Id;
}

export interface EmployeeRef {
  employee_full_name: string;
  employee_id: number;
}

export interface Tag {
  id: number;
  name: string;
  color: string;
}

export interface TagsObject {
  items: readonly Tag[];
  communication_id: number;
  communication_type: string;
}

export interface CommentObject {
  comment: string | null;
  communication_id: number;
  communication_type: string;
}

export interface ContactPhoneObject {
  value: string;
  extra: { call_status: string; call_direction: string };
}

/** One raw row of `get.mgf_calls`, all 29 distinct columns of the seed. */
export interface MgfCallRow {
  communication_id: number | string;
  call_start_date: string;
  call_start_time: string;
  contact_phone_number: string | ContactPhoneObject | null;
  call_direction: LabelledValue<string>;
  call_status: LabelledValue<string>;
  call_type: LabelledValue<string> | null;
  virtual_phone_number: string | null;
  employees: readonly string[] | readonly EmployeeRef[] | null;
  call_total_duration: string | null;
  call_await_talk_duration: string | null;
  call_talk_duration: string | null;
  call_is_internal: LabelledValue | string;
  call_finish_reason: LabelledValue<string> | null;
  employee_rating: number | null;
  call_records: readonly string[] | null;
  communication_comment: string | CommentObject | null;
  communication_comment_author: string | null;
  received_call: string | null;
  first_employee_for_internal_call: string | null;
  second_employee_for_internal_call: string | null;
  call_finish_date_time: string | null;
  coaches: readonly string[] | readonly EmployeeRef[] | null;
  is_coach_handled_call: LabelledValue | null;
  virtual_number_comment: string | null;
  is_blacklisted_phone: LabelledValue | null;
  call_start_date_time: string;
  tags: TagsObject | readonly Tag[] | null;
  call_processed_mark_duration: string | null;
}

export type ColumnName = keyof MgfCallRow;

/**
 * All columns in the seed's order, the duplicate `call_is_internal` dropped.
 * This is the "full field order" whose row JSON the server caches.
 */
export const FULL_FIELDS: readonly ColumnName[] = Object.freeze([
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
] satisfies ColumnName[]);

const FIELD_SET: ReadonlySet<string> = new Set(FULL_FIELDS);

export function isColumnName(name: unknown): name is ColumnName {
  return typeof name === 'string' && FIELD_SET.has(name);
}

/** How a column compares in `sort` and `filter`. */
export type ColumnKind = 'number' | 'duration' | 'text' | 'list';

/** Columns the API refuses to sort by (data-api.md). */
export const UNSORTABLE: ReadonlySet<ColumnName> = new Set<ColumnName>(['employees', 'call_records']);

export function columnKind(name: ColumnName): ColumnKind {
  switch (name) {
    case 'communication_id':
    case 'employee_rating':
      return 'number';
    case 'call_total_duration':
    case 'call_await_talk_duration':
    case 'call_talk_duration':
    case 'call_processed_mark_duration':
      return 'duration';
    case 'employees':
    case 'coaches':
    case 'tags':
    case 'call_records':
      return 'list';
    default:
      return 'text';
  }
}
