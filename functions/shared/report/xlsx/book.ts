/** The workbook being written, as the sheet specs see it: tables, and sheets continued past Excel's limit. */
import { ContinuedSheet } from './continued-sheet.ts';
import { columnLetter } from './row-xml.ts';
import { type BookState, SheetWriter } from './sheet.ts';
import { greenToRedScale } from './styles.ts';
import type { ColumnSpec, TableRow } from './types.ts';
import { measureWidths } from './widths.ts';

export interface TableOptions {
  /** The rows' cells all carry a style (`styles` of full width, or none): write them as XML text. */
  xml?: boolean;
  /** A column (0-based) whose data cells get a green (low) to red (high) colour scale. */
  colourScale?: number;
}

export class XlsxBook {
  private readonly state: BookState;

  constructor(state: BookState) {
    this.state = state;
  }

  /** Writes a sheet whose rows are all in memory, with widths fitted to every row. */
  async table(
    name: string,
    columns: readonly ColumnSpec[],
    rows: readonly TableRow[],
    options: TableOptions = {},
  ): Promise<void> {
    const xml = options.xml === true;
    const h = new SheetWriter(this.state, name, columns, measureWidths(columns, rows), xml);
    if (options.colourScale !== undefined && rows.length > 0) {
      // exceljs's streaming writer writes conditional formatting when the sheet is committed.
      const column = columnLetter(options.colourScale + 1);
      h.sheet.addConditionalFormatting(greenToRedScale(`${column}2:${column}${rows.length + 1}`));
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
