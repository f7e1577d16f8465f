/**
 * Where calls come from, as the pipeline sees it: calls that start inside a
 * wall-clock range. The real one reads the Data API; tests and the demo point
 * the same class at the simulator.
 */
import type { DataApiClient, FetchProgress, FetchStats } from '../dataapi/client.ts';
import type { CallsFilter } from '../dataapi/filter.ts';
import { formatWall } from '../time.ts';
import type { Call } from './call.ts';
import { type RejectedRow, RowNormaliser } from './normalise.ts';

export interface CallRange {
  /** First second, wall instant (inclusive). */
  from: number;
  /** Last second, wall instant (inclusive). */
  till: number;
}

export interface FetchedCalls {
  calls: Call[];
  /** Rows that could not be understood: how many, and the first reasons. */
  rejectedCount: number;
  rejected: RejectedRow[];
  stats: FetchStats;
}

export interface CallSource {
  /** The report id the calls come from, once known (null before the first fetch when it is looked up). */
  readonly reportId: number | null;
  fetch(range: CallRange, onProgress?: (p: FetchProgress) => void): Promise<FetchedCalls>;
}

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

  async fetch(range: CallRange, onProgress?: (p: FetchProgress) => void): Promise<FetchedCalls> {
    this.resolvedReportId ??= await this.client.findCallsReportId();
    const normaliser = new RowNormaliser({ strict: this.opts.strict ?? false });
    const calls: Call[] = [];
    const stats = await this.client.fetchCalls(
      {
        reportId: this.resolvedReportId,
        from: formatWall(range.from),
        till: formatWall(range.till),
        filter: this.opts.filter,
      },
      (rows) => normaliser.push(rows, calls),
      onProgress,
    );
    return { calls, rejectedCount: normaliser.rejectedCount, rejected: normaliser.rejected, stats };
  }
}
