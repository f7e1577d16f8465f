/**
 * Seeded synthetic call history for the Data API simulator: raw `get.mgf_calls`
 * rows, exactly as the API sends them, in every shape data-api.md lists.
 *
 * The model, per day of the period:
 * - "primary" calls arrive by an hourly profile (business-hours peak, a lunch dip,
 *   a trickle at night; weekends lighter and later);
 * - ~65 % are incoming external calls, of which a share is missed (more at
 *   lunch, in the evening and at night); ~30 % are outgoing; ~5 % are internal;
 * - a missed call may be followed by: a callback from an employee minutes to
 *   hours later (moved into working hours, so a late miss is called back the
 *   next morning; some callbacks go unanswered and are retried), the client
 *   calling again on their own, the client calling again at once and missing
 *   again (repeated misses from one number), or nothing at all.
 * Follow-ups that fall after the period's end are dropped: ask for one extra
 * day when the next-day follow-ups matter.
 *
 * It is built for volume: events are kept in flat arrays, sorted once through
 * a Float64Array of packed (second, index) keys, and rows share frozen constant
 * objects (labels, employee lists, tag items) and cached date/time/duration
 * strings. A million rows take a few seconds.
 */
import { DAY_MS, formatWallDate, parseWall } from '../functions/shared/time.ts';
import type {
  CommentObject,
  ContactPhoneObject,
  EmployeeRef,
  LabelledValue,
  MgfCallRow,
  Tag,
  TagsObject,
} from './columns.ts';

// ---------------------------------------------------------------------------
// Options

export interface GeneratorOptions {
  /** PRNG seed: the same options give the same rows. Default 1. */
  seed?: number;
  /** First day, `YYYY-MM-DD` (account wall clock). */
  from: string;
  /** Last day, `YYYY-MM-DD`, inclusive. */
  till: string;
  /** Mean rows on a weekday (weekends are lighter). Default 200. Ignored when `totalCalls` is set. */
  callsPerDay?: number;
  /** Exactly this many rows spread over the period (weighted by weekday). */
  totalCalls?: number;
  /** Number of employees, 5..50. Default 12. */
  employees?: number;
  /** Number of virtual numbers (lines), 1..10. Default 4. */
  lines?: number;
  /** Chance that a column of a row uses an alternative shape (data-api.md "Row shapes"). Default 0.1. */
  variantRate?: number;
  /** Chance that a client number is written `8…` or as 10 digits `9…`. Default 0.06. */
  phoneFormatRate?: number;
  /** The first `communication_id`. Default 3_000_000_000. */
  firstCommunicationId?: number;
}

export const DEFAULT_FIRST_ID = 3_000_000_000;

// ---------------------------------------------------------------------------
// PRNG

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stateless 32-bit integer hash (for numbers derived from an index). */
function hash32(x: number, salt: number): number {
  let h = Math.imul(x ^ salt, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// ---------------------------------------------------------------------------
// Vocabulary: shared, frozen constants (the server caches JSON of frozen objects)

function lv<Id extends string | boolean>(value: string, valueId: Id): Readonly<LabelledValue<Id>> {
  return Object.freeze({ value, value_id: valueId });
}

const DIR_LONG = { in: lv('Входящий звонок', 'in'), out: lv('Исходящий звонок', 'out') };
const DIR_SHORT = { in: lv('Входящий', 'in'), out: lv('Исходящий', 'out') };
const STATUS_ANSWERED = lv('Принятый', 'answered');
const STATUS_LOST = lv('Пропущенный', 'lost');
const STATUS_LOST_ALT = lv('Потерянный', 'lost');

const INTERNAL_STR = { ext: lv('Внешний', 'external'), int: lv('Внутренний', 'internal') };
const INTERNAL_BOOL = { ext: lv('Внешний', false), int: lv('Внутренний', true) };

const NO_BOOL = lv('Нет', false);
const YES_BOOL = lv('Да', true);
// The string form of a boolean value_id: the docs only say "string or boolean".
const NO_STR = lv('Нет', 'false');
const YES_STR = lv('Да', 'true');

const TYPE_VA = lv('Звонок ВАТС', 'va');
// value_ids other than "va" are guesses: the docs list only the labels.
const TYPE_SITEPHONE = lv('Сайтфон', 'sitephone');
const TYPE_SIP = lv('Исходящий с SIP', 'sip');
const TYPE_FMC = lv('Исходящий с FMC', 'fmc');
const TYPE_AMO = lv('amoCRM', 'amocrm');
const TYPE_BITRIX = lv('Bitrix24', 'bitrix24');

const FR_SUBSCRIBER = lv('Абонент положил трубку', 'subscriber_disconnects');
const FR_OPERATOR = lv('Сотрудник разорвал соединение', 'operator_disconnects');
const FR_REDIRECTED = lv('Вызов перенаправлен', 'call_redirected');
const FR_NO_OPERATOR = lv('Не дозвонились до сотрудника', 'no_success_operator_call');
const FR_NO_SUBSCRIBER = lv('Не дозвонились до абонента', 'no_success_subscriber_call');
const FR_BUSY = lv('Абонент занят', 'subscriber_busy');

const EXTRA = {
  in_lost: Object.freeze({ call_status: 'lost', call_direction: 'in' }),
  in_answered: Object.freeze({ call_status: 'answered', call_direction: 'in' }),
  out_lost: Object.freeze({ call_status: 'lost', call_direction: 'out' }),
  out_answered: Object.freeze({ call_status: 'answered', call_direction: 'out' }),
};

const TAGS: readonly Tag[] = [
  { id: 24498, name: 'Обработано', color: 'color2' },
  { id: 24499, name: 'Новый клиент', color: 'color5' },
  { id: 24500, name: 'Повторный клиент', color: 'color3' },
  { id: 24501, name: 'Заказ', color: 'color1' },
  { id: 24502, name: 'Консультация', color: 'color4' },
  { id: 24503, name: 'Жалоба', color: 'color7' },
  { id: 24504, name: 'Спам', color: 'color8' },
  { id: 24505, name: 'Целевой', color: 'color6' },
].map((t) => Object.freeze(t));
/** One frozen single-tag list per tag: shared by every row with that tag. */
const TAG_LISTS: readonly (readonly Tag[])[] = TAGS.map((t) => Object.freeze([t]));

const COMMENTS = [
  'Перезвонить после 15:00',
  'Клиент просит КП на почту',
  'Уточнить наличие и сроки доставки',
  'Жалоба на качество, передано руководителю',
  'Ошиблись номером',
  'Записан на консультацию',
  'Просит счёт для юрлица',
  'Не дозвонились, отправили SMS',
];

const LINE_COMMENTS = [
  'Отдел продаж',
  'Реклама Яндекс',
  'Сайт',
  'Реклама 2ГИС',
  'Авито',
  'Сервисный центр',
  'Наружная реклама',
  'Повторные клиенты',
  'Выставка',
  null,
];

const SURNAMES = [
  'Иванов',
  'Петров',
  'Смирнов',
  'Кузнецов',
  'Попов',
  'Васильев',
  'Соколов',
  'Михайлов',
  'Новиков',
  'Фёдоров',
  'Морозов',
  'Волков',
  'Алексеев',
  'Лебедев',
  'Семёнов',
  'Егоров',
  'Павлов',
  'Козлов',
  'Степанов',
  'Николаев',
  'Орлов',
  'Андреев',
  'Макаров',
  'Никитин',
  'Захаров',
];
const MALE_NAMES = [
  'Александр',
  'Дмитрий',
  'Максим',
  'Сергей',
  'Андрей',
  'Алексей',
  'Артём',
  'Илья',
  'Кирилл',
  'Михаил',
  'Никита',
  'Иван',
  'Егор',
  'Роман',
  'Павел',
];
const FEMALE_NAMES = [
  'Мария',
  'Анна',
  'Елена',
  'Ольга',
  'Наталья',
  'Татьяна',
  'Екатерина',
  'Ирина',
  'Светлана',
  'Юлия',
  'Дарья',
  'Анастасия',
  'Марина',
  'Виктория',
  'Ксения',
];

/** Relative call volume by local hour: weekdays peak 10–12 and 14–16, dip at 13. */
const HOURS_WEEKDAY = [
  0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 1, 3, 7.5, 9.5, 10, 9.5, 7.5, 9, 9.5, 9, 8, 5.5, 3, 1.8, 1.2, 0.8, 0.4,
];
const HOURS_WEEKEND = [
  0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 3, 5, 6.5, 7, 7, 6.5, 6, 5.5, 4.5, 3.5, 2.5, 1.8, 1.2, 0.8,
  0.4,
];
/** Chance an incoming call is missed, by hour: nobody answers at night. */
const MISS_BY_HOUR = [
  0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.7, 0.6, 0.25, 0.08, 0.07, 0.07, 0.08, 0.15, 0.08, 0.07, 0.08, 0.09,
  0.12, 0.2, 0.4, 0.6, 0.7, 0.75,
];
/** Volume by weekday, Sunday first (Date#getUTCDay order). */
const WEEKDAY_WEIGHT = [0.3, 1.05, 1, 1, 0.98, 0.92, 0.45];

function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (const w of weights) sum += w;
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += (weights[i] ?? 0) / sum;
    out[i] = acc;
  }
  out[weights.length - 1] = 1;
  return out;
}
const CUM_WEEKDAY = cumulative(HOURS_WEEKDAY);
const CUM_WEEKEND = cumulative(HOURS_WEEKEND);

// ---------------------------------------------------------------------------
// Staff: employees and lines, derived from the seed alone

interface Employee {
  name: string;
  id: number;
  /** Internal extension number, e.g. "104". */
  ext: string;
  names: readonly string[];
  refs: readonly EmployeeRef[];
  /** Index of this employee's coach, or -1. */
  coach: number;
}

interface Line {
  number: string;
  comment: string | null;
  /** Indexes of the employees the line rings. */
  group: readonly number[];
}

interface Staff {
  employees: readonly Employee[];
  lines: readonly Line[];
  lineCum: Float64Array;
}

function clampInt(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

function makeStaff(seed: number, employeeCount: number, lineCount: number): Staff {
  const rand = mulberry32(hash32(seed, 0x5eed5eed));
  const names = new Set<string>();
  const employees: Employee[] = [];
  while (employees.length < employeeCount) {
    const female = rand() < 0.55;
    const surname = SURNAMES[Math.floor(rand() * SURNAMES.length)] ?? 'Иванов';
    const first = female
      ? (FEMALE_NAMES[Math.floor(rand() * FEMALE_NAMES.length)] ?? 'Мария')
      : (MALE_NAMES[Math.floor(rand() * MALE_NAMES.length)] ?? 'Иван');
    const name = `${female ? `${surname}а` : surname} ${first}`;
    if (names.has(name)) continue;
    names.add(name);
    const k = employees.length;
    const id = 100_000 + k * 7 + Math.floor(rand() * 7);
    employees.push({
      name,
      id,
      ext: String(101 + k),
      names: Object.freeze([name]),
      refs: Object.freeze([Object.freeze({ employee_full_name: name, employee_id: id })]),
      coach: -1,
    });
  }
  // The first few employees are seniors; about a fifth of the others are trainees with a coach.
  const seniors = Math.max(1, Math.floor(employeeCount / 6));
  for (let k = seniors; k < employees.length; k++) {
    const e = employees[k];
    if (e && rand() < 0.2) e.coach = Math.floor(rand() * seniors);
  }
  const lines: Line[] = [];
  const weights: number[] = [];
  for (let i = 0; i < lineCount; i++) {
    const prefix = rand() < 0.7 ? '7495' : '7499';
    const number = prefix + String(Math.floor(rand() * 1e7)).padStart(7, '0');
    // The last of many lines has no note, as real accounts often do.
    const comment = i === lineCount - 1 && lineCount > 3 ? null : (LINE_COMMENTS[i] ?? null);
    const group: number[] = [];
    for (let k = 0; k < employeeCount; k++) if (rand() < 0.5 || k % lineCount === i) group.push(k);
    lines.push({ number, comment, group });
    weights.push(1 / (i + 1) ** 0.8);
  }
  return { employees, lines, lineCum: cumulative(weights) };
}

/** The names and lines a seed gives (for demos and tests). */
export function staffFor(options: Pick<GeneratorOptions, 'seed' | 'employees' | 'lines'> = {}): {
  employees: string[];
  lines: { number: string; comment: string | null }[];
} {
  const staff = makeStaff(
    options.seed ?? 1,
    clampInt(options.employees, 5, 50, 12),
    clampInt(options.lines, 1, LINE_COMMENTS.length, 4),
  );
  return {
    employees: staff.employees.map((e) => e.name),
    lines: staff.lines.map((l) => ({ number: l.number, comment: l.comment })),
  };
}

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

const IN_OK = 0;
const IN_LOST = 1;
const OUT_OK = 2;
const OUT_LOST = 3;
const INT_OK = 4;
const INT_LOST = 5;

interface Builder {
  rand: () => number;
  staff: Staff;
  variantRate: number;
  phoneFormatRate: number;
  phoneSalt: number;
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

function pickCum(rand: () => number, cum: Float64Array): number {
  const u = rand();
  let i = 0;
  while (i < cum.length - 1 && (cum[i] ?? 1) <= u) i++;
  return i;
}

/** A log-normal duration in whole seconds with the given median, clipped. */
function logNormal(rand: () => number, median: number, sigma: number, min: number, max: number): number {
  const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const v = Math.round(median * Math.exp(sigma * z));
  return Math.min(max, Math.max(min, v));
}

/** A client number ("7…", 11 digits) derived from a client index: 65 % mobile, the rest Moscow landlines. */
function clientPhone(index: number, salt: number): string {
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
function buildRow(
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

// ---------------------------------------------------------------------------
// Events

/** Flat, growable event storage (struct of arrays). */
class Events {
  sec: number[] = [];
  kind: number[] = [];
  client: number[] = [];
  line: number[] = [];
  emp: number[] = [];
  emp2: number[] = [];
  get length(): number {
    return this.sec.length;
  }
  push(sec: number, kind: number, client: number, line: number, emp: number, emp2: number): void {
    this.sec.push(sec);
    this.kind.push(kind);
    this.client.push(client);
    this.line.push(line);
    this.emp.push(emp);
    this.emp2.push(emp2);
  }
  truncate(n: number): void {
    this.sec.length = n;
    this.kind.length = n;
    this.client.length = n;
    this.line.length = n;
    this.emp.length = n;
    this.emp2.length = n;
  }
}

interface Resolved {
  seed: number;
  startMs: number;
  days: number;
  staff: Staff;
  variantRate: number;
  phoneFormatRate: number;
  firstId: number;
}

function resolve(options: GeneratorOptions): Resolved {
  const startMs = parseWall(options.from);
  const lastMs = parseWall(options.till);
  if (startMs === null || lastMs === null || options.from.length !== 10 || options.till.length !== 10) {
    throw new RangeError(`Bad period ${options.from}..${options.till}: use YYYY-MM-DD`);
  }
  if (lastMs < startMs)
    throw new RangeError(`Period ends before it starts: ${options.from}..${options.till}`);
  const seed = options.seed ?? 1;
  return {
    seed,
    startMs,
    days: Math.round((lastMs - startMs) / DAY_MS) + 1,
    staff: makeStaff(
      seed,
      clampInt(options.employees, 5, 50, 12),
      clampInt(options.lines, 1, LINE_COMMENTS.length, 4),
    ),
    variantRate: Math.min(1, Math.max(0, options.variantRate ?? 0.1)),
    phoneFormatRate: Math.min(1, Math.max(0, options.phoneFormatRate ?? 0.06)),
    firstId: options.firstCommunicationId ?? DEFAULT_FIRST_ID,
  };
}

/** Moves a moment outside working hours (09:00–20:00) to the next working morning. */
function intoWorkingHours(rand: () => number, sec: number): number {
  const day = Math.floor(sec / 86_400);
  const t = sec - day * 86_400;
  if (t >= 9 * 3600 && t < 20 * 3600) return sec;
  const morning = (t < 9 * 3600 ? day : day + 1) * 86_400 + 9 * 3600;
  return morning + Math.floor(rand() * 5400);
}

/** Delay before an employee calls a missed client back, seconds. */
function callbackDelay(rand: () => number): number {
  const u = rand();
  if (u < 0.35) return 60 + Math.floor(rand() * 840); // up to 15 min
  if (u < 0.65) return 900 + Math.floor(rand() * 2700); // up to an hour
  if (u < 0.88) return 3600 + Math.floor(rand() * 3 * 3600); // up to 4 h
  return 4 * 3600 + Math.floor(rand() * 16 * 3600);
}

/**
 * Generates the rows of a period, sorted by start; `communication_id` grows with
 * the start time. Deterministic for given options.
 */
export function generateCalls(options: GeneratorOptions): MgfCallRow[] {
  const r = resolve(options);
  const rand = mulberry32(hash32(r.seed, 0x0c0ffee0));
  const { staff } = r;
  const employeeCount = staff.employees.length;
  const endSec = r.days * 86_400; // seconds from the period's start; events at or after it are dropped
  const baseSec = r.startMs / 1000;
  const startDow = new Date(r.startMs).getUTCDay();

  // Per-day targets: weighted by weekday, with ±10 % day-to-day noise in callsPerDay mode.
  const targets = new Float64Array(r.days);
  if (options.totalCalls !== undefined) {
    const total = Math.max(0, Math.floor(options.totalCalls));
    let sum = 0;
    for (let d = 0; d < r.days; d++) {
      const w = WEEKDAY_WEIGHT[(startDow + d) % 7] ?? 1;
      targets[d] = w;
      sum += w;
    }
    for (let d = 0; d < r.days; d++) targets[d] = ((targets[d] ?? 0) / sum) * total;
  } else {
    const perDay = Math.max(0, options.callsPerDay ?? 200);
    for (let d = 0; d < r.days; d++) {
      targets[d] = perDay * (WEEKDAY_WEIGHT[(startDow + d) % 7] ?? 1) * (0.9 + 0.2 * rand());
    }
  }
  let expected = 0;
  for (const t of targets) expected += t;
  const exact = options.totalCalls !== undefined ? Math.round(expected) : -1;

  // Clients: a pool of regulars who call (and are called) again and again, and a stream of new ones.
  const regulars = Math.max(30, Math.round(expected * 0.02));
  let nextClient = regulars;
  const pickClient = (regularShare: number): number =>
    rand() < regularShare ? Math.floor(regulars * rand() * rand()) : nextClient++;

  const ev = new Events();
  let produced = 0;
  const push = (
    sec: number,
    kind: number,
    client: number,
    line: number,
    emp: number,
    emp2: number,
  ): boolean => {
    if (sec >= endSec) return false;
    ev.push(sec, kind, client, line, emp, emp2);
    produced++;
    return true;
  };
  const lineEmployee = (line: number): number => {
    const group = staff.lines[line]?.group;
    return group && group.length > 0 ? pick(rand, group) : Math.floor(rand() * employeeCount);
  };

  const followUp = (missSec: number, client: number, line: number, depth: number): void => {
    const u = rand();
    if (u < 0.08 && depth < 3) {
      // Calls again at once and is missed again: repeated misses from one number.
      const t = missSec + 30 + Math.floor(rand() * 600);
      if (push(t, IN_LOST, client, line, -1, -1)) followUp(t, client, line, depth + 1);
    } else if (u < 0.58) {
      // An employee calls back; a fifth of callbacks go unanswered, half of those are retried.
      const t = intoWorkingHours(rand, missSec + callbackDelay(rand));
      const emp = lineEmployee(line);
      if (rand() < 0.78) push(t, OUT_OK, client, line, emp, -1);
      else if (push(t, OUT_LOST, client, line, emp, -1) && rand() < 0.5) {
        const t2 = intoWorkingHours(rand, t + 600 + Math.floor(rand() * 7200));
        push(t2, rand() < 0.6 ? OUT_OK : OUT_LOST, client, line, lineEmployee(line), -1);
      }
    } else if (u < 0.8) {
      // The client calls again on their own, usually in working hours; mostly gets through.
      let t = missSec + 300 + Math.floor(rand() * 5 * 3600);
      if (rand() < 0.7) t = intoWorkingHours(rand, t);
      push(t, rand() < 0.85 ? IN_OK : IN_LOST, client, line, lineEmployee(line), -1);
    }
    // else: nobody did anything, the miss stays unreturned
  };

  const primary = (day: number, weekend: boolean): void => {
    const u = rand();
    let hour = pickCum(rand, weekend ? CUM_WEEKEND : CUM_WEEKDAY);
    // Employees make calls (outgoing and internal) in working hours only.
    if (u < 0.35) while (hour < 8 || hour >= 20) hour = pickCum(rand, weekend ? CUM_WEEKEND : CUM_WEEKDAY);
    const sec = day * 86_400 + hour * 3600 + Math.floor(rand() * 3600);
    if (u < 0.05 && employeeCount > 1) {
      const a = Math.floor(rand() * employeeCount);
      const b = (a + 1 + Math.floor(rand() * (employeeCount - 1))) % employeeCount;
      push(sec, rand() < 0.88 ? INT_OK : INT_LOST, 0, 0, a, b);
    } else if (u < 0.35) {
      const line = pickCum(rand, staff.lineCum);
      push(sec, rand() < 0.75 ? OUT_OK : OUT_LOST, pickClient(0.6), line, lineEmployee(line), -1);
    } else {
      const line = pickCum(rand, staff.lineCum);
      const client = pickClient(0.25);
      const missRate = Math.min(0.9, (MISS_BY_HOUR[hour] ?? 0.1) * (weekend ? 1.3 : 1));
      if (rand() >= missRate) {
        push(sec, IN_OK, client, line, lineEmployee(line), -1);
      } else {
        push(sec, IN_LOST, client, line, -1, -1);
        followUp(sec, client, line, 0);
      }
    }
  };

  let cumulativeTarget = 0;
  for (let d = 0; d < r.days; d++) {
    const dow = (startDow + d) % 7;
    cumulativeTarget += targets[d] ?? 0;
    const goal = exact >= 0 && d === r.days - 1 ? exact : Math.round(cumulativeTarget);
    while (produced < goal) primary(d, dow === 0 || dow === 6);
  }
  // The last primary's follow-ups may overshoot an exact total: drop them (they were pushed last).
  if (exact >= 0 && ev.length > exact) ev.truncate(exact);

  // Sort by start: pack (second, event index) into one float, sort natively, unpack.
  const n = ev.length;
  if (n >= 2 ** 24) throw new RangeError(`Too many calls to generate at once: ${n}`);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (ev.sec[i] ?? 0) * 16_777_216 + i;
  keys.sort();

  const b: Builder = {
    rand,
    staff,
    variantRate: r.variantRate,
    phoneFormatRate: r.phoneFormatRate,
    phoneSalt: hash32(r.seed, 0x7a11),
  };
  const rows: MgfCallRow[] = new Array(n);
  let id = r.firstId;
  for (let k = 0; k < n; k++) {
    const key = keys[k] ?? 0;
    const i = key % 16_777_216;
    const sec = (key - i) / 16_777_216;
    rows[k] = buildRow(
      b,
      id,
      baseSec + sec,
      ev.kind[i] ?? IN_OK,
      ev.client[i] ?? 0,
      ev.line[i] ?? 0,
      ev.emp[i] ?? 0,
      ev.emp2[i] ?? 0,
    );
    // Ids of other accounts' calls interleave with ours: leave small gaps.
    id += rand() < 0.25 ? 2 + Math.floor(rand() * 3) : 1;
  }
  return rows;
}

/** Generates exactly `total` rows spread over `from`..`till` (inclusive days), weighted by weekday. */
export function generateRowsForTotal(
  total: number,
  from: string,
  till: string,
  options: Omit<GeneratorOptions, 'from' | 'till' | 'totalCalls' | 'callsPerDay'> = {},
): MgfCallRow[] {
  return generateCalls({ ...options, from, till, totalCalls: total });
}

export interface ExtraRowsOptions {
  /** How many rows. */
  count: number;
  /** Start instants are drawn uniformly from [startMs, endMs] (wall ms, whole seconds). */
  startMs: number;
  endMs: number;
  /** `communication_id` of the first row; the next ones follow. */
  firstId: number;
  /** The staff seed: pass the main data's seed so names and lines match. Default 1. */
  seed?: number;
  /** Randomness of these rows (e.g. a call counter). Default 0. */
  stream?: number;
  employees?: number;
  lines?: number;
  variantRate?: number;
  phoneFormatRate?: number;
}

/**
 * Standalone rows (no follow-ups) in a time window, e.g. late-arriving calls
 * for the simulator's drift fault. Returned in start order with increasing ids.
 */
export function generateExtraRows(options: ExtraRowsOptions): MgfCallRow[] {
  const seed = options.seed ?? 1;
  const staff = makeStaff(
    seed,
    clampInt(options.employees, 5, 50, 12),
    clampInt(options.lines, 1, LINE_COMMENTS.length, 4),
  );
  const rand = mulberry32(hash32(seed ^ 0xd21f7, (options.stream ?? 0) + 1));
  const b: Builder = {
    rand,
    staff,
    variantRate: Math.min(1, Math.max(0, options.variantRate ?? 0.1)),
    phoneFormatRate: Math.min(1, Math.max(0, options.phoneFormatRate ?? 0.06)),
    phoneSalt: hash32(seed, 0x7a11),
  };
  const lo = Math.ceil(options.startMs / 1000);
  const hi = Math.floor(options.endMs / 1000);
  const secs: number[] = [];
  for (let i = 0; i < options.count; i++) secs.push(lo + Math.floor(rand() * (hi - lo + 1)));
  secs.sort((x, y) => x - y);
  const count = staff.employees.length;
  return secs.map((sec, i) => {
    const u = rand();
    const line = pickCum(rand, staff.lineCum);
    const emp = Math.floor(rand() * count);
    const kind = u < 0.05 ? INT_OK : u < 0.35 ? OUT_OK : u < 0.5 ? IN_LOST : IN_OK;
    const client = 1_000_000_000 + Math.floor(rand() * 1_000_000_000);
    return buildRow(b, options.firstId + i, sec, kind, client, line, emp, (emp + 1) % count);
  });
}
