/**
 * The XLSX report, its sheets in the order a manager reads them: "Call back"
 * (the clients to call now), "Summary", "Missed calls", "Employees", for a
 * report of several days "Days" and "Weekdays and hours", then "Hours",
 * "Lines", and "All calls" (continued on numbered sheets past Excel's limit),
 * written by the XLSX engine (../xlsx/) so that a period of a million calls
 * stays within ~100-150 MB of memory. Dates show in the language's one form
 * (format.ts DATE_FORMATS), as in the email. "All calls" is written first, as
 * the calls arrive, and shown last (`writeArrivingWorkbook`).
 *
 * Times in `Call` are wall clock "as if UTC" (calls/call.ts), which is what the
 * serial number wants: 10:00 in the report's zone shows as 10:00.
 */
import { type CallRuns, oneRun } from '../../calls/arriving-calls.ts';
import type { CallList } from '../../calls/call-list.ts';
import { DATE_FORMATS } from '../format.ts';
import { dictionary, type Language } from '../i18n.ts';
import type { MissedCallResolution, Summary } from '../types.ts';
import { writeXlsx, type XlsxResult } from '../xlsx/write-xlsx.ts';
import { CALL_BACK_SHEET } from './call-back-sheet.ts';
import { writeCallsSheet } from './calls-sheet.ts';
import { DAYS_SHEET, severalDays, writeWeekHoursSheet } from './days-sheets.ts';
import { MISSED_SHEET } from './missed-sheet.ts';
import { summarySheet } from './summary-sheet.ts';
import { writeTable } from './table-spec.ts';
import { EMPLOYEES_SHEET, HOURS_SHEET, LINES_SHEET } from './tables.ts';

export interface WorkbookInput {
  /** A writable stream (fs WriteStream, S3 upload PassThrough, ...) or a file path. The stream is ended when done. */
  output: NodeJS.WritableStream | string;
  summary: Summary;
  missed: readonly MissedCallResolution[];
  /**
   * The period's calls (deduplicated), for "All calls", in the order written: a
   * `CallTable` or a view of one, which makes each call when it is written (a
   * million `Call` objects would take ~0.45 GB of heap).
   */
  calls: CallList;
  language: Language;
  /** Called with the running number of data rows written (all sheets), every few thousand rows and at the end. */
  onProgress?: (rowsWritten: number) => void;
  /** Data rows per "All calls" sheet before continuing on the next one; default Excel's limit minus the header. */
  maxRowsPerSheet?: number;
}

/** The same workbook written while the period's calls still arrive (see `writeArrivingWorkbook`). */
export interface ArrivingWorkbookInput extends Omit<WorkbookInput, 'summary' | 'missed' | 'calls'> {
  /** The period's calls for "All calls", in runs in the order written, as they arrive. */
  calls: CallRuns;
  /** The figures, once the whole period is in; awaited after the last run is written. */
  figures: Promise<{ summary: Summary; missed: readonly MissedCallResolution[] }>;
}

export type WorkbookResult = XlsxResult;

/**
 * Writes the XLSX report to a stream or a file and resolves when it is complete
 * (the stream finished, or the file closed). On failure the partial file is
 * removed, or the given stream is destroyed with the error so that an upload
 * reading from it fails instead of storing a truncated file.
 */
export function writeWorkbook(input: WorkbookInput): Promise<WorkbookResult> {
  const { summary, missed, calls, ...rest } = input;
  return writeArrivingWorkbook({
    ...rest,
    calls: oneRun(calls),
    figures: Promise.resolve({ summary, missed }),
  });
}

/**
 * The workbook, its "All calls" rows written as the calls arrive: those
 * sheets are written first (their rows go out, deflated on libuv's pool,
 * while later calls are still fetched and parsed) and shown last; the sheets
 * that need the whole period wait for `figures`. If anything fails, the calls'
 * runs are abandoned, which ends the fetch feeding them.
 */
export async function writeArrivingWorkbook(input: ArrivingWorkbookInput): Promise<WorkbookResult> {
  try {
    const dict = dictionary(input.language);
    const options = {
      output: input.output,
      creator: 'mgf-call-reports',
      onProgress: input.onProgress,
      dates: DATE_FORMATS[input.language],
    };
    return await writeXlsx(options, async (book) => {
      await writeCallsSheet(book, input.calls, dict, input.maxRowsPerSheet);
      book.showLast(book.sheetCount);
      const { summary, missed } = await book.unlessFailed(input.figures);
      const figures = { summary, missed };
      await writeTable(book, CALL_BACK_SHEET, figures, dict);
      const sheet = summarySheet(summary, dict, book.styles, input.language);
      await book.table(dict.sheets.summary, sheet.columns, sheet.rows, {
        title: sheet.title,
        filter: false,
        onePage: true,
      });
      await writeTable(book, MISSED_SHEET, figures, dict);
      await writeTable(book, EMPLOYEES_SHEET, figures, dict);
      if (severalDays(summary)) {
        await writeTable(book, DAYS_SHEET, figures, dict);
        await writeWeekHoursSheet(book, summary.week_hours ?? [], dict);
      }
      await writeTable(book, HOURS_SHEET, figures, dict);
      await writeTable(book, LINES_SHEET, figures, dict);
    });
  } catch (error) {
    input.calls.abandon(error);
    throw error;
  }
}
