/**
 * The headline figures (`totals`, docs/metrics.md "Headline figures", and
 * their in-hours counterparts, "Working hours"): one `add` per distinct call
 * of the period, internal ones included.
 *
 * Choices where the contract is silent:
 * - Means skip calls without the value (null talk / wait): a missing duration
 *   is unknown, not 0. `talk_seconds` sums treat null as 0.
 * - `short_missed`: a missed call with no `call_total_duration` is not short.
 * - `sla_rate`: an answered incoming call with no wait counts as within.
 * - `incoming_in_hours`, `incoming_missed_in_hours`: by the call's start alone
 *   (schedule.ts `isInHours`), whatever its duration; with no working hours
 *   every call is in hours, so they are `incoming` and `incoming_missed`.
 */
import type { Call } from '../../calls/call.ts';
import type { WorkingHours } from '../../working-hours/parse.ts';
import { isInHours } from '../../working-hours/schedule.ts';
import type { ReportSettings, Totals } from '../types.ts';
import { mean, rate } from './values.ts';

/** Whether an answered incoming call's wait is within the service level (no wait value: within). */
export function withinSla(wait: number | null, slaSeconds: number): boolean {
  return wait === null || wait <= slaSeconds;
}

export class TotalsAccumulator {
  private readonly sla: number;
  private readonly shortSeconds: number;
  private readonly hours: WorkingHours | null;
  private calls = 0;
  private internal = 0;
  private incoming = 0;
  private incomingAnswered = 0;
  private incomingMissed = 0;
  private shortMissed = 0;
  private outgoing = 0;
  private outgoingAnswered = 0;
  private talkSeconds = 0;
  private talkInSum = 0;
  private talkInCount = 0;
  private talkOutSum = 0;
  private talkOutCount = 0;
  private waitSum = 0;
  private waitCount = 0;
  private maxWait: number | null = null;
  private withinSla = 0;
  private incomingInHours = 0;
  private incomingMissedInHours = 0;

  /** `hours`: the parsed `settings.working_hours` (null: always open). */
  constructor(settings: ReportSettings, hours: WorkingHours | null) {
    this.sla = settings.sla_seconds;
    this.shortSeconds = settings.short_call_seconds;
    this.hours = hours;
  }

  /** A distinct call that started in the period. */
  add(c: Call): void {
    this.calls++;
    if (c.internal) {
      this.internal++;
      return;
    }
    const talk = c.talkSeconds;
    if (c.direction === 'in') {
      this.incoming++;
      const inHours = isInHours(this.hours, c.start);
      if (inHours) this.incomingInHours++;
      if (c.lost) {
        this.incomingMissed++;
        if (inHours) this.incomingMissedInHours++;
        if (c.totalSeconds !== null && c.totalSeconds <= this.shortSeconds) this.shortMissed++;
        return;
      }
      this.incomingAnswered++;
      if (talk !== null) {
        this.talkSeconds += talk;
        this.talkInSum += talk;
        this.talkInCount++;
      }
      const w = c.awaitSeconds;
      if (withinSla(w, this.sla)) this.withinSla++;
      if (w !== null) {
        this.waitSum += w;
        this.waitCount++;
        if (this.maxWait === null || w > this.maxWait) this.maxWait = w;
      }
      return;
    }
    this.outgoing++;
    if (!c.lost) {
      this.outgoingAnswered++;
      if (talk !== null) {
        this.talkSeconds += talk;
        this.talkOutSum += talk;
        this.talkOutCount++;
      }
    }
  }

  result(): Totals {
    return {
      calls: this.calls,
      internal: this.internal,
      incoming: this.incoming,
      incoming_answered: this.incomingAnswered,
      incoming_missed: this.incomingMissed,
      missed_rate: rate(this.incomingMissed, this.incoming),
      short_missed: this.shortMissed,
      outgoing: this.outgoing,
      outgoing_answered: this.outgoingAnswered,
      talk_seconds: this.talkSeconds,
      avg_talk_seconds_incoming: mean(this.talkInSum, this.talkInCount),
      avg_talk_seconds_outgoing: mean(this.talkOutSum, this.talkOutCount),
      avg_wait_seconds: mean(this.waitSum, this.waitCount),
      max_wait_seconds: this.maxWait,
      sla_seconds: this.sla,
      sla_rate: rate(this.withinSla, this.incoming),
      incoming_in_hours: this.incomingInHours,
      incoming_missed_in_hours: this.incomingMissedInHours,
      missed_rate_in_hours: rate(this.incomingMissedInHours, this.incomingInHours),
    };
  }
}
