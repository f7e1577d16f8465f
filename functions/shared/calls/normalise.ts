/**
 * Turns a raw `get.mgf_calls` row, in any of the shapes data-api.md lists, into
 * a typed `Call`. zod schemas describe what is accepted; a row that cannot be
 * understood is not dropped silently: `normaliseRow` says why, and
 * `RowNormaliser` counts and keeps the reasons (and, when strict, throws).
 *
 * Decisions are made on ids (`value_id`), labels are kept for display. Where a
 * column is missing from the row (not asked for), the Call gets its empty value,
 * except the columns a Call cannot exist without: id, start, direction, status.
 */
import { z } from 'zod';
import { parseWall } from '../time.ts';
import type { Call, Direction, Labelled } from './call.ts';
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

/** Normalises one raw row; never throws. */
export function normaliseRow(row: unknown): NormaliseResult {
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

  constructor(opts: { strict?: boolean; keepReasons?: number } = {}) {
    this.strict = opts.strict ?? false;
    this.keep = opts.keepReasons ?? 100;
  }

  /** Appends the calls of `rows` to `out`; throws `UnreadableRowsError` in strict mode. */
  push(rows: readonly unknown[], out: Call[]): void {
    for (const row of rows) {
      const r = normaliseRow(row);
      if (r.ok) out.push(r.call);
      else {
        this.rejectedCount++;
        if (this.rejected.length < this.keep) this.rejected.push({ id: r.id, reason: r.reason });
        if (this.strict) throw new UnreadableRowsError([{ id: r.id, reason: r.reason }]);
      }
    }
  }
}
