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
 * - the pages' reading and checks, and how a call the API returns twice is
 *   told from a row read twice, are in paging.ts.
 */

import { formatWall, parseWallDateTime } from '../time.ts';
import { isMgfCallsColumn, MGF_CALLS_COLUMNS, UNSORTABLE_COLUMNS } from './columns.ts';
import { DataApiConsistencyError, DataApiDeadlineError, DataApiRequestError } from './errors.ts';
import { type CallsFilter, validateFilter } from './filter.ts';
import { IdSet } from './id-set.ts';
import {
  type CallsPage,
  fetchWindow,
  freshRows,
  oneAtATime,
  type RawRow,
  rowId,
  type WindowReading,
} from './paging.ts';
import { type RpcEvent, RpcTransport, type RpcTransportOptions } from './rpc/transport.ts';

export type { RawRow };
export { IdSet, rowId };

export const MAX_LIMIT = 10_000;
export const MAX_OFFSET = 100_000;
export const MAX_RANGE_DAYS = 366;

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

function parseApiTime(text: string, name: string): number {
  const ms = parseWallDateTime(text);
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
    const rawTotal = result.metadata?.total_items;
    // A whole number of rows (the API may send it as text); anything else is refused, named.
    const total =
      typeof rawTotal === 'number' || typeof rawTotal === 'string' ? Number(rawTotal) : Number.NaN;
    if (rows === null || !Number.isSafeInteger(total) || total < 0) {
      release();
      throw new DataApiConsistencyError(
        rows === null
          ? 'Data API get.mgf_calls answered without data[]'
          : `Data API get.mgf_calls answered metadata.total_items ${JSON.stringify(rawTotal) ?? 'undefined'}, not a whole number of rows`,
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
   * `onComplete`: told, after each window read whole, that every call starting
   * up to that wall instant has been handed on (see `WindowReading.complete`);
   * it may throw to end the fetch.
   */
  async fetchCalls(
    query: CallsQuery,
    onRows: (rows: RawRow[]) => void | Promise<void>,
    onProgress?: (p: FetchProgress) => void,
    seen: IdSet = new IdSet(),
    onComplete?: (till: number) => void,
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

    const deliver = freshRows(seen, stats, onRows);

    const reading: WindowReading = {
      pageSize: this.pageSize,
      maxOffset: this.maxOffset,
      concurrency: this.concurrency,
      maxRereads: this.maxRereads,
      idSorted,
      stats,
      page: (wFrom, wTill, offset) => this.getCallsPage(params, wFrom, wTill, offset, deadline),
      deliver,
      progress,
      ...(onComplete ? { complete: onComplete } : {}),
    };
    try {
      await fetchWindow(reading, from, till);
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
}

export type { RpcEvent };
