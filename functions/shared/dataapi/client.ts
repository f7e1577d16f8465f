/**
 * The Data API client: `get.reports_list`, `get.account` and `get.mgf_calls`
 * with complete paging.
 *
 * `fetchCalls` brings back every call of a period exactly once:
 * - pages of up to 10 000 rows under an explicit stable sort (by
 *   `communication_id` unless told otherwise, always with it as the tie-breaker);
 * - loops to `metadata.total_items`, re-read on every page (never stops on a short
 *   page), fetching the pages after the first in parallel, bounded by
 *   `concurrency` and by the rate-limit throttle;
 * - when a window holds more rows than offsets can reach (offset ≤ 100 000), splits
 *   it into smaller time windows, recursively, until each fits;
 * - de-duplicates by `communication_id`;
 * - checks the pages against each other (a total that shrinks, a gap or overlap
 *   between neighbouring pages, rows outside the window); a window whose pages
 *   contradict is read again, and if it still does not add up the fetch fails
 *   with `DataApiConsistencyError` naming what was wrong.
 *
 * Repeated calls (data-api.md, "Paging"): the API returns some calls as two rows,
 * the same `communication_id` once as a number and once as a numeric string, and
 * `total_items` counts both. So a window is complete when the ROWS received add
 * up to `total_items`, not the distinct ids; the calls are still handed on once
 * each, and the repeated rows are counted (`FetchStats.duplicateRows`). What
 * tells a repeat from a row read twice because rows moved while paging is the
 * raw form of the id: a repeat differs in form from its twin, a moved row is the
 * identical row again, same form. Rows are therefore told apart by (id, form).
 */

import { formatWall, parseWall } from '../time.ts';
import { isMgfCallsColumn, MGF_CALLS_COLUMNS, UNSORTABLE_COLUMNS } from './columns.ts';
import { DataApiConsistencyError, DataApiDeadlineError, DataApiRequestError } from './errors.ts';
import { type CallsFilter, validateFilter } from './filter.ts';
import { IdSet } from './id-set.ts';
import { type ParseGate, type RpcEvent, RpcTransport, type RpcTransportOptions } from './rpc.ts';
import { wallMs } from './wall.ts';

export { IdSet };

export const MAX_LIMIT = 10_000;
export const MAX_OFFSET = 100_000;
export const MAX_RANGE_DAYS = 366;

export type RawRow = Record<string, unknown>;

export interface SortSpec {
  field: string;
  order: 'asc' | 'desc';
}

export interface CallsQuery {
  reportId: number;
  /** `YYYY-MM-DD hh:mm:ss`, account wall clock, inclusive. */
  from: string;
  /** `YYYY-MM-DD hh:mm:ss`, account wall clock, inclusive. */
  till: string;
  /** Columns to ask for; default every column. `communication_id` is always added. */
  fields?: readonly string[];
  filter?: CallsFilter | unknown;
  sort?: readonly SortSpec[];
  /** Partner ("agent") accounts acting for a client. */
  userId?: number;
}

export interface ReportInfo {
  id: number;
  name: string;
  type: string;
}

export interface FetchProgress {
  pages: number;
  rows: number;
  /** Rows the API says the current window holds. */
  windowTotal: number;
  windows: number;
}

export interface FetchStats {
  /** Calls handed on (each id once). */
  rows: number;
  /**
   * Rows the API sent for a call already received in the other id form (a call
   * returned twice): counted once in `rows`, here once more. Rows read again by
   * the client itself (re-reads) are not counted.
   */
  duplicateRows: number;
  pages: number;
  windows: number;
  requests: number;
  /** Contradictions seen (and settled by re-reading). */
  anomalies: string[];
}

export interface DataApiClientOptions extends RpcTransportOptions {
  /** Partner accounts: the client's user id, sent with every request. */
  userId?: number;
  /** Pages in flight at once (default 4). */
  concurrency?: number;
  /** Rows per page (default and maximum 10 000). */
  pageSize?: number;
  /** Largest offset the API accepts (default 100 000; lowered in tests). */
  maxOffset?: number;
  /** Overall time budget of one `fetchCalls`, ms (default 15 minutes). */
  deadlineMs?: number;
  /** How often a window whose pages contradict is read again (default 2). */
  maxRereads?: number;
}

interface CallsPage {
  /** The page's rows, one slice after another (read them once). */
  slices: () => Iterable<RawRow[]>;
  total: number;
  /** Lets the next page be parsed: call once done with this one's rows. */
  release: () => void;
}

/** One holder at a time, first come first served. */
function oneAtATime(): ParseGate {
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

function parseApiTime(text: string, name: string): number {
  const ms = text.length === 19 ? parseWall(text) : null;
  if (ms === null) {
    throw new DataApiRequestError(
      `${name} must be a real date and time "YYYY-MM-DD hh:mm:ss", got "${text}"`,
      {
        mnemonic: 'invalid_parameter_value',
        field: name,
      },
    );
  }
  return ms;
}

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

/** Bit of a raw id form, for the ends of a page: 1 a number, 2 a string. */
const formBit = (row: RawRow): number => (typeof row.communication_id === 'number' ? 1 : 2);

/** The row's start (wall ms), or NaN when it has none that reads. */
function rowStart(row: RawRow): number {
  const dt = row.call_start_date_time;
  if (typeof dt === 'string') return wallMs(dt);
  if (typeof row.call_start_date === 'string' && typeof row.call_start_time === 'string') {
    return wallMs(`${row.call_start_date} ${row.call_start_time}`);
  }
  return Number.NaN;
}

export class DataApiClient {
  readonly transport: RpcTransport;
  private readonly userId: number | undefined;
  private readonly concurrency: number;
  private readonly pageSize: number;
  private readonly maxOffset: number;
  private readonly deadlineMs: number;
  private readonly maxRereads: number;
  /**
   * Pages are fetched in parallel but parsed and handed on one at a time: the
   * pages still arriving wait as bytes, not as strings and objects three times
   * their size.
   */
  private readonly parseGate = oneAtATime();

  constructor(opts: DataApiClientOptions) {
    this.transport = new RpcTransport(opts);
    this.userId = opts.userId;
    this.concurrency = Math.max(1, Math.floor(opts.concurrency ?? 4));
    this.pageSize = Math.min(MAX_LIMIT, Math.max(1, Math.floor(opts.pageSize ?? MAX_LIMIT)));
    this.maxOffset = opts.maxOffset ?? MAX_OFFSET;
    this.deadlineMs = opts.deadlineMs ?? 15 * 60_000;
    this.maxRereads = opts.maxRereads ?? 2;
  }

  private params(extra: Record<string, unknown>): Record<string, unknown> {
    return this.userId === undefined ? extra : { ...extra, user_id: this.userId };
  }

  /** `get.reports_list`: the user's reports. */
  async getReportsList(signal?: AbortSignal): Promise<ReportInfo[]> {
    const { result } = await this.transport.call<{ data?: unknown }>(
      'get.reports_list',
      this.params({}),
      signal,
    );
    const data = Array.isArray(result.data) ? result.data : [];
    const reports: ReportInfo[] = [];
    for (const r of data) {
      if (r && typeof r === 'object') {
        const o = r as Record<string, unknown>;
        const id = typeof o.id === 'number' ? o.id : Number(o.id);
        if (Number.isSafeInteger(id))
          reports.push({ id, name: String(o.name ?? ''), type: String(o.type ?? '') });
      }
    }
    return reports;
  }

  /** The id of the account's one `mgf_calls` report; a clear error when there is none or several. */
  async findCallsReportId(signal?: AbortSignal): Promise<number> {
    const reports = (await this.getReportsList(signal)).filter((r) => r.type === 'mgf_calls');
    const only = reports[0];
    if (only === undefined) {
      throw new DataApiRequestError(
        'The account has no "mgf_calls" report: create the "All calls" report in the account, or set MGF_REPORT_ID',
        { mnemonic: 'report_not_found', field: 'report_id' },
      );
    }
    if (reports.length > 1) {
      const list = reports.map((r) => `${r.id} "${r.name}"`).join(', ');
      throw new DataApiRequestError(
        `The account has ${reports.length} "mgf_calls" reports (${list}): choose one with MGF_REPORT_ID`,
        { mnemonic: 'report_not_found', field: 'report_id' },
      );
    }
    return only.id;
  }

  /** `get.account`: the account's IANA time zone, when it tells one. */
  async getAccountTimezone(signal?: AbortSignal): Promise<string | null> {
    const { result } = await this.transport.call<{ data?: unknown }>('get.account', this.params({}), signal);
    const data = Array.isArray(result.data) ? result.data[0] : result.data;
    const tz = data && typeof data === 'object' ? (data as Record<string, unknown>).timezone : undefined;
    return typeof tz === 'string' && tz.length > 0 ? tz : null;
  }

  /**
   * Checks a query before anything is sent and returns the parameters to send.
   * Throws `DataApiRequestError` (or `InvalidFilterError`) naming the bad part.
   */
  prepare(query: CallsQuery): {
    params: Record<string, unknown>;
    from: number;
    till: number;
    idSorted: boolean;
  } {
    if (!Number.isSafeInteger(query.reportId) || query.reportId <= 0) {
      throw new DataApiRequestError(
        `report_id must be a positive whole number, got ${String(query.reportId)}`,
        {
          mnemonic: 'invalid_parameter_value',
          field: 'report_id',
        },
      );
    }
    const from = parseApiTime(query.from, 'date_from');
    const till = parseApiTime(query.till, 'date_till');
    if (till < from) {
      throw new DataApiRequestError(`date_till (${query.till}) is before date_from (${query.from})`, {
        mnemonic: 'invalid_parameters_combination',
        field: 'date_till',
      });
    }
    if (till - from >= MAX_RANGE_DAYS * 86_400_000) {
      throw new DataApiRequestError(`the date range is longer than ${MAX_RANGE_DAYS} days, the API's limit`, {
        mnemonic: 'date_interval_limit_reached',
        field: 'date_till',
      });
    }
    const fields = [...(query.fields ?? MGF_CALLS_COLUMNS)];
    const seen = new Set<string>();
    for (const f of fields) {
      if (!isMgfCallsColumn(f)) {
        throw new DataApiRequestError(
          `fields: "${f}" is not a column of get.mgf_calls; allowed: ${MGF_CALLS_COLUMNS.join(', ')}`,
          {
            mnemonic: 'invalid_parameter_value',
            field: 'fields',
          },
        );
      }
      if (seen.has(f)) {
        throw new DataApiRequestError(`fields: "${f}" is listed twice`, {
          mnemonic: 'invalid_parameter_value',
          field: 'fields',
        });
      }
      seen.add(f);
    }
    if (!seen.has('communication_id')) fields.unshift('communication_id');
    const sort: SortSpec[] = [];
    for (const [i, s] of (query.sort ?? []).entries()) {
      if (!isMgfCallsColumn(s.field)) {
        throw new DataApiRequestError(`sort[${i}].field: "${s.field}" is not a column of get.mgf_calls`, {
          mnemonic: 'invalid_parameter_value',
          field: 'sort',
        });
      }
      if (UNSORTABLE_COLUMNS.has(s.field)) {
        throw new DataApiRequestError(`sort[${i}].field: the API cannot sort by "${s.field}"`, {
          mnemonic: 'sort_prohibited',
          field: 'sort',
        });
      }
      if (s.order !== 'asc' && s.order !== 'desc') {
        throw new DataApiRequestError(`sort[${i}].order must be "asc" or "desc"`, {
          mnemonic: 'invalid_parameter_value',
          field: 'sort',
        });
      }
      sort.push({ field: s.field, order: s.order });
    }
    // A stable order is what makes offsets mean the same rows from page to page.
    if (!sort.some((s) => s.field === 'communication_id'))
      sort.push({ field: 'communication_id', order: 'asc' });
    const idSorted = sort[0]?.field === 'communication_id' && sort[0].order === 'asc';
    const params: Record<string, unknown> = { report_id: query.reportId, fields, sort };
    if (query.filter !== undefined && query.filter !== null) params.filter = validateFilter(query.filter);
    const userId = query.userId ?? this.userId;
    if (userId !== undefined) params.user_id = userId;
    return { params, from, till, idSorted };
  }

  /** One page of `get.mgf_calls`. */
  async getCallsPage(
    params: Record<string, unknown>,
    from: number,
    till: number,
    offset: number,
    signal?: AbortSignal,
  ): Promise<CallsPage> {
    const { result, release, dataSlices } = await this.transport.call<{
      data?: unknown;
      metadata?: { total_items?: unknown };
    }>(
      'get.mgf_calls',
      {
        ...params,
        date_from: formatWall(from),
        date_till: formatWall(till),
        limit: this.pageSize,
        offset,
      },
      signal,
      this.parseGate,
      true,
    );
    const rows = Array.isArray(result.data) ? (result.data as RawRow[]) : null;
    const total = Number(result.metadata?.total_items);
    if (rows === null || !Number.isSafeInteger(total) || total < 0) {
      release();
      throw new DataApiConsistencyError(
        'Data API get.mgf_calls answered without data[] or metadata.total_items',
        {
          mnemonic: 'bad_response',
        },
      );
    }
    const slices = (dataSlices as (() => Iterable<RawRow[]>) | undefined) ?? (() => [rows]);
    return { slices, total, release };
  }

  /**
   * Fetches every call of the query's period, handing each page's new rows
   * (never seen before in this fetch) to `onRows`, which may be async: the next
   * page of that worker waits for it, so a slow consumer slows the fetch.
   * `seen`: the ids already received, each in the form it came (see `formKey`),
   * to share the de-duplication and the count of repeated rows between
   * consecutive fetches (a period longer than one query may span).
   */
  async fetchCalls(
    query: CallsQuery,
    onRows: (rows: RawRow[]) => void | Promise<void>,
    onProgress?: (p: FetchProgress) => void,
    seen: IdSet = new IdSet(),
  ): Promise<FetchStats> {
    const { params, from, till, idSorted } = this.prepare(query);
    const deadline = AbortSignal.timeout(this.deadlineMs);
    const stats: FetchStats = {
      rows: 0,
      duplicateRows: 0,
      pages: 0,
      windows: 0,
      requests: 0,
      anomalies: [],
    };
    const requestsBefore = this.transport.requests;
    const progress = (windowTotal: number) =>
      onProgress?.({ pages: stats.pages, rows: stats.rows, windowTotal, windows: stats.windows });

    const reach = this.maxOffset + this.pageSize;
    const deliver = async (rows: RawRow[]): Promise<void> => {
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

    const readWindow = async (wFrom: number, wTill: number, first: CallsPage): Promise<WindowResult> => {
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
        // A slice at a time (see rpc.ts): each is handed on and dropped before the next is parsed.
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
          await deliver(inWindow);
        }
        pageEnds.set(offset, { first: firstId, firstForms, last: lastId, lastForms, count });
        progress(total);
      };
      const fetchOffset = async (offset: number) => {
        const knownBefore = total;
        await take(offset, await this.getCallsPage(params, wFrom, wTill, offset, deadline), knownBefore);
      };
      await take(0, first, 0);

      // Pages after the first, in parallel. The total is re-read on every page, so
      // calls that arrive meanwhile extend the loop.
      let next = this.pageSize;
      const worker = async () => {
        while (next < total && next <= this.maxOffset) {
          const offset = next;
          next += this.pageSize;
          await fetchOffset(offset);
        }
      };
      await Promise.all(Array.from({ length: this.concurrency }, worker));

      // A page read before the total grew, or one the API sent short, can hold less
      // than it must (a full page, or everything up to the total for the last one):
      // read such pages (and any offset not read yet) again until they meet.
      const expected = (off: number) => Math.min(this.pageSize, total - off);
      for (let round = 0; round < 5 && total <= reach; round++) {
        const again: number[] = [];
        for (let off = 0; off < total && off <= this.maxOffset; off += this.pageSize) {
          const p = pageEnds.get(off);
          if (!p || p.count < expected(off)) again.push(off);
        }
        if (again.length === 0) break;
        stats.anomalies.push(
          `window ${formatWall(wFrom)}..${formatWall(wTill)}: pages short of total_items ${total} (calls arrived while paging, or a short page); read offsets ${again.join(', ')} again`,
        );
        for (const off of again) await fetchOffset(off);
      }
      if (total > reach)
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
          idSorted &&
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
    };

    const fetchWindow = async (wFrom: number, wTill: number): Promise<void> => {
      for (let read = 0; ; read++) {
        const first = await this.getCallsPage(params, wFrom, wTill, 0, deadline);
        if (first.total > reach) {
          first.release();
          await this.split(wFrom, wTill, first.total, reach, fetchWindow);
          return;
        }
        stats.windows++;
        const result = await readWindow(wFrom, wTill, first);
        if (result.problems.length === 0) return;
        const note = `window ${formatWall(wFrom)}..${formatWall(wTill)}: ${result.problems.join('; ')}`;
        if (result.total > reach) {
          stats.anomalies.push(`${note} — split`);
          await this.split(wFrom, wTill, result.total, reach, fetchWindow);
          return;
        }
        if (read >= this.maxRereads) {
          throw new DataApiConsistencyError(
            `Data API get.mgf_calls: pages kept contradicting each other after ${read + 1} reads; ${note}`,
            { mnemonic: 'inconsistent_pages' },
          );
        }
        stats.anomalies.push(`${note} — read again`);
      }
    };

    try {
      await fetchWindow(from, till);
    } catch (err) {
      if (deadline.aborted && !(err instanceof DataApiDeadlineError)) {
        throw new DataApiDeadlineError(
          `Data API get.mgf_calls: the fetch did not finish within ${this.deadlineMs} ms`,
          {
            mnemonic: 'deadline_exceeded',
            cause: err,
          },
        );
      }
      throw err;
    } finally {
      this.transport.releaseBuffers();
    }
    stats.requests = this.transport.requests - requestsBefore;
    return stats;
  }

  /** Splits a window into as many equal time slices as its total needs (with headroom) and fetches each. */
  private async split(
    wFrom: number,
    wTill: number,
    total: number,
    reach: number,
    fetchWindow: (a: number, b: number) => Promise<void>,
  ): Promise<void> {
    const seconds = Math.floor((wTill - wFrom) / 1000) + 1;
    if (seconds < 2) {
      throw new DataApiRequestError(
        `Data API get.mgf_calls: ${total} calls start within one second (${formatWall(wFrom)}); they cannot be paged past offset ${this.maxOffset}`,
        { mnemonic: 'date_interval_limit_reached' },
      );
    }
    const parts = Math.min(seconds, Math.max(2, Math.ceil(total / (reach * 0.75))));
    const step = Math.ceil(seconds / parts);
    for (let s = 0; s < seconds; s += step) {
      const a = wFrom + s * 1000;
      const b = Math.min(wTill, a + (step - 1) * 1000);
      await fetchWindow(a, b);
    }
  }
}

export type { RpcEvent };
