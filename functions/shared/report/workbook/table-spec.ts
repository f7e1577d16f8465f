/**
 * A table sheet said in a few lines: where its name and headers are in the
 * dictionary, where its rows come from, and per column how it shows and what
 * it holds. `writeTable` turns a spec into a sheet of the XLSX engine.
 */
import type { Dictionary } from '../i18n.ts';
import type { MissedCallResolution, Summary } from '../types.ts';
import type { XlsxBook } from '../xlsx/book.ts';
import type { StyleSet } from '../xlsx/styles.ts';
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
  /** A cap on the column's width (characters), below the engine's own. */
  maxWidth?: number;
}

/** How a row stands out: needs attention (red), less urgently (amber), or weighs less (grey). */
export type RowTone = 'bad' | 'warn' | 'muted';

export interface TableSpec<R, H extends keyof Headers> {
  /** The sheet's name's key in `dict.sheets`. */
  sheet: keyof Dictionary['sheets'];
  /** Where the column headers are: `dict.columns[headers]`. */
  headers: H;
  rows: (source: TableSource) => readonly R[];
  columns: readonly TableColumn<R, H>[];
  /** A column whose cells get a green (low) to red (high) colour scale (blank cells stay blank). */
  colourScale?: keyof Headers[H];
  /**
   * Rows that stand out, by `of`: a red or amber row has its `strong` column in
   * bold dark red or amber, and the rest of it filled light (`whole`) or plain;
   * a grey row is grey throughout.
   */
  tone?: { of: (row: R) => RowTone | null; strong?: keyof Headers[H]; whole?: boolean };
  /** Many rows: written as XML text (every cell carries a style). */
  xml?: boolean;
  /** Columns frozen at the left beside the header (default 0). */
  freezeColumns?: number;
}

/** A spec, typed (the row type is inferred from `rows`). */
export function tableSpec<R, H extends keyof Headers>(spec: TableSpec<R, H>): TableSpec<R, H> {
  return spec;
}

/** Each tone's cell styles, in column order. */
function toneStyles<R, H extends keyof Headers>(
  spec: TableSpec<R, H>,
  set: StyleSet,
): Record<RowTone, Style[]> {
  const strong = spec.columns.findIndex((c) => c.header === spec.tone?.strong);
  const whole = spec.tone?.whole === true;
  const of = (fill: Record<Kind, Style>, bold: Record<Kind, Style>): Style[] =>
    spec.columns.map((c, i) => (i === strong ? bold : whole ? fill : set.plain)[c.kind]);
  return {
    bad: of(set.bad, set.badStrong),
    warn: of(set.warn, set.warnStrong),
    // The colour-scaled cell keeps its dark text: grey on the scale's red would not read.
    muted: spec.columns.map((c) => (c.header === spec.colourScale ? set.plain : set.muted)[c.kind]),
  };
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
    ...(c.maxWidth === undefined ? {} : { maxWidth: c.maxWidth }),
  }));
  const tones = toneStyles(spec, book.styles);
  const toneOf = spec.tone?.of;
  const rows = spec.rows(source).map((r): TableRow => {
    const values = spec.columns.map((c) => c.value(r, dict));
    const tone = toneOf?.(r) ?? null;
    return tone === null ? { values } : { values, styles: tones[tone] };
  });
  const scale = spec.columns.findIndex((c) => c.header === spec.colourScale);
  await book.table(dict.sheets[spec.sheet], columns, rows, {
    xml: spec.xml === true,
    ...(scale >= 0 ? { colourScale: scale } : {}),
    ...(spec.freezeColumns ? { freezeColumns: spec.freezeColumns } : {}),
  });
}
