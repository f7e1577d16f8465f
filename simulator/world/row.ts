/**
 * One raw `get.mgf_calls` row from one event of the world: who took part,
 * durations and outcome, the client's number, extras, and for each column,
 * independently, one of the shapes data-api.md's "Row shapes" table lists.
 * Rows share frozen constants and cached date, time and duration strings.
 */
import { DAY_MS, formatWallDate } from '../../functions/shared/time.ts';
import type {
  CommentObject,
  ContactPhoneObject,
  EmployeeRef,
  LabelledValue,
  MgfCallRow,
  Tag,
  TagsObject,
} from '../columns.ts';
import { hash32, logNormal, pick } from './random.ts';
import type { Employee, Staff } from './staff.ts';
import {
  COMMENTS,
  DIR_LONG,
  DIR_SHORT,
  EXTRA,
  FR_BUSY,
  FR_NO_OPERATOR,
  FR_NO_SUBSCRIBER,
  FR_OPERATOR,
  FR_REDIRECTED,
  FR_SUBSCRIBER,
  INTERNAL_BOOL,
  INTERNAL_STR,
  NO_BOOL,
  NO_STR,
  STATUS_ANSWERED,
  STATUS_LOST,
  STATUS_LOST_ALT,
  TAG_LISTS,
  TYPE_AMO,
  TYPE_BITRIX,
  TYPE_FMC,
  TYPE_SIP,
  TYPE_SITEPHONE,
  TYPE_VA,
  YES_BOOL,
  YES_STR,
} from './vocabulary.ts';

// ---------------------------------------------------------------------------
// String caches

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

const timeCache: (string | undefined)[] = new Array(86_400);
function timeOfDay(sec: number): string {
  let s = timeCache[sec];
  if (s === undefined) {
    s = `${pad2(Math.floor(sec / 3600))}:${pad2(Math.floor(sec / 60) % 60)}:${pad2(sec % 60)}`;
    timeCache[sec] = s;
  }
  return s;
}

const DUR_CACHE_MAX = 4 * 3600;
const durCache: (string | undefined)[] = new Array(DUR_CACHE_MAX);
/** `hh:mm:ss`; hours may exceed 24. */
export function formatDuration(sec: number): string {
  if (sec < DUR_CACHE_MAX) {
    const s = durCache[sec];
    if (s !== undefined) return s;
  }
  const s = `${pad2(Math.floor(sec / 3600))}:${pad2(Math.floor(sec / 60) % 60)}:${pad2(sec % 60)}`;
  if (sec < DUR_CACHE_MAX) durCache[sec] = s;
  return s;
}

const dateCache = new Map<number, string>();
function dateOfDay(dayNumber: number): string {
  let s = dateCache.get(dayNumber);
  if (s === undefined) {
    s = formatWallDate(dayNumber * DAY_MS);
    dateCache.set(dayNumber, s);
  }
  return s;
}

// ---------------------------------------------------------------------------
// Row building

export const IN_OK = 0;
export const IN_LOST = 1;
export const OUT_OK = 2;
export const OUT_LOST = 3;
export const INT_OK = 4;
export const INT_LOST = 5;

export interface Builder {
  rand: () => number;
  staff: Staff;
  variantRate: number;
  phoneFormatRate: number;
  phoneSalt: number;
}

/** A client number ("7…", 11 digits) derived from a client index: 65 % mobile, the rest Moscow landlines. */
export function clientPhone(index: number, salt: number): string {
  const h = hash32(index, salt);
  const tail = hash32(index, salt ^ 0x2545f491);
  const kind = h % 100;
  if (kind < 65) return `79${String(tail % 1_000_000_000).padStart(9, '0')}`;
  return `${kind < 85 ? '7495' : '7499'}${String(tail % 10_000_000).padStart(7, '0')}`;
}

let hex4: string[] | null = null;
/** A record id: 16 hex digits, like the opaque ids the API gives. Table look-ups: toString(16) is slow. */
function recordId(rand: () => number): string {
  if (hex4 === null) {
    hex4 = new Array<string>(65_536);
    for (let i = 0; i < 65_536; i++) hex4[i] = i.toString(16).padStart(4, '0');
  }
  const a = (rand() * 4294967296) >>> 0;
  const b = (rand() * 4294967296) >>> 0;
  return `${hex4[a >>> 16]}${hex4[a & 0xffff]}${hex4[b >>> 16]}${hex4[b & 0xffff]}`;
}

/**
 * Builds one row. `absSec` is the wall-clock start in seconds since the epoch
 * ("as if UTC"); `client` is a client index (external) and `emp`/`emp2` are
 * employee indexes (`emp2` is the callee of an internal call).
 */
export function buildRow(
  b: Builder,
  id: number,
  absSec: number,
  kind: number,
  client: number,
  lineIndex: number,
  emp: number,
  emp2: number,
): MgfCallRow {
  const { rand, staff, variantRate: v } = b;
  const internal = kind >= INT_OK;
  const lost = kind === IN_LOST || kind === OUT_LOST || kind === INT_LOST;
  const incoming = kind === IN_OK || kind === IN_LOST;
  const day = Math.floor(absSec / 86_400);
  const secOfDay = absSec - day * 86_400;
  const date = dateOfDay(day);
  const time = timeOfDay(secOfDay);
  const employees = staff.employees;
  const line = staff.lines[lineIndex];
  const main = employees[emp];

  // --- participants
  let names: readonly string[] | null = null;
  let refs: readonly EmployeeRef[] | null = null;
  let received: string | null = null;
  let first: string | null = null;
  let second: string | null = null;
  let principal: Employee | undefined;
  if (internal) {
    const callee = employees[emp2];
    if (main && callee) {
      names = [main.name, callee.name];
      refs = [main.refs[0] as EmployeeRef, callee.refs[0] as EmployeeRef];
      first = main.name;
      second = callee.name;
      received = lost ? null : main.name;
      principal = main;
    }
  } else if (kind === IN_LOST) {
    // The phone rang for 1–3 employees of the line's group, or nobody (hung up in the IVR, or at night).
    const hour = Math.floor(secOfDay / 3600);
    if (line && line.group.length > 0 && hour >= 8 && hour < 21 && rand() < 0.85) {
      const count = Math.min(line.group.length, 1 + Math.floor(rand() * rand() * 3.5));
      const start = Math.floor(rand() * line.group.length);
      if (count === 1) {
        principal = employees[line.group[start] ?? 0];
        if (principal) {
          names = principal.names;
          refs = principal.refs;
        }
      } else {
        const n: string[] = [];
        const r: EmployeeRef[] = [];
        for (let i = 0; i < count; i++) {
          const e = employees[line.group[(start + i) % line.group.length] ?? 0];
          if (!e) continue;
          principal ??= e;
          n.push(e.name);
          r.push(e.refs[0] as EmployeeRef);
        }
        names = n;
        refs = r;
      }
    }
  } else if (main) {
    principal = main;
    received = main.name;
    if (kind === IN_OK && rand() < 0.12 && line && line.group.length > 1) {
      // Someone else was rung first and did not pick up; `main` answered.
      const other = employees[pick(rand, line.group)];
      if (other && other !== main) {
        names = [other.name, main.name];
        refs = [other.refs[0] as EmployeeRef, main.refs[0] as EmployeeRef];
      }
    }
    if (names === null) {
      names = main.names;
      refs = main.refs;
    }
  }

  // --- durations and outcome
  let wait: number | null = null;
  let talk = 0;
  let total: number;
  let reason: Readonly<LabelledValue<string>>;
  switch (kind) {
    case IN_OK: {
      const ivr = Math.floor(rand() * 8);
      const w = 2 + Math.min(118, Math.floor(-Math.log(1 - rand()) * 12));
      wait = rand() < 0.1 ? null : w;
      talk = logNormal(rand, 110, 0.9, 5, 3 * 3600);
      total = ivr + w + talk;
      const r = rand();
      reason = r < 0.5 ? FR_SUBSCRIBER : r < 0.95 ? FR_OPERATOR : FR_REDIRECTED;
      break;
    }
    case IN_LOST: {
      // A quarter hang up almost at once ("short" misses).
      total = rand() < 0.25 ? 1 + Math.floor(rand() * 5) : 6 + Math.floor(rand() * 85);
      reason = names === null || rand() < 0.35 ? FR_SUBSCRIBER : FR_NO_OPERATOR;
      break;
    }
    case OUT_OK: {
      const ring = 3 + Math.floor(rand() * 22);
      wait = rand() < 0.1 ? null : ring;
      talk = logNormal(rand, 80, 0.9, 3, 2 * 3600);
      total = ring + talk;
      reason = rand() < 0.55 ? FR_OPERATOR : FR_SUBSCRIBER;
      break;
    }
    case OUT_LOST: {
      total = 5 + Math.floor(rand() * 40);
      reason = rand() < 0.75 ? FR_NO_SUBSCRIBER : FR_BUSY;
      break;
    }
    case INT_OK: {
      const ring = 2 + Math.floor(rand() * 12);
      wait = ring;
      talk = logNormal(rand, 50, 0.8, 3, 3600);
      total = ring + talk;
      reason = rand() < 0.5 ? FR_OPERATOR : FR_SUBSCRIBER;
      break;
    }
    default: {
      total = 5 + Math.floor(rand() * 25);
      reason = FR_NO_OPERATOR;
      break;
    }
  }
  const answered = !lost;

  // --- numbers
  let phone: string;
  if (internal) {
    phone = employees[emp2]?.ext ?? '100';
  } else {
    phone = clientPhone(client, b.phoneSalt);
    if (rand() < b.phoneFormatRate) {
      // The same client written differently: 8XXXXXXXXXX, or 10 digits for a mobile.
      phone = phone.startsWith('79') && rand() < 0.5 ? phone.slice(1) : `8${phone.slice(1)}`;
    }
  }

  // --- call type
  let type: Readonly<LabelledValue<string>> = TYPE_VA;
  if (incoming) {
    if (rand() < 0.03) type = TYPE_SITEPHONE;
  } else if (!internal) {
    const r = rand();
    type = r < 0.75 ? TYPE_VA : r < 0.87 ? TYPE_SIP : r < 0.92 ? TYPE_FMC : r < 0.97 ? TYPE_AMO : TYPE_BITRIX;
  }

  // --- extras
  const records = answered && talk > 0 && rand() < 0.9 ? [recordId(rand)] : null;
  const rating = kind === IN_OK && rand() < 0.1 ? 1 + Math.floor(5 - 4 * rand() * rand()) : null;
  const tagged = !internal && rand() < 0.15;
  const tagList = tagged ? (TAG_LISTS[lost ? 0 : Math.floor(rand() * TAG_LISTS.length)] ?? null) : null;
  const commented = rand() < 0.04;
  const commentText = commented ? pick(rand, COMMENTS) : null;
  const commentAuthor = commented ? (principal?.name ?? pick(rand, employees).name) : null;
  const coach = principal && principal.coach >= 0 ? employees[principal.coach] : undefined;
  const coachHandled = coach !== undefined && answered && rand() < 0.15;
  const blacklisted = incoming && rand() < 0.003;
  const processed = answered && !internal && rand() < 0.25 ? 5 + Math.floor(rand() * 295) : null;

  // --- shapes: each column independently takes an alternative shape with chance v
  const numId = id;
  const dirKey = incoming ? 'in' : 'out';
  const direction = rand() < v ? DIR_SHORT[dirKey] : DIR_LONG[dirKey];
  const status = answered ? STATUS_ANSWERED : rand() < v ? STATUS_LOST_ALT : STATUS_LOST;
  let isInternal: LabelledValue | string;
  if (rand() < v) {
    if (rand() < 0.5) isInternal = internal ? INTERNAL_BOOL.int : INTERNAL_BOOL.ext;
    else isInternal = internal ? 'Внутренний' : 'Внешний';
  } else {
    isInternal = internal ? INTERNAL_STR.int : INTERNAL_STR.ext;
  }
  let contact: string | ContactPhoneObject = phone;
  if (rand() < v) {
    const extra = incoming
      ? lost
        ? EXTRA.in_lost
        : EXTRA.in_answered
      : lost
        ? EXTRA.out_lost
        : EXTRA.out_answered;
    contact = { value: phone, extra };
  }
  const useRefs = rand() < v;
  const coachesRefs = rand() < v;
  let tags: TagsObject | readonly Tag[] | null = null;
  if (tagList)
    tags = rand() < v ? tagList : { items: tagList, communication_id: numId, communication_type: 'call' };
  let comment: string | CommentObject | null = commentText;
  if (rand() < v) comment = { comment: commentText, communication_id: numId, communication_type: 'call' };
  const flagsAsStrings = rand() < v;

  const finishSec = absSec + total;
  const finishDay = Math.floor(finishSec / 86_400);

  return {
    communication_id: rand() < v ? String(numId) : numId,
    call_start_date: date,
    call_start_time: time,
    contact_phone_number: contact,
    call_direction: direction,
    call_status: status,
    call_type: type,
    virtual_phone_number: internal ? null : (line?.number ?? null),
    employees: useRefs ? refs : names,
    call_total_duration: formatDuration(total),
    call_await_talk_duration: wait === null ? null : formatDuration(wait),
    call_talk_duration: formatDuration(talk),
    call_is_internal: isInternal,
    call_finish_reason: reason,
    employee_rating: rating,
    call_records: records,
    communication_comment: comment,
    communication_comment_author: commentAuthor,
    received_call: received,
    first_employee_for_internal_call: first,
    second_employee_for_internal_call: second,
    call_finish_date_time: `${dateOfDay(finishDay)} ${timeOfDay(finishSec - finishDay * 86_400)}`,
    coaches: coach ? (coachesRefs ? coach.refs : coach.names) : null,
    is_coach_handled_call: flagsAsStrings
      ? coachHandled
        ? YES_STR
        : NO_STR
      : coachHandled
        ? YES_BOOL
        : NO_BOOL,
    virtual_number_comment: internal ? null : (line?.comment ?? null),
    is_blacklisted_phone: flagsAsStrings
      ? blacklisted
        ? YES_STR
        : NO_STR
      : blacklisted
        ? YES_BOOL
        : NO_BOOL,
    call_start_date_time: `${date} ${time}`,
    tags,
    call_processed_mark_duration: processed === null ? null : formatDuration(processed),
  };
}
