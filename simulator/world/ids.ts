/**
 * `communication_id` in the synthetic world: a function of the date and the
 * call's place in it. Every date has its own block of `IDS_PER_DAY` ids, the
 * blocks follow the calendar, and within a day ids grow with the start time
 * (with small gaps, as other accounts' calls interleave): ids grow with the
 * start across days too, and a call has the same id in every run that holds it.
 */

/** The id base of the default world. */
export const DEFAULT_FIRST_ID = 3_000_000_000;
/** The day (since 1970-01-01) whose block starts at the id base: 2020-01-01. */
export const ID_EPOCH_DAY = 18_262;
/** The size of a day's block of ids: at most this many calls a day. */
export const IDS_PER_DAY = 1_000_000;

/** The first id of a day's block. */
export function firstIdOfDay(base: number, day: number): number {
  return base + (day - ID_EPOCH_DAY) * IDS_PER_DAY;
}

/** Throws a RangeError, saying what is allowed, when the days' ids would not be safe positive integers. */
export function checkIdRange(base: number, firstDay: number, lastDay: number, label: string): void {
  if (!Number.isSafeInteger(base)) {
    throw new RangeError(`firstCommunicationId must be a whole number, got ${base}`);
  }
  if (firstIdOfDay(base, firstDay) < 1) {
    throw new RangeError(
      `Ids for ${label} would fall below 1: ids start at firstCommunicationId (${base}) on 2020-01-01 and ` +
        `take ${IDS_PER_DAY} a day; use a later period or a larger firstCommunicationId`,
    );
  }
  if (!Number.isSafeInteger(firstIdOfDay(base, lastDay + 1))) {
    throw new RangeError(
      `Ids for ${label} would exceed ${Number.MAX_SAFE_INTEGER}: use a smaller firstCommunicationId`,
    );
  }
}

/** Hands out one day's ids in start order. `rand` is the day's row stream. */
export class DayIds {
  private id: number;
  private readonly gaps: boolean;
  private readonly rand: () => number;

  /** `rows`: how many calls the day holds (gaps are left only while they fit the block). */
  constructor(base: number, day: number, rows: number, rand: () => number, date: string) {
    if (rows > IDS_PER_DAY) {
      throw new RangeError(`${rows} calls on ${date}: the generator makes at most ${IDS_PER_DAY} a day`);
    }
    this.rand = rand;
    this.gaps = rows * 4 + 10 <= IDS_PER_DAY;
    this.id = firstIdOfDay(base, day) + (this.gaps ? Math.floor(rand() * 10) : 0);
  }

  take(): number {
    const id = this.id;
    // Ids of other accounts' calls interleave with ours: leave small gaps.
    this.id += this.gaps && this.rand() < 0.25 ? 2 + Math.floor(this.rand() * 3) : 1;
    return id;
  }
}
