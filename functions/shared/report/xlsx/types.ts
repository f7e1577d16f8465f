/** The words of the XLSX engine: how a value shows, what a column and a row are. */
import type ExcelJS from 'exceljs';

/**
 * How a value is shown; `change` is a signed difference whose format is chosen
 * per cell; `link` a `Formula` (a HYPERLINK) shown as a link; `minute` a date
 * and time to the minute.
 */
export type Kind =
  | 'text'
  | 'link'
  | 'id'
  | 'count'
  | 'number'
  | 'date'
  | 'datetime'
  | 'minute'
  | 'duration'
  | 'rate'
  | 'change';

export const KINDS: readonly Kind[] = [
  'text',
  'link',
  'id',
  'count',
  'number',
  'date',
  'datetime',
  'minute',
  'duration',
  'rate',
  'change',
];

export type Style = Partial<ExcelJS.Style>;

/** A formula cell with its text result (what readers show before they recalculate). */
export interface Formula {
  formula: string;
  result: string;
}

/** A cell's value: `null` an empty cell (which keeps its style), `undefined` no cell at all. */
export type Value = string | number | Formula | null | undefined;

export interface ColumnSpec {
  header: string;
  kind: Kind;
  /** Overrides the width cap for this column. */
  maxWidth?: number;
  /** A fixed width (characters), whatever the header and the values. */
  width?: number;
}

export interface TableRow {
  values: readonly Value[];
  /** Styles per cell; the columns' ordinary styles when absent. */
  styles?: readonly Style[];
  /** How each cell shows, when it differs from its column's kind (a column that mixes kinds). */
  kinds?: readonly Kind[];
}
