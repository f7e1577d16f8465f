/**
 * The report's comparison (report-metrics.md, "Comparison"): the like period
 * (time.ts `comparisonPeriod`), cut at the same time of day when the report is
 * partial (`comparisonCut`), and its figures, `summary.previous`.
 *
 * A stored report of that period is used when it is the same report: the same
 * period and zone, whole (or, for a partial report, cut at that same moment:
 * it is looked up by that `as_of`), made with the same settings (deep-equal
 * `summary.settings`) and the same filter, and new enough to hold every figure
 * `previous` keeps. Otherwise the comparison is computed: that period (plus its
 * follow-up horizon, never past now) fetched through the report's own
 * CallSource, so by the same client inside the same rate budget, and
 * summarised with the same settings; only its totals and missed-call outcomes
 * are kept, nothing is stored. A partial report's comparison is computed as it
 * stood at the cut: nothing after it is fetched or counted, and its outcomes
 * are as of the cut, like the report's own as of now.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CallSource, FetchedCalls } from '../calls/source.ts';
import type { FetchProgress } from '../dataapi/client.ts';
import { summarise } from '../report/figures/summarise.ts';
import type { Previous, ReportSettings, Summary } from '../report/types.ts';
import { comparisonCut, comparisonPeriod, formatWall, type Period, periodBounds } from '../time.ts';
import { fetchRange } from './fetch-range.ts';
import type { ReportStorage } from './ports.ts';

export interface ComparisonInput {
  subscription: string;
  /** The report's variant (location.ts): the like period's report is looked up under the same one. */
  variant: string | null;
  /** The report's period. */
  period: Period;
  /** The report's settings, resolved (settings.ts `reportSettings`). */
  settings: ReportSettings;
  /** The report's Data API filter, as the summary's `source.filter` records it. */
  filter: unknown;
  /** The real instant the report is made (UTC ms) and its wall clock. */
  generatedAt: number;
  nowWall: number;
  /** The report's `as_of` on the wall clock when it is partial, else null. */
  asOf: number | null;
}

export interface Comparison {
  previous: Previous;
  /** Where the figures came from: a stored report, or computed now. */
  made: 'stored' | 'computed';
  /** What the computing fetch brought (null when a stored report was used). */
  fetched: Omit<FetchedCalls, 'calls'> | null;
}

export interface ComparisonDeps {
  source: CallSource;
  storage: ReportStorage;
  onFetch?: (p: FetchProgress) => void;
}

export async function comparison(input: ComparisonInput, deps: ComparisonDeps): Promise<Comparison> {
  const period = comparisonPeriod(input.period);
  const cut = input.asOf === null ? null : comparisonCut(input.period, input.asOf);
  const asOf = cut === null ? null : formatWall(cut);
  const stored = await deps.storage.loadJson<Summary>(
    { subscription: input.subscription, period, as_of: asOf, variant: input.variant },
    'summary',
  );
  if (stored !== null && sameReport(stored, period, asOf, input)) {
    return { previous: previousOf(stored, asOf), made: 'stored', fetched: null };
  }
  // Computed as the report would have been made at the cut (partial), or now (whole).
  const nowWall = cut ?? input.nowWall;
  const { calls: table, ...fetched } = await deps.source.fetch(
    fetchRange(period, input.settings, nowWall),
    deps.onFetch,
  );
  const { upTo, after } = table.partition(periodBounds(period).end);
  const { summary } = summarise({
    period,
    calls: table.view(upTo),
    followUps: table.view(after),
    settings: input.settings,
    generatedAt: input.generatedAt,
    nowWall,
    asOf: cut,
    previous: null,
  });
  return { previous: previousOf(summary, asOf), made: 'computed', fetched };
}

/** Whether a stored summary is the like period's report as this report would make it. */
function sameReport(s: Summary, period: Period, asOf: string | null, input: ComparisonInput): boolean {
  const p = s.period as Partial<Summary['period']> | undefined;
  return (
    p !== undefined &&
    p.from === period.from &&
    p.till === period.till &&
    p.timezone === period.timezone &&
    p.partial === (asOf !== null) &&
    (p.as_of ?? null) === asOf &&
    isDeepStrictEqual(s.settings, input.settings) &&
    isDeepStrictEqual(s.source?.filter ?? null, asJson(input.filter ?? null)) &&
    Array.isArray(s.missed?.call_first) &&
    s.totals !== undefined
  );
}

/** A value as it reads back from stored JSON (undefined keys gone). */
function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

function previousOf(s: Summary, asOf: string | null): Previous {
  const m = s.missed;
  return {
    period: { from: s.period.from, till: s.period.till, as_of: asOf },
    totals: s.totals,
    missed: {
      called_back: m.called_back,
      client_called_again: m.client_called_again,
      callback_failed: m.callback_failed,
      unreturned: m.unreturned,
      call_first_count: m.call_first.length,
    },
  };
}
