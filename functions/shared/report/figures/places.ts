/**
 * The figures by hour and by line (`hours`, `lines`, docs/metrics.md "By hour
 * and by line"): one `add` per distinct external call of the period, one
 * `unreturned` per missed call that ended unreturned (see missed.ts).
 *
 * Choices where the contract is silent:
 * - `hours` are by the hour of the call's local (wall-clock) start.
 * - `lines` are made from incoming external calls only (the line is the number
 *   the client dialled); the comment is the first non-empty one among them.
 *   Sorted by `incoming_missed` desc, `incoming` desc, then number (the null
 *   line last).
 */
import type { Call } from '../../calls/call.ts';
import { DAY_MS } from '../../time.ts';
import type { HourFigures, LineFigures } from '../types.ts';
import { nonEmpty, rate } from './values.ts';

const HOUR_MS = 3_600_000;

interface LineAcc {
  number: string | null;
  comment: string | null;
  incoming: number;
  incoming_missed: number;
  unreturned: number;
}

function compareLines(a: LineAcc, b: LineAcc): number {
  const d = b.incoming_missed - a.incoming_missed || b.incoming - a.incoming;
  if (d !== 0) return d;
  if (a.number === b.number) return 0;
  if (a.number === null) return 1;
  if (b.number === null) return -1;
  return a.number < b.number ? -1 : 1;
}

export class PlacesAccumulator {
  private readonly hourIn = new Float64Array(24);
  private readonly hourMissed = new Float64Array(24);
  private readonly hourOut = new Float64Array(24);
  private readonly byLine = new Map<string | null, LineAcc>();

  /** A distinct external call that started in the period. */
  add(c: Call): void {
    const hour = Math.floor((((c.start % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
    if (c.direction !== 'in') {
      this.hourOut[hour] = (this.hourOut[hour] as number) + 1;
      return;
    }
    this.hourIn[hour] = (this.hourIn[hour] as number) + 1;
    let line = this.byLine.get(c.virtualNumber);
    if (line === undefined) {
      line = { number: c.virtualNumber, comment: null, incoming: 0, incoming_missed: 0, unreturned: 0 };
      this.byLine.set(c.virtualNumber, line);
    }
    line.incoming++;
    if (line.comment === null && nonEmpty(c.virtualNumberComment)) line.comment = c.virtualNumberComment;
    if (c.lost) {
      this.hourMissed[hour] = (this.hourMissed[hour] as number) + 1;
      line.incoming_missed++;
    }
  }

  /** A missed call of the period (so its line is known) that ended `unreturned`. */
  unreturned(miss: Call): void {
    (this.byLine.get(miss.virtualNumber) as LineAcc).unreturned++;
  }

  result(): { hours: HourFigures[]; lines: LineFigures[] } {
    return { hours: this.hourRows(), lines: this.lineRows() };
  }

  private hourRows(): HourFigures[] {
    const hours: HourFigures[] = [];
    for (let h = 0; h < 24; h++) {
      const inc = this.hourIn[h] as number;
      const miss = this.hourMissed[h] as number;
      hours.push({
        hour: h,
        incoming: inc,
        incoming_missed: miss,
        missed_rate: rate(miss, inc),
        outgoing: this.hourOut[h] as number,
      });
    }
    return hours;
  }

  private lineRows(): LineFigures[] {
    return Array.from(this.byLine.values())
      .sort(compareLines)
      .map((l) => ({
        virtual_phone_number: l.number,
        virtual_number_comment: l.comment,
        incoming: l.incoming,
        incoming_missed: l.incoming_missed,
        missed_rate: rate(l.incoming_missed, l.incoming),
        unreturned: l.unreturned,
      }));
  }
}
