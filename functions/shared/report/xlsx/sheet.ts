/**
 * One sheet being written: opened with its frozen, bold header row, filled row
 * by row (each row committed as soon as it is added), closed with an
 * autoFilter over the table. Sheets are written one after another (a sheet is
 * closed before the next is opened), so the zip is fed one entry at a time.
 *
 * Every `YIELD_EVERY` rows (and after every 16 KB of rows written as XML text)
 * the writer `breathe`s: it gives the event loop a turn and waits while the zip
 * is behind (backpressure.ts). The frequent turns matter: deflate runs on
 * libuv's pool but takes its next chunk only when the event loop comes round,
 * so a long stretch of row building leaves it idle and the two take turns
 * instead of running side by side (a million rows: ~12 s → ~8 s).
 */
import type ExcelJS from 'exceljs';
import { drained } from './backpressure.ts';
import { RowXml } from './row-xml.ts';
import { safeSheetName } from './sheet-name.ts';
import { HEADER_STYLE, STYLE } from './styles.ts';
import type { ColumnSpec, Style, Value } from './types.ts';
import { headerLines } from './widths.ts';
import { filterRange } from './zip-patches.ts';

/** Give the event loop a turn (and check the zip's backlog) every this many rows. */
const YIELD_EVERY = 1000;
/** Report progress every this many rows. */
const PROGRESS_EVERY = 1000;

/** What the sheets of one workbook share. */
export interface BookState {
  wb: ExcelJS.stream.xlsx.WorkbookWriter;
  /** Rejects when the zip or the destination fails. */
  failure: Promise<never>;
  /** Set when the zip or the destination failed (`failure` rejects then, too). */
  failed: { error: unknown } | null;
  /** Sheet names in order. */
  sheets: string[];
  /** Each sheet's autoFilter range, as `'Sheet'!$A$1:$E$25` (sheet order). */
  filters: string[];
  /** Data rows written over all sheets. */
  rows: number;
  sinceYield: number;
  /** Rows when progress was last reported. */
  reported: number;
  onProgress: ((rowsWritten: number) => void) | undefined;
}

export class SheetWriter {
  readonly sheet: ExcelJS.Worksheet;
  readonly columns: readonly ColumnSpec[];
  /** The ordinary per-column styles (shared objects). */
  readonly styles: Style[];
  /** Data rows written. */
  rows = 0;
  private readonly book: BookState;
  /** Set for a sheet whose data rows are written as XML text (`putXml`). */
  private readonly xml: RowXml | undefined;

  /**
   * Opens a sheet: frozen header row (set at creation, as the streaming writer
   * needs), column widths and styles (before the first row is committed), and
   * the bold header row. `xml`: the data rows go in as XML text (`putXml`).
   */
  constructor(
    book: BookState,
    name: string,
    columns: readonly ColumnSpec[],
    widths: readonly number[],
    xml: boolean,
  ) {
    this.book = book;
    this.columns = columns;
    const sheetName = safeSheetName(name);
    const sheet = book.wb.addWorksheet(sheetName, {
      views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
    });
    book.sheets.push(sheetName);
    const styles = columns.map((c) => STYLE[c.kind]);
    sheet.columns = columns.map((_c, i) => ({ width: widths[i], style: styles[i] }));

    const header = sheet.addRow(columns.map((c) => c.header));
    let lines = 1;
    for (let i = 0; i < columns.length; i++) {
      const cell = header.findCell(i + 1);
      if (cell) cell.style = HEADER_STYLE;
      lines = Math.max(lines, headerLines((columns[i] as ColumnSpec).header, widths[i] as number));
    }
    header.height = 15 * lines;
    header.commit();
    this.sheet = sheet;
    this.styles = styles;
    this.xml = xml ? new RowXml(book.wb, sheet, columns.length) : undefined;
  }

  /** Adds and commits one data row through exceljs; true when it is time to `breathe`. */
  put(values: readonly Value[], styles: readonly Style[]): boolean {
    const row = this.sheet.addRow(values as ExcelJS.CellValue[]);
    for (let i = 0; i < styles.length; i++) {
      const cell = row.findCell(i + 1);
      if (cell) cell.style = styles[i] as Style;
    }
    row.commit();
    this.rows++;
    this.book.rows++;
    return ++this.book.sinceYield >= YIELD_EVERY;
  }

  /**
   * Adds one data row as XML text (see `RowXml`; every cell must carry a style:
   * `styles` of full width); true when it is time to `breathe`.
   */
  putXml(values: readonly Value[], styles: readonly Style[]): boolean {
    const handedOn = (this.xml as RowXml).row(this.rows + 2, values, styles);
    this.rows++;
    this.book.rows++;
    return ++this.book.sinceYield >= YIELD_EVERY || handedOn;
  }

  /** Hands on the XML gathered, reports progress, gives the event loop a turn, waits for the zip. */
  async breathe(): Promise<void> {
    const book = this.book;
    this.xml?.flush();
    book.sinceYield = 0;
    if (book.rows - book.reported >= PROGRESS_EVERY) {
      book.reported = book.rows;
      book.onProgress?.(book.rows);
    }
    // Not raced with `failure`: a race with a promise that never settles keeps
    // every racer alive, and this runs tens of thousands of times.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (book.failed) throw book.failed.error;
    await drained(this.sheet, book.failure);
  }

  /** Puts the autoFilter over the table and commits the sheet. */
  close(): void {
    this.xml?.flush();
    const last = this.rows + 1;
    this.sheet.autoFilter = {
      from: { row: 1, column: 1 },
      to: { row: last, column: this.columns.length },
    };
    const lastColumn = this.sheet.getColumn(this.columns.length).letter;
    this.book.filters.push(filterRange(this.sheet.name, lastColumn, last));
    this.sheet.commit();
  }
}
