/** The workbook being written, as the sheet specs see it: tables, and sheets continued past Excel's limit. */
import { ContinuedSheet } from './continued-sheet.ts';
import { columnLetter } from './row-xml.ts';
import { type BookState, type SheetLayout, SheetWriter } from './sheet.ts';
import { greenToRedScale, type StyleSet } from './styles.ts';
import type { ColumnSpec, TableRow } from './types.ts';
import { measureWidths } from './widths.ts';

export interface TableOptions extends SheetLayout {
  /** The rows' cells all carry a style (`styles` of full width, or none): write them as XML text. */
  xml?: boolean;
  /**
   * Columns (0-based) whose data cells get a green (low) to red (high) colour
   * scale: one column, or the first and last of a block (a heatmap). Blank
   * cells stay blank.
   */
  colourScale?: number | readonly [first: number, last: number];
}

export class XlsxBook {
  private readonly state: BookState;

  constructor(state: BookState) {
    this.state = state;
  }

  /**
   * `waiting`, or the book's failure (the zip's or the destination's) should it
   * come first: for the few long waits between rows (the next calls, the
   * figures), so that a destination that failed is known at once.
   */
  unlessFailed<T>(waiting: Promise<T>): Promise<T> {
    return Promise.race([waiting, this.state.failure]);
  }

  /** Sheets written so far. */
  get sheetCount(): number {
    return this.state.sheets.length;
  }

  /**
   * The first `count` sheets written are shown after all the others, in the
   * order written: a sheet whose rows go out while the rest of the workbook
   * still waits (the "All calls" rows, written as the calls arrive) is
   * written first and shown last. The tabs, the sheet names and the
   * sheet-local names follow the order shown; the order of the parts inside
   * the zip does not matter to Excel or LibreOffice.
   */
  showLast(count: number): void {
    this.state.shownLast = Math.max(0, Math.min(count, this.state.sheets.length));
  }

  /** The workbook's styles (with its date formats). */
  get styles(): StyleSet {
    return this.state.styles;
  }

  /** Writes a sheet whose rows are all in memory, with widths fitted to every row. */
  async table(
    name: string,
    columns: readonly ColumnSpec[],
    rows: readonly TableRow[],
    options: TableOptions = {},
  ): Promise<void> {
    const xml = options.xml === true;
    const h = new SheetWriter(this.state, name, columns, measureWidths(columns, rows), xml, options);
    const scale = options.colourScale;
    if (scale !== undefined && rows.length > 0) {
      // exceljs's streaming writer writes conditional formatting when the sheet is committed.
      const [first, last] = typeof scale === 'number' ? [scale, scale] : scale;
      const { first: top, last: bottom } = { first: h.headerRow + 1, last: h.headerRow + rows.length };
      const ref = `${columnLetter(first + 1)}${top}:${columnLetter(last + 1)}${bottom}`;
      h.sheet.addConditionalFormatting(greenToRedScale(ref));
    }
    for (const r of rows) {
      const styles = r.styles ?? h.styles;
      if (xml ? h.putXml(r.values, styles) : h.put(r.values, styles)) await h.breathe();
    }
    h.close();
  }

  /**
   * Opens a sheet of many rows (written as XML text, read once: widths come
   * from the `widths` given), continued on numbered sheets past
   * `maxRowsPerSheet` rows (default and most: Excel's limit).
   */
  continued(
    name: string,
    columns: readonly ColumnSpec[],
    widths: readonly number[],
    maxRowsPerSheet?: number,
  ): ContinuedSheet {
    return new ContinuedSheet(this.state, name, columns, widths, maxRowsPerSheet);
  }
}
