/**
 * The figures of the report (shared/reference/report-metrics.md) as one pure
 * function: calls in, `Summary` and the per-missed-call resolutions out. No I/O.
 *
 * Cost: one pass over the calls (dedupe, totals, employees, hours, lines), one
 * pass over the follow-ups, then per missed number a sort of its candidate calls
 * and a linear sweep over its misses: O(n log n) overall, with no per-call
 * closures and only the allocations the output needs.
 *
 * Choices where the contract is silent (written down here as it asks):
 * - Period membership: `periodBounds(period).start <= call.start <= end` where
 *   `end` is the last day's 23:59:59; calls outside are ignored in every figure.
 *   Duplicates (same `id`) are counted once, the first occurrence winning; a
 *   follow-up whose id was already seen in `calls` is the same call.
 * - Follow-up horizon: `min(end + callback_horizon_hours, nowWall)`, inclusive,
 *   `end` being 23:59:59 of the period's last day.
 * - Candidates for resolving a missed call: every distinct EXTERNAL call known to
 *   us (the period's calls, any call of `calls` outside the period, the
 *   follow-ups) with the same normal number, starting strictly after the missed
 *   call and no later than the horizon. Lost incoming calls never resolve
 *   anything and are not candidates. Ties on start are broken by id.
 * - A missed call with no number (`contactNormal` null: hidden caller) cannot be
 *   matched to any later call, so it is `unreturned` (still counted in
 *   `missed.unreturned` and in its line's `unreturned`), but it is NOT in
 *   `missed.unreturned_numbers` and not in `missed.numbers`, as it has no number;
 *   its `times_missed_in_period` is 1.
 * - `attempts`: outgoing calls to the number after the missed call, up to and
 *   including the resolving call (so `called_back` has at least 1), or up to the
 *   horizon when unresolved (`callback_failed`: the unanswered attempts; always 0
 *   for `unreturned`).
 * - `callback_employee` (called_back only): the resolving call's `received_call`,
 *   else its first employee, else "(no employee)", so that the employees'
 *   `callbacks` always add up to `missed.called_back`. An employee who only made
 *   callbacks (e.g. after the period) still gets a row.
 * - Means skip calls without the value (null talk / wait): a missing duration is
 *   unknown, not 0. `talk_seconds` sums treat null as 0.
 * - `short_missed`: a missed call with no `call_total_duration` is not short.
 * - Employee `avg_talk_seconds`: over the answered external calls credited to
 *   them, both directions (matching `talk_seconds`). A name repeated within one
 *   call's `employees` counts one miss; empty names are ignored.
 * - `lines` are made from incoming external calls only (the line is the number
 *   the client dialled); the comment is the first non-empty one among them.
 *   Sorted by `incoming_missed` desc, `incoming` desc, then number (the
 *   null line last).
 * - `employees`: sorted by `missed` desc, then name (Russian collation).
 */
import type { Call } from '../calls/call.ts';
import { DAY_MS, type Period, periodBounds } from '../time.ts';
import {
  type CallbackDelayBuckets,
  DEFAULT_SETTINGS,
  type EmployeeFigures,
  type HourFigures,
  type LineFigures,
  type MissedCallResolution,
  type MissedFigures,
  type ReportSettings,
  type Summary,
  type Totals,
} from './types.ts';

export interface SummariseInput {
  /** Whole local days, see time.ts `periodBounds`. */
  period: Period;
  /** Calls fetched for the period (duplicates by id allowed; only starts inside the period count). */
  calls: readonly Call[];
  /** Calls after the period end up to the horizon: used ONLY to resolve missed calls. */
  followUps: readonly Call[];
  /** Defaults to DEFAULT_SETTINGS, key by key. */
  settings?: Partial<ReportSettings>;
  /** Real instant (UTC ms) the report is made: `summary.generated_at`. */
  generatedAt: number;
  /** Wall clock (as `Call.start`) of the moment the report is made: the horizon never goes past it. */
  nowWall: number;
  source?: { report_id: number | null; filter: unknown };
  previous?: { period: Period; totals: Totals } | null;
}

export interface SummariseResult {
  summary: Summary;
  /** One row per missed incoming external call, sorted by start (then id). */
  missed: MissedCallResolution[];
}

/** The name used when a call names no employee. */
export const NO_EMPLOYEE = '(no employee)';

const HOUR_MS = 3_600_000;
const BUCKET_15M = 900;
const BUCKET_1H = 3_600;
const BUCKET_4H = 14_400;

interface EmployeeAcc {
  name: string;
  incoming_answered: number;
  outgoing: number;
  outgoing_answered: number;
  missed: number;
  talk_seconds: number;
  talkSum: number;
  talkCount: number;
  waitSum: number;
  waitCount: number;
  callbacks: number;
}

interface LineAcc {
  number: string | null;
  comment: string | null;
  incoming: number;
  incoming_missed: number;
  unreturned: number;
}

interface NumberGroup {
  /** Missed calls of the period from this number, in input order (sorted later). */
  misses: Call[];
  /** External calls with this number that may resolve a miss (answered, or outgoing). */
  candidates: Call[];
}

/** Mean rounded to the nearest whole second, halves up; null over nothing. */
function mean(sum: number, count: number): number | null {
  return count === 0 ? null : Math.floor(sum / count + 0.5);
}

function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function byStartThenId(a: Call, b: Call): number {
  return a.start - b.start || a.id - b.id;
}

function nonEmpty(s: string | null | undefined): s is string {
  return s != null && s.trim() !== '';
}

/** received_call, else the first employee, else "(no employee)". */
function creditedName(call: Call): string {
  if (nonEmpty(call.receivedCall)) return call.receivedCall;
  const emps = call.employees;
  for (let i = 0; i < emps.length; i++) {
    const e = emps[i];
    if (nonEmpty(e)) return e;
  }
  return NO_EMPLOYEE;
}

function newEmployee(name: string): EmployeeAcc {
  return {
    name,
    incoming_answered: 0,
    outgoing: 0,
    outgoing_answered: 0,
    missed: 0,
    talk_seconds: 0,
    talkSum: 0,
    talkCount: 0,
    waitSum: 0,
    waitCount: 0,
    callbacks: 0,
  };
}

function employee(map: Map<string, EmployeeAcc>, name: string): EmployeeAcc {
  let acc = map.get(name);
  if (acc === undefined) {
    acc = newEmployee(name);
    map.set(name, acc);
  }
  return acc;
}

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

/** First index in the sorted `list` (from `from`) whose start is > `t`. */
function firstAfter(list: readonly Call[], from: number, t: number): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as Call).start > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const collator = new Intl.Collator('ru');

function compareEmployees(a: EmployeeAcc, b: EmployeeAcc): number {
  return b.missed - a.missed || collator.compare(a.name, b.name);
}

function compareLines(a: LineAcc, b: LineAcc): number {
  const d = b.incoming_missed - a.incoming_missed || b.incoming - a.incoming;
  if (d !== 0) return d;
  if (a.number === b.number) return 0;
  if (a.number === null) return 1;
  if (b.number === null) return -1;
  return a.number < b.number ? -1 : 1;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function summarise(input: SummariseInput): SummariseResult {
  const settings = resolveSettings(input.settings);
  const { start: periodStart, end: periodEnd } = periodBounds(input.period);
  const horizon = Math.min(periodEnd + settings.callback_horizon_hours * HOUR_MS, input.nowWall);
  const sla = settings.sla_seconds;
  const shortSeconds = settings.short_call_seconds;

  // Totals accumulators.
  let calls = 0;
  let internal = 0;
  let incoming = 0;
  let incomingAnswered = 0;
  let incomingMissed = 0;
  let shortMissed = 0;
  let outgoing = 0;
  let outgoingAnswered = 0;
  let talkSeconds = 0;
  let talkInSum = 0;
  let talkInCount = 0;
  let talkOutSum = 0;
  let talkOutCount = 0;
  let waitSum = 0;
  let waitCount = 0;
  let maxWait: number | null = null;
  let withinSla = 0;

  const hourIn = new Float64Array(24);
  const hourMissed = new Float64Array(24);
  const hourOut = new Float64Array(24);

  const employees = new Map<string, EmployeeAcc>();
  const lines = new Map<string | null, LineAcc>();
  const groups = new Map<string, NumberGroup>();
  const missedCalls: Call[] = [];
  const seen = new Set<number>();
  /**
   * Distinct external calls with a number that could resolve a miss (answered, or
   * outgoing), from `calls` in and out of the period; follow-ups are added later.
   */
  const pool: Call[] = [];

  // Pass 1: the period's calls.
  const list = input.calls;
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as Call;
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    if (isCandidate(c)) pool.push(c);
    if (c.start < periodStart || c.start > periodEnd) continue;
    calls++;
    if (c.internal) {
      internal++;
      continue;
    }
    const hour = Math.floor((((c.start % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
    const talk = c.talkSeconds;
    if (c.direction === 'in') {
      incoming++;
      hourIn[hour] = (hourIn[hour] as number) + 1;
      let line = lines.get(c.virtualNumber);
      if (line === undefined) {
        line = { number: c.virtualNumber, comment: null, incoming: 0, incoming_missed: 0, unreturned: 0 };
        lines.set(c.virtualNumber, line);
      }
      line.incoming++;
      if (line.comment === null && nonEmpty(c.virtualNumberComment)) line.comment = c.virtualNumberComment;
      if (c.lost) {
        incomingMissed++;
        hourMissed[hour] = (hourMissed[hour] as number) + 1;
        line.incoming_missed++;
        if (c.totalSeconds !== null && c.totalSeconds <= shortSeconds) shortMissed++;
        missedCalls.push(c);
        if (c.contactNormal !== null) {
          const g = groups.get(c.contactNormal);
          if (g === undefined) groups.set(c.contactNormal, { misses: [c], candidates: [] });
          else g.misses.push(c);
        }
        // The phone rang for every listed employee.
        const emps = c.employees;
        let credited = 0;
        for (let k = 0; k < emps.length; k++) {
          const name = emps[k];
          if (!nonEmpty(name) || emps.indexOf(name) !== k) continue;
          employee(employees, name).missed++;
          credited++;
        }
        if (credited === 0) employee(employees, NO_EMPLOYEE).missed++;
      } else {
        incomingAnswered++;
        const w = c.awaitSeconds;
        const e = employee(employees, creditedName(c));
        e.incoming_answered++;
        if (talk !== null) {
          talkSeconds += talk;
          talkInSum += talk;
          talkInCount++;
          e.talk_seconds += talk;
          e.talkSum += talk;
          e.talkCount++;
        }
        if (w === null) {
          withinSla++;
        } else {
          waitSum += w;
          waitCount++;
          e.waitSum += w;
          e.waitCount++;
          if (maxWait === null || w > maxWait) maxWait = w;
          if (w <= sla) withinSla++;
        }
      }
    } else {
      outgoing++;
      hourOut[hour] = (hourOut[hour] as number) + 1;
      const e = employee(employees, creditedName(c));
      e.outgoing++;
      if (!c.lost) {
        outgoingAnswered++;
        e.outgoing_answered++;
        if (talk !== null) {
          talkSeconds += talk;
          talkOutSum += talk;
          talkOutCount++;
          e.talk_seconds += talk;
          e.talkSum += talk;
          e.talkCount++;
        }
      }
    }
  }

  // Candidates: only for numbers with a miss, only calls that can matter.
  if (groups.size > 0) {
    const fu = input.followUps;
    for (let i = 0; i < fu.length; i++) {
      const c = fu[i] as Call;
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      if (isCandidate(c)) pool.push(c);
    }
    for (let i = 0; i < pool.length; i++) {
      const c = pool[i] as Call;
      const g = groups.get(c.contactNormal as string);
      if (g !== undefined) g.candidates.push(c);
    }
  }

  // Resolve every missed call.
  const resolutions: MissedCallResolution[] = [];
  const buckets: CallbackDelayBuckets = { le_15m: 0, le_1h: 0, le_4h: 0, later: 0 };
  let calledBack = 0;
  let calledAgain = 0;
  let failed = 0;
  let unreturned = 0;
  let delaySum = 0;
  const unreturnedNumbers: string[] = [];

  for (const [number, g] of groups) {
    const misses = g.misses;
    const cands = g.candidates;
    misses.sort(byStartThenId);
    cands.sort(byStartThenId);
    const n = cands.length;
    // nextAnswered[i]: index of the first answered candidate at or after i (n when none).
    // outBefore[i]: outgoing candidates among cands[0..i).
    const nextAnswered = new Int32Array(n + 1);
    const outBefore = new Int32Array(n + 1);
    nextAnswered[n] = n;
    for (let i = n - 1; i >= 0; i--)
      nextAnswered[i] = (cands[i] as Call).lost ? (nextAnswered[i + 1] as number) : i;
    for (let i = 0; i < n; i++)
      outBefore[i + 1] = (outBefore[i] as number) + ((cands[i] as Call).direction === 'out' ? 1 : 0);
    const limit = firstAfter(cands, 0, horizon);
    const times = misses.length;
    let from = 0;
    let anyUnreturned = false;
    for (let m = 0; m < times; m++) {
      const miss = misses[m] as Call;
      from = firstAfter(cands, from, miss.start);
      const j = from < limit ? (nextAnswered[from] as number) : n;
      let r: MissedCallResolution;
      if (j < limit) {
        const by = cands[j] as Call;
        const delay = Math.round((by.start - miss.start) / 1000);
        const attempts = (outBefore[j + 1] as number) - (outBefore[from] as number);
        if (by.direction === 'out') {
          const who = creditedName(by);
          employee(employees, who).callbacks++;
          calledBack++;
          delaySum += delay;
          if (delay <= BUCKET_15M) buckets.le_15m++;
          else if (delay <= BUCKET_1H) buckets.le_1h++;
          else if (delay <= BUCKET_4H) buckets.le_4h++;
          else buckets.later++;
          r = resolution(miss, 'called_back', times, by, delay, who, attempts);
        } else {
          calledAgain++;
          r = resolution(miss, 'client_called_again', times, by, delay, null, attempts);
        }
      } else {
        const attempts = from < limit ? (outBefore[limit] as number) - (outBefore[from] as number) : 0;
        if (attempts > 0) {
          failed++;
          r = resolution(miss, 'callback_failed', times, null, null, null, attempts);
        } else {
          unreturned++;
          anyUnreturned = true;
          (lines.get(miss.virtualNumber) as LineAcc).unreturned++;
          r = resolution(miss, 'unreturned', times, null, null, null, 0);
        }
      }
      resolutions.push(r);
    }
    if (anyUnreturned) unreturnedNumbers.push(number);
  }
  // Missed calls without a number cannot be matched to anything: unreturned.
  for (let i = 0; i < missedCalls.length; i++) {
    const miss = missedCalls[i] as Call;
    if (miss.contactNormal !== null) continue;
    unreturned++;
    (lines.get(miss.virtualNumber) as LineAcc).unreturned++;
    resolutions.push(resolution(miss, 'unreturned', 1, null, null, null, 0));
  }
  resolutions.sort(byResolutionStart);
  unreturnedNumbers.sort(compareStrings);

  const totals: Totals = {
    calls,
    internal,
    incoming,
    incoming_answered: incomingAnswered,
    incoming_missed: incomingMissed,
    missed_rate: rate(incomingMissed, incoming),
    short_missed: shortMissed,
    outgoing,
    outgoing_answered: outgoingAnswered,
    talk_seconds: talkSeconds,
    avg_talk_seconds_incoming: mean(talkInSum, talkInCount),
    avg_talk_seconds_outgoing: mean(talkOutSum, talkOutCount),
    avg_wait_seconds: mean(waitSum, waitCount),
    max_wait_seconds: maxWait,
    sla_seconds: sla,
    sla_rate: rate(withinSla, incoming),
  };

  const missed: MissedFigures = {
    total: incomingMissed,
    numbers: groups.size,
    called_back: calledBack,
    client_called_again: calledAgain,
    callback_failed: failed,
    unreturned,
    callback_delay_buckets: buckets,
    avg_callback_delay_seconds: mean(delaySum, calledBack),
    unreturned_numbers: unreturnedNumbers,
  };

  const employeeAccs = Array.from(employees.values()).sort(compareEmployees);
  const employeeRows: EmployeeFigures[] = employeeAccs.map((e) => ({
    name: e.name,
    incoming_answered: e.incoming_answered,
    outgoing: e.outgoing,
    outgoing_answered: e.outgoing_answered,
    missed: e.missed,
    talk_seconds: e.talk_seconds,
    avg_talk_seconds: mean(e.talkSum, e.talkCount),
    avg_wait_seconds: mean(e.waitSum, e.waitCount),
    callbacks: e.callbacks,
  }));

  const hours: HourFigures[] = [];
  for (let h = 0; h < 24; h++) {
    const inc = hourIn[h] as number;
    const miss = hourMissed[h] as number;
    hours.push({
      hour: h,
      incoming: inc,
      incoming_missed: miss,
      missed_rate: rate(miss, inc),
      outgoing: hourOut[h] as number,
    });
  }

  const lineRows: LineFigures[] = Array.from(lines.values())
    .sort(compareLines)
    .map((l) => ({
      virtual_phone_number: l.number,
      virtual_number_comment: l.comment,
      incoming: l.incoming,
      incoming_missed: l.incoming_missed,
      missed_rate: rate(l.incoming_missed, l.incoming),
      unreturned: l.unreturned,
    }));

  const summary: Summary = {
    period: { from: input.period.from, till: input.period.till, timezone: input.period.timezone },
    generated_at: new Date(input.generatedAt).toISOString(),
    source: input.source ?? { report_id: null, filter: null },
    settings,
    totals,
    missed,
    employees: employeeRows,
    hours,
    lines: lineRows,
    previous: input.previous ?? null,
  };
  return { summary, missed: resolutions };
}

/** An external call with a number that can resolve a miss: answered, or outgoing (an attempt). */
function isCandidate(c: Call): boolean {
  return !c.internal && c.contactNormal !== null && (!c.lost || c.direction === 'out');
}

function byResolutionStart(a: MissedCallResolution, b: MissedCallResolution): number {
  return a.call.start - b.call.start || a.call.id - b.call.id;
}

function resolution(
  call: Call,
  outcome: MissedCallResolution['outcome'],
  times: number,
  resolvedBy: Call | null,
  delay: number | null,
  who: string | null,
  attempts: number,
): MissedCallResolution {
  return {
    call,
    outcome,
    times_missed_in_period: times,
    resolved_by: resolvedBy,
    delay_seconds: delay,
    callback_employee: who,
    attempts,
  };
}
