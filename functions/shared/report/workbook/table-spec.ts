/**
 * A table sheet said in a few lines: where its name and headers are in the
 * dictionary, where its rows come from, and per column how it shows and what
 * it holds. `writeTable` turns a spec into a sheet of the XLSX engine.
 */
import type { Dictionary } from '../i18n.ts';
import type { MissedCallResolution, Summary } from '../types.ts';
import type { XlsxBook } from '../xlsx/book.ts';
import { BAD_STRONG_STYLE, BAD_STYLE } from '../xlsx/styles.ts';
import type { ColumnSpec, Kind, Style, TableRow, Value } from '../xlsx/types.ts';

type Headers = Dictionary['columns'];

/** What the tables are made from. */
export interface TableSource {
  summary: Summary;
  missed: readonly MissedCallResolution[];
}

export interface TableColumn<R, H extends keyof Headers> {
  /** The header's key in `dict.columns[spec.headers]`. */
  header: keyof Headers[H];
  kind: Kind;
  value: (row: R, dict: Dictionary) => Value;
}

export interface TableSpec<R, H extends keyof Headers> {
  /** The sheet's name's key in `dict.sheets`. */
  sheet: keyof Dictionary['sheets'];
  /** Where the column headers are: `dict.columns[headers]`. */
  headers: H;
  rows: (source: TableSource) => readonly R[];
  columns: readonly TableColumn<R, H>[];
  /** A column whose cells get a green (low) to red (high) colour scale. */
  colourScale?: keyof Headers[H];
  /** Rows that need attention: filled light red, the `strong` column in bold dark red. */
  alarm?: { when: (row: R) => boolean; strong: keyof Headers[H] };
  /** Many rows: written as XML text (every cell carries a style). */
  xml?: boolean;
}

/** A spec, typed (the row type is inferred from `rows`). */
export function tableSpec<R, H extends keyof Headers>(spec: TableSpec<R, H>): TableSpec<R, H> {
  return spec;
}

export async function writeTable<R, H extends keyof Headers>(
  book: XlsxBook,
  spec: TableSpec<R, H>,
  source: TableSource,
  dict: Dictionary,
): Promise<void> {
  const headers = dict.columns[spec.headers];
  const columns: ColumnSpec[] = spec.columns.map((c) => ({
    header: headers[c.header] as string,
    kind: c.kind,
  }));
  const position = (key: keyof Headers[H] | undefined): number =>
    key === undefined ? -1 : spec.columns.findIndex((c) => c.header === key);
  const strong = position(spec.alarm?.strong);
  const alarmStyles: Style[] = spec.columns.map((c, i) =>
    i === strong ? BAD_STRONG_STYLE[c.kind] : BAD_STYLE[c.kind],
  );
  const alarm = spec.alarm?.when;
  const rows = spec.rows(source).map((r): TableRow => {
    const values = spec.columns.map((c) => c.value(r, dict));
    return alarm?.(r) ? { values, styles: alarmStyles } : { values };
  });
  const scale = position(spec.colourScale);
  await book.table(dict.sheets[spec.sheet], columns, rows, {
    xml: spec.xml === true,
    ...(scale >= 0 ? { colourScale: scale } : {}),
  });
}
