/**
 * Weekday × hour of a multi-day report (`week_hours`, docs/metrics.md "By
 * day"): the picture a manager staffs by. One `add` per distinct external call
 * of the period up to `as_of`; 7 × 24 cells `{weekday, hour, incoming,
 * incoming_missed}`, Monday 00:00 first, then by hour, then the next weekday.
 *
 * Choices where the contract is silent:
 * - Weekday and hour are those of the call's local (wall-clock) start, as `hours`.
 * - All 168 cells are listed, those without calls with zeros, even when the
 *   period has fewer than seven dates (a Mon–Wed report has empty Thursdays).
 *   summarise.ts makes this accumulator only for a report of two dates or more
 *   (`week_hours` is null for one date).
 */
import type { Call } from '../../calls/call.ts';
import { DAY_MS } from '../../time.ts';
import type { WeekHourFigures } from '../types.ts';

const HOUR_MS = 3_600_000;
const CELLS = 7 * 24;

/** Monday = 0 of a wall instant's day (day 0, 1970-01-01, was a Thursday). */
function weekdayFromMonday(wallMs: number): number {
  return (((Math.floor(wallMs / DAY_MS) + 3) % 7) + 7) % 7;
}

export class WeekHoursAccumulator {
  private readonly incoming = new Float64Array(CELLS);
  private readonly incomingMissed = new Float64Array(CELLS);

  /** A distinct external call that started in the period (and not after `as_of`). */
  add(c: Call): void {
    if (c.direction !== 'in') return;
    const hour = Math.floor((((c.start % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
    const cell = weekdayFromMonday(c.start) * 24 + hour;
    this.incoming[cell] = (this.incoming[cell] as number) + 1;
    if (c.lost) this.incomingMissed[cell] = (this.incomingMissed[cell] as number) + 1;
  }

  result(): WeekHourFigures[] {
    const cells: WeekHourFigures[] = [];
    for (let cell = 0; cell < CELLS; cell++) {
      cells.push({
        weekday: Math.floor(cell / 24) + 1,
        hour: cell % 24,
        incoming: this.incoming[cell] as number,
        incoming_missed: this.incomingMissed[cell] as number,
      });
    }
    return cells;
  }
}
