/**
 * Writes an XLSX file with exceljs's streaming writer, so that a sheet of a
 * million rows stays within ~100-150 MB of memory (see exceljs
 * lib/stream/xlsx/*.js and archiver): every row is committed as soon as it is
 * added, sheets are written one after another (sheet.ts), the zip's backlog
 * is watched (backpressure.ts), style objects are shared (styles.ts), and the
 * rows of big sheets go in as XML text (row-xml.ts). Empty values in big
 * sheets (`undefined`) create no cell at all. The zip's checksums come from
 * zlib, not JavaScript (native-crc.ts).
 *
 * This module owns the file's life: the destination, its failures, the commit,
 * and the clean-up when anything fails. What goes into the sheets is the
 * caller's `body`.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import WorkbookWriter from 'exceljs/lib/stream/xlsx/workbook-writer.js';
import { XlsxBook } from './book.ts';
import './native-crc.ts';
import type { BookState } from './sheet.ts';
import { type DateFormats, styleSet, useDefaultFont } from './styles.ts';
import { addSheetNames, type Zip } from './zip-patches.ts';

/**
 * Deflate level 1, on purpose. The sheets are repetitive XML that level 1
 * already shrinks ~8x; measured on 200,000 calls (one CPU core): level 1 gives
 * 19.8 MB in 8.0 s, the default level 6 gives 15.7 MB in 9.0 s, level 9 gives
 * 14.9 MB in twice the time. Deflate runs on libuv's pool beside the XML
 * writing, and on a one-vCPU Lambda it competes with it; a slower deflate also
 * means more waiting on backpressure. A quarter bigger file is a fair price:
 * the report is stored in S3 and fetched through a link, not mailed whole.
 */
export const ZIP_LEVEL = 1;

export interface XlsxOptions {
  /** A writable stream (fs WriteStream, S3 upload PassThrough, ...) or a file path. The stream is ended when done. */
  output: NodeJS.WritableStream | string;
  /** The document's author, in its properties. */
  creator: string;
  /** Called with the running number of data rows written (all sheets), every few thousand rows and at the end. */
  onProgress?: (rowsWritten: number) => void;
  /** How dates show (default `DEFAULT_DATES`). */
  dates?: DateFormats;
}

export interface XlsxResult {
  /** Size of the XLSX file in bytes. */
  bytes: number;
  /** Sheet names in order. */
  sheets: string[];
  /** Data rows written over all sheets (header rows not counted). */
  rows: number;
}

/**
 * Puts the sheets in the order they are shown (`XlsxBook.showLast`) before the
 * workbook part and its relations are written from exceljs's list of sheets:
 * the tabs follow that list, and a sheet-local name's `localSheetId` is a
 * position in it. The sheets' parts keep their names (by exceljs's ids).
 */
function inShownOrder(wb: InstanceType<typeof WorkbookWriter>, state: BookState): void {
  const last = state.shownLast;
  const n = state.sheets.length;
  if (last === 0 || last === n) return;
  const writer = wb as unknown as { _worksheets: unknown[] };
  const written = writer._worksheets.filter(Boolean);
  if (written.length !== n) throw new Error(`exceljs holds ${written.length} sheets, the book ${n}`);
  writer._worksheets = [...written.slice(last), ...written.slice(0, last)];
  const shown = (p: number): number => (p < last ? p + n - last : p - last);
  for (const name of state.names) name.sheet = shown(name.sheet);
  // In the order of their sheets, as when the sheets were written in the order shown (a stable sort).
  state.names.sort((a, b) => a.sheet - b.sheet);
  state.sheets = [...state.sheets.slice(last), ...state.sheets.slice(0, last)];
}

/**
 * Writes the sheets `body` adds and resolves when the file is complete (the
 * stream finished, or the file closed). On failure (of `body`, the zip or the
 * destination) the partial file is removed, or the given stream is destroyed
 * with the error so that an upload reading from it fails instead of storing a
 * truncated file.
 */
export async function writeXlsx(
  options: XlsxOptions,
  body: (book: XlsxBook) => Promise<void>,
): Promise<XlsxResult> {
  const ownFile = typeof options.output === 'string' ? options.output : null;
  const output: NodeJS.WritableStream =
    ownFile === null ? (options.output as NodeJS.WritableStream) : createWriteStream(ownFile);

  const wb = new WorkbookWriter({
    stream: output as unknown as import('node:stream').Stream,
    useStyles: true,
    useSharedStrings: false,
    zip: { zlib: { level: ZIP_LEVEL } },
  });
  wb.creator = options.creator;
  useDefaultFont(wb);
  const zip = (wb as unknown as { zip: Zip }).zip;
  const names: BookState['names'] = [];
  addSheetNames(zip, names);

  let failed: { error: unknown } | null = null;
  let reject: (e: unknown) => void = () => {};
  const failure = new Promise<never>((_resolve, rejectWith) => {
    reject = rejectWith;
  });
  failure.catch(() => {});
  const rejectFailure = (error: unknown): void => {
    failed ??= { error };
    state.failed = failed;
    reject(error);
  };
  const onError = (e: unknown): void => rejectFailure(e);
  let outputFinished = false;
  const onFinish = (): void => {
    outputFinished = true;
  };
  const onClose = (): void => {
    if (!outputFinished)
      rejectFailure(new Error('The output stream closed before the workbook was complete'));
  };
  const state: BookState = {
    wb,
    failure,
    failed: null,
    sheets: [],
    shownLast: 0,
    names,
    styles: styleSet(options.dates),
    rows: 0,
    sinceYield: 0,
    reported: 0,
    onProgress: options.onProgress,
  };
  output.on('error', onError);
  output.on('finish', onFinish);
  output.on('close', onClose);
  zip.on('error', onError);

  try {
    await body(new XlsxBook(state));
    inShownOrder(wb, state);
    await Promise.race([wb.commit(), failure]);
    if (ownFile !== null) {
      const file = output as import('node:fs').WriteStream;
      if (!file.closed) await Promise.race([once(file, 'close'), failure]);
    }
  } catch (error) {
    // Later errors from the torn-down streams are expected: keep them from going unhandled.
    const ignore = (): void => {};
    output.on('error', ignore);
    zip.on('error', ignore);
    zip.unpipe(output);
    zip.abort();
    const destroyable = output as NodeJS.WritableStream & { destroy?: (e?: Error) => void };
    destroyable.destroy?.(error instanceof Error ? error : new Error(String(error)));
    if (ownFile !== null) await rm(ownFile, { force: true });
    throw error;
  } finally {
    output.off('error', onError);
    output.off('finish', onFinish);
    output.off('close', onClose);
    zip.off('error', onError);
  }

  state.onProgress?.(state.rows);
  return { bytes: zip.pointer(), sheets: state.sheets, rows: state.rows };
}
