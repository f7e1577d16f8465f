/**
 * One sheet being written: opened with its title line (if any) and its frozen,
 * bold header row, set up for print (page.ts), filled row by row (each row
 * committed as soon as it is added), closed with an autoFilter over the table
 * (unless the layout says none). Sheets are written one after another (a sheet
 * is closed before the next is opened), so the zip is fed one entry at a time.
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
import { pageSetup, printFooter } from './page.ts';
import { columnLetter, RowXml } from './row-xml.ts';
import { safeSheetName } from './sheet-name.ts';
import type { StyleSet } from './styles.ts';
import type { ColumnSpec, Style, Value } from './types.ts';
import { headerLines } from './widths.ts';
import { filterRange, rowsRange, type SheetName } from './zip-patches.ts';

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
  /** Sheet names in the order written (put in the order shown at the end, `shownLast`). */
  sheets: string[];
  /** How many of the sheets written first are shown after all the others (see `XlsxBook.showLast`). */
  shownLast: number;
  /** The sheets' autoFilter ranges and print titles, added to the workbook part at the end. */
  names: SheetName[];
  /** The workbook's styles (its date formats). */
  styles: StyleSet;
  /** Data rows written over all sheets. */
  rows: number;
  sinceYield: number;
  /** Rows when progress was last reported. */
  reported: number;
  onProgress: ((rowsWritten: number) => void) | undefined;
}

/** How a sheet is laid out; every part optional. */
export interface SheetLayout {
  /** A title line above the header row (the header then is row 2). */
  title?: string;
  /** An autoFilter over the table (default true). */
  filter?: boolean;
  /** Columns frozen at the left, beside the frozen header (default 0). */
  freezeColumns?: number;
  /** Printed on one page tall too, not only one page wide (default false). */
  onePage?: boolean;
}

export class SheetWriter {
  readonly sheet: ExcelJS.Worksheet;
  readonly columns: readonly ColumnSpec[];
  /** The ordinary per-column styles (shared objects). */
  readonly styles: Style[];
  /** Data rows written. */
  rows = 0;
  /** The header's row number (1, or 2 under a title). */
  readonly headerRow: number;
  private readonly book: BookState;
  private readonly filter: boolean;
  /** Set for a sheet whose data rows are written as XML text (`putXml`). */
  private readonly xml: RowXml | undefined;

  /**
   * Opens a sheet: frozen header row (and columns), print setup (set at
   * creation, as the streaming writer needs), column widths and styles (before
   * the first row is committed), the title line and the bold header row.
   * `xml`: the data rows go in as XML text (`putXml`).
   */
  constructor(
    book: BookState,
    name: string,
    columns: readonly ColumnSpec[],
    widths: readonly number[],
    xml: boolean,
    layout: SheetLayout = {},
  ) {
    this.book = book;
    this.columns = columns;
    this.filter = layout.filter !== false;
    const headerRow = layout.title === undefined ? 1 : 2;
    this.headerRow = headerRow;
    const frozen = Math.max(0, Math.min(columns.length - 1, layout.freezeColumns ?? 0));
    const sheetName = safeSheetName(name);
    const topLeft = `${columnLetter(frozen + 1)}${headerRow + 1}`;
    const sheet = book.wb.addWorksheet(sheetName, {
      views: [
        {
          state: 'frozen',
          xSplit: frozen,
          ySplit: headerRow,
          topLeftCell: topLeft,
          activeCell: topLeft,
        },
      ],
      // Our font's height (Arial 10), not Calibri 11's: LibreOffice lays empty rows out by it.
      properties: { defaultRowHeight: 12.75 },
      pageSetup: pageSetup(layout.onePage === true),
      headerFooter: printFooter(),
    });
    book.sheets.push(sheetName);
    const position = book.sheets.length - 1;
    book.names.push({ name: '_xlnm.Print_Titles', sheet: position, range: rowsRange(sheetName, headerRow) });
    const set = book.styles;
    const styles = columns.map((c) => set.plain[c.kind]);
    sheet.columns = columns.map((_c, i) => ({ width: widths[i], style: styles[i] }));

    if (layout.title !== undefined) {
      const title = sheet.addRow([layout.title]);
      const cell = title.findCell(1);
      if (cell) cell.style = set.title;
      title.height = 22;
      title.commit();
    }
    const header = sheet.addRow(columns.map((c) => c.header));
    let lines = 1;
    for (let i = 0; i < columns.length; i++) {
      const cell = header.findCell(i + 1);
      if (cell) cell.style = set.header;
      lines = Math.max(lines, headerLines((columns[i] as ColumnSpec).header, widths[i] as number));
    }
    header.height = 13 * lines;
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
    const handedOn = (this.xml as RowXml).row(this.rows + this.headerRow + 1, values, styles);
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

  /** The first and last data row numbers (the last below the first when there are none). */
  get dataRows(): { first: number; last: number } {
    return { first: this.headerRow + 1, last: this.headerRow + this.rows };
  }

  /** Puts the autoFilter over the table (unless the layout says none) and commits the sheet. */
  close(): void {
    this.xml?.flush();
    if (this.filter) {
      const last = this.rows + this.headerRow;
      this.sheet.autoFilter = {
        from: { row: this.headerRow, column: 1 },
        to: { row: last, column: this.columns.length },
      };
      const lastColumn = this.sheet.getColumn(this.columns.length).letter;
      this.book.names.push({
        name: '_xlnm._FilterDatabase',
        sheet: this.book.sheets.length - 1,
        range: filterRange(this.sheet.name, lastColumn, this.headerRow, last),
      });
    }
    this.sheet.commit();
  }
}
