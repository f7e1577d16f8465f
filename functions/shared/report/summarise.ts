/**
 * The figures of the report (shared/reference/report-metrics.md) as one pure
 * function: calls in, `Summary` and the per-missed-call resolutions out. No I/O.
 *
 * Cost: one pass over the calls (dedupe, totals, employees, hours, lines), one
 * pass over the follow-ups, then per missed number a sort of its candidate calls
 * and a linear sweep over its misses: O(n log n) overall, with no per-call
 * closures and only the allocations the output needs.
 *
 * Memory: the calls may be a `CallList` that makes each call when asked (a
 * `CallTable`): nothing here keeps a call it read except the missed calls and
 * the calls that resolve them (the output holds those). Candidates are kept as
 * positions with their start, id and two flags; when the list promises distinct
 * ids (`distinctIds`), no set of ids is built either.
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
import { type CallList, callAt, readCall, scratchCall } from '../calls/table.ts';
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
  /**
   * Calls fetched for the period (duplicates by id allowed; only starts inside
   * the period count): an array, or any `CallList`.
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

/**
 * The calls that may resolve a miss, in flat columns (a year of a big centre
 * has a few hundred thousand): group (the number's index), start, id, flags
 * (1: lost, 2: outgoing), and position (in calls, then follow-ups).
 */
class Candidates {
  group = new Int32Array(1024);
  start = new Float64Array(1024);
  id = new Float64Array(1024);
  flags = new Uint8Array(1024);
  at = new Float64Array(1024);
  length = 0;

  push(group: number, c: Call, at: number): void {
    if (this.length === this.group.length) this.grow();
    const i = this.length++;
    this.group[i] = group;
    this.start[i] = c.start;
    this.id[i] = c.id;
    this.flags[i] = (c.lost ? 1 : 0) | (c.direction === 'out' ? 2 : 0);
    this.at[i] = at;
  }

  private grow(): void {
    const size = this.group.length * 2;
    const group = new Int32Array(size);
    group.set(this.group);
    this.group = group;
    const start = new Float64Array(size);
    start.set(this.start);
    this.start = start;
    const id = new Float64Array(size);
    id.set(this.id);
    this.id = id;
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.flags = flags;
    const at = new Float64Array(size);
    at.set(this.at);
    this.at = at;
  }
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

/** First index in the sorted `starts[from..end)` that is > `t` (`end` when none). */
function firstAfter(starts: Float64Array, from: number, end: number, t: number): number {
  let lo = from;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((starts[mid] as number) > t) hi = mid;
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
  /** Numbers with a missed call: their group index, and the numbers by group. */
  const groupOf = new Map<string, number>();
  const groupNumbers: string[] = [];
  /** Missed calls with a number (kept whole: the output holds them), and their group. */
  const misses: Call[] = [];
  const missGroup: number[] = [];
  /** Missed calls without a number (they cannot be matched to anything). */
  const anonymousMisses: Call[] = [];
  const list = input.calls;
  const fu = input.followUps;
  const inCalls = list.length;
  const callAtPosition = (k: number): Call => (k < inCalls ? callAt(list, k) : callAt(fu, k - inCalls));
  // Calls only looked at are read into one reused object; those kept are made whole.
  const scratch = scratchCall();
  const distinct = list.distinctIds === true && (fu.length === 0 || fu.distinctIds === true);
  const seen = distinct ? null : new Set<number>();
  /**
   * Positions of the distinct external calls with a number that could resolve
   * a miss (answered, or outgoing), from `calls` in and out of the period;
   * follow-ups are added later.
   */
  const pool: number[] = [];

  // Pass 1: the period's calls.
  for (let i = 0; i < inCalls; i++) {
    const c = readCall(list, i, scratch);
    if (seen !== null) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
    }
    if (isCandidate(c)) pool.push(i);
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
        const kept = c === scratch ? callAt(list, i) : c;
        if (c.contactNormal !== null) {
          let g = groupOf.get(c.contactNormal);
          if (g === undefined) {
            g = groupNumbers.length;
            groupOf.set(c.contactNormal, g);
            groupNumbers.push(c.contactNormal);
          }
          misses.push(kept);
          missGroup.push(g);
        } else anonymousMisses.push(kept);
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
  const cand = new Candidates();
  if (groupOf.size > 0) {
    for (let i = 0; i < fu.length; i++) {
      const c = readCall(fu, i, scratch);
      if (seen !== null) {
        if (seen.has(c.id)) continue;
        seen.add(c.id);
      }
      if (isCandidate(c)) pool.push(inCalls + i);
    }
    for (let i = 0; i < pool.length; i++) {
      const k = pool[i] as number;
      const c = k < inCalls ? readCall(list, k, scratch) : readCall(fu, k - inCalls, scratch);
      const g = groupOf.get(c.contactNormal as string);
      if (g !== undefined) cand.push(g, c, k);
    }
  }
  seen?.clear();
  pool.length = 0;

  // Resolve every missed call.
  const resolutions: MissedCallResolution[] = [];
  const buckets: CallbackDelayBuckets = { le_15m: 0, le_1h: 0, le_4h: 0, later: 0 };
  let calledBack = 0;
  let calledAgain = 0;
  let failed = 0;
  let unreturned = 0;
  let delaySum = 0;
  const unreturnedNumbers: string[] = [];

  // Candidates in (group, start, id) order, and each group's run of them.
  const n = cand.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  {
    const { group, start, id } = cand;
    order.sort(
      (a, b) =>
        (group[a] as number) - (group[b] as number) ||
        (start[a] as number) - (start[b] as number) ||
        (id[a] as number) - (id[b] as number),
    );
  }
  const starts = new Float64Array(n);
  const flags = new Uint8Array(n);
  const runOf = new Int32Array(groupNumbers.length + 1);
  for (let i = 0; i < n; i++) {
    const o = order[i] as number;
    starts[i] = cand.start[o] as number;
    flags[i] = cand.flags[o] as number;
    runOf[(cand.group[o] as number) + 1] = i + 1;
  }
  for (let g = 1; g < runOf.length; g++) runOf[g] = Math.max(runOf[g] as number, runOf[g - 1] as number);
  const candidate = (j: number): Call => callAtPosition(cand.at[order[j] as number] as number);
  // nextAnswered[i]: index of the first answered candidate at or after i in its run (the run's end when none).
  // outBefore[i]: outgoing candidates before i (differences only taken within a run).
  const nextAnswered = new Int32Array(n);
  const outBefore = new Int32Array(n + 1);
  for (let i = 0; i < n; i++)
    outBefore[i + 1] = (outBefore[i] as number) + ((flags[i] as number) & 2 ? 1 : 0);
  for (let g = 0; g < groupNumbers.length; g++) {
    const end = runOf[g + 1] as number;
    for (let i = end - 1; i >= (runOf[g] as number); i--)
      nextAnswered[i] = (flags[i] as number) & 1 ? (i + 1 < end ? (nextAnswered[i + 1] as number) : end) : i;
  }

  // The misses in (group, start, id) order.
  const missOrder = Array.from(misses.keys());
  missOrder.sort(
    (a, b) =>
      (missGroup[a] as number) - (missGroup[b] as number) ||
      byStartThenId(misses[a] as Call, misses[b] as Call),
  );

  for (let m0 = 0; m0 < missOrder.length; ) {
    const group = missGroup[missOrder[m0] as number] as number;
    let m1 = m0;
    while (m1 < missOrder.length && missGroup[missOrder[m1] as number] === group) m1++;
    const first = runOf[group] as number;
    const end = runOf[group + 1] as number;
    const limit = firstAfter(starts, first, end, horizon);
    const times = m1 - m0;
    let from = first;
    let anyUnreturned = false;
    for (let m = m0; m < m1; m++) {
      const miss = misses[missOrder[m] as number] as Call;
      from = firstAfter(starts, from, end, miss.start);
      const j = from < limit ? (nextAnswered[from] as number) : end;
      let r: MissedCallResolution;
      if (j < limit) {
        const by = candidate(j);
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
    if (anyUnreturned) unreturnedNumbers.push(groupNumbers[group] as string);
    m0 = m1;
  }
  // Missed calls without a number cannot be matched to anything: unreturned.
  for (let i = 0; i < anonymousMisses.length; i++) {
    const miss = anonymousMisses[i] as Call;
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
    numbers: groupNumbers.length,
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
