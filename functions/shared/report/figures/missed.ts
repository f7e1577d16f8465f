/**
 * What became of each missed call (`missed`, and the per-miss resolutions of
 * the "Missed calls" sheet; docs/metrics.md "Missed calls and what became of
 * them"): the outcomes, the callbacks, their delays and delay buckets, and the
 * list of clients to call first (call-first.ts).
 *
 * Fed in the one pass (summarise.ts): `consider` every distinct call read (in
 * and out of the period, follow-ups too) and `add` every missed call of the
 * period; then `gatherCandidates` and `result`. Cost: per missed number a sort
 * of its candidate calls, then per miss its effective start (working-hours/
 * schedule.ts) and two binary searches in its number's candidates,
 * O(n log n). The candidates are kept as positions (in the calls, then the
 * follow-ups) with their start, id and two flags; only the missed calls and
 * the calls that resolve them are kept whole (the output holds those).
 *
 * Each miss has its own follow-up horizon and its delays count from its own
 * effective start (follow-up.ts).
 *
 * Choices where the contract is silent:
 * - Candidates for resolving a missed call: every distinct EXTERNAL call known to
 *   us (the period's calls, any call of `calls` outside the period, the
 *   follow-ups) with the same normal number, starting strictly after the missed
 *   call's real start and no later than its horizon. Lost incoming calls never
 *   resolve anything and are not candidates. Ties on start are broken by id.
 * - A missed call with no number (`contactNormal` null: hidden caller) cannot be
 *   matched to any later call, so it is `unreturned` (still counted in
 *   `missed.unreturned`, in its line's `unreturned` and in its employees'
 *   `unreturned`), but it is NOT in `missed.unreturned_numbers`, not in
 *   `missed.numbers` and not in `call_first`, as it has no number; its
 *   `times_missed_in_period` is 1.
 * - `attempts`: outgoing calls to the number after the missed call, up to and
 *   including the resolving call (so `called_back` has at least 1), or up to the
 *   horizon when unresolved (`callback_failed`: the unanswered attempts; always 0
 *   for `unreturned`).
 * - `callback_employee` (called_back only): the resolving call's `received_call`,
 *   else its first employee, else NO_EMPLOYEE, so that the employees'
 *   `callbacks` always add up to `missed.called_back`.
 */
import type { Call } from '../../calls/call.ts';
import { effectiveStart } from '../../working-hours/schedule.ts';
import type {
  CallbackDelayBuckets,
  CallFirstEntry,
  MissedCallResolution,
  MissedFigures,
  Outcome,
} from '../types.ts';
import { callFirstEntry, compareCallFirst, type NumberMisses } from './call-first.ts';
import { Candidates } from './candidates.ts';
import { creditedName, type EmployeesAccumulator } from './employees.ts';
import { delaySeconds, type FollowUpRule, horizonOf } from './follow-up.ts';
import type { PlacesAccumulator } from './places.ts';
import { mean } from './values.ts';

/** Upper bounds (inclusive) of `callback_delay_buckets`, seconds. */
const BUCKET_15M = 900;
const BUCKET_1H = 3_600;
const BUCKET_4H = 14_400;

/** The calls by position (in `calls`, then in the follow-ups), as summarise.ts reads them. */
export interface CallsByPosition {
  /** The call at `k`, to look at and not keep (the next look may overwrite it). */
  look(k: number): Call;
  /** The call at `k`, to keep. */
  keep(k: number): Call;
}

/** An external call with a number that can resolve a miss: answered, or outgoing (an attempt). */
function isCandidate(c: Call): boolean {
  return !c.internal && c.contactNormal !== null && (!c.lost || c.direction === 'out');
}

function byStartThenId(a: Call, b: Call): number {
  return a.start - b.start || a.id - b.id;
}

function byResolutionStart(a: MissedCallResolution, b: MissedCallResolution): number {
  return a.call.start - b.call.start || a.call.id - b.call.id;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function resolution(
  call: Call,
  outcome: Outcome,
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

/** The running counts of the outcomes. */
interface Tally {
  called_back: number;
  client_called_again: number;
  callback_failed: number;
  unreturned: number;
  delaySum: number;
  buckets: CallbackDelayBuckets;
}

export class MissedAccumulator {
  private readonly rule: FollowUpRule;
  private readonly calls: CallsByPosition;
  /** Numbers with a missed call: their group index, and the numbers by group. */
  private readonly groupOf = new Map<string, number>();
  private readonly groupNumbers: string[] = [];
  /** Missed calls with a number (kept whole: the output holds them), and their group. */
  private readonly misses: Call[] = [];
  private readonly missGroup: number[] = [];
  /** Missed calls without a number (they cannot be matched to anything). */
  private readonly anonymousMisses: Call[] = [];
  /**
   * Positions of the distinct external calls with a number that could resolve
   * a miss (answered, or outgoing), until `gatherCandidates` keeps those of a
   * missed number.
   */
  private readonly pool: number[] = [];
  private readonly cand = new Candidates();

  constructor(rule: FollowUpRule, calls: CallsByPosition) {
    this.rule = rule;
    this.calls = calls;
  }

  /** Distinct missed numbers so far (`missed.numbers`): when 0, no call can resolve anything. */
  get numbers(): number {
    return this.groupNumbers.length;
  }

  /** A distinct call at position `k`, in or out of the period, or a follow-up. */
  consider(c: Call, k: number): void {
    if (isCandidate(c)) this.pool.push(k);
  }

  /** A distinct missed incoming external call of the period, kept whole. */
  add(miss: Call): void {
    const number = miss.contactNormal;
    if (number === null) {
      this.anonymousMisses.push(miss);
      return;
    }
    let g = this.groupOf.get(number);
    if (g === undefined) {
      g = this.groupNumbers.length;
      this.groupOf.set(number, g);
      this.groupNumbers.push(number);
    }
    this.misses.push(miss);
    this.missGroup.push(g);
  }

  /** After every call was considered: the candidates are those with a missed number. */
  gatherCandidates(): void {
    const pool = this.pool;
    const groupOf = this.groupOf;
    for (let i = 0; groupOf.size > 0 && i < pool.length; i++) {
      const k = pool[i] as number;
      const c = this.calls.look(k);
      const g = groupOf.get(c.contactNormal as string);
      if (g !== undefined) this.cand.push(g, c, k);
    }
    pool.length = 0;
  }

  /**
   * Resolves every missed call: the figures, and one resolution per missed call
   * sorted by start (then id). Credits the callbacks and the unreturned calls
   * to `employees`, and the unreturned calls to their line in `places`.
   */
  result(
    employees: Pick<EmployeesAccumulator, 'callback' | 'unreturned'>,
    places: Pick<PlacesAccumulator, 'unreturned'>,
  ): { figures: MissedFigures; resolutions: MissedCallResolution[] } {
    const { cand, misses, missGroup, groupNumbers, rule } = this;
    const resolutions: MissedCallResolution[] = [];
    const tally: Tally = {
      called_back: 0,
      client_called_again: 0,
      callback_failed: 0,
      unreturned: 0,
      delaySum: 0,
      buckets: { le_15m: 0, le_1h: 0, le_4h: 0, later: 0 },
    };
    const unreturnedNumbers: string[] = [];
    const callFirst: CallFirstEntry[] = [];

    cand.sort(groupNumbers.length);

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
      const end = cand.runEnd(group);
      const times = m1 - m0;
      let from = cand.runStart(group);
      let anyUnreturned = false;
      let longestRing: number | null = null;
      let r: MissedCallResolution | null = null;
      for (let m = m0; m < m1; m++) {
        const miss = misses[missOrder[m] as number] as Call;
        const ring = miss.totalSeconds;
        if (ring !== null && (longestRing === null || ring > longestRing)) longestRing = ring;
        // The candidates in (real start, horizon]: `from` only moves on, as the misses do.
        from = cand.firstAfter(from, end, miss.start);
        const effective = effectiveStart(rule.hours, miss.start);
        const limit = cand.firstAfter(from, end, horizonOf(rule, effective));
        const j = from < limit ? cand.nextAnswered(from) : end;
        if (j < limit) {
          const by = this.calls.keep(cand.position(j));
          const delay = delaySeconds(effective, by.start);
          const attempts = cand.outgoing(from, j + 1);
          if (by.direction === 'out') {
            const who = creditedName(by);
            employees.callback(who);
            countCallback(tally, delay);
            r = resolution(miss, 'called_back', times, by, delay, who, attempts);
          } else {
            tally.client_called_again++;
            r = resolution(miss, 'client_called_again', times, by, delay, null, attempts);
          }
        } else {
          const attempts = from < limit ? cand.outgoing(from, limit) : 0;
          if (attempts > 0) {
            tally.callback_failed++;
            r = resolution(miss, 'callback_failed', times, null, null, null, attempts);
          } else {
            anyUnreturned = true;
            r = this.unreturned(miss, times, tally, employees, places);
          }
        }
        resolutions.push(r);
      }
      const number = groupNumbers[group] as string;
      if (anyUnreturned) unreturnedNumbers.push(number);
      // `r` is the number's latest miss.
      const firstStart = (misses[missOrder[m0] as number] as Call).start;
      const of: NumberMisses = { number, count: times, firstStart, longestRing };
      const entry = r === null ? null : callFirstEntry(of, r);
      if (entry !== null) callFirst.push(entry);
      m0 = m1;
    }
    // Missed calls without a number cannot be matched to anything: unreturned.
    const anonymous = this.anonymousMisses;
    for (let i = 0; i < anonymous.length; i++) {
      resolutions.push(this.unreturned(anonymous[i] as Call, 1, tally, employees, places));
    }
    resolutions.sort(byResolutionStart);
    unreturnedNumbers.sort(compareStrings);
    callFirst.sort(compareCallFirst);

    const figures: MissedFigures = {
      total: misses.length + anonymous.length,
      numbers: groupNumbers.length,
      called_back: tally.called_back,
      client_called_again: tally.client_called_again,
      callback_failed: tally.callback_failed,
      unreturned: tally.unreturned,
      callback_delay_buckets: tally.buckets,
      avg_callback_delay_seconds: mean(tally.delaySum, tally.called_back),
      unreturned_numbers: unreturnedNumbers,
      call_first: callFirst,
    };
    return { figures, resolutions };
  }

  /** A miss nothing answered or tried in its horizon: counted, and credited to its line and employees. */
  private unreturned(
    miss: Call,
    times: number,
    tally: Tally,
    employees: Pick<EmployeesAccumulator, 'unreturned'>,
    places: Pick<PlacesAccumulator, 'unreturned'>,
  ): MissedCallResolution {
    tally.unreturned++;
    employees.unreturned(miss);
    places.unreturned(miss);
    return resolution(miss, 'unreturned', times, null, null, null, 0);
  }
}

function countCallback(tally: Tally, delay: number): void {
  tally.called_back++;
  tally.delaySum += delay;
  const b = tally.buckets;
  if (delay <= BUCKET_15M) b.le_15m++;
  else if (delay <= BUCKET_1H) b.le_1h++;
  else if (delay <= BUCKET_4H) b.le_4h++;
  else b.later++;
}
