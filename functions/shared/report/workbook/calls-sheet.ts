/**
 * "All calls": one row per call, continued on "All calls 2", "All calls 3"...
 * past the rows a sheet holds. Client numbers as the API gave them; call types
 * and finish reasons in the report's language by their value_id
 * (vocabulary.ts). The hot path of a big report: a row's cells
 * are filled into one array reused from row to row, and empty values are
 * `undefined` (no cell at all).
 */

import type { CallRuns } from '../../calls/arriving-calls.ts';
import type { Call, Labelled } from '../../calls/call.ts';
import type { CallList } from '../../calls/call-list.ts';
import { type Dictionary, dictionary, type Language } from '../i18n.ts';
import type { XlsxBook } from '../xlsx/book.ts';
import type { ColumnSpec, TableRow, Value } from '../xlsx/types.ts';
import { cellText, durationOrNull, excelDate, joined } from '../xlsx/values.ts';
import { measureWidths } from '../xlsx/widths.ts';
import { apiWord, wordsById } from './vocabulary.ts';

/** Calls looked at to size the columns. */
const WIDTH_SAMPLE = 2000;

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

function yesNo(value: Labelled | null, dict: Dictionary): string | null {
  if (value === null) return null;
  const id = value.id.toLowerCase();
  if (id === 'true' || id === '1' || id === 'yes') return dict.words.yes;
  if (id === 'false' || id === '0' || id === 'no') return dict.words.no;
  return cellText(value.label);
}

/** The dictionary and its words by value_id, looked up once per sheet. */
interface RowWords {
  dict: Dictionary;
  types: ReadonlyMap<string, string>;
  reasons: ReadonlyMap<string, string>;
}

function rowWords(dict: Dictionary): RowWords {
  return {
    dict,
    types: wordsById(dict.workbook.callTypes),
    reasons: wordsById(dict.workbook.finishReasons),
  };
}

/** Fills `out` (reused from row to row) with one call's cells, in `callColumns` order; empty values become `undefined`. */
function callValues(c: Call, words: RowWords, out: Value[]): Value[] {
  const dict = words.dict;
  const w = dict.words;
  out[0] = c.id;
  out[1] = excelDate(c.start);
  out[2] = c.finish === null ? undefined : excelDate(c.finish);
  out[3] = c.direction === 'in' ? w.incoming : w.outgoing;
  out[4] = c.lost ? w.missed : w.answered;
  out[5] = c.internal ? w.internal : w.external;
  out[6] = apiWord(c.type, words.types) ?? undefined;
  out[7] = apiWord(c.finishReason, words.reasons) ?? undefined;
  out[8] = cellText(c.contactNumber) ?? undefined;
  out[9] = cellText(c.virtualNumber) ?? undefined;
  out[10] = cellText(c.virtualNumberComment) ?? undefined;
  out[11] = joined(c.employees) ?? undefined;
  out[12] = cellText(c.receivedCall) ?? undefined;
  out[13] = cellText(c.firstEmployeeInternal) ?? undefined;
  out[14] = cellText(c.secondEmployeeInternal) ?? undefined;
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
  out[25] = cellText(c.comment) ?? undefined;
  out[26] = cellText(c.commentAuthor) ?? undefined;
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
  const words = rowWords(dict);
  return {
    headers: callColumns(dict).map((c) => c.header),
    cells: (call) => callValues(call, words, []) as (string | number | undefined)[],
  };
}

/** The cells of each call, in one row object reused. */
function* callRows(calls: Iterable<Call>, words: RowWords): Generator<TableRow> {
  const row = { values: [] as Value[] };
  for (const c of calls) {
    callValues(c, words, row.values);
    yield row;
  }
}

/** About `n` calls spread over the lists one after another, to size the columns by (each overwritten by the next). */
function* spread(lists: readonly CallList[], n: number): Generator<Call> {
  const total = lists.reduce((sum, l) => sum + l.length, 0);
  const step = Math.max(1, Math.floor(total / n));
  let offset = 0;
  for (const list of lists) {
    // The first index of this list on the grid of every `step`-th call from 0.
    for (let i = (step - (offset % step)) % step; i < list.length; i += step) yield list.look(i);
    offset += list.length;
  }
}

/**
 * Writes "All calls" (and its continuations) from runs of calls in order, as
 * they arrive (calls/arriving-calls.ts): each run is written while the next is
 * still being fetched. The widths come from a sample spread over the first
 * runs that hold `WIDTH_SAMPLE` calls together (the sheet's columns are written
 * before its first row): the whole period when it came in one window, the
 * first window or two of a long period, whose later calls rarely run wider (a
 * width is capped at 60 characters in any case).
 */
export async function writeCallsSheet(
  book: XlsxBook,
  runs: CallRuns,
  dict: Dictionary,
  maxRowsPerSheet: number | undefined,
): Promise<void> {
  const columns = callColumns(dict);
  const words = rowWords(dict);
  const first: CallList[] = [];
  let sampled = 0;
  let more = true;
  while (more && sampled < WIDTH_SAMPLE) {
    const run = await book.unlessFailed(runs.next());
    if (run === null) more = false;
    else {
      first.push(run);
      sampled += run.length;
    }
  }
  const widths = measureWidths(columns, callRows(spread(first, WIDTH_SAMPLE), words));
  const sheet = book.continued(dict.sheets.calls, columns, widths, maxRowsPerSheet);
  const values: Value[] = new Array(columns.length);
  // Every call once, in order; when the sheet wants a turn (backpressure), `each` stops there and waits.
  let turn = false;
  const add = (call: Call): boolean => {
    turn = sheet.add(callValues(call, words, values));
    return turn;
  };
  const write = async (calls: CallList): Promise<void> => {
    for (let next = 0; next < calls.length; ) {
      next = calls.each(add, next);
      if (turn) await sheet.breathe();
    }
  };
  for (const calls of first) await write(calls);
  while (more) {
    const run = await book.unlessFailed(runs.next());
    if (run === null) more = false;
    else await write(run);
  }
  sheet.close();
}
