/**
 * `get.mgf_calls` parameters: validation (with the API's error mnemonics) and
 * compilation of `filter` into a row predicate and `sort` into sort keys.
 *
 * Comparison rules (docs/data-api.md: "Filter values look like display labels"):
 * a `{value, value_id}` column compares by its label `value`; a contact
 * object by its number; a comment object by its text; list columns
 * (`employees`, `coaches`, `tags`, `call_records`) by their names, matching
 * when any item matches. `communication_id` and `employee_rating` compare as
 * numbers, durations as seconds, when the filter value reads as one; anything
 * else compares as strings. A null cell matches nothing but `is_null` (SQL
 * semantics), and an empty list counts as null.
 */
import { DAY_MS, parseWall } from '../functions/shared/time.ts';
import { type ColumnName, columnKind, isColumnName, type MgfCallRow, UNSORTABLE } from './columns.ts';
import { ApiError } from './errors.ts';

export interface Report {
  id: number;
  name: string;
  type: string;
  [extra: string]: unknown;
}

export type SortOrder = 'asc' | 'desc';

export interface SortItem {
  field: ColumnName;
  order: SortOrder;
}

export interface MgfQuery {
  fromMs: number;
  tillMs: number;
  /** Deduplicated, in the requested order; empty means "empty answer". */
  fields: ColumnName[];
  /** Compiled filter, or null; `filterKey` is its canonical text for caching. */
  filter: ((row: MgfCallRow) => boolean) | null;
  filterKey: string;
  sort: SortItem[];
  limit: number;
  offset: number;
}

export const MAX_LIMIT = 10_000;
export const MAX_OFFSET = 100_000;
export const DEFAULT_LIMIT = 1000;
export const MAX_RANGE_DAYS = 366;
/** Group nesting allowed in `filter` for this method (docs/data-api.md). */
export const MAX_FILTER_LEVELS = 2;

const MGF_PARAMS: ReadonlySet<string> = new Set([
  'access_token',
  'report_id',
  'date_from',
  'date_till',
  'fields',
  'filter',
  'sort',
  'limit',
  'offset',
  'user_id',
]);

/** Throws `unexpected_parameters` naming the first parameter not in `allowed`. */
export function checkUnexpected(params: Record<string, unknown>, allowed: ReadonlySet<string>): void {
  const extra = Object.keys(params).filter((k) => !allowed.has(k));
  if (extra.length > 0) {
    throw new ApiError('unexpected_parameters', `Unexpected parameters: ${extra.join(', ')}`, {
      field: extra[0] ?? null,
      params: { unexpected: extra },
    });
  }
}

const WALL_TIME_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function dateParam(params: Record<string, unknown>, name: string): number {
  const v = params[name];
  if (v === undefined || v === null)
    throw new ApiError('required_parameter_missed', `Required parameter "${name}" is missed`, {
      field: name,
    });
  if (typeof v !== 'string')
    throw new ApiError('data_type_error', `Parameter "${name}" must be a string`, { field: name, value: v });
  const ms = WALL_TIME_RE.test(v) ? parseWall(v) : null;
  if (ms === null) {
    throw new ApiError(
      'invalid_parameter_value',
      `Invalid value of parameter "${name}": use YYYY-MM-DD hh:mm:ss`,
      {
        field: name,
        value: v,
      },
    );
  }
  return ms;
}

function intParam(
  params: Record<string, unknown>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = params[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new ApiError('data_type_error', `Parameter "${name}" must be an integer`, {
      field: name,
      value: v,
    });
  }
  if (v < min || v > max) {
    throw new ApiError(
      'invalid_parameter_value',
      `Invalid value of parameter "${name}": allowed ${min}..${max}`,
      {
        field: name,
        value: v,
      },
    );
  }
  return v;
}

/** Validates `get.mgf_calls` params (the token is checked by the caller). */
export function parseMgfParams(params: Record<string, unknown>, reports: readonly Report[]): MgfQuery {
  checkUnexpected(params, MGF_PARAMS);

  const reportId = params.report_id;
  if (reportId === undefined || reportId === null) {
    throw new ApiError('required_parameter_missed', 'Required parameter "report_id" is missed', {
      field: 'report_id',
    });
  }
  if (typeof reportId !== 'number' || !Number.isInteger(reportId)) {
    throw new ApiError('data_type_error', 'Parameter "report_id" must be an integer', {
      field: 'report_id',
      value: reportId,
    });
  }
  if (!reports.some((r) => r.id === reportId && r.type === 'mgf_calls')) {
    throw new ApiError('invalid_parameter_value', `Report ${reportId} is not a report of type mgf_calls`, {
      field: 'report_id',
      value: reportId,
    });
  }

  const fromMs = dateParam(params, 'date_from');
  const tillMs = dateParam(params, 'date_till');
  if (tillMs < fromMs) {
    throw new ApiError('invalid_parameters_combination', '"date_till" is earlier than "date_from"', {
      field: 'date_till',
      value: params.date_till,
    });
  }
  // 366 whole days at most: 00:00:00 of the first to 23:59:59 of the 366th (a second more is refused).
  if (tillMs - fromMs >= MAX_RANGE_DAYS * DAY_MS) {
    throw new ApiError('date_interval_limit_reached', `The date range exceeds ${MAX_RANGE_DAYS} days`, {
      field: 'date_till',
      value: params.date_till,
    });
  }

  const fields = parseFields(params.fields);
  const limit = intParam(params, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
  const offset = intParam(params, 'offset', 0, 0, MAX_OFFSET);
  const sort = parseSort(params.sort);
  const filter =
    params.filter === undefined || params.filter === null ? null : compileFilter(params.filter, 0);
  return {
    fromMs,
    tillMs,
    fields,
    filter,
    filterKey: filter === null ? '' : JSON.stringify(params.filter),
    sort,
    limit,
    offset,
  };
}

function parseFields(v: unknown): ColumnName[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v))
    throw new ApiError('data_type_error', 'Parameter "fields" must be an array', {
      field: 'fields',
      value: v,
    });
  const out: ColumnName[] = [];
  const seen = new Set<string>();
  for (const f of v) {
    if (!isColumnName(f)) {
      throw new ApiError('invalid_parameter_value', `Unknown field ${JSON.stringify(f)}`, {
        field: 'fields',
        value: f,
      });
    }
    // The seed's own example lists call_is_internal twice: keep the first.
    if (!seen.has(f)) {
      seen.add(f);
      out.push(f);
    }
  }
  return out;
}

function parseSort(v: unknown): SortItem[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v))
    throw new ApiError('data_type_error', 'Parameter "sort" must be an array', { field: 'sort', value: v });
  return v.map((item: unknown): SortItem => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new ApiError('data_type_error', 'Each sort item must be an object {field, order}', {
        field: 'sort',
        value: item,
      });
    }
    const { field, order = 'asc' } = item as { field?: unknown; order?: unknown };
    if (!isColumnName(field)) {
      throw new ApiError('invalid_parameter_value', `Unknown sort field ${JSON.stringify(field)}`, {
        field: 'sort',
        value: field,
      });
    }
    if (UNSORTABLE.has(field)) {
      throw new ApiError('sort_prohibited', `Sorting by "${field}" is prohibited`, {
        field: 'sort',
        value: field,
      });
    }
    if (order !== 'asc' && order !== 'desc') {
      throw new ApiError('invalid_parameter_value', 'Sort order must be "asc" or "desc"', {
        field: 'sort',
        value: order,
      });
    }
    return { field, order };
  });
}

// ---------------------------------------------------------------------------
// Cell values

/** Display text of a scalar cell: strings as they are, labels by `value`, comments by their text. */
export function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as { value?: unknown; comment?: unknown };
    if (typeof o.value === 'string') return o.value;
    if ('comment' in o) return typeof o.comment === 'string' ? o.comment : null;
  }
  return null;
}

/** Names of a list cell: employee names, tag names, record ids. */
export function cellList(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  const items: unknown = Array.isArray(v)
    ? v
    : typeof v === 'object'
      ? (v as { items?: unknown }).items
      : null;
  if (!Array.isArray(items)) return [];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item === 'string') out.push(item);
    else if (typeof item === 'number') out.push(String(item));
    else if (typeof item === 'object' && item !== null) {
      const o = item as { employee_full_name?: unknown; name?: unknown };
      const name = typeof o.employee_full_name === 'string' ? o.employee_full_name : o.name;
      if (typeof name === 'string') out.push(name);
    }
  }
  return out;
}

/** Seconds of `hh:mm:ss` (hours may exceed 24), or null. */
export function durationSeconds(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d+):([0-5]\d):([0-5]\d)$/.exec(v);
  if (!m) return null;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** Numeric value of a number or duration column, or null. */
function cellNumber(field: ColumnName, v: unknown): number | null {
  if (columnKind(field) === 'duration') return durationSeconds(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** A filter value read as a number for `field`'s kind, or null. */
function valueNumber(field: ColumnName, v: unknown): number | null {
  const kind = columnKind(field);
  if (kind !== 'number' && kind !== 'duration') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  if (kind === 'duration') {
    const d = durationSeconds(v);
    if (d !== null) return d;
  }
  if (v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

// ---------------------------------------------------------------------------
// Filter

/** The operators this method accepts (the API's others answer `invalid_parameter_value` here). */
export const FILTER_OPERATORS = [
  '=',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  'in',
  'not_in',
  'like',
  'ilike',
  'not_like',
  'not_ilike',
  'is_null',
  'is_not_null',
] as const;

const OPERATORS: ReadonlySet<string> = new Set(FILTER_OPERATORS);

type Predicate = (row: MgfCallRow) => boolean;

function likeRegExp(pattern: string, insensitive: boolean): RegExp {
  let src = '';
  for (const ch of pattern) {
    if (ch === '%') src += '[\\s\\S]*';
    else if (ch === '_') src += '[\\s\\S]';
    else src += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, insensitive ? 'iu' : 'u');
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function badFilter(message: string, value: unknown): ApiError {
  return new ApiError('invalid_parameter_value', message, { field: 'filter', value });
}

/**
 * Compiles a filter node. `groups` is how many groups enclose it: the top
 * group is level 1, a group inside it level 2, and a third level is refused
 * (`filter_prohibited`). A plain condition may sit at any allowed level.
 */
export function compileFilter(node: unknown, groups: number): Predicate {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw new ApiError('data_type_error', 'A filter must be an object', { field: 'filter', value: node });
  }
  const n = node as Record<string, unknown>;
  if ('filters' in n) {
    const level = groups + 1;
    if (level > MAX_FILTER_LEVELS) {
      throw new ApiError(
        'filter_prohibited',
        `Filters may be nested at most ${MAX_FILTER_LEVELS} levels deep`,
        {
          field: 'filter',
          value: null,
        },
      );
    }
    if (!Array.isArray(n.filters))
      throw new ApiError('data_type_error', '"filters" must be an array', {
        field: 'filter',
        value: n.filters,
      });
    // "condition" is not listed among the required keys: default to "and".
    const condition = n.condition ?? 'and';
    if (condition !== 'and' && condition !== 'or')
      throw badFilter('"condition" must be "and" or "or"', condition);
    const parts = n.filters.map((f: unknown) => compileFilter(f, level));
    if (condition === 'and') return (row) => parts.every((p) => p(row));
    return (row) => parts.some((p) => p(row));
  }
  const { field, operator } = n;
  if (!isColumnName(field)) throw badFilter(`Unknown filter field ${JSON.stringify(field)}`, field);
  if (typeof operator !== 'string' || !OPERATORS.has(operator)) {
    throw badFilter(`Operator ${JSON.stringify(operator)} is not supported here`, operator);
  }
  return compileCondition(field, operator, n.value);
}

function compileCondition(field: ColumnName, operator: string, value: unknown): Predicate {
  const list = columnKind(field) === 'list';
  if (operator === 'is_null' || operator === 'is_not_null') {
    const wantNull = operator === 'is_null';
    if (list) return (row) => (cellList(row[field]).length === 0) === wantNull;
    return (row) => (cellText(row[field]) === null) === wantNull;
  }

  const negate = operator === '!=' || operator.startsWith('not_');
  let test: (text: string, num: number | null) => boolean;
  switch (operator) {
    case '=':
    case '!=':
    case '<':
    case '>':
    case '<=':
    case '>=': {
      // An absent value "counts as emptiness" (seed): compare with ''.
      const v = value === undefined || value === null ? '' : value;
      if (!isScalar(v)) throw badFilter(`Operator ${operator} needs a scalar value`, v);
      const vText = String(v);
      const vNum = valueNumber(field, v);
      const cmp = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);
      const ok = (c: number): boolean =>
        operator === '<'
          ? c < 0
          : operator === '>'
            ? c > 0
            : operator === '<='
              ? c <= 0
              : operator === '>='
                ? c >= 0
                : c === 0;
      test = (text, num) => ok(vNum !== null && num !== null ? cmp(num, vNum) : cmp(text, vText));
      break;
    }
    case 'in':
    case 'not_in': {
      if (!Array.isArray(value) || !value.every(isScalar))
        throw badFilter(`Operator ${operator} needs an array of values`, value);
      const texts = new Set(value.map(String));
      const nums = new Set(value.map((x) => valueNumber(field, x)).filter((x): x is number => x !== null));
      test = (text, num) => texts.has(text) || (num !== null && nums.has(num));
      break;
    }
    default: {
      // like / ilike / not_like / not_ilike
      if (typeof value !== 'string') throw badFilter(`Operator ${operator} needs a string pattern`, value);
      const re = likeRegExp(value, operator.includes('ilike'));
      test = (text) => re.test(text);
      break;
    }
  }

  if (list) {
    return (row) => {
      const items = cellList(row[field]);
      if (items.length === 0) return false;
      const any = items.some((t) => test(t, null));
      return negate ? !any : any;
    };
  }
  const numeric = columnKind(field) !== 'text';
  return (row) => {
    const raw = row[field];
    const text = cellText(raw);
    if (text === null) return false;
    const hit = test(text, numeric ? cellNumber(field, raw) : null);
    return negate ? !hit : hit;
  };
}

// ---------------------------------------------------------------------------
// Sort

/** A sort key column: numbers (NaN for null) or texts (null for null). */
export type SortKey =
  | { numeric: true; values: Float64Array; desc: boolean }
  | { numeric: false; values: (string | null)[]; desc: boolean };

/** Sort keys of the given rows for one sort item. */
export function sortKey(item: SortItem, rows: readonly MgfCallRow[]): SortKey {
  const { field } = item;
  const desc = item.order === 'desc';
  const kind = columnKind(field);
  if (kind === 'number' || kind === 'duration') {
    const values = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++)
      values[i] = cellNumber(field, (rows[i] as MgfCallRow)[field]) ?? Number.NaN;
    return { numeric: true, values, desc };
  }
  const values: (string | null)[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const raw = (rows[i] as MgfCallRow)[field];
    if (kind === 'list') {
      const items = cellList(raw);
      values[i] = items.length === 0 ? null : items.join(', ');
    } else values[i] = cellText(raw);
  }
  return { numeric: false, values, desc };
}

/**
 * Compares entries i and j by the keys; nulls sort last ascending and first
 * descending (PostgreSQL's default); full ties keep the default order (i - j).
 */
export function compareByKeys(keys: readonly SortKey[], i: number, j: number): number {
  for (const key of keys) {
    const a = key.values[i] ?? null;
    const b = key.values[j] ?? null;
    const aNull = a === null || (typeof a === 'number' && Number.isNaN(a));
    const bNull = b === null || (typeof b === 'number' && Number.isNaN(b));
    if (aNull || bNull) {
      if (aNull && bNull) continue;
      return (aNull ? 1 : -1) * (key.desc ? -1 : 1);
    }
    if (a === b) continue;
    return ((a as number | string) < (b as number | string) ? -1 : 1) * (key.desc ? -1 : 1);
  }
  return i - j;
}
