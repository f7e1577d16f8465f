/**
 * `filter` for get.mgf_calls, checked before anything is sent: a simple filter
 * `{field, operator, value}` or a tree `{filters: [...], condition: 'and'|'or'}`,
 * at most 2 levels deep (a tree whose members are simple filters or trees of
 * simple filters). Every message names the offending part by its path,
 * e.g. `filter.filters[1].operator`.
 */
import { isMgfCallsColumn, MGF_CALLS_COLUMNS } from './columns.ts';
import { DataApiRequestError } from './errors.ts';

export const FILTER_OPERATORS = [
  '=',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  'like',
  'ilike',
  'not_like',
  'not_ilike',
  'regexp',
  'jsquery',
  'in',
  'not_in',
  'overlap',
  'not_overlap',
  'is_null',
  'is_not_null',
] as const;

export type FilterOperator = (typeof FILTER_OPERATORS)[number];
type Scalar = string | number | boolean;

export interface SimpleFilter {
  field: string;
  operator: FilterOperator;
  value?: Scalar | Scalar[] | null;
}

export interface FilterTree {
  filters: Array<SimpleFilter | FilterTree>;
  condition: 'and' | 'or';
}

export type CallsFilter = SimpleFilter | FilterTree;

const LIST_OPERATORS = new Set(['in', 'not_in', 'overlap', 'not_overlap']);
const NULL_OPERATORS = new Set(['is_null', 'is_not_null']);
const OPERATOR_SET: ReadonlySet<string> = new Set(FILTER_OPERATORS);
const MAX_DEPTH = 2;

export class InvalidFilterError extends DataApiRequestError {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`Invalid filter at ${path}: ${message}`, { mnemonic: 'invalid_filter', field: path });
    this.path = path;
  }
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a filter and returns it typed; throws `InvalidFilterError` naming the offending part. */
export function validateFilter(input: unknown, path = 'filter'): CallsFilter {
  return check(input, path, 1);
}

function check(node: unknown, path: string, depth: number): CallsFilter {
  if (!isPlainObject(node)) {
    throw new InvalidFilterError(
      path,
      'must be an object {field, operator, value} or {filters: [...], condition}',
    );
  }
  if ('filters' in node || 'condition' in node) return checkTree(node, path, depth);
  return checkSimple(node, path);
}

function checkTree(node: Record<string, unknown>, path: string, depth: number): FilterTree {
  if (depth > MAX_DEPTH) {
    throw new InvalidFilterError(
      path,
      `nesting deeper than ${MAX_DEPTH} levels is not allowed for get.mgf_calls`,
    );
  }
  for (const key of Object.keys(node)) {
    if (key !== 'filters' && key !== 'condition') {
      throw new InvalidFilterError(
        `${path}.${key}`,
        'unknown key; a filter tree has only "filters" and "condition"',
      );
    }
  }
  const { filters, condition } = node;
  if (condition !== 'and' && condition !== 'or') {
    throw new InvalidFilterError(`${path}.condition`, `must be "and" or "or", got ${describe(condition)}`);
  }
  if (!Array.isArray(filters) || filters.length === 0) {
    throw new InvalidFilterError(`${path}.filters`, 'must be a non-empty array of filters');
  }
  return { condition, filters: filters.map((f, i) => check(f, `${path}.filters[${i}]`, depth + 1)) };
}

function checkSimple(node: Record<string, unknown>, path: string): SimpleFilter {
  for (const key of Object.keys(node)) {
    if (key !== 'field' && key !== 'operator' && key !== 'value') {
      throw new InvalidFilterError(
        `${path}.${key}`,
        'unknown key; a simple filter has only "field", "operator" and "value"',
      );
    }
  }
  const { field, operator, value } = node;
  if (!isMgfCallsColumn(field)) {
    throw new InvalidFilterError(
      `${path}.field`,
      `${describe(field)} is not a column of get.mgf_calls; allowed: ${MGF_CALLS_COLUMNS.join(', ')}`,
    );
  }
  if (typeof operator !== 'string' || !OPERATOR_SET.has(operator)) {
    throw new InvalidFilterError(
      `${path}.operator`,
      `${describe(operator)} is not an operator; allowed: ${FILTER_OPERATORS.join(' ')}`,
    );
  }
  const op = operator as FilterOperator;
  if (NULL_OPERATORS.has(op)) {
    if (value !== undefined && value !== null) {
      throw new InvalidFilterError(`${path}.value`, `operator "${op}" takes no value`);
    }
    return { field, operator: op };
  }
  if (LIST_OPERATORS.has(op)) {
    if (!Array.isArray(value) || value.length === 0 || !value.every(isScalar)) {
      throw new InvalidFilterError(
        `${path}.value`,
        `operator "${op}" needs a non-empty array of strings or numbers`,
      );
    }
    return { field, operator: op, value: value as Scalar[] };
  }
  if (!isScalar(value)) {
    throw new InvalidFilterError(
      `${path}.value`,
      `operator "${op}" needs a string, number or boolean value, got ${describe(value)}`,
    );
  }
  return { field, operator: op, value };
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
