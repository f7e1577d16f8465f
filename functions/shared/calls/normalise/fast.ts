/**
 * The fast row path: the common shapes of a `get.mgf_calls` row, read by hand.
 *
 * The zod schema (`schema.ts`) costs ~20 µs a row, a third of a minute for
 * a year of a big call centre; this reads a clean row in ~1.5 µs. Whenever
 * anything in a row is not one of those shapes, or is a part the schema would
 * drop or default (but a tag without id or color), it gives up (null) and the
 * schema reads the row, so the schema stays the one definition of what is
 * accepted, of what is dropped and of the reasons given. Where this accepts a
 * row, it gives exactly the Call and the dropped parts the schema gives (a
 * property test checks it over every row shape docs/data-api.md lists and odd parts
 * in each).
 * With an `Interner`, the repeated values (labels, names, lines) are shared,
 * frozen objects.
 */
import { wallMs } from '../../dataapi/wall.ts';
import type { Call, Labelled } from '../call.ts';
import { EMPTY_LIST, type Interner } from '../intern.ts';
import { normalisePhone } from '../phone.ts';
import { direction, internalWord, lost, TAG_WITHOUT_COLOR, TAG_WITHOUT_ID } from './words.ts';

// Every helper returns `undefined` for "not a shape I know", and then the whole row goes to the schema.

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `communication_id`: a whole number ≥ 0, or up to 15 digits. */
function fastId(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string' || v.length < 1 || v.length > 15) return undefined;
  for (let i = 0; i < v.length; i++) if (!isDigit(v.charCodeAt(i))) return undefined;
  return Number(v);
}

function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** A `wallText.nullish()` column: null when absent, undefined when not a wall time. */
function fastWallColumn(v: unknown): number | null | undefined {
  if (v == null) return null;
  if (typeof v !== 'string') return undefined;
  const ms = wallMs(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Matches `^\d{4}-\d{2}-\d{2}$` (length 10) or `^\d{2}:\d{2}:\d{2}$` (length 8) by `sep`. */
function fastShape(v: unknown, sep: number, length: number): boolean {
  if (v == null) return true;
  if (typeof v !== 'string' || v.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const c = v.charCodeAt(i);
    const isSep = length === 10 ? i === 4 || i === 7 : i === 2 || i === 5;
    if (isSep ? c !== sep : !isDigit(c)) return false;
  }
  return true;
}

/** A duration: `"hh:mm:ss"` (1–6 hour digits) or seconds ≥ 0; null stays null. */
function fastDuration(v: unknown): number | null | undefined {
  if (v == null) return null;
  if (typeof v === 'number') return v >= 0 && Number.isFinite(v) ? Math.round(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const n = v.length;
  if (n < 7 || n > 12 || v.charCodeAt(n - 3) !== 58 || v.charCodeAt(n - 6) !== 58) return undefined;
  const m = digits2(v, n - 5);
  const s = digits2(v, n - 2);
  if (m < 0 || m > 59 || s < 0 || s > 59) return undefined;
  let h = 0;
  for (let i = 0; i < n - 6; i++) {
    const c = v.charCodeAt(i);
    if (!isDigit(c)) return undefined;
    h = h * 10 + (c - 48);
  }
  return h * 3600 + m * 60 + s;
}

/** A text column: a string ('' is null) or a number. */
function fastText(v: unknown, s: Interner | null): string | null | undefined {
  if (v == null) return null;
  if (typeof v === 'string') return v === '' ? null : s ? s.str(v) : v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  return undefined;
}

/** A `{value, value_id}` column (or a bare label). */
function fastLabelled(v: unknown, s: Interner | null): Labelled | null | undefined {
  if (v == null || v === '') return null;
  if (typeof v === 'string') return s ? s.labelled(v, v) : { id: v, label: v };
  if (!isObj(v)) return undefined;
  const value = v.value;
  const vid = v.value_id;
  if (value != null && typeof value !== 'string') return undefined;
  let id: string;
  if (vid == null) {
    if (value == null || value === '') return null;
    id = value;
  } else if (typeof vid === 'string') id = vid;
  else if (typeof vid === 'boolean') id = vid ? 'true' : 'false';
  else if (typeof vid === 'number' && Number.isFinite(vid)) id = String(vid);
  else return undefined;
  const label = value ?? id;
  return s ? s.labelled(id, label) : { id, label };
}

const INTERNAL_WORDS = new Map<string, boolean>();

/** `call_is_internal` in any of its shapes. */
function fastInternal(v: unknown): boolean | undefined {
  if (v == null) return false;
  if (typeof v === 'boolean') return v;
  let word: string;
  if (typeof v === 'string') word = v;
  else if (isObj(v)) {
    const value = v.value;
    const vid = v.value_id;
    if (value != null && typeof value !== 'string') return undefined;
    if (vid == null) word = value ?? '';
    else if (typeof vid === 'boolean') return vid;
    else if (typeof vid === 'string') word = vid;
    else return undefined; // a number is never a known word: let the schema say so
  } else return undefined;
  const known = INTERNAL_WORDS.get(word);
  if (known !== undefined) return known;
  const internal = internalWord(word);
  if (internal !== undefined && INTERNAL_WORDS.size < 1000) INTERNAL_WORDS.set(word, internal);
  return internal;
}

/** `employees` / `coaches`: non-empty names, or objects whose first given name key is a non-empty string. */
function fastNames(v: unknown, s: Interner | null): readonly string[] | undefined {
  if (v == null) return s ? EMPTY_LIST : [];
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (let i = 0; i < v.length; i++) {
    const item: unknown = v[i];
    let name: unknown;
    if (typeof item === 'string') name = item;
    else if (isObj(item)) {
      name = item.employee_full_name;
      if (name == null || name === '') name = item.full_name;
      if (name == null || name === '') name = item.name;
    } else return undefined;
    if (typeof name !== 'string' || name === '') return undefined;
    out.push(name);
  }
  return s ? s.list(out) : out;
}

/**
 * `tags`: an array, or `{items: [...]}`, of names or `{id, name, color}` objects.
 * A tag without a readable id or color is kept and counted in `dropped`, as the
 * schema does: the one odd part read here, the one issue 11 reported, kept fast
 * in case real answers are full of it.
 */
function fastTags(v: unknown, s: Interner | null, dropped: string[]): readonly string[] | undefined {
  if (v == null) return s ? EMPTY_LIST : [];
  let items: unknown;
  if (Array.isArray(v)) items = v;
  else if (isObj(v)) {
    items = v.items;
    if (items == null) return s ? EMPTY_LIST : [];
    if (!Array.isArray(items)) return undefined;
  } else return undefined;
  const list = items as unknown[];
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const t: unknown = list[i];
    let name: unknown;
    if (typeof t === 'string') name = t;
    else if (isObj(t)) {
      name = t.name;
      const id = t.id;
      if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id)))
        dropped.push(TAG_WITHOUT_ID);
      if (typeof t.color !== 'string') dropped.push(TAG_WITHOUT_COLOR);
    } else return undefined;
    if (typeof name !== 'string' || name === '') return undefined;
    out.push(name);
  }
  return s ? s.list(out) : out;
}

/** `call_records`: ids (strings or numbers). */
function fastRecords(v: unknown, s: Interner | null): readonly string[] | undefined {
  if (v == null) return s ? EMPTY_LIST : [];
  if (!Array.isArray(v)) return undefined;
  if (v.length === 0) return s ? EMPTY_LIST : [];
  const out: string[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const r: unknown = v[i];
    if (typeof r === 'string') out[i] = r;
    else if (typeof r === 'number' && Number.isFinite(r)) out[i] = String(r);
    else return undefined;
  }
  return out;
}

/** `communication_comment`: a string or `{comment}`; '' is null. */
function fastComment(v: unknown, s: Interner | null): string | null | undefined {
  if (v == null) return null;
  let c: unknown;
  if (typeof v === 'string') c = v;
  else if (isObj(v)) {
    c = v.comment;
    if (c == null) return null;
    if (typeof c !== 'string') return undefined;
  } else return undefined;
  return c === '' ? null : s ? s.str(c as string) : (c as string);
}

/**
 * A call from a row in the common shapes; null for anything else (the schema
 * decides then). The reasons of the parts it dropped are pushed to `dropped`
 * (meaningless when it returns null).
 */
export function fastCall(row: unknown, s: Interner | null, dropped: string[]): Call | null {
  if (!isObj(row)) return null;
  const id = fastId(row.communication_id);
  if (id === undefined) return null;

  const dt = fastWallColumn(row.call_start_date_time);
  const date = row.call_start_date;
  const time = row.call_start_time;
  if (dt === undefined || !fastShape(date, 45, 10) || !fastShape(time, 58, 8)) return null;
  let start: number;
  if (dt !== null) start = dt;
  else if (date && time) start = wallMs(`${date as string} ${time as string}`);
  else return null;
  if (Number.isNaN(start)) return null;
  const finish = fastWallColumn(row.call_finish_date_time);
  if (finish === undefined) return null;

  // contact_phone_number: a string, or {value, extra: {call_status, call_direction}}.
  const phone = row.contact_phone_number;
  let contactNumber: string | null;
  let extraStatus: string | null | undefined;
  let extraDirection: string | null | undefined;
  if (phone == null) contactNumber = null;
  else if (typeof phone === 'string') contactNumber = phone;
  else if (isObj(phone)) {
    const value = phone.value;
    if (value == null) contactNumber = null;
    else if (typeof value === 'string') contactNumber = value;
    else if (typeof value === 'number' && Number.isFinite(value)) contactNumber = String(value);
    else return null;
    const extra = phone.extra;
    if (extra != null) {
      if (!isObj(extra)) return null;
      const cs = extra.call_status;
      const cd = extra.call_direction;
      if ((cs != null && typeof cs !== 'string') || (cd != null && typeof cd !== 'string')) return null;
      extraStatus = cs;
      extraDirection = cd;
    }
  } else if (typeof phone === 'number' && Number.isFinite(phone)) contactNumber = String(phone);
  else return null;

  const callDirection = fastLabelled(row.call_direction, s);
  const callStatus = fastLabelled(row.call_status, s);
  const internal = fastInternal(row.call_is_internal);
  const type = fastLabelled(row.call_type, s);
  const finishReason = fastLabelled(row.call_finish_reason, s);
  const blacklisted = fastLabelled(row.is_blacklisted_phone, s);
  const coachHandled = fastLabelled(row.is_coach_handled_call, s);
  if (
    callDirection === undefined ||
    callStatus === undefined ||
    internal === undefined ||
    type === undefined ||
    finishReason === undefined ||
    blacklisted === undefined ||
    coachHandled === undefined
  )
    return null;
  const virtualNumber = fastText(row.virtual_phone_number, s);
  const virtualNumberComment = fastText(row.virtual_number_comment, s);
  const receivedCall = fastText(row.received_call, s);
  const first = fastText(row.first_employee_for_internal_call, s);
  const second = fastText(row.second_employee_for_internal_call, s);
  const commentAuthor = fastText(row.communication_comment_author, s);
  if (
    virtualNumber === undefined ||
    virtualNumberComment === undefined ||
    receivedCall === undefined ||
    first === undefined ||
    second === undefined ||
    commentAuthor === undefined
  )
    return null;
  const employees = fastNames(row.employees, s);
  const coaches = fastNames(row.coaches, s);
  const tags = fastTags(row.tags, s, dropped);
  const records = fastRecords(row.call_records, s);
  const comment = fastComment(row.communication_comment, s);
  if (
    employees === undefined ||
    coaches === undefined ||
    tags === undefined ||
    records === undefined ||
    comment === undefined
  )
    return null;
  const total = fastDuration(row.call_total_duration);
  const wait = fastDuration(row.call_await_talk_duration);
  const talk = fastDuration(row.call_talk_duration);
  const mark = fastDuration(row.call_processed_mark_duration);
  if (total === undefined || wait === undefined || talk === undefined || mark === undefined) return null;
  const r = row.employee_rating;
  let rating: number | null;
  if (r == null) rating = null;
  else if (typeof r === 'number' && Number.isFinite(r)) rating = r;
  else return null;

  const dir = direction(callDirection, extraDirection);
  if (dir === null) return null;
  const isLost = lost(callStatus, extraStatus);
  if (isLost === null) return null;

  return {
    id,
    start,
    finish,
    direction: dir,
    lost: isLost,
    internal,
    directionLabel: callDirection?.label ?? null,
    statusLabel: callStatus?.label ?? null,
    type,
    finishReason,
    contactNumber: contactNumber === '' ? null : contactNumber,
    contactNormal: normalisePhone(contactNumber),
    virtualNumber,
    virtualNumberComment,
    employees,
    receivedCall,
    firstEmployeeInternal: first,
    secondEmployeeInternal: second,
    coaches,
    coachHandled,
    blacklisted,
    totalSeconds: total,
    awaitSeconds: wait,
    talkSeconds: talk,
    processedMarkSeconds: mark,
    tags,
    records,
    rating,
    comment,
    commentAuthor,
  };
}
