/**
 * The schema reading of one `get.mgf_calls` row: the definition of what is
 * accepted. Each column has the zod shapes docs/data-api.md's "Row shapes" table
 * lists for it.
 *
 * Only what a call cannot exist without decides whether the row is read at
 * all: `communication_id`, the start, the direction and the status. When one of
 * them cannot be read, the row is rejected with the reason. Any other part that
 * does not fit its shape (a tag without `id`, an employee entry without a name,
 * a duration that is not "hh:mm:ss", an odd label object...) is dropped or
 * defaulted, the call is kept, and the part is named in `dropped` with what was
 * done ("<column>: <what was wrong>; <what was done>", never the value itself,
 * which may be personal data). A column that is missing or null gets its empty
 * value silently: it was not asked for, or the API had nothing to say.
 */
import * as z from 'zod';
import { parseWallDateTime as wall } from '../../time.ts';
import type { Call, Labelled } from '../call.ts';
import { normalisePhone } from '../phone.ts';
import { direction, internalWord, lost, TAG_WITHOUT_COLOR, TAG_WITHOUT_ID } from './words.ts';

export type NormaliseResult =
  | { ok: true; call: Call; dropped: readonly string[] }
  | { ok: false; id: string | null; reason: string };

const idShape = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
]);

const wallShape = z
  .string()
  .refine((s) => wall(s) !== null)
  .transform((s) => wall(s) as number);
const dateShape = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const timeShape = z.string().regex(/^\d{2}:\d{2}:\d{2}$/);

/** `"hh:mm:ss"` (hours may pass 24) or a number of seconds → whole seconds. */
const durationShape = z
  .union([z.string().regex(/^\d{1,6}:[0-5]\d:[0-5]\d$/), z.number().nonnegative()])
  .transform((v): number => {
    if (typeof v === 'number') return Math.round(v);
    const [h, m, s] = v.split(':');
    return Number(h) * 3600 + Number(m) * 60 + Number(s);
  });

/** A text column: a string ('' is null) or a number. */
const textShape = z.union([z.string(), z.number()]).transform((v) => (v === '' ? null : String(v)));
const phoneShape = z.union([z.string(), z.number().transform(String)]);
const ratingShape = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const objectShape = z.looseObject({});
const listShape = z.array(z.unknown());
const stringShape = z.string();
const nameShape = z.string().min(1);
const labelIdShape = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const recordIdShape = z.union([z.string(), z.number()]).transform(String);
const tagIdShape = z.union([z.number(), z.string()]);

/** `v` read by `shape`, or undefined when it does not fit. */
function shaped<T>(shape: z.ZodType<T>, v: unknown): T | undefined {
  const r = shape.safeParse(v);
  return r.success ? r.data : undefined;
}

type Dropped = string[];

/** An optional column: null when absent; when it does not fit, null and `reason` dropped. */
function optional<T>(shape: z.ZodType<T>, v: unknown, reason: string, dropped: Dropped): T | null {
  if (v == null) return null;
  const r = shaped(shape, v);
  if (r !== undefined) return r;
  dropped.push(reason);
  return null;
}

/** `{value, value_id}` → Labelled (a bare label is both); an odd `value` or `value_id` is left out. */
function labelled(col: string, v: unknown, dropped: Dropped): Labelled | null {
  if (v == null || v === '') return null;
  if (typeof v === 'string') return { id: v, label: v };
  const o = shaped(objectShape, v);
  if (o === undefined) {
    dropped.push(`${col}: not {value, value_id}; left empty`);
    return null;
  }
  let value = o.value == null ? null : shaped(stringShape, o.value);
  if (value === undefined) {
    dropped.push(`${col}.value: not a string; ignored`);
    value = null;
  }
  let id = o.value_id == null ? null : shaped(labelIdShape, o.value_id);
  if (id === undefined) {
    dropped.push(`${col}.value_id: not a string, number or boolean; ignored`);
    id = null;
  }
  if (id === null) return value === null || value === '' ? null : { id: value, label: value };
  return { id, label: value ?? id };
}

const INTERNAL_ODD = 'call_is_internal: not internal/external or a boolean; taken as external';

/** `call_is_internal`: `{value_id: 'internal'|'external'|true|false}`, a boolean, or a bare label. */
function internal(v: unknown, dropped: Dropped): boolean {
  if (v == null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string' && shaped(objectShape, v) === undefined) {
    dropped.push(INTERNAL_ODD);
    return false;
  }
  const l = labelled('call_is_internal', v, dropped);
  if (l === null) return false;
  const word = internalWord(l.id);
  if (word !== undefined) return word;
  dropped.push(INTERNAL_ODD);
  return false;
}

interface Contact {
  number: string | null;
  status: string | null;
  direction: string | null;
}

/** `contact_phone_number`: a string, or `{value, extra: {call_status, call_direction}}`. */
function contact(v: unknown, dropped: Dropped): Contact {
  const out: Contact = { number: null, status: null, direction: null };
  if (v == null) return out;
  const text = shaped(phoneShape, v);
  if (text !== undefined) {
    out.number = text;
    return out;
  }
  const o = shaped(objectShape, v);
  if (o === undefined) {
    dropped.push('contact_phone_number: not a string or {value, extra}; left empty');
    return out;
  }
  out.number = optional(phoneShape, o.value, 'contact_phone_number.value: not a string; left empty', dropped);
  const extra = optional(objectShape, o.extra, 'contact_phone_number.extra: not an object; ignored', dropped);
  if (extra) {
    const odd = (key: string) => `contact_phone_number.extra.${key}: not a string; ignored`;
    out.status = optional(stringShape, extra.call_status, odd('call_status'), dropped);
    out.direction = optional(stringShape, extra.call_direction, odd('call_direction'), dropped);
  }
  return out;
}

/** The start in wall ms, or the reason it cannot be read. */
function start(r: Record<string, unknown>, dropped: Dropped): number | { reason: string } {
  const dt = r.call_start_date_time == null ? null : shaped(wallShape, r.call_start_date_time);
  const date = r.call_start_date == null ? null : shaped(dateShape, r.call_start_date);
  const time = r.call_start_time == null ? null : shaped(timeShape, r.call_start_time);
  if (dt != null) {
    if (date === undefined)
      dropped.push('call_start_date: not "YYYY-MM-DD"; ignored (call_start_date_time used)');
    if (time === undefined)
      dropped.push('call_start_time: not "hh:mm:ss"; ignored (call_start_date_time used)');
    return dt;
  }
  const fromParts = date && time ? wall(`${date} ${time}`) : null;
  if (fromParts !== null) {
    if (dt === undefined) {
      dropped.push('call_start_date_time: not "YYYY-MM-DD hh:mm:ss"; call_start_date + call_start_time used');
    }
    return fromParts;
  }
  if (dt === undefined) {
    return {
      reason:
        'call_start_date_time: not "YYYY-MM-DD hh:mm:ss" of a real date (and no call_start_date + call_start_time)',
    };
  }
  if (r.call_start_date != null || r.call_start_time != null) {
    return {
      reason: 'call_start_date + call_start_time: not "YYYY-MM-DD" and "hh:mm:ss" of a real date and time',
    };
  }
  return { reason: 'call_start_date_time: missing (and no call_start_date + call_start_time)' };
}

const NAME_KEYS = ['employee_full_name', 'full_name', 'name'] as const;

/** `employees` / `coaches`: names, or objects naming an employee; entries without a name are dropped. */
function names(col: string, v: unknown, dropped: Dropped): string[] {
  if (v == null) return [];
  const list = shaped(listShape, v);
  if (list === undefined) {
    dropped.push(`${col}: not a list; left empty`);
    return [];
  }
  const out: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') {
      if (item) out.push(item);
      else dropped.push(`${col}[]: an empty name; dropped`);
      continue;
    }
    const o = shaped(objectShape, item);
    if (o === undefined) {
      dropped.push(`${col}[]: not a name or {employee_full_name}; dropped`);
      continue;
    }
    let name: string | null = null;
    for (const key of NAME_KEYS) {
      if (o[key] == null || o[key] === '') continue;
      const n = shaped(nameShape, o[key]);
      if (n !== undefined) {
        name = n;
        break;
      }
      dropped.push(`${col}[].${key}: not a string; ignored`);
    }
    if (name === null) dropped.push(`${col}[]: an entry without employee_full_name; dropped`);
    else out.push(name);
  }
  return out;
}

/** `tags`: `{items: [{id, name, color}]}` or a bare list; the names are kept. */
function tags(v: unknown, dropped: Dropped): string[] {
  if (v == null) return [];
  let items = shaped(listShape, v);
  if (items === undefined) {
    const o = shaped(objectShape, v);
    if (o === undefined) {
      dropped.push('tags: not a list or {items}; left empty');
      return [];
    }
    const list = optional(listShape, o.items, 'tags.items: not a list; left empty', dropped);
    if (list === null) return [];
    items = list;
  }
  const out: string[] = [];
  for (const t of items) {
    if (typeof t === 'string') {
      if (t) out.push(t);
      else dropped.push('tags[]: an empty name; dropped');
      continue;
    }
    const o = shaped(objectShape, t);
    if (o === undefined) {
      dropped.push('tags[]: not a tag {id, name, color}; dropped');
      continue;
    }
    const name = shaped(nameShape, o.name);
    if (name === undefined) {
      dropped.push('tags[]: a tag without a name; dropped');
      continue;
    }
    if (shaped(tagIdShape, o.id) === undefined) dropped.push(TAG_WITHOUT_ID);
    if (shaped(stringShape, o.color) === undefined) dropped.push(TAG_WITHOUT_COLOR);
    out.push(name);
  }
  return out;
}

/** `call_records`: record ids (strings or numbers). */
function records(v: unknown, dropped: Dropped): string[] {
  if (v == null) return [];
  const list = shaped(listShape, v);
  if (list === undefined) {
    dropped.push('call_records: not a list; left empty');
    return [];
  }
  const out: string[] = [];
  for (const r of list) {
    const id = shaped(recordIdShape, r);
    if (id === undefined) dropped.push('call_records[]: not a record id; dropped');
    else out.push(id);
  }
  return out;
}

/** `communication_comment`: a string or `{comment}`; '' is null. */
function comment(v: unknown, dropped: Dropped): string | null {
  if (v == null) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  const o = shaped(objectShape, v);
  if (o === undefined) {
    dropped.push('communication_comment: not a string or {comment}; left empty');
    return null;
  }
  const c = optional(
    stringShape,
    o.comment,
    'communication_comment.comment: not a string; left empty',
    dropped,
  );
  return c === '' ? null : c;
}

function rawId(row: unknown): string | null {
  const v = row && typeof row === 'object' ? (row as Record<string, unknown>).communication_id : undefined;
  return typeof v === 'number' || typeof v === 'string' ? String(v) : null;
}

/** Normalises one raw row by the schema alone (the definition of what is accepted); never throws. */
export function schemaRow(row: unknown): NormaliseResult {
  const r = shaped(objectShape, row);
  if (r === undefined) return { ok: false, id: null, reason: 'row: not an object' };
  const id = shaped(idShape, r.communication_id);
  if (id === undefined) {
    return {
      ok: false,
      id: rawId(row),
      reason: 'communication_id: missing or not a whole number (a number ≥ 0 or up to 15 digits)',
    };
  }
  const dropped: Dropped = [];
  const begin = start(r, dropped);
  if (typeof begin !== 'number') return { ok: false, id: String(id), reason: begin.reason };
  const phone = contact(r.contact_phone_number, dropped);
  const callDirection = labelled('call_direction', r.call_direction, dropped);
  const dir = direction(callDirection, phone.direction);
  if (dir === null) return { ok: false, id: String(id), reason: 'call_direction: missing or not "in"/"out"' };
  const callStatus = labelled('call_status', r.call_status, dropped);
  const isLost = lost(callStatus, phone.status);
  if (isLost === null) return { ok: false, id: String(id), reason: 'call_status: missing' };

  const text = (col: string) => optional(textShape, r[col], `${col}: not a string; left empty`, dropped);
  const seconds = (col: string) =>
    optional(durationShape, r[col], `${col}: not "hh:mm:ss" or seconds; left empty`, dropped);
  const finishText = 'call_finish_date_time: not "YYYY-MM-DD hh:mm:ss"; left empty';
  const contactNumber = phone.number === '' ? null : phone.number;
  const call: Call = {
    id,
    start: begin,
    finish: optional(wallShape, r.call_finish_date_time, finishText, dropped),
    direction: dir,
    lost: isLost,
    internal: internal(r.call_is_internal, dropped),
    directionLabel: callDirection?.label ?? null,
    statusLabel: callStatus?.label ?? null,
    type: labelled('call_type', r.call_type, dropped),
    finishReason: labelled('call_finish_reason', r.call_finish_reason, dropped),
    contactNumber,
    contactNormal: normalisePhone(contactNumber),
    virtualNumber: text('virtual_phone_number'),
    virtualNumberComment: text('virtual_number_comment'),
    employees: names('employees', r.employees, dropped),
    receivedCall: text('received_call'),
    firstEmployeeInternal: text('first_employee_for_internal_call'),
    secondEmployeeInternal: text('second_employee_for_internal_call'),
    coaches: names('coaches', r.coaches, dropped),
    coachHandled: labelled('is_coach_handled_call', r.is_coach_handled_call, dropped),
    blacklisted: labelled('is_blacklisted_phone', r.is_blacklisted_phone, dropped),
    totalSeconds: seconds('call_total_duration'),
    awaitSeconds: seconds('call_await_talk_duration'),
    talkSeconds: seconds('call_talk_duration'),
    processedMarkSeconds: seconds('call_processed_mark_duration'),
    tags: tags(r.tags, dropped),
    records: records(r.call_records, dropped),
    rating: optional(ratingShape, r.employee_rating, 'employee_rating: not a number; left empty', dropped),
    comment: comment(r.communication_comment, dropped),
    commentAuthor: text('communication_comment_author'),
  };
  return { ok: true, call, dropped };
}
