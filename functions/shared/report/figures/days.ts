/**
 * The figures by local date (`days`, docs/metrics.md "By day"): one `add` per
 * distinct external call of the period up to `as_of`, one `unreturned` per
 * missed call that ended unreturned (the outcome is missed.ts's, read from its
 * resolutions, never worked out again here). Per date: `date`, `incoming`,
 * `incoming_missed`, `missed_rate`, `unreturned`, `outgoing`,
 * `avg_wait_seconds`, `sla_rate`, each as in totals.ts over that date's calls.
 *
 * The counters are flat arrays of one slot per date, made once per report: an
 * `add` allocates nothing.
 *
 * Choices where the contract is silent:
 * - A call belongs to the date of its local (wall-clock) start; a missed call's
 *   `unreturned` goes to the date the miss started, whenever its horizon ended.
 * - In a partial period a date is "after `as_of`" when it begins after it (its
 *   00:00:00 is later than `as_of`): it is listed with zero counts and `null`
 *   `missed_rate`, `sla_rate` and `avg_wait_seconds`. The date that holds
 *   `as_of` shows its calls so far, its rates 0 over no calls as in `totals`.
 */
import type { Call } from '../../calls/call.ts';
import { DAY_MS, formatWallDate } from '../../time.ts';
import type { DayFigures, MissedCallResolution } from '../types.ts';
import { withinSla } from './totals.ts';
import { mean, rate } from './values.ts';

export class DaysAccumulator {
  /** Wall instant of the first date's 00:00:00. */
  private readonly start: number;
  private readonly count: number;
  /** The moment the report covers up to (wall clock), or null for a whole period. */
  private readonly asOf: number | null;
  private readonly sla: number;
  private readonly incoming: Float64Array;
  private readonly incomingMissed: Float64Array;
  private readonly unreturnedMisses: Float64Array;
  private readonly outgoing: Float64Array;
  private readonly waitSum: Float64Array;
  private readonly waitCount: Float64Array;
  private readonly withinSla: Float64Array;

  /** `start`: the period's first second; `count`: its dates; `asOf`: see SummariseInput. */
  constructor(start: number, count: number, asOf: number | null, slaSeconds: number) {
    this.start = start;
    this.count = count;
    this.asOf = asOf;
    this.sla = slaSeconds;
    this.incoming = new Float64Array(count);
    this.incomingMissed = new Float64Array(count);
    this.unreturnedMisses = new Float64Array(count);
    this.outgoing = new Float64Array(count);
    this.waitSum = new Float64Array(count);
    this.waitCount = new Float64Array(count);
    this.withinSla = new Float64Array(count);
  }

  private dateOf(start: number): number {
    return Math.floor((start - this.start) / DAY_MS);
  }

  /** A distinct external call that started in the period (and not after `as_of`). */
  add(c: Call): void {
    const d = this.dateOf(c.start);
    if (c.direction !== 'in') {
      this.outgoing[d] = (this.outgoing[d] as number) + 1;
      return;
    }
    this.incoming[d] = (this.incoming[d] as number) + 1;
    if (c.lost) {
      this.incomingMissed[d] = (this.incomingMissed[d] as number) + 1;
      return;
    }
    const w = c.awaitSeconds;
    if (withinSla(w, this.sla)) this.withinSla[d] = (this.withinSla[d] as number) + 1;
    if (w !== null) {
      this.waitSum[d] = (this.waitSum[d] as number) + w;
      this.waitCount[d] = (this.waitCount[d] as number) + 1;
    }
  }

  /** The outcomes missed.ts gave: each `unreturned` miss counts on the date it started. */
  unreturned(resolutions: readonly MissedCallResolution[]): void {
    for (let i = 0; i < resolutions.length; i++) {
      const r = resolutions[i] as MissedCallResolution;
      if (r.outcome !== 'unreturned') continue;
      const d = this.dateOf(r.call.start);
      this.unreturnedMisses[d] = (this.unreturnedMisses[d] as number) + 1;
    }
  }

  result(): DayFigures[] {
    const days: DayFigures[] = [];
    for (let d = 0; d < this.count; d++) {
      const begins = this.start + d * DAY_MS;
      const date = formatWallDate(begins);
      if (this.asOf !== null && begins > this.asOf) {
        days.push({
          date,
          incoming: 0,
          incoming_missed: 0,
          missed_rate: null,
          unreturned: 0,
          outgoing: 0,
          avg_wait_seconds: null,
          sla_rate: null,
        });
        continue;
      }
      const incoming = this.incoming[d] as number;
      const missed = this.incomingMissed[d] as number;
      days.push({
        date,
        incoming,
        incoming_missed: missed,
        missed_rate: rate(missed, incoming),
        unreturned: this.unreturnedMisses[d] as number,
        outgoing: this.outgoing[d] as number,
        avg_wait_seconds: mean(this.waitSum[d] as number, this.waitCount[d] as number),
        sla_rate: rate(this.withinSla[d] as number, incoming),
      });
    }
    return days;
  }
}
