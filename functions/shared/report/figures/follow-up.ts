/**
 * How far a missed call is followed up, and how late its callback came
 * (docs/metrics.md, "Missed calls and what became of them").
 * A missed call's **effective start** is its start when in hours, else the
 * moment the next working range begins (working-hours/schedule.ts
 * `effectiveStart`; with no working hours, its start). Its **horizon** is the
 * effective start + `callback_horizon_hours`, inclusive, never past the moment
 * the report is made. Wall-clock milliseconds throughout, as `Call.start`.
 *
 * Choices where the contract is silent:
 * - With no opening within OPENING_SEARCH_DAYS the miss has no effective start
 *   (null): its horizon is the moment the report is made (as the contract
 *   says), and a call that resolves it came before any opening we know of, so
 *   its delay is 0, as any callback before opening.
 * - A delay is whole seconds (the API's times have no fraction).
 */
import type { WorkingHours } from '../../working-hours/parse.ts';

const HOUR_MS = 3_600_000;

/** What every miss's follow-up depends on, fixed for one report. */
export interface FollowUpRule {
  /** The team's working hours; null: always open. */
  hours: WorkingHours | null;
  /** `callback_horizon_hours`. */
  horizonHours: number;
  /** Wall clock of the moment the report is made: no horizon goes past it. */
  nowWall: number;
}

/** The last moment (inclusive) a call may start and still follow up a miss with this effective start. */
export function horizonOf(rule: FollowUpRule, effective: number | null): number {
  if (effective === null) return rule.nowWall;
  return Math.min(effective + rule.horizonHours * HOUR_MS, rule.nowWall);
}

/** Seconds from the effective start to a call at `at`, never below 0. */
export function delaySeconds(effective: number | null, at: number): number {
  return effective === null ? 0 : Math.max(0, Math.round((at - effective) / 1000));
}
