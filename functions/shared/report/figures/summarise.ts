/**
 * The figures of the report (docs/metrics.md) as one pure function: calls in,
 * `Summary` and the per-missed-call resolutions out. No I/O.
 *
 * One pass over the calls feeds every accumulator (totals.ts, missed.ts,
 * employees.ts, places.ts: one per section of the summary), then one pass over
 * the follow-ups finds the calls that may resolve a miss, and missed.ts
 * resolves them: O(n log n) overall, with no per-call closures and only the
 * allocations the output needs.
 *
 * Memory: the calls are a `CallList` (a `CallTable` or a view of one), which
 * makes each call when asked: nothing keeps a call it read except the missed
 * calls and the calls that resolve them (the output holds those). When the
 * lists promise distinct ids (`distinctIds`), no set of ids is built either.
 * All reading of calls is `CallPositions` and the two passes of `summarise`.
 *
 * Choices where the contract is silent (the rest are in each accumulator):
 * - Period membership: `periodBounds(period).start <= call.start <= end` where
 *   `end` is the last day's 23:59:59; calls outside are ignored in every figure.
 *   Duplicates (same `id`) are counted once, the first occurrence winning; a
 *   follow-up whose id was already seen in `calls` is the same call.
 * - Follow-up horizon: `min(end + callback_horizon_hours, nowWall)`, inclusive,
 *   `end` being 23:59:59 of the period's last day.
 */
import type { Call } from '../../calls/call.ts';
import type { CallList } from '../../calls/call-list.ts';
import { type Period, periodBounds } from '../../time.ts';
import {
  DEFAULT_SETTINGS,
  type MissedCallResolution,
  type ReportSettings,
  type Summary,
  type Totals,
} from '../types.ts';
import { EmployeesAccumulator } from './employees.ts';
import { type CallsByPosition, MissedAccumulator } from './missed.ts';
import { PlacesAccumulator } from './places.ts';
import { TotalsAccumulator } from './totals.ts';

export interface SummariseInput {
  /** Whole local days, see time.ts `periodBounds`. */
  period: Period;
  /**
   * Calls fetched for the period (duplicates by id allowed; only starts inside
   * the period count), in the order they came.
   */
  calls: CallList;
  /** Calls after the period end up to the horizon: used ONLY to resolve missed calls. */
  followUps: CallList;
  /** Defaults to DEFAULT_SETTINGS, key by key. */
  settings?: Partial<ReportSettings>;
  /** Real instant (UTC ms) the report is made: `summary.generated_at`. */
  generatedAt: number;
  /** Wall clock (as `Call.start`) of the moment the report is made: the horizon never goes past it. */
  nowWall: number;
  source?: Summary['source'];
  previous?: { period: Period; totals: Totals } | null;
}

export interface SummariseResult {
  summary: Summary;
  /** One row per missed incoming external call, sorted by start (then id). */
  missed: MissedCallResolution[];
}

const HOUR_MS = 3_600_000;

function resolveSettings(partial: Partial<ReportSettings> | undefined): ReportSettings {
  const s: ReportSettings = {
    sla_seconds: partial?.sla_seconds ?? DEFAULT_SETTINGS.sla_seconds,
    short_call_seconds: partial?.short_call_seconds ?? DEFAULT_SETTINGS.short_call_seconds,
    callback_horizon_hours: partial?.callback_horizon_hours ?? DEFAULT_SETTINGS.callback_horizon_hours,
  };
  for (const key of ['sla_seconds', 'short_call_seconds', 'callback_horizon_hours'] as const) {
    const v = s[key];
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`Setting ${key} must be a number >= 0, got ${v}`);
  }
  return s;
}

/**
 * The figures' calls by position: `calls`, then the follow-ups. A call only
 * looked at is read into its list's reused record; one that is kept is made whole.
 */
class CallPositions implements CallsByPosition {
  readonly calls: CallList;
  readonly followUps: CallList;
  /** Positions below this are in `calls`, the rest in `followUps`. */
  readonly inCalls: number;
  /** True when no two calls of the two lists share an id (no need to look for repeats). */
  readonly distinctIds: boolean;

  constructor(calls: CallList, followUps: CallList) {
    this.calls = calls;
    this.followUps = followUps;
    this.inCalls = calls.length;
    this.distinctIds = calls.distinctIds && (followUps.length === 0 || followUps.distinctIds);
  }

  look(k: number): Call {
    return k < this.inCalls ? this.calls.look(k) : this.followUps.look(k - this.inCalls);
  }

  keep(k: number): Call {
    return k < this.inCalls ? this.calls.at(k) : this.followUps.at(k - this.inCalls);
  }
}

export function summarise(input: SummariseInput): SummariseResult {
  const settings = resolveSettings(input.settings);
  const { start: periodStart, end: periodEnd } = periodBounds(input.period);
  const horizon = Math.min(periodEnd + settings.callback_horizon_hours * HOUR_MS, input.nowWall);

  const calls = new CallPositions(input.calls, input.followUps);
  const totals = new TotalsAccumulator(settings);
  const missed = new MissedAccumulator(horizon, calls);
  const employees = new EmployeesAccumulator();
  const places = new PlacesAccumulator();
  const seen = calls.distinctIds ? null : new Set<number>();

  // The one pass over the period's calls (and those of `calls` outside it, which may resolve a miss).
  input.calls.each((c, k) => {
    if (seen !== null) {
      if (seen.has(c.id)) return;
      seen.add(c.id);
    }
    missed.consider(c, k);
    if (c.start < periodStart || c.start > periodEnd) return;
    totals.add(c);
    if (c.internal) return;
    employees.add(c);
    places.add(c);
    if (c.direction === 'in' && c.lost) missed.add(calls.keep(k));
  });
  // The follow-ups matter only to resolve a missed number.
  if (missed.numbers > 0) {
    input.followUps.each((c, j) => {
      if (seen !== null) {
        if (seen.has(c.id)) return;
        seen.add(c.id);
      }
      missed.consider(c, calls.inCalls + j);
    });
  }
  missed.gatherCandidates();
  seen?.clear();

  const { figures, resolutions } = missed.result(employees, places);
  const { hours, lines } = places.result();
  const summary: Summary = {
    period: { from: input.period.from, till: input.period.till, timezone: input.period.timezone },
    generated_at: new Date(input.generatedAt).toISOString(),
    source: input.source ?? { report_id: null, filter: null },
    settings,
    totals: totals.result(),
    missed: figures,
    employees: employees.result(),
    hours,
    lines,
    previous: input.previous ?? null,
  };
  return { summary, missed: resolutions };
}
