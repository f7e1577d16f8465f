/**
 * Turns a raw `get.mgf_calls` row, in any of the shapes data-api.md lists, into
 * a typed `Call`. zod schemas describe what is accepted; a row that cannot be
 * understood is not dropped silently: `normaliseRow` says why, and
 * `RowNormaliser` counts and keeps the reasons (and, when strict, throws).
 *
 * Decisions are made on ids (`value_id`), labels are kept for display. Where a
 * column is missing from the row (not asked for), the Call gets its empty value,
 * except the columns a Call cannot exist without: id, start, direction, status.
 *
 * Speed: the zod schema costs ~20 µs a row, a third of a minute for a year of a
 * big call centre. `fastCall` is a hand-written reading of the common shapes
 * (~1.5 µs); whenever anything in a row is not one of those shapes it gives up
 * and the schema reads the row, so the schema stays the one definition of what
 * is accepted and of the reasons given. Where the fast path accepts a row, it
 * gives the Call the schema gives (checked over every row shape the simulator
 * generates and thousands of rows with one column changed to an odd value).
 * With an `Interner`, the repeated values (labels, names, lines) of the calls
 * are shared, frozen objects.
 */
import { z } from 'zod';
import { wallMs } from '../dataapi/wall.ts';
import { parseWall } from '../time.ts';
import type { Call, Direction, Labelled } from './call.ts';
import { EMPTY_LIST, type Interner, sharedFields } from './intern.ts';
import { normalisePhone } from './phone.ts';

const idSchema = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d{1,15}$/, 'must be a whole number')
    .transform(Number),
]);

const scalarId = z.union([z.string(), z.number(), z.boolean()]).nullish();
const labelledSchema = z.looseObject({ value: z.string().nullish(), value_id: scalarId });

/** `{value, value_id}` → Labelled; a bare label is accepted as both. */
const labelled = z
  .union([labelledSchema, z.string()])
  .nullish()
  .transform((v): Labelled | null => {
    if (v == null) return null;
    if (typeof v === 'string') return { id: v, label: v };
    const id = v.value_id == null ? (v.value ?? '') : String(v.value_id);
    return { id, label: v.value ?? id };
  });

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^\d{2}:\d{2}:\d{2}$/;

/** `YYYY-MM-DD hh:mm:ss` (exactly) → wall instant, or null. */
function wall(text: string): number | null {
  return text.length === 19 ? parseWall(text) : null;
}

const wallText = z.string().refine((s) => wall(s) !== null, 'must be "YYYY-MM-DD hh:mm:ss"');

/** `"hh:mm:ss"` (hours may pass 24) or a number of seconds → whole seconds; null stays null. */
const duration = z
  .union([
    z.string().regex(/^\d{1,6}:[0-5]\d:[0-5]\d$/, 'must be "hh:mm:ss"'),
    z.number().nonnegative().finite(),
  ])
  .nullish()
  .transform((v): number | null => {
    if (v == null) return null;
    if (typeof v === 'number') return Math.round(v);
    const [h, m, s] = v.split(':');
    return Number(h) * 3600 + Number(m) * 60 + Number(s);
  });

const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v == null || v === '' ? null : String(v)));

const nameItem = z.union([
  z.string(),
  z.looseObject({
    employee_full_name: z.string().nullish(),
    name: z.string().nullish(),
    full_name: z.string().nullish(),
  }),
]);
const names = z
  .array(nameItem)
  .nullish()
  .transform((v): string[] => {
    if (!v) return [];
    const out: string[] = [];
    for (const item of v) {
      const name = typeof item === 'string' ? item : (item.employee_full_name ?? item.full_name ?? item.name);
      if (name) out.push(name);
    }
    return out;
  });

const phone = z
  .union([
    z.string(),
    z.number().transform(String),
    z.looseObject({
      value: z.union([z.string(), z.number().transform(String)]).nullish(),
      extra: z
        .looseObject({ call_status: z.string().nullish(), call_direction: z.string().nullish() })
        .nullish(),
    }),
  ])
  .nullish();

const tagItem = z.union([z.string(), z.looseObject({ name: z.string().nullish(), id: z.unknown() })]);
const tags = z
  .union([z.array(tagItem), z.looseObject({ items: z.array(tagItem).nullish() })])
  .nullish()
  .transform((v): string[] => {
    const items = v == null ? [] : Array.isArray(v) ? v : (v.items ?? []);
    const out: string[] = [];
    for (const t of items) {
      const name = typeof t === 'string' ? t : t.name;
      if (name) out.push(name);
    }
    return out;
  });

const records = z
  .array(z.union([z.string(), z.number()]))
  .nullish()
  .transform((v): string[] => (v ? v.map(String) : []));

const comment = z
  .union([z.string(), z.looseObject({ comment: z.string().nullish() })])
  .nullish()
  .transform((v): string | null => {
    if (v == null) return null;
    const c = typeof v === 'string' ? v : (v.comment ?? null);
    return c === '' ? null : c;
  });

const rating = z
  .union([
    z.number().finite(),
    z
      .string()
      .regex(/^-?\d+(\.\d+)?$/)
      .transform(Number),
  ])
  .nullish()
  .transform((v) => v ?? null);

/** `call_is_internal`: `{value_id: 'internal'|'external'|true|false}`, a boolean, or a bare label. */
const internal = z
  .union([labelledSchema, z.boolean(), z.string()])
  .nullish()
  .transform((v, ctx): boolean => {
    if (v == null) return false;
    if (typeof v === 'boolean') return v;
    const key = typeof v === 'string' ? v : v.value_id == null ? (v.value ?? '') : v.value_id;
    if (typeof key === 'boolean') return key;
    const k = String(key).trim().toLowerCase();
    if (k === 'internal' || k === 'true' || k === 'внутренний') return true;
    if (k === 'external' || k === 'false' || k === 'внешний') return false;
    ctx.addIssue({ code: 'custom', message: `unknown value "${String(key)}" (expected internal/external)` });
    return z.NEVER;
  });

export const rowSchema = z.looseObject({
  communication_id: idSchema,
  call_start_date_time: wallText.nullish(),
  call_start_date: z.string().regex(DATE_RE, 'must be "YYYY-MM-DD"').nullish(),
  call_start_time: z.string().regex(TIME_RE, 'must be "hh:mm:ss"').nullish(),
  call_finish_date_time: wallText.nullish(),
  contact_phone_number: phone,
  call_direction: labelled,
  call_status: labelled,
  call_is_internal: internal,
  call_type: labelled,
  call_finish_reason: labelled,
  is_blacklisted_phone: labelled,
  is_coach_handled_call: labelled,
  virtual_phone_number: text,
  virtual_number_comment: text,
  employees: names,
  coaches: names,
  received_call: text,
  first_employee_for_internal_call: text,
  second_employee_for_internal_call: text,
  call_total_duration: duration,
  call_await_talk_duration: duration,
  call_talk_duration: duration,
  call_processed_mark_duration: duration,
  tags,
  call_records: records,
  employee_rating: rating,
  communication_comment: comment,
  communication_comment_author: text,
});

const DIRECTION_LABELS: Record<string, Direction> = {
  in: 'in',
  out: 'out',
  incoming: 'in',
  outgoing: 'out',
  входящий: 'in',
  'входящий звонок': 'in',
  исходящий: 'out',
  'исходящий звонок': 'out',
};

function direction(l: Labelled | null, fallback: string | null | undefined): Direction | null {
  for (const key of [l?.id, l?.label, fallback]) {
    if (key) {
      const d = DIRECTION_LABELS[key.trim().toLowerCase()];
      if (d) return d;
    }
  }
  return null;
}

const LOST_LABELS = new Set(['lost', 'пропущенный', 'потерянный']);
const ANSWERED_LABELS = new Set(['successful', 'success', 'answered', 'принятый', 'принят', 'отвеченный']);

function lost(l: Labelled | null, fallback: string | null | undefined): boolean | null {
  for (const key of [l?.id, l?.label, fallback]) {
    if (key) {
      const k = key.trim().toLowerCase();
      if (LOST_LABELS.has(k)) return true;
      // Anything the API says that is not "lost" is answered (report-metrics.md), once it said something.
      if (ANSWERED_LABELS.has(k) || key === l?.id) return false;
    }
  }
  return null;
}

export type NormaliseResult = { ok: true; call: Call } | { ok: false; id: string | null; reason: string };

function rawId(row: unknown): string | null {
  const v = row && typeof row === 'object' ? (row as Record<string, unknown>).communication_id : undefined;
  return typeof v === 'number' || typeof v === 'string' ? String(v) : null;
}

/** Normalises one raw row; never throws. With an interner, repeated values are shared (frozen) objects. */
export function normaliseRow(row: unknown, interner?: Interner): NormaliseResult {
  const fast = fastCall(row, interner ?? null);
  if (fast !== null) return { ok: true, call: fast };
  return schemaRow(row);
}

/** Normalises one raw row through the zod schema alone (the definition of what is accepted). */
export function schemaRow(row: unknown): NormaliseResult {
  const parsed = rowSchema.safeParse(row);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'row';
    return { ok: false, id: rawId(row), reason: `${where}: ${issue?.message ?? 'not understood'}` };
  }
  const r = parsed.data;
  const id = r.communication_id;
  let start: number | null = null;
  if (r.call_start_date_time) start = wall(r.call_start_date_time);
  else if (r.call_start_date && r.call_start_time) start = wall(`${r.call_start_date} ${r.call_start_time}`);
  if (start === null) {
    return {
      ok: false,
      id: String(id),
      reason: 'call_start_date_time: missing (and no call_start_date + call_start_time)',
    };
  }
  const contactExtra =
    r.contact_phone_number && typeof r.contact_phone_number === 'object' ? r.contact_phone_number : null;
  const dir = direction(r.call_direction, contactExtra?.extra?.call_direction);
  if (dir === null) {
    return { ok: false, id: String(id), reason: 'call_direction: missing or not "in"/"out"' };
  }
  const isLost = lost(r.call_status, contactExtra?.extra?.call_status);
  if (isLost === null) return { ok: false, id: String(id), reason: 'call_status: missing' };
  const contactNumber =
    r.contact_phone_number == null
      ? null
      : typeof r.contact_phone_number === 'string'
        ? r.contact_phone_number
        : (r.contact_phone_number.value ?? null);
  return {
    ok: true,
    call: {
      id,
      start,
      finish: r.call_finish_date_time ? wall(r.call_finish_date_time) : null,
      direction: dir,
      lost: isLost,
      internal: r.call_is_internal,
      directionLabel: r.call_direction?.label ?? null,
      statusLabel: r.call_status?.label ?? null,
      type: r.call_type,
      finishReason: r.call_finish_reason,
      contactNumber: contactNumber === '' ? null : contactNumber,
      contactNormal: normalisePhone(contactNumber),
      virtualNumber: r.virtual_phone_number,
      virtualNumberComment: r.virtual_number_comment,
      employees: r.employees,
      receivedCall: r.received_call,
      firstEmployeeInternal: r.first_employee_for_internal_call,
      secondEmployeeInternal: r.second_employee_for_internal_call,
      coaches: r.coaches,
      coachHandled: r.is_coach_handled_call,
      blacklisted: r.is_blacklisted_phone,
      totalSeconds: r.call_total_duration,
      awaitSeconds: r.call_await_talk_duration,
      talkSeconds: r.call_talk_duration,
      processedMarkSeconds: r.call_processed_mark_duration,
      tags: r.tags,
      records: r.call_records,
      rating: r.employee_rating,
      comment: r.communication_comment,
      commentAuthor: r.communication_comment_author,
    },
  };
}

export interface RejectedRow {
  id: string | null;
  reason: string;
}

export class UnreadableRowsError extends Error {
  readonly rejected: RejectedRow[];
  constructor(rejected: RejectedRow[]) {
    const first = rejected[0];
    super(
      `${rejected.length} call row(s) could not be understood (strict mode); first: call ${first?.id ?? '?'}: ${first?.reason ?? ''}`,
    );
    this.name = 'UnreadableRowsError';
    this.rejected = rejected;
  }
}

/** Normalises rows page by page, keeping the count and reasons of the rows it could not read. */
export class RowNormaliser {
  readonly rejected: RejectedRow[] = [];
  /** Rejections beyond this many are counted but their reasons not kept. */
  private readonly keep: number;
  rejectedCount = 0;
  private readonly strict: boolean;
  /** Shares the repeated values of the calls it makes. */
  readonly interner: Interner | null;

  constructor(opts: { strict?: boolean; keepReasons?: number; interner?: Interner } = {}) {
    this.strict = opts.strict ?? false;
    this.keep = opts.keepReasons ?? 100;
    this.interner = opts.interner ?? null;
  }

  /**
   * Hands each call of `rows` to `out` (an array to append to, or anything with
   * a `push(call)`, such as a `CallTable`); throws `UnreadableRowsError` in strict mode.
   */
  push(rows: readonly unknown[], out: { push(call: Call): unknown }): void {
    const interner = this.interner ?? undefined;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const fast = fastCall(row, this.interner);
      if (fast !== null) {
        out.push(fast);
        continue;
      }
      const r = schemaRow(row);
      if (r.ok) out.push(interner ? share(r.call, interner) : r.call);
      else {
        this.rejectedCount++;
        if (this.rejected.length < this.keep) this.rejected.push({ id: r.id, reason: r.reason });
        if (this.strict) throw new UnreadableRowsError([{ id: r.id, reason: r.reason }]);
      }
    }
  }
}

/** The same call with its repeated values replaced by the interner's shared ones. */
function share(c: Call, s: Interner): Call {
  return {
    ...c,
    ...sharedFields(c, s),
    records: c.records.length === 0 ? EMPTY_LIST : c.records,
    comment: c.comment === null ? null : s.str(c.comment),
    commentAuthor: c.commentAuthor === null ? null : s.str(c.commentAuthor),
  };
}

// ---------------------------------------------------------------------------
// The fast path: the common shapes, read by hand. Every helper returns
// `undefined` for "not a shape I know", and then the whole row goes to the schema.

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
  if (v == null) return null;
  if (typeof v === 'string') return s ? s.labelled(v, v) : { id: v, label: v };
  if (!isObj(v)) return undefined;
  const value = v.value;
  const vid = v.value_id;
  if (value != null && typeof value !== 'string') return undefined;
  let id: string;
  if (vid == null) id = value ?? '';
  else if (typeof vid === 'string') id = vid;
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
  let key: unknown;
  if (typeof v === 'string') key = v;
  else if (isObj(v)) {
    const value = v.value;
    const vid = v.value_id;
    if (value != null && typeof value !== 'string') return undefined;
    if (vid == null) key = value ?? '';
    else if (typeof vid === 'boolean') return vid;
    else if (typeof vid === 'string') key = vid;
    else return undefined; // a number is never a known word: let the schema say so
  } else return undefined;
  const word = key as string;
  const known = INTERNAL_WORDS.get(word);
  if (known !== undefined) return known;
  const k = word.trim().toLowerCase();
  let internal: boolean;
  if (k === 'internal' || k === 'true' || k === 'внутренний') internal = true;
  else if (k === 'external' || k === 'false' || k === 'внешний') internal = false;
  else return undefined;
  if (INTERNAL_WORDS.size < 1000) INTERNAL_WORDS.set(word, internal);
  return internal;
}

/** `employees` / `coaches`: names, or objects naming an employee. */
function fastNames(v: unknown, s: Interner | null): readonly string[] | undefined {
  if (v == null) return s ? EMPTY_LIST : [];
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (let i = 0; i < v.length; i++) {
    const item: unknown = v[i];
    let name: unknown;
    if (typeof item === 'string') name = item;
    else if (isObj(item)) {
      const e = item.employee_full_name;
      const f = item.full_name;
      const n = item.name;
      if ((e != null && typeof e !== 'string') || (f != null && typeof f !== 'string')) return undefined;
      if (n != null && typeof n !== 'string') return undefined;
      name = e ?? f ?? n;
    } else return undefined;
    if (name) out.push(name as string);
  }
  return s ? s.list(out) : out;
}

/** `tags`: an array, or `{items: [...]}`, of names or `{name}` objects. */
function fastTags(v: unknown, s: Interner | null): readonly string[] | undefined {
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
      if (name != null && typeof name !== 'string') return undefined;
      if (t.id === undefined) return undefined; // the schema wants the key there: let it decide
    } else return undefined;
    if (name) out.push(name as string);
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

/** A call from a row in the common shapes; null for anything else (the schema decides then). */
export function fastCall(row: unknown, s: Interner | null): Call | null {
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
  const tags = fastTags(row.tags, s);
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
