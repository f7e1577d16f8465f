/**
 * Reading the calls of a time window, page by page, and checking that the
 * pages add up (the paging half of `DataApiClient.fetchCalls`, see client.ts).
 *
 * A window's first page tells its total; the pages after it are read in
 * parallel up to the total, re-read on every page. A window holding more rows
 * than offsets reach is split into smaller time windows, recursively. Pages
 * are checked against each other (a total that shrinks, a short page that is
 * not the last, overlapping ids, rows outside the window); a window that does
 * not add up is read again, and one that still contradicts itself fails with
 * `DataApiConsistencyError`.
 *
 * Repeated calls (docs/data-api.md, "Paging"): the API returns some calls as two rows,
 * the same `communication_id` once as a number and once as a numeric string, and
 * `total_items` counts both. So a window is complete when the ROWS received add
 * up to `total_items`, not the distinct ids; the calls are still handed on once
 * each, and the repeated rows are counted (`FetchStats.duplicateRows`). What
 * tells a repeat from a row read twice because rows moved while paging is the
 * raw form of the id: a repeat differs in form from its twin, a moved row is the
 * identical row again, same form. Rows are therefore told apart by (id, form).
 */
import { formatWall } from '../time.ts';
import { DataApiConsistencyError, DataApiRequestError } from './errors.ts';
import { IdSet } from './id-set.ts';
import type { ParseGate } from './rpc/transport.ts';
import { wallMs } from './wall.ts';

export type RawRow = Record<string, unknown>;

export interface CallsPage {
  /** The page's rows, one slice after another (read them once). */
  slices: () => Iterable<RawRow[]>;
  total: number;
  /** Lets the next page be parsed: call once done with this one's rows. */
  release: () => void;
}

/** What reading a window needs from the client and from the fetch it is part of. */
export interface WindowReading {
  pageSize: number;
  maxOffset: number;
  /** Pages in flight at once. */
  concurrency: number;
  /** How often a window whose pages contradict is read again. */
  maxRereads: number;
  /** Sorted by `communication_id` ascending: neighbouring pages must not overlap. */
  idSorted: boolean;
  /** The fetch's counts (FetchStats): pages, windows and anomalies are added here. */
  stats: { pages: number; windows: number; anomalies: string[] };
  /** The page at `offset` of the window [from, till] (wall ms). */
  page(from: number, till: number, offset: number): Promise<CallsPage>;
  /** Hands on rows of the window (the fetch de-duplicates them); the next page of that worker waits. */
  deliver(rows: RawRow[]): Promise<void>;
  /** After each page: the total the current window holds. */
  progress(windowTotal: number): void;
  /**
   * After a window was read whole and cleanly: every call that starts up to
   * `till` (wall ms) has been delivered. Windows are read one after another in
   * time order (a split reads its slices in turn), so `till` only grows. It may
   * throw to end the fetch (its consumer gave up).
   */
  complete?(till: number): void;
}

/** One holder at a time, first come first served. */
export function oneAtATime(): ParseGate {
  let tail: Promise<void> = Promise.resolve();
  return () => {
    let release: () => void = () => {};
    const turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ready = tail.then(() => release);
    tail = tail.then(() => turn);
    return ready;
  };
}

interface WindowResult {
  total: number;
  problems: string[];
}

/** Rows a window can hold and still be paged: the offset cap plus one page. */
const reach = (w: WindowReading): number => w.maxOffset + w.pageSize;

/**
 * Reads `communication_id` as a whole number ≥ 0 (the API sends a number or a
 * numeric string), as the normaliser does; anything else is no id.
 */
export function rowId(row: RawRow): number | null {
  const v = row.communication_id;
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
  if (typeof v !== 'string' || v.length < 1 || v.length > 15) return null;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return Number(v);
}

/**
 * `id` (≥ 0, see `rowId`) with the raw form it came in: the id itself for a
 * number, `-(id + 1)` for a numeric string (never equal to any id, nor to another
 * string's key). A repeat and its twin have different keys; the identical row
 * read twice has the same key.
 */
function formKey(row: RawRow, id: number): number {
  return typeof row.communication_id === 'number' ? id : -(id + 1);
}

/** The key of the same id in the other form. */
function otherFormKey(key: number): number {
  return -(key + 1);
}

/**
 * The fetch's hand-off: passes on to `onRows` the rows never seen before in
 * this fetch (`seen`: the ids received, by (id, form)); the identical row
 * again (a re-read) is nothing new, a call already received in the other form
 * (returned twice by the API) is counted in `stats.duplicateRows`, not passed on.
 */
export function freshRows(
  seen: IdSet,
  stats: { rows: number; duplicateRows: number },
  onRows: (rows: RawRow[]) => void | Promise<void>,
): (rows: RawRow[]) => Promise<void> {
  return async (rows: RawRow[]): Promise<void> => {
    const fresh: RawRow[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as RawRow;
      const id = rowId(row);
      // A row without a readable id goes on: the normaliser reports it with its reason.
      if (id === null) fresh.push(row);
      else {
        const key = formKey(row, id);
        // Same key: the identical row again (a re-read), nothing new. Other form
        // already there: the API returned the call twice; it is counted, not handed on.
        if (!seen.add(key)) continue;
        if (seen.has(otherFormKey(key))) stats.duplicateRows++;
        else fresh.push(row);
      }
    }
    stats.rows += fresh.length;
    if (fresh.length > 0) await onRows(fresh);
  };
}

/** Bit of a raw id form, for the ends of a page: 1 a number, 2 a string. */
const formBit = (row: RawRow): number => (typeof row.communication_id === 'number' ? 1 : 2);

/**
 * The row's start (wall ms), or NaN when it has none that reads: as the
 * normaliser reads it (calls/normalise/schema.ts `start`), `call_start_date_time`
 * and, when that does not read, `call_start_date` + `call_start_time`. The
 * window check and the calls' order after it (calls/arriving-calls.ts) rely on
 * the two agreeing.
 */
function rowStart(row: RawRow): number {
  const dt = row.call_start_date_time;
  if (typeof dt === 'string') {
    const ms = wallMs(dt);
    if (Number.isFinite(ms)) return ms;
  }
  if (typeof row.call_start_date === 'string' && typeof row.call_start_time === 'string') {
    return wallMs(`${row.call_start_date} ${row.call_start_time}`);
  }
  return Number.NaN;
}

/**
 * Reads every call of the window [wFrom, wTill] (wall ms), handing them to
 * `w.deliver`: split into smaller windows when it holds more rows than offsets
 * reach, read again (up to `w.maxRereads` times) when its pages contradict.
 */
export async function fetchWindow(w: WindowReading, wFrom: number, wTill: number): Promise<void> {
  const { stats } = w;
  for (let read = 0; ; read++) {
    const first = await w.page(wFrom, wTill, 0);
    if (first.total > reach(w)) {
      first.release();
      await split(w, wFrom, wTill, first.total);
      return;
    }
    stats.windows++;
    const result = await readWindow(w, wFrom, wTill, first);
    if (result.problems.length === 0) {
      w.complete?.(wTill);
      return;
    }
    const note = `window ${formatWall(wFrom)}..${formatWall(wTill)}: ${result.problems.join('; ')}`;
    if (result.total > reach(w)) {
      stats.anomalies.push(`${note} — split`);
      await split(w, wFrom, wTill, result.total);
      return;
    }
    if (read >= w.maxRereads) {
      throw new DataApiConsistencyError(
        `Data API get.mgf_calls: pages kept contradicting each other after ${read + 1} reads; ${note}`,
        { mnemonic: 'inconsistent_pages' },
      );
    }
    stats.anomalies.push(`${note} — read again`);
  }
}

async function readWindow(
  w: WindowReading,
  wFrom: number,
  wTill: number,
  first: CallsPage,
): Promise<WindowResult> {
  const { stats } = w;
  // The window's rows by (id, form): a repeat counts as a row of its own, the
  // identical row on two pages (rows moved while paging) only once.
  const received = new IdSet();
  let repeats = 0;
  let withoutId = 0;
  const problems: string[] = [];
  // Per page: its first and last id, and the forms (formBit) of the rows with that id at each end.
  const pageEnds = new Map<
    number,
    { first: number | null; firstForms: number; last: number | null; lastForms: number; count: number }
  >();
  let total = first.total;
  // `knownBefore`: the total known when this page was asked for. Pages in flight
  // together may answer in any order, so only a total smaller than one seen
  // before the request went out contradicts the others.
  const take = async (offset: number, page: CallsPage, knownBefore: number) => {
    try {
      await takeRows(offset, page, knownBefore);
    } finally {
      page.release();
    }
  };
  const takeRows = async (offset: number, page: CallsPage, knownBefore: number) => {
    stats.pages++;
    if (page.total < knownBefore) {
      problems.push(
        `page at offset ${offset} says total_items ${page.total}, an earlier page said ${knownBefore}`,
      );
    }
    total = Math.max(total, page.total);
    let firstId: number | null = null;
    let lastId: number | null = null;
    let firstForms = 0;
    let lastForms = 0;
    let leading = true;
    let count = 0;
    // A slice at a time (see rpc/page-slices.ts): each is handed on and dropped before the next is parsed.
    for (const rows of page.slices()) {
      count += rows.length;
      const inWindow: RawRow[] = [];
      for (const row of rows) {
        const start = rowStart(row);
        if (start < wFrom || start > wTill) {
          problems.push(
            `page at offset ${offset} holds call ${String(row.communication_id)} outside the window`,
          );
          continue;
        }
        const id = rowId(row);
        if (id === null) withoutId++;
        else {
          const key = formKey(row, id);
          if (received.add(key) && received.has(otherFormKey(key))) repeats++;
          const bit = formBit(row);
          firstId ??= id;
          if (leading && id === firstId) firstForms |= bit;
          else leading = false;
          lastForms = id === lastId ? lastForms | bit : bit;
          lastId = id;
        }
        inWindow.push(row);
      }
      await w.deliver(inWindow);
    }
    pageEnds.set(offset, { first: firstId, firstForms, last: lastId, lastForms, count });
    w.progress(total);
  };
  const fetchOffset = async (offset: number) => {
    const knownBefore = total;
    await take(offset, await w.page(wFrom, wTill, offset), knownBefore);
  };
  await take(0, first, 0);

  // Pages after the first, in parallel. The total is re-read on every page, so
  // calls that arrive meanwhile extend the loop.
  let next = w.pageSize;
  const worker = async () => {
    while (next < total && next <= w.maxOffset) {
      const offset = next;
      next += w.pageSize;
      await fetchOffset(offset);
    }
  };
  await Promise.all(Array.from({ length: w.concurrency }, worker));

  // A page read before the total grew, or one the API sent short, can hold less
  // than it must (a full page, or everything up to the total for the last one):
  // read such pages (and any offset not read yet) again until they meet.
  const expected = (off: number) => Math.min(w.pageSize, total - off);
  for (let round = 0; round < 5 && total <= reach(w); round++) {
    const again: number[] = [];
    for (let off = 0; off < total && off <= w.maxOffset; off += w.pageSize) {
      const p = pageEnds.get(off);
      if (!p || p.count < expected(off)) again.push(off);
    }
    if (again.length === 0) break;
    stats.anomalies.push(
      `window ${formatWall(wFrom)}..${formatWall(wTill)}: pages short of total_items ${total} (calls arrived while paging, or a short page); read offsets ${again.join(', ')} again`,
    );
    for (const off of again) await fetchOffset(off);
  }
  if (total > reach(w))
    return { total, problems: [...problems, `window grew to ${total} rows, past the offset cap`] };

  // Neighbouring pages must meet: full pages, and (under the id sort) ascending ids without overlap.
  // A repeated call can straddle the boundary (page N ends with id X as a number,
  // page N+1 starts with X as a string): equal boundary ids overlap only when the
  // same form of X is at both ends, i.e. the identical row was read twice.
  const pages = [...pageEnds.entries()].sort((a, b) => a[0] - b[0]);
  for (const [i, [off, cur]] of pages.entries()) {
    if (off < total && cur.count !== expected(off)) {
      problems.push(
        `page at offset ${off} has ${cur.count} rows, expected ${expected(off)} (total ${total})`,
      );
    }
    const [nextOff, nxt] = pages[i + 1] ?? [];
    if (
      w.idSorted &&
      nxt &&
      cur.last !== null &&
      nxt.first !== null &&
      (nxt.first < cur.last || (nxt.first === cur.last && (cur.lastForms & nxt.firstForms) !== 0))
    ) {
      problems.push(`pages at offsets ${off} and ${nextOff} overlap (rows shifted while paging)`);
    }
  }
  // Rows, not calls: total_items counts a repeated call twice.
  const rows = received.size + withoutId;
  if (rows < total) {
    problems.push(
      `window returned ${rows} rows (${rows - repeats} distinct calls), total_items says ${total}`,
    );
  }
  return { total, problems };
}

/** Splits a window into as many equal time slices as its total needs (with headroom) and fetches each. */
async function split(w: WindowReading, wFrom: number, wTill: number, total: number): Promise<void> {
  const seconds = Math.floor((wTill - wFrom) / 1000) + 1;
  if (seconds < 2) {
    throw new DataApiRequestError(
      `Data API get.mgf_calls: ${total} calls start within one second (${formatWall(wFrom)}); they cannot be paged past offset ${w.maxOffset}`,
      { mnemonic: 'date_interval_limit_reached' },
    );
  }
  const parts = Math.min(seconds, Math.max(2, Math.ceil(total / (reach(w) * 0.75))));
  const step = Math.ceil(seconds / parts);
  for (let s = 0; s < seconds; s += step) {
    const a = wFrom + s * 1000;
    const b = Math.min(wTill, a + (step - 1) * 1000);
    await fetchWindow(w, a, b);
  }
}
