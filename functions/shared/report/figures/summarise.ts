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
 * - Follow-up horizon: each missed call's own (missed.ts), never past `nowWall`.
 * - A partial period (`asOf` given): a call that started after `asOf` is
 *   skipped before anything else, so it counts in no figure and resolves no
 *   miss (the pipeline never fetches one: the horizon stops at now = `asOf`);
 *   a call that started at `asOf` exactly counts. `asOf` must lie before the
 *   period's end (a period that has ended is whole: `asOf` null).
 * - `settings.working_hours` is parsed once per report and given back in its
 *   normal text form, whatever form it came in; text the grammar refuses
 *   throws its WorkingHoursError.
 */
import type { Call } from '../../calls/call.ts';
import type { CallList } from '../../calls/call-list.ts';
import { formatWall, type Period, periodBounds, periodDays } from '../../time.ts';
import { formatWorkingHours } from '../../working-hours/format.ts';
import { parseWorkingHours } from '../../working-hours/parse.ts';
import {
  DEFAULT_SETTINGS,
  type MissedCallResolution,
  type Previous,
  type ReportSettings,
  type Summary,
  type SummaryPeriod,
} from '../types.ts';
import { DaysAccumulator } from './days.ts';
import { EmployeesAccumulator } from './employees.ts';
import { type CallsByPosition, MissedAccumulator } from './missed.ts';
import { PlacesAccumulator } from './places.ts';
import { TotalsAccumulator } from './totals.ts';
import { WeekHoursAccumulator } from './week-hours.ts';

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
  /**
   * For a partial period (it ends after the moment the report is made): that
   * moment on the wall clock, the last the figures cover (`period.as_of`).
   * Null or absent: the whole period.
   */
  asOf?: number | null;
  source?: Summary['source'];
  previous?: Previous | null;
}

export interface SummariseResult {
  summary: Summary;
  /** One row per missed incoming external call, sorted by start (then id). */
  missed: MissedCallResolution[];
}

function resolveSettings(partial: Partial<ReportSettings> | undefined): ReportSettings {
  const s: ReportSettings = {
    sla_seconds: partial?.sla_seconds ?? DEFAULT_SETTINGS.sla_seconds,
    short_call_seconds: partial?.short_call_seconds ?? DEFAULT_SETTINGS.short_call_seconds,
    callback_horizon_hours: partial?.callback_horizon_hours ?? DEFAULT_SETTINGS.callback_horizon_hours,
    working_hours: partial?.working_hours ?? DEFAULT_SETTINGS.working_hours,
  };
  for (const key of ['sla_seconds', 'short_call_seconds', 'callback_horizon_hours'] as const) {
    const v = s[key];
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`Setting ${key} must be a number >= 0, got ${v}`);
  }
  return s;
}

/** The summary's period: whole, or partial up to `asOf` (which must lie before the period's end). */
function summaryPeriod(period: Period, end: number, asOf: number | null): SummaryPeriod {
  if (asOf !== null && !(Number.isFinite(asOf) && asOf <= end)) {
    throw new RangeError(
      `asOf must be a wall instant before the end of the period ${period.from}..${period.till} (or null for a whole period), got ${asOf}`,
    );
  }
  const { from, till, timezone } = period;
  return { from, till, timezone, partial: asOf !== null, as_of: asOf === null ? null : formatWall(asOf) };
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
  const workingHours = parseWorkingHours(settings.working_hours ?? '');
  settings.working_hours = formatWorkingHours(workingHours);
  const { start: periodStart, end: periodEnd } = periodBounds(input.period);
  const asOf = input.asOf ?? null;
  const period = summaryPeriod(input.period, periodEnd, asOf);
  /** Calls that started after this count in nothing (a partial period's `asOf`). */
  const lastStart = asOf ?? Number.POSITIVE_INFINITY;
  const dates = periodDays(input.period);

  const calls = new CallPositions(input.calls, input.followUps);
  const totals = new TotalsAccumulator(settings, workingHours);
  const missed = new MissedAccumulator(
    { hours: workingHours, horizonHours: settings.callback_horizon_hours, nowWall: input.nowWall },
    calls,
  );
  const employees = new EmployeesAccumulator();
  const places = new PlacesAccumulator();
  const days = new DaysAccumulator(periodStart, dates, asOf, settings.sla_seconds);
  const weekHours = dates > 1 ? new WeekHoursAccumulator() : null;
  const seen = calls.distinctIds ? null : new Set<number>();

  // The one pass over the period's calls (and those of `calls` outside it, which may resolve a miss).
  input.calls.each((c, k) => {
    if (c.start > lastStart) return;
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
    days.add(c);
    weekHours?.add(c);
    if (c.direction === 'in' && c.lost) missed.add(calls.keep(k));
  });
  // The follow-ups matter only to resolve a missed number.
  if (missed.numbers > 0) {
    input.followUps.each((c, j) => {
      if (c.start > lastStart) return;
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
  days.unreturned(resolutions);
  const summary: Summary = {
    period,
    generated_at: new Date(input.generatedAt).toISOString(),
    source: input.source ?? { report_id: null, filter: null },
    settings,
    totals: totals.result(),
    missed: figures,
    employees: employees.result(),
    hours,
    lines,
    days: days.result(),
    week_hours: weekHours === null ? null : weekHours.result(),
    previous: input.previous ?? null,
  };
  return { summary, missed: resolutions };
}
