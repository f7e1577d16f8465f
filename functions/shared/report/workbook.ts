/**
 * The XLSX report, written with exceljs's streaming writer so that a period of
 * a million calls stays within ~100-150 MB of memory.
 *
 * How memory is kept flat (see exceljs lib/stream/xlsx/*.js and archiver):
 * - every row is committed as soon as it is added, and sheets are written one
 *   after another (a sheet is committed before the next is opened), so the zip
 *   is fed one entry at a time;
 * - exceljs writes a sheet's XML into a PassThrough that archiver consumes, and
 *   it ignores that stream's backpressure. Every `YIELD_EVERY` rows (and after
 *   every 16 KB of rows written as XML text) we give the event loop a turn and,
 *   when that PassThrough holds more than `MAX_PENDING_BYTES` (because deflate
 *   or the destination is slower than we are), wait for it to drain.
 *   Backpressure from the destination travels back to that PassThrough through
 *   archiver's ordinary pipes. The frequent turns matter: deflate runs on
 *   libuv's pool but takes its next chunk only when the event loop comes round,
 *   so a long stretch of row building leaves it idle and the two take turns
 *   instead of running side by side (a million rows: ~12 s → ~8 s);
 * - style objects are made once per sheet column and shared by every cell:
 *   exceljs caches a style's id by object identity (a WeakMap), so a shared
 *   object costs one lookup instead of rendering style XML for every cell;
 * - dates are written as Excel serial numbers with a date format, which is
 *   exactly what exceljs writes for a Date (no Date object per cell), and empty
 *   values in big sheets create no cell at all;
 * - the rows of the two big sheets ("All calls", "Missed calls") do not go
 *   through exceljs's Row and Cell objects (~30 µs a row of 27 cells): their XML
 *   is written straight into the sheet's part, byte for byte what exceljs would
 *   write (`RowXml`, ~3 µs a row); exceljs still writes everything around them
 *   (the part's head with columns and frozen pane, the header row, the
 *   autoFilter, styles, the workbook).
 *
 * Times in `Call` are wall clock "as if UTC" (calls/call.ts), which is what the
 * serial number wants: 10:00 in the report's zone shows as 10:00.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Call, Labelled } from '../calls/call.ts';
import { type CallList, readCall, scratchCall } from '../calls/table.ts';
import { parseWall, toWall } from '../time.ts';
import { type Dictionary, dictionary, type FigureText, fill, type Language } from './i18n.ts';
import type { MissedCallResolution, Summary, Totals } from './types.ts';

export interface WorkbookInput {
  /** A writable stream (fs WriteStream, S3 upload PassThrough, ...) or a file path. The stream is ended when done. */
  output: NodeJS.WritableStream | string;
  summary: Summary;
  missed: readonly MissedCallResolution[];
  /**
   * The period's calls (deduplicated), for "All calls": an array or another
   * `CallList` (such as a view of a `CallTable`, which makes each call when it
   * is written: a million `Call` objects would take ~0.45 GB of heap), or any
   * iterable / async iterable read once in order.
   */
  calls: CallList | Iterable<Call> | AsyncIterable<Call>;
  language: Language;
  /** Called with the running number of data rows written (all sheets), every few thousand rows and at the end. */
  onProgress?: (rowsWritten: number) => void;
  /** Data rows per "All calls" sheet before continuing on the next one; default Excel's limit minus the header. */
  maxRowsPerSheet?: number;
}

export interface WorkbookResult {
  /** Size of the XLSX file in bytes. */
  bytes: number;
  /** Sheet names in order. */
  sheets: string[];
  /** Data rows written over all sheets (header rows not counted). */
  rows: number;
}

/** Excel's 1,048,576 rows minus the header row. */
export const EXCEL_MAX_DATA_ROWS = 1_048_575;

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

/** Give the event loop a turn (and check the zip's backlog) every this many rows. */
const YIELD_EVERY = 1000;
/** Report progress every this many rows. */
const PROGRESS_EVERY = 1000;
/** Wait for the sheet's zip input to drain when more than this is queued. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;
/** Rows of "All calls" looked at to size its columns. */
const WIDTH_SAMPLE = 2000;
const MAX_WIDTH = 60;
const MIN_WIDTH = 6;
/** Excel's limit on the text of one cell. */
const MAX_CELL_TEXT = 32_767;

// ---------------------------------------------------------------------------
// Formats and shared styles

/** How a value is shown; `change` is the summary's signed difference (its format is chosen per row). */
type Kind = 'text' | 'id' | 'count' | 'number' | 'date' | 'datetime' | 'duration' | 'rate' | 'change';

export const NUM_FMT = {
  id: '0',
  count: '#,##0',
  date: 'dd.mm.yyyy',
  datetime: 'dd.mm.yyyy hh:mm:ss',
  duration: '[h]:mm:ss',
  rate: '0.0%',
} as const;

const FORMAT_OF: Record<Kind, string | undefined> = {
  text: undefined,
  id: NUM_FMT.id,
  count: NUM_FMT.count,
  number: undefined,
  date: NUM_FMT.date,
  datetime: NUM_FMT.datetime,
  duration: NUM_FMT.duration,
  rate: NUM_FMT.rate,
  change: undefined,
};

/** Width (characters) a value of this kind takes when shown; null when it depends on the value. */
const SHOWN_WIDTH: Record<Kind, number | null> = {
  text: null,
  id: null,
  count: null,
  number: null,
  date: 10,
  datetime: 19,
  duration: 9,
  rate: 6,
  change: 12,
};

type Style = Partial<ExcelJS.Style>;

const BAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const BAD_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FF9C0006' } };
const BOLD: Partial<ExcelJS.Font> = { bold: true };
const HEADER_STYLE: Style = {
  font: BOLD,
  fill: HEADER_FILL,
  alignment: { vertical: 'top', wrapText: true },
};
const TITLE_STYLE: Style = { font: { bold: true, size: 14 } };

/** One shared style object per kind (and per variant), so exceljs resolves each once. */
const STYLE: Record<Kind, Style> = mapKinds((k) => (FORMAT_OF[k] ? { numFmt: FORMAT_OF[k] } : {}));
const BAD_STYLE: Record<Kind, Style> = mapKinds((k) => ({ ...STYLE[k], fill: BAD_FILL }));
const BAD_STRONG_STYLE: Record<Kind, Style> = mapKinds((k) => ({ ...BAD_STYLE[k], font: BAD_FONT }));
const BOLD_STYLE: Record<Kind, Style> = mapKinds((k) => ({ ...STYLE[k], font: BOLD }));

function mapKinds(f: (k: Kind) => Style): Record<Kind, Style> {
  const kinds: Kind[] = ['text', 'id', 'count', 'number', 'date', 'datetime', 'duration', 'rate', 'change'];
  return Object.fromEntries(kinds.map((k) => [k, f(k)])) as Record<Kind, Style>;
}

/** Colour scale for a missed-rate column: low green, middle yellow, high red. */
function missedRateScale(ref: string): ExcelJS.ConditionalFormattingOptions {
  return {
    ref,
    rules: [
      {
        type: 'colorScale',
        priority: 1,
        cfvo: [{ type: 'min' }, { type: 'percentile', value: 50 }, { type: 'max' }],
        color: [{ argb: 'FF63BE7B' }, { argb: 'FFFFEB84' }, { argb: 'FFF8696B' }],
      },
    ],
  };
}

// ---------------------------------------------------------------------------
// Values

type Value = string | number | null | undefined;

/** A wall instant (ms "as if UTC") as an Excel serial date, computed as exceljs does for a Date. */
export function excelDate(wallMs: number): number {
  return wallMs / 24 / 3600 / 1000 + 25569;
}

/** Seconds as a fraction of a day, for the `[h]:mm:ss` format. */
export function excelDuration(seconds: number): number {
  return seconds / 86400;
}

function dateOrNull(wallMs: number | null | undefined): number | null {
  return wallMs == null ? null : excelDate(wallMs);
}

function durationOrNull(seconds: number | null | undefined): number | null {
  return seconds == null ? null : excelDuration(seconds);
}

function text(s: string | null | undefined): string | null {
  if (s == null || s === '') return null;
  return s.length > MAX_CELL_TEXT ? s.slice(0, MAX_CELL_TEXT) : s;
}

function joined(list: readonly string[]): string | null {
  return list.length === 0 ? null : text(list.join(', '));
}

function yesNo(value: Labelled | null, dict: Dictionary): string | null {
  if (value === null) return null;
  const id = value.id.toLowerCase();
  if (id === 'true' || id === '1' || id === 'yes') return dict.words.yes;
  if (id === 'false' || id === '0' || id === 'no') return dict.words.no;
  return text(value.label);
}

/** Excel refuses `* ? : \ / [ ]` in sheet names, a leading/trailing apostrophe and more than 31 characters. */
export function safeSheetName(name: string): string {
  const cleaned = name
    .replace(/[*?:\\/[\]]/g, '_')
    .replace(/^'+|'+$/g, '')
    .slice(0, 31);
  return cleaned === '' ? 'Sheet' : cleaned;
}

// ---------------------------------------------------------------------------
// Column widths

function shownWidth(value: Value, kind: Kind): number {
  if (value == null) return 0;
  const fixed = SHOWN_WIDTH[kind];
  if (fixed !== null) return fixed;
  if (typeof value === 'number') {
    const digits = String(Math.round(value)).length;
    return kind === 'count' ? digits + Math.floor((digits - 1) / 3) : String(value).length;
  }
  let longest = 0;
  for (const line of value.split('\n')) longest = Math.max(longest, line.length);
  return longest;
}

/** The narrowest width (at least 12) at which a header wraps onto no more than two lines. */
function headerWidth(header: string): number {
  const longestWord = Math.max(...header.split(/\s+/).map((w) => w.length));
  let width = Math.min(header.length, Math.max(longestWord, 12));
  while (width < header.length && headerLines(header, width + 2) > 2) width++;
  return width;
}

/** Lines a header takes when wrapped greedily at `width` characters. */
function headerLines(header: string, width: number): number {
  const room = Math.max(1, width - 1);
  let lines = 1;
  let used = 0;
  for (const word of header.split(/\s+/)) {
    const need = used === 0 ? word.length : used + 1 + word.length;
    if (need <= room || used === 0) used = need;
    else {
      lines++;
      used = word.length;
    }
  }
  return lines;
}

// ---------------------------------------------------------------------------
// Writing sheets

interface ColumnSpec {
  header: string;
  kind: Kind;
  /** Overrides the width cap for this column. */
  maxWidth?: number;
}

interface Context {
  wb: ExcelJS.stream.xlsx.WorkbookWriter;
  dict: Dictionary;
  /** Rejects when the zip or the destination fails. */
  failure: Promise<never>;
  sheets: string[];
  /** Each sheet's autoFilter range, as `'Sheet'!$A$1:$E$25` (sheet order). */
  filters: string[];
  rows: number;
  sinceYield: number;
  /** Rows when progress was last reported. */
  reported: number;
  /** Set when the zip or the destination failed (`failure` rejects then, too). */
  failed: { error: unknown } | null;
  onProgress: ((rowsWritten: number) => void) | undefined;
}

interface SheetHandle {
  sheet: ExcelJS.Worksheet;
  columns: readonly ColumnSpec[];
  /** The ordinary per-column styles (shared objects). */
  styles: Style[];
  rows: number;
  /** Set for a sheet whose data rows are written as XML text (`putXml`). */
  xml?: RowXml;
}

interface TableRow {
  values: readonly Value[];
  /** Styles per cell; the columns' ordinary styles when absent. */
  styles?: readonly Style[];
  /** How each cell shows, when it differs from its column's kind (the summary mixes kinds in a column). */
  kinds?: readonly Kind[];
}

/** Column widths fitted to the header (which may wrap) and to the rows given; capped. */
function measureWidths(columns: readonly ColumnSpec[], sample: Iterable<TableRow>): number[] {
  const widths = columns.map((c) => headerWidth(c.header));
  for (const { values, kinds } of sample) {
    for (let i = 0; i < columns.length; i++) {
      const w = shownWidth(values[i], kinds?.[i] ?? (columns[i] as ColumnSpec).kind);
      if (w > (widths[i] as number)) widths[i] = w;
    }
  }
  return widths.map((w, i) =>
    Math.max(MIN_WIDTH, Math.min((columns[i] as ColumnSpec).maxWidth ?? MAX_WIDTH, w + 2)),
  );
}

/**
 * Opens a sheet: frozen header row (set at creation, as the streaming writer
 * needs), column widths and styles (before the first row is committed), and the
 * bold header row.
 */
function openSheet(
  ctx: Context,
  name: string,
  columns: readonly ColumnSpec[],
  widths: readonly number[],
): SheetHandle {
  const sheetName = safeSheetName(name);
  const sheet = ctx.wb.addWorksheet(sheetName, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
  });
  ctx.sheets.push(sheetName);
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
  return { sheet, columns, styles, rows: 0 };
}

/** Adds and commits one data row; true when it is time to call `breathe`. */
function put(ctx: Context, h: SheetHandle, values: readonly Value[], styles: readonly Style[]): boolean {
  const row = h.sheet.addRow(values as ExcelJS.CellValue[]);
  for (let i = 0; i < styles.length; i++) {
    const cell = row.findCell(i + 1);
    if (cell) cell.style = styles[i] as Style;
  }
  row.commit();
  h.rows++;
  ctx.rows++;
  return ++ctx.sinceYield >= YIELD_EVERY;
}

/** Adds one data row as XML text (see `RowXml`); true when it is time to call `breathe`. */
function putXml(ctx: Context, h: SheetHandle, values: readonly Value[], styles: readonly Style[]): boolean {
  const handedOn = (h.xml as RowXml).row(h.rows + 2, values, styles);
  h.rows++;
  ctx.rows++;
  return ++ctx.sinceYield >= YIELD_EVERY || handedOn;
}

/** Cell types as exceljs numbers them (its `ValueType`), for the style of a cell. */
const NUMBER_CELL = 2;
const STRING_CELL = 3;
/** Characters exceljs escapes or drops in cell text (its `xmlEncode`). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const XML_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/;

/** Cell text as exceljs writes it: `<>&'"` escaped, control characters other than tab, LF, CR dropped. */
function xmlText(text: string): string {
  const found = XML_SPECIAL.exec(text);
  if (!found) return text;
  let result = '';
  let last = 0;
  let i = found.index;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let entity: string;
    switch (code) {
      case 34:
        entity = '&quot;';
        break;
      case 38:
        entity = '&amp;';
        break;
      case 39:
        entity = '&apos;';
        break;
      case 60:
        entity = '&lt;';
        break;
      case 62:
        entity = '&gt;';
        break;
      case 127:
        entity = '';
        break;
      default:
        if (code <= 31 && (code <= 8 || (code >= 11 && code !== 13))) {
          entity = '';
          break;
        }
        continue;
    }
    if (last !== i) result += text.substring(last, i);
    last = i + 1;
    result += entity;
  }
  return last !== i ? result + text.substring(last, i) : result;
}

/** Bytes of XML gathered before they go to the sheet's part (which copies them). */
const XML_CHUNK = 16 * 1024;

/**
 * Data rows written as XML text into a sheet's part, exactly as exceljs's
 * streaming writer renders a committed row whose cells all carry a style:
 * `<row r spans x14ac:dyDescent>`, then per cell `<c r s t><v>…</v></c>`
 * (`s` left out for style 0, `t="str"` for text, a styled empty cell as
 * `<c r s/>`, an unstyled one and an `undefined` value not at all). Style ids
 * come from the workbook's own style registry, by the same shared style
 * objects exceljs would be given.
 */
class RowXml {
  private readonly sheet: ExcelJS.Worksheet;
  private readonly registry: { addStyleModel(style: Style, cellType: number): number };
  /** `<c r="A` … per column: a cell's text up to its row number. */
  private readonly heads: string[];
  private readonly ids = new Map<Style, number>();
  /** Per column, a cell's text after its row number, by style id and value (see `tail`). */
  private readonly tails: CellTails[];
  /**
   * The rows' UTF-8, reused: the sheet's part copies what it is given, and a
   * long string gathered over many rows would live long enough to be promoted
   * to the old generation, then garbage there (~2 MB of heap per 1000 rows).
   */
  private buffer = Buffer.allocUnsafeSlow(XML_CHUNK);
  private used = 0;
  /** The row's numbers, reused (see `row`). */
  private readonly numbers: number[] = [];

  constructor(wb: ExcelJS.stream.xlsx.WorkbookWriter, sheet: ExcelJS.Worksheet, width: number) {
    this.sheet = sheet;
    this.registry = (wb as unknown as { styles: RowXml['registry'] }).styles;
    this.heads = Array.from({ length: width }, (_, i) => `<c r="${columnLetter(i + 1)}`);
    this.tails = Array.from({ length: width }, () => ({ byStyle: new Map(), asked: 0, found: 0, on: true }));
  }

  private styleId(style: Style, cellType: number): number {
    let id = this.ids.get(style);
    if (id === undefined) {
      // exceljs caches a style object's id on first use, whatever the cell type then.
      id = this.registry.addStyleModel(style, cellType);
      this.ids.set(style, id);
    }
    return id;
  }

  /**
   * `" s="5" t="str"><v>text</v></c>`: what follows the row number in a text
   * cell. Texts repeat (labels, names, lines), so each column remembers them,
   * and stops remembering when its texts do not repeat (client numbers).
   */
  private tail(column: number, id: number, text: string): string {
    const t = this.tails[column] as CellTails;
    if (!t.on) return textTail(id, text);
    let byText = t.byStyle.get(id);
    if (byText === undefined) {
      byText = new Map();
      t.byStyle.set(id, byText);
    }
    t.asked++;
    let tail = byText.get(text);
    if (tail === undefined) {
      tail = textTail(id, text);
      if (byText.size < TAILS_PER_COLUMN) byText.set(text, tail);
      if (t.asked >= 2000 && t.found * 2 < t.asked) {
        t.on = false;
        t.byStyle.clear();
      }
    } else t.found++;
    return tail;
  }

  /** Adds a row; true when this handed a chunk of XML to the sheet's part. */
  row(r: number, values: readonly Value[], styles: readonly Style[]): boolean {
    // Numbers become text through one JSON.stringify of the row's numbers, the
    // same digits as String(n): V8 keeps the text of each number converted one
    // by one in a cache that outlives young-generation collections, so a million
    // rows of dates and durations would leave ~0.3 GB of garbage in the old
    // generation before the next full collection.
    const numbers = this.numbers;
    numbers.length = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v === 'number' && Number.isFinite(v)) numbers.push(v);
    }
    const digits = numbers.length > 0 ? JSON.stringify(numbers) : '';
    let next = 1; // past the '['
    const row = `${r}`;
    let cells = '';
    let min = 0;
    let max = 0;
    let hasValues = false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === undefined) continue;
      const col = i + 1;
      if (min === 0) min = col;
      max = col;
      const style = styles[i] as Style;
      if (v === null) {
        const id = this.styleId(style, 0);
        if (id) cells += `${this.heads[i] as string}${row}" s="${id}"/>`;
      } else if (typeof v === 'number') {
        hasValues = true;
        const id = this.styleId(style, NUMBER_CELL);
        let text: string;
        if (Number.isFinite(v)) {
          const comma = digits.indexOf(',', next);
          const end = comma < 0 ? digits.length - 1 : comma;
          text = digits.slice(next, end);
          next = end + 1;
        } else text = String(v);
        cells += id
          ? `${this.heads[i] as string}${row}" s="${id}"><v>${text}</v></c>`
          : `${this.heads[i] as string}${row}"><v>${text}</v></c>`;
      } else {
        hasValues = true;
        cells += `${this.heads[i] as string}${row}${this.tail(i, this.styleId(style, STRING_CELL), v)}`;
      }
    }
    if (!hasValues) return false; // exceljs writes no row without a value
    // One character per byte: the text already holds UTF-8 (see `textTail`).
    const xml = `<row r="${row}" spans="${min}:${max}" x14ac:dyDescent="0.25">${cells}</row>`;
    let handedOn = false;
    if (this.used + xml.length > this.buffer.length) {
      handedOn = this.flush();
      if (xml.length > this.buffer.length) this.buffer = Buffer.allocUnsafeSlow(xml.length);
    }
    this.used += this.buffer.write(xml, this.used, 'latin1');
    return handedOn;
  }

  /** Hands the XML gathered so far to the sheet's part (which copies it); true when there was some. */
  flush(): boolean {
    if (this.used === 0) return false;
    const stream = (this.sheet as unknown as { stream: { write(chunk: Buffer): unknown } }).stream;
    stream.write(this.buffer.subarray(0, this.used));
    this.used = 0;
    return true;
  }
}

/** A column's remembered cell tails (see `RowXml.tail`). */
interface CellTails {
  byStyle: Map<number, Map<string, string>>;
  asked: number;
  found: number;
  on: boolean;
}

/** Texts remembered per column and style. */
const TAILS_PER_COLUMN = 20_000;

// biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts at NUL on purpose (any ASCII).
const NOT_ASCII = /[^\x00-\x7f]/;

/**
 * What follows the row number in a text cell with style `id`, as UTF-8 bytes
 * held one per character. A row's text is then one byte per character however
 * much Cyrillic it holds, and goes into the buffer as a plain copy: a row of
 * UTF-16 text (what one Cyrillic label makes of all of it) costs twice the
 * memory to build and ~1.5 µs more to encode.
 */
function textTail(id: number, text: string): string {
  const escaped = xmlText(text);
  const utf8 = NOT_ASCII.test(escaped) ? Buffer.from(escaped, 'utf8').toString('latin1') : escaped;
  return id ? `" s="${id}" t="str"><v>${utf8}</v></c>` : `" t="str"><v>${utf8}</v></c>`;
}

/** `A`…`Z`, `AA`… for a 1-based column number. */
function columnLetter(n: number): string {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

/** The stream between exceljs and archiver (readable-stream 2's PassThrough). */
interface PipeTarget extends NodeJS.EventEmitter {
  _writableState?: { length?: unknown; needDrain?: unknown };
}

/**
 * Bytes exceljs has handed to the zip for this sheet that the zip has not read
 * yet, and bytes still waiting in the sheet's own buffer while the zip is busy
 * with an earlier part.
 */
function pendingBytes(h: SheetHandle): number {
  // Internals: WorksheetWriter.stream is a StreamBuf whose `pipes` are the
  // PassThrough(s) archiver reads, and whose `buffers` hold what is not piped
  // yet. If exceljs changes, we only lose the check.
  const stream = (h.sheet as unknown as { stream?: { pipes?: unknown; buffers?: unknown } }).stream;
  const pipes = stream?.pipes;
  if (!Array.isArray(pipes)) return 0;
  let total = 0;
  for (const p of pipes) {
    const length = (p as PipeTarget)._writableState?.length;
    if (typeof length === 'number') total += length;
  }
  const buffers = stream?.buffers;
  if (pipes.length === 0 && Array.isArray(buffers)) {
    for (const b of buffers) {
      const length = (b as { length?: unknown }).length;
      if (typeof length === 'number') total += length;
    }
  }
  return total;
}

async function breathe(ctx: Context, h: SheetHandle): Promise<void> {
  h.xml?.flush();
  ctx.sinceYield = 0;
  if (ctx.rows - ctx.reported >= PROGRESS_EVERY) {
    ctx.reported = ctx.rows;
    ctx.onProgress?.(ctx.rows);
  }
  // Not raced with `failure`: a race with a promise that never settles keeps
  // every racer alive, and this runs tens of thousands of times.
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (ctx.failed) throw ctx.failed.error;
  while (pendingBytes(h) > MAX_PENDING_BYTES) {
    const pipes = (h.sheet as unknown as { stream: { pipes: PipeTarget[] } }).stream.pipes;
    const first = pipes[0];
    // 'drain' comes once the queue is empty, if a write found it full (it did: it is over the limit).
    const waiting = first?._writableState?.needDrain
      ? once(first, 'drain')
      : new Promise<void>((resolve) => setTimeout(resolve, 10));
    await Promise.race([waiting, ctx.failure]);
  }
}

function closeSheet(ctx: Context, h: SheetHandle): void {
  h.xml?.flush();
  const last = h.rows + 1;
  h.sheet.autoFilter = {
    from: { row: 1, column: 1 },
    to: { row: last, column: h.columns.length },
  };
  const lastColumn = h.sheet.getColumn(h.columns.length).letter;
  ctx.filters.push(`'${h.sheet.name.replace(/'/g, "''")}'!$A$1:$${lastColumn}$${last}`);
  h.sheet.commit();
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * LibreOffice shows an autoFilter only when the workbook also defines the hidden
 * name `_xlnm._FilterDatabase` for that sheet (as Excel itself writes; see
 * exceljs issue #2778, LibreOffice bug 118592). exceljs cannot write a hidden,
 * sheet-local name, so the workbook part is amended on its way into the zip.
 * Should exceljs change how it adds that part, the names are simply missing.
 */
function addFilterNames(zip: Zip, filters: readonly string[]): void {
  const append = zip.append.bind(zip);
  zip.append = (source, data) => {
    if (data?.name === '/xl/workbook.xml' && typeof source === 'string' && filters.length > 0) {
      const names = filters
        .map(
          (ref, i) =>
            `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${escapeXml(ref)}</definedName>`,
        )
        .join('');
      if (source.includes('<definedNames>'))
        source = source.replace('<definedNames>', `<definedNames>${names}`);
      else source = source.replace('</sheets>', `</sheets><definedNames>${names}</definedNames>`);
    }
    return append(source, data);
  };
}

/**
 * Writes a sheet whose rows are all in memory: widths fitted to every row.
 * `asXml`: every row's cells all carry a style (`styles` of full width, or
 * none), so the rows can be written as XML text.
 */
async function writeTable(
  ctx: Context,
  name: string,
  columns: readonly ColumnSpec[],
  rows: readonly TableRow[],
  before?: (h: SheetHandle) => void,
  asXml = false,
): Promise<SheetHandle> {
  const h = openSheet(ctx, name, columns, measureWidths(columns, rows));
  if (asXml) h.xml = new RowXml(ctx.wb, h.sheet, columns.length);
  before?.(h);
  const add = asXml ? putXml : put;
  for (const r of rows) {
    if (add(ctx, h, r.values, r.styles ?? h.styles)) await breathe(ctx, h);
  }
  closeSheet(ctx, h);
  return h;
}

// ---------------------------------------------------------------------------
// Sheet contents

function summaryRows(summary: Summary, dict: Dictionary): { columns: ColumnSpec[]; rows: TableRow[] } {
  const prev = summary.previous;
  const s = dict.summary;
  const columns: ColumnSpec[] = [
    { header: s.columns.figure, kind: 'text' },
    { header: s.columns.value, kind: 'number' },
  ];
  if (prev) {
    columns.push(
      { header: s.columns.previous, kind: 'number' },
      { header: s.columns.change, kind: 'number' },
    );
  }
  columns.push({ header: s.columns.meaning, kind: 'text', maxWidth: 100 });
  const width = columns.length;

  const changeFormat: Record<'count' | 'duration' | 'rate', Style> = {
    count: { numFmt: '+#,##0;-#,##0;0' },
    duration: {
      numFmt: `+#,##0" ${dict.units.seconds}";-#,##0" ${dict.units.seconds}";0" ${dict.units.seconds}"`,
    },
    rate: { numFmt: `+0.0" ${dict.units.points}";-0.0" ${dict.units.points}";0.0" ${dict.units.points}"` },
  };
  const vars = {
    sla: summary.settings.sla_seconds,
    short: summary.settings.short_call_seconds,
    horizon: summary.settings.callback_horizon_hours,
  };
  const rows: TableRow[] = [];

  const line = (
    t: FigureText,
    kind: Kind,
    value: Value,
    previous?: { value: Value; change: Value; changeKind: 'count' | 'duration' | 'rate' },
    bad = false,
  ): void => {
    const base = bad ? BAD_STYLE : STYLE;
    const values: Value[] = [t.label, value];
    const styles: Style[] = [bad ? BAD_STRONG_STYLE.text : STYLE.text, base[kind]];
    const kinds: Kind[] = ['text', kind];
    if (prev) {
      values.push(previous?.value ?? null, previous?.change ?? null);
      kinds.push(kind, 'change');
      styles.push(base[kind], changeFormat[previous?.changeKind ?? 'count']);
    }
    values.push(fill(t.meaning, vars));
    styles.push(base.text);
    kinds.push('text');
    rows.push({ values, styles, kinds });
  };
  const section = (title: string, style: Style = BOLD_STYLE.text): void => {
    const values: Value[] = new Array(width).fill(null);
    values[0] = title;
    rows.push({ values, styles: [style] });
  };

  const secondsKind = (v: number | null): Value => (v === null ? null : excelDuration(v));
  const fromMs = parseWall(summary.period.from);
  const tillMs = parseWall(summary.period.till);
  const generated = Date.parse(summary.generated_at);
  const generatedWall = Number.isNaN(generated) ? null : toWall(generated, summary.period.timezone);

  section(dict.title, TITLE_STYLE);
  section(s.sections.report);
  const prevDate = (d: string | undefined): { value: Value; change: Value; changeKind: 'count' } => ({
    value: d === undefined ? null : dateOrNull(parseWall(d)),
    change: null,
    changeKind: 'count',
  });
  line(s.rows.periodFrom, 'date', dateOrNull(fromMs), prevDate(prev?.period.from));
  line(s.rows.periodTill, 'date', dateOrNull(tillMs), prevDate(prev?.period.till));
  line(s.rows.timezone, 'text', summary.period.timezone);
  line(s.rows.generatedAt, 'datetime', dateOrNull(generatedWall));
  if (summary.source.report_id !== null) line(s.rows.reportId, 'id', summary.source.report_id);
  if (summary.source.filter != null) line(s.rows.filter, 'text', text(JSON.stringify(summary.source.filter)));
  const repeated = summary.source.duplicate_rows ?? 0;
  if (repeated > 0) line(s.rows.duplicateRows, 'count', repeated);

  section(s.sections.calls);
  const totalsOrder: {
    key: keyof typeof dict.figures & keyof Totals;
    kind: 'count' | 'duration' | 'rate';
  }[] = [
    { key: 'calls', kind: 'count' },
    { key: 'internal', kind: 'count' },
    { key: 'incoming', kind: 'count' },
    { key: 'incoming_answered', kind: 'count' },
    { key: 'incoming_missed', kind: 'count' },
    { key: 'missed_rate', kind: 'rate' },
    { key: 'short_missed', kind: 'count' },
    { key: 'outgoing', kind: 'count' },
    { key: 'outgoing_answered', kind: 'count' },
    { key: 'talk_seconds', kind: 'duration' },
    { key: 'avg_talk_seconds_incoming', kind: 'duration' },
    { key: 'avg_talk_seconds_outgoing', kind: 'duration' },
    { key: 'avg_wait_seconds', kind: 'duration' },
    { key: 'max_wait_seconds', kind: 'duration' },
    { key: 'sla_rate', kind: 'rate' },
  ];
  for (const { key, kind } of totalsOrder) {
    const cur = summary.totals[key];
    const old = prev ? prev.totals[key] : null;
    const shown = (v: number | null): Value => (kind === 'duration' ? secondsKind(v) : v);
    let change: Value = null;
    if (cur !== null && old !== null) {
      change = kind === 'rate' ? (cur - old) * 100 : cur - old;
    }
    line(dict.figures[key], kind, shown(cur), { value: shown(old), change, changeKind: kind });
  }

  const m = summary.missed;
  section(s.sections.missed);
  line(dict.missedFigures.total, 'count', m.total);
  line(dict.missedFigures.numbers, 'count', m.numbers);
  line(dict.missedFigures.called_back, 'count', m.called_back);
  line(dict.missedFigures.client_called_again, 'count', m.client_called_again);
  line(dict.missedFigures.callback_failed, 'count', m.callback_failed);
  line(dict.missedFigures.unreturned, 'count', m.unreturned, undefined, m.unreturned > 0);
  line(dict.missedFigures.avg_callback_delay_seconds, 'duration', secondsKind(m.avg_callback_delay_seconds));

  section(s.sections.buckets);
  const b = m.callback_delay_buckets;
  line(dict.buckets.le_15m, 'count', b.le_15m);
  line(dict.buckets.le_1h, 'count', b.le_1h);
  line(dict.buckets.le_4h, 'count', b.le_4h);
  line(dict.buckets.later, 'count', b.later);

  section(s.sections.settings);
  line(dict.settings.sla_seconds, 'number', summary.settings.sla_seconds);
  line(dict.settings.short_call_seconds, 'number', summary.settings.short_call_seconds);
  line(dict.settings.callback_horizon_hours, 'number', summary.settings.callback_horizon_hours);

  return { columns, rows };
}

function missedColumns(dict: Dictionary): ColumnSpec[] {
  const c = dict.columns.missed;
  return [
    { header: c.time, kind: 'datetime' },
    { header: c.client, kind: 'text' },
    { header: c.line, kind: 'text' },
    { header: c.lineComment, kind: 'text' },
    { header: c.employees, kind: 'text' },
    { header: c.waited, kind: 'duration' },
    { header: c.finishReason, kind: 'text' },
    { header: c.timesMissed, kind: 'count' },
    { header: c.outcome, kind: 'text' },
    { header: c.callbackTime, kind: 'datetime' },
    { header: c.delay, kind: 'duration' },
    { header: c.callbackEmployee, kind: 'text' },
    { header: c.attempts, kind: 'count' },
    { header: c.callId, kind: 'id' },
  ];
}
const MISSED_OUTCOME_COLUMN = 8;

function missedValues(r: MissedCallResolution, dict: Dictionary): Value[] {
  const c = r.call;
  return [
    excelDate(c.start),
    text(c.contactNumber),
    text(c.virtualNumber),
    text(c.virtualNumberComment),
    joined(c.employees),
    durationOrNull(c.totalSeconds),
    text(c.finishReason?.label),
    r.times_missed_in_period,
    dict.outcomes[r.outcome],
    dateOrNull(r.resolved_by?.start),
    durationOrNull(r.delay_seconds),
    text(r.callback_employee),
    r.attempts,
    c.id,
  ];
}

function callColumns(dict: Dictionary): ColumnSpec[] {
  const c = dict.columns.calls;
  return [
    { header: c.id, kind: 'id' },
    { header: c.start, kind: 'datetime' },
    { header: c.finish, kind: 'datetime' },
    { header: c.direction, kind: 'text' },
    { header: c.status, kind: 'text' },
    { header: c.scope, kind: 'text' },
    { header: c.type, kind: 'text' },
    { header: c.finishReason, kind: 'text' },
    { header: c.client, kind: 'text' },
    { header: c.line, kind: 'text' },
    { header: c.lineComment, kind: 'text' },
    { header: c.employees, kind: 'text' },
    { header: c.receivedCall, kind: 'text' },
    { header: c.firstEmployee, kind: 'text' },
    { header: c.secondEmployee, kind: 'text' },
    { header: c.coaches, kind: 'text' },
    { header: c.coachHandled, kind: 'text' },
    { header: c.blacklisted, kind: 'text' },
    { header: c.total, kind: 'duration' },
    { header: c.wait, kind: 'duration' },
    { header: c.talk, kind: 'duration' },
    { header: c.processedMark, kind: 'duration' },
    { header: c.tags, kind: 'text' },
    { header: c.records, kind: 'count' },
    { header: c.rating, kind: 'number' },
    { header: c.comment, kind: 'text' },
    { header: c.commentAuthor, kind: 'text' },
  ];
}

/** Fills `out` (reused from row to row) with one call's cells; empty values become `undefined` (no cell). */
function callValues(c: Call, dict: Dictionary, out: Value[]): Value[] {
  const w = dict.words;
  out[0] = c.id;
  out[1] = excelDate(c.start);
  out[2] = c.finish === null ? undefined : excelDate(c.finish);
  out[3] = c.direction === 'in' ? w.incoming : w.outgoing;
  out[4] = c.lost ? w.missed : w.answered;
  out[5] = c.internal ? w.internal : w.external;
  out[6] = text(c.type?.label) ?? undefined;
  out[7] = text(c.finishReason?.label) ?? undefined;
  out[8] = text(c.contactNumber) ?? undefined;
  out[9] = text(c.virtualNumber) ?? undefined;
  out[10] = text(c.virtualNumberComment) ?? undefined;
  out[11] = joined(c.employees) ?? undefined;
  out[12] = text(c.receivedCall) ?? undefined;
  out[13] = text(c.firstEmployeeInternal) ?? undefined;
  out[14] = text(c.secondEmployeeInternal) ?? undefined;
  out[15] = joined(c.coaches) ?? undefined;
  out[16] = yesNo(c.coachHandled, dict) ?? undefined;
  out[17] = yesNo(c.blacklisted, dict) ?? undefined;
  out[18] = durationOrNull(c.totalSeconds) ?? undefined;
  out[19] = durationOrNull(c.awaitSeconds) ?? undefined;
  out[20] = durationOrNull(c.talkSeconds) ?? undefined;
  out[21] = durationOrNull(c.processedMarkSeconds) ?? undefined;
  out[22] = joined(c.tags) ?? undefined;
  out[23] = c.records.length;
  out[24] = c.rating ?? undefined;
  out[25] = text(c.comment) ?? undefined;
  out[26] = text(c.commentAuthor) ?? undefined;
  return out;
}

/**
 * The "All calls" sheet's headers and the cells of one call, as the report
 * writes them (empty cells `undefined`): for comparisons, such as the
 * benchmark's baseline that writes the same sheet with exceljs alone.
 */
export function callSheet(language: Language): {
  headers: string[];
  cells: (call: Call) => (string | number | undefined)[];
} {
  const dict = dictionary(language);
  return {
    headers: callColumns(dict).map((c) => c.header),
    cells: (call) => callValues(call, dict, []) as (string | number | undefined)[],
  };
}

function isCallList(calls: CallList | Iterable<Call> | AsyncIterable<Call>): calls is CallList {
  if (Array.isArray(calls)) return true;
  const list = calls as Partial<CallList>;
  return typeof list.length === 'number' && typeof list.at === 'function';
}

/** Cells of up to WIDTH_SAMPLE calls spread over the whole list (one row object reused). */
function* sampleCalls(calls: CallList, dict: Dictionary): Generator<TableRow> {
  const step = Math.max(1, Math.floor(calls.length / WIDTH_SAMPLE));
  const row = { values: [] as Value[] };
  const scratch = scratchCall();
  for (let i = 0; i < calls.length; i += step) {
    callValues(readCall(calls, i, scratch), dict, row.values);
    yield row;
  }
}

function* callCells(calls: readonly Call[], dict: Dictionary): Generator<TableRow> {
  const row = { values: [] as Value[] };
  for (const c of calls) {
    callValues(c, dict, row.values);
    yield row;
  }
}

/**
 * "All calls": one row per call, continued on "All calls 2", "All calls 3"...
 * past `maxRowsPerSheet` rows, each sheet with the same header and widths.
 * Widths come from a sample spread over an array, or from the first calls of
 * an iterable (which is read only once, so calls need not all be in memory).
 */
async function writeCalls(
  ctx: Context,
  source: CallList | Iterable<Call> | AsyncIterable<Call>,
  maxRowsPerSheet: number | undefined,
): Promise<void> {
  const { dict } = ctx;
  const perSheet = Math.max(
    1,
    Math.min(EXCEL_MAX_DATA_ROWS, Math.floor(maxRowsPerSheet ?? EXCEL_MAX_DATA_ROWS)),
  );
  const columns = callColumns(dict);

  const head: Call[] = [];
  let rest: Iterator<Call> | AsyncIterator<Call> | null = null;
  if (!isCallList(source)) {
    rest = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
    while (head.length < WIDTH_SAMPLE) {
      const next = await rest.next();
      if (next.done) break;
      head.push(next.value);
    }
  }
  const widths = measureWidths(
    columns,
    isCallList(source) ? sampleCalls(source, dict) : callCells(head, dict),
  );

  const values: Value[] = new Array(columns.length);
  let part = 1;
  const open = (name: string): SheetHandle => {
    const sheet = openSheet(ctx, name, columns, widths);
    sheet.xml = new RowXml(ctx.wb, sheet.sheet, columns.length);
    return sheet;
  };
  let h = open(dict.sheets.calls);
  const write = (call: Call): boolean => {
    if (h.rows >= perSheet) {
      closeSheet(ctx, h);
      part++;
      h = open(`${dict.sheets.calls} ${part}`);
    }
    return putXml(ctx, h, callValues(call, dict, values), h.styles);
  };

  if (isCallList(source)) {
    const scratch = scratchCall();
    for (let i = 0; i < source.length; i++) {
      if (write(readCall(source, i, scratch))) await breathe(ctx, h);
    }
  } else {
    for (const call of head) {
      if (write(call)) await breathe(ctx, h);
    }
    head.length = 0;
    for (;;) {
      const next = await (rest as Iterator<Call> | AsyncIterator<Call>).next();
      if (next.done) break;
      if (write(next.value)) await breathe(ctx, h);
    }
  }
  closeSheet(ctx, h);
}

function hourLabel(hour: number): string {
  const hh = String(hour).padStart(2, '0');
  return `${hh}:00–${hh}:59`;
}

// ---------------------------------------------------------------------------
// The workbook

async function writeSheets(ctx: Context, input: WorkbookInput): Promise<void> {
  const { dict } = ctx;
  const { summary } = input;

  // Summary
  const sum = summaryRows(summary, dict);
  await writeTable(ctx, dict.sheets.summary, sum.columns, sum.rows);

  // Missed calls: unreturned rows filled light red, the outcome in bold dark red.
  const mCols = missedColumns(dict);
  const badStyles = mCols.map((c, i) =>
    i === MISSED_OUTCOME_COLUMN ? BAD_STRONG_STYLE[c.kind] : BAD_STYLE[c.kind],
  );
  await writeTable(
    ctx,
    dict.sheets.missed,
    mCols,
    input.missed.map((r) => ({
      values: missedValues(r, dict),
      ...(r.outcome === 'unreturned' ? { styles: badStyles } : {}),
    })),
    undefined,
    true,
  );

  // Employees
  const e = dict.columns.employees;
  await writeTable(
    ctx,
    dict.sheets.employees,
    [
      { header: e.name, kind: 'text' },
      { header: e.incomingAnswered, kind: 'count' },
      { header: e.outgoing, kind: 'count' },
      { header: e.outgoingAnswered, kind: 'count' },
      { header: e.missed, kind: 'count' },
      { header: e.talk, kind: 'duration' },
      { header: e.avgTalk, kind: 'duration' },
      { header: e.avgWait, kind: 'duration' },
      { header: e.callbacks, kind: 'count' },
    ],
    summary.employees.map((x) => ({
      values: [
        x.name === '(no employee)' ? dict.words.noEmployee : x.name,
        x.incoming_answered,
        x.outgoing,
        x.outgoing_answered,
        x.missed,
        excelDuration(x.talk_seconds),
        durationOrNull(x.avg_talk_seconds),
        durationOrNull(x.avg_wait_seconds),
        x.callbacks,
      ],
    })),
  );

  // Hours, with a colour scale on the missed rate (exceljs's streaming writer
  // writes conditional formatting when the sheet is committed).
  const hcol = dict.columns.hours;
  const hours = [...summary.hours].sort((a, b) => a.hour - b.hour);
  await writeTable(
    ctx,
    dict.sheets.hours,
    [
      { header: hcol.hour, kind: 'text' },
      { header: hcol.incoming, kind: 'count' },
      { header: hcol.missed, kind: 'count' },
      { header: hcol.missedRate, kind: 'rate' },
      { header: hcol.outgoing, kind: 'count' },
    ],
    hours.map((x) => ({
      values: [hourLabel(x.hour), x.incoming, x.incoming_missed, x.missed_rate, x.outgoing],
    })),
    (h) => {
      if (hours.length > 0) h.sheet.addConditionalFormatting(missedRateScale(`D2:D${hours.length + 1}`));
    },
  );

  // Lines
  const l = dict.columns.lines;
  await writeTable(
    ctx,
    dict.sheets.lines,
    [
      { header: l.number, kind: 'text' },
      { header: l.comment, kind: 'text' },
      { header: l.incoming, kind: 'count' },
      { header: l.missed, kind: 'count' },
      { header: l.missedRate, kind: 'rate' },
      { header: l.unreturned, kind: 'count' },
    ],
    summary.lines.map((x) => ({
      values: [
        text(x.virtual_phone_number),
        text(x.virtual_number_comment),
        x.incoming,
        x.incoming_missed,
        x.missed_rate,
        x.unreturned,
      ],
    })),
    (h) => {
      if (summary.lines.length > 0) {
        h.sheet.addConditionalFormatting(missedRateScale(`E2:E${summary.lines.length + 1}`));
      }
    },
  );

  await writeCalls(ctx, input.calls, input.maxRowsPerSheet);
}

/**
 * Writes the XLSX report to a stream or a file and resolves when it is complete
 * (the stream finished, or the file closed). On failure the partial file is
 * removed, or the given stream is destroyed with the error so that an upload
 * reading from it fails instead of storing a truncated file.
 */
export async function writeWorkbook(input: WorkbookInput): Promise<WorkbookResult> {
  const ownFile = typeof input.output === 'string' ? input.output : null;
  const output: NodeJS.WritableStream =
    ownFile === null ? (input.output as NodeJS.WritableStream) : createWriteStream(ownFile);

  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output as unknown as import('node:stream').Stream,
    useStyles: true,
    useSharedStrings: false,
    zip: { zlib: { level: ZIP_LEVEL } },
  });
  wb.creator = 'mgf-call-reports';
  const zip = (wb as unknown as { zip: Zip }).zip;
  const filters: string[] = [];
  addFilterNames(zip, filters);

  let failed: { error: unknown } | null = null;
  let reject: (e: unknown) => void = () => {};
  const failure = new Promise<never>((_resolve, rejectWith) => {
    reject = rejectWith;
  });
  failure.catch(() => {});
  const rejectFailure = (error: unknown): void => {
    failed ??= { error };
    ctx.failed = failed;
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
  const ctx: Context = {
    wb,
    dict: dictionary(input.language),
    failure,
    sheets: [],
    filters,
    rows: 0,
    sinceYield: 0,
    reported: 0,
    failed: null,
    onProgress: input.onProgress,
  };
  output.on('error', onError);
  output.on('finish', onFinish);
  output.on('close', onClose);
  zip.on('error', onError);

  try {
    await writeSheets(ctx, input);
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

  ctx.onProgress?.(ctx.rows);
  return { bytes: zip.pointer(), sheets: ctx.sheets, rows: ctx.rows };
}

/** The parts of archiver (exceljs's `wb.zip`) used here. */
interface Zip extends NodeJS.EventEmitter {
  append(source: unknown, data?: { name?: string }): Zip;
  pointer(): number;
  abort(): void;
  unpipe(destination?: NodeJS.WritableStream): void;
}
