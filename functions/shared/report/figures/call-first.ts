/**
 * The list a manager acts on (`missed.call_first`, docs/metrics.md "Call these
 * first"): one entry per normal number whose latest missed call of the period
 * ended `unreturned` or `callback_failed`, built by missed.ts from that
 * number's misses (sorted by start, then id: the last one is the latest, so a
 * tie on start goes to the larger `communication_id`).
 *
 * Choices where the contract is silent:
 * - `display` is the latest miss's `contactNumber`; `formatted` is
 *   calls/phone.ts `formattedPhone` of it.
 * - `line_comment` and the names in `employees` follow the rest of the report:
 *   a blank comment is none, a name repeated within the call is listed once and
 *   a blank name not at all (employees.ts `rangNames`), in the API's order.
 * - `first_missed_at` ties (same second) fall through to `number`.
 */
import type { Call } from '../../calls/call.ts';
import { formattedPhone } from '../../calls/phone.ts';
import { formatWall } from '../../time.ts';
import type { CallFirstEntry, MissedCallResolution } from '../types.ts';
import { rangNames } from './employees.ts';
import { nonEmpty } from './values.ts';

/** What call_first needs of all of a number's misses in the period. */
export interface NumberMisses {
  /** The normal number. */
  number: string;
  /** How many. */
  count: number;
  /** The first one's start (wall ms). */
  firstStart: number;
  /** The largest `totalSeconds` among them, null when none has one. */
  longestRing: number | null;
}

/** The number's entry, or null when its latest miss (`latest`) was resolved. */
export function callFirstEntry(of: NumberMisses, latest: MissedCallResolution): CallFirstEntry | null {
  const outcome = latest.outcome;
  if (outcome !== 'unreturned' && outcome !== 'callback_failed') return null;
  const call: Call = latest.call;
  const display = call.contactNumber ?? of.number;
  return {
    number: of.number,
    display,
    formatted: formattedPhone(display, of.number) ?? display,
    outcome,
    misses: of.count,
    first_missed_at: formatWall(of.firstStart),
    last_missed_at: formatWall(call.start),
    longest_ring_seconds: of.longestRing,
    attempts: latest.attempts,
    line: call.virtualNumber,
    line_comment: nonEmpty(call.virtualNumberComment) ? call.virtualNumberComment : null,
    employees: rangNames(call),
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The contract's order: unreturned first, then more misses, then the earliest first miss, then the number. */
export function compareCallFirst(a: CallFirstEntry, b: CallFirstEntry): number {
  return (
    (a.outcome === b.outcome ? 0 : a.outcome === 'unreturned' ? -1 : 1) ||
    b.misses - a.misses ||
    compareText(a.first_missed_at, b.first_missed_at) ||
    compareText(a.number, b.number)
  );
}
