/**
 * Where calls come from, as the pipeline sees it: calls that start inside a
 * wall-clock range. The real one reads the Data API; tests and the demo point
 * the same class at the simulator.
 */
import {
  type DataApiClient,
  type FetchProgress,
  type FetchStats,
  IdSet,
  MAX_RANGE_DAYS,
} from '../dataapi/client.ts';
import type { CallsFilter } from '../dataapi/filter.ts';
import { formatWall } from '../time.ts';
import { type DroppedPart, type RejectedRow, RowNormaliser } from './normalise/normaliser.ts';
import { CallTable } from './table.ts';

export interface CallRange {
  /** First second, wall instant (inclusive). */
  from: number;
  /** Last second, wall instant (inclusive). */
  till: number;
}

export interface FetchedCalls {
  /** The calls, each id once (the table says `distinctIds`), kept compactly (see `CallTable`). */
  calls: CallTable;
  /** Rows that could not be understood: how many, and the first reasons. */
  rejectedCount: number;
  rejected: RejectedRow[];
  /** Parts of calls that could not be understood and were dropped or defaulted (the calls kept), by reason. */
  droppedParts: DroppedPart[];
  stats: FetchStats;
}

/**
 * Told while a fetch goes on that every call starting up to `till` (wall ms)
 * is in `calls` (the table the fetch fills, and will return), so that what
 * needs only those calls can begin; `till` only grows. It may throw to end the
 * fetch (whoever reads the calls gave up).
 */
export type CallsArriving = (calls: CallTable, till: number) => void;

export interface CallSource {
  /** The report id the calls come from, once known (null before the first fetch when it is looked up). */
  readonly reportId: number | null;
  /** The calls of the range; `onArrived` (when given) hears of them as they come, if the source can tell. */
  fetch(
    range: CallRange,
    onProgress?: (p: FetchProgress) => void,
    onArrived?: CallsArriving,
  ): Promise<FetchedCalls>;
}

/** The longest span one `get.mgf_calls` query may cover (the API's 366 days, less a second). */
const QUERY_SPAN_MS = MAX_RANGE_DAYS * 86_400_000 - 1000;

export interface DataApiCallSourceOptions {
  /** The `mgf_calls` report id; looked up with get.reports_list when absent. */
  reportId?: number | null;
  filter?: CallsFilter;
  /** Fail on the first row that cannot be understood (default: count and report them). */
  strict?: boolean;
}

export class DataApiCallSource implements CallSource {
  private readonly client: DataApiClient;
  private readonly opts: DataApiCallSourceOptions;
  private resolvedReportId: number | null;

  constructor(client: DataApiClient, opts: DataApiCallSourceOptions = {}) {
    this.client = client;
    this.opts = opts;
    this.resolvedReportId = opts.reportId ?? null;
  }

  get reportId(): number | null {
    return this.resolvedReportId;
  }

  /**
   * The calls in a `CallTable`: each page is normalised as it arrives and its
   * rows dropped; `onArrived` hears after each window read whole.
   */
  async fetch(
    range: CallRange,
    onProgress?: (p: FetchProgress) => void,
    onArrived?: CallsArriving,
  ): Promise<FetchedCalls> {
    const calls = new CallTable({ distinctIds: true });
    const normaliser = new RowNormaliser({ strict: this.opts.strict ?? false, interner: calls.interner });
    const stats = await this.fetchRows(
      range,
      (rows) => normaliser.push(rows, calls),
      onProgress,
      onArrived && ((till) => onArrived(calls, till)),
    );
    return {
      calls,
      rejectedCount: normaliser.rejectedCount,
      rejected: normaliser.rejected,
      droppedParts: normaliser.droppedParts,
      stats,
    };
  }

  /**
   * The raw rows of the range, each id once, handed to `onRows` page by page:
   * in consecutive queries when the range is longer than one query may be (a
   * 366-day period and its follow-up day), with one de-duplication (and one count
   * of the rows the API repeated).
   */
  async fetchRows(
    range: CallRange,
    onRows: (rows: Record<string, unknown>[]) => void,
    onProgress?: (p: FetchProgress) => void,
    onComplete?: (till: number) => void,
  ): Promise<FetchStats> {
    this.resolvedReportId ??= await this.client.findCallsReportId();
    const seen = new IdSet();
    const total: FetchStats = {
      rows: 0,
      duplicateRows: 0,
      pages: 0,
      windows: 0,
      requests: 0,
      anomalies: [],
    };
    for (let from = range.from; ; from += QUERY_SPAN_MS + 1000) {
      const till = Math.min(range.till, from + QUERY_SPAN_MS);
      const before = { ...total };
      const stats = await this.client.fetchCalls(
        {
          reportId: this.resolvedReportId,
          from: formatWall(from),
          till: formatWall(till),
          filter: this.opts.filter,
        },
        onRows,
        onProgress &&
          ((p) =>
            onProgress({
              ...p,
              pages: before.pages + p.pages,
              rows: before.rows + p.rows,
              windows: before.windows + p.windows,
            })),
        seen,
        onComplete,
      );
      total.rows += stats.rows;
      total.duplicateRows += stats.duplicateRows;
      total.pages += stats.pages;
      total.windows += stats.windows;
      total.requests += stats.requests;
      total.anomalies.push(...stats.anomalies);
      if (till >= range.till) return total;
    }
  }
}
