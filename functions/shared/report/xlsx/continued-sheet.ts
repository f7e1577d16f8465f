/**
 * A table longer than a sheet holds: continued on "Name 2", "Name 3"... past
 * `maxRowsPerSheet` data rows (at most Excel's limit), each sheet with the same
 * header and widths. Rows are written as XML text.
 */
import { type BookState, SheetWriter } from './sheet.ts';
import type { ColumnSpec, Value } from './types.ts';

/** Excel's 1,048,576 rows minus the header row. */
export const EXCEL_MAX_DATA_ROWS = 1_048_575;

export class ContinuedSheet {
  private readonly book: BookState;
  private readonly name: string;
  private readonly columns: readonly ColumnSpec[];
  private readonly widths: readonly number[];
  private readonly perSheet: number;
  private part = 1;
  private current: SheetWriter;

  constructor(
    book: BookState,
    name: string,
    columns: readonly ColumnSpec[],
    widths: readonly number[],
    maxRowsPerSheet: number | undefined,
  ) {
    this.book = book;
    this.name = name;
    this.columns = columns;
    this.widths = widths;
    this.perSheet = Math.max(
      1,
      Math.min(EXCEL_MAX_DATA_ROWS, Math.floor(maxRowsPerSheet ?? EXCEL_MAX_DATA_ROWS)),
    );
    this.current = new SheetWriter(book, name, columns, widths, true);
  }

  /** Adds one row in the columns' styles (on the next sheet when this one is full); true when it is time to `breathe`. */
  add(values: readonly Value[]): boolean {
    let h = this.current;
    if (h.rows >= this.perSheet) {
      h.close();
      this.part++;
      h = new SheetWriter(this.book, `${this.name} ${this.part}`, this.columns, this.widths, true);
      this.current = h;
    }
    return h.putXml(values, h.styles);
  }

  breathe(): Promise<void> {
    return this.current.breathe();
  }

  close(): void {
    this.current.close();
  }
}
