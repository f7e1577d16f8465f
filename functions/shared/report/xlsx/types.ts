/** The words of the XLSX engine: how a value shows, what a column and a row are. */
import type ExcelJS from 'exceljs';

/** How a value is shown; `change` is a signed difference whose format is chosen per cell. */
export type Kind = 'text' | 'id' | 'count' | 'number' | 'date' | 'datetime' | 'duration' | 'rate' | 'change';

export const KINDS: readonly Kind[] = [
  'text',
  'id',
  'count',
  'number',
  'date',
  'datetime',
  'duration',
  'rate',
  'change',
];

export type Style = Partial<ExcelJS.Style>;

/** A cell's value: `null` an empty cell (which keeps its style), `undefined` no cell at all. */
export type Value = string | number | null | undefined;

export interface ColumnSpec {
  header: string;
  kind: Kind;
  /** Overrides the width cap for this column. */
  maxWidth?: number;
}

export interface TableRow {
  values: readonly Value[];
  /** Styles per cell; the columns' ordinary styles when absent. */
  styles?: readonly Style[];
  /** How each cell shows, when it differs from its column's kind (a column that mixes kinds). */
  kinds?: readonly Kind[];
}
