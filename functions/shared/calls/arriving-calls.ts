/**
 * The calls of a period in start order, handed on in runs while the fetch is
 * still going (issue 19, "overlap"; docs/architecture.md, "Fetch and write
 * overlapped"): so that the "All calls" rows of the windows already read are
 * written and compressed while later windows are fetched and parsed.
 *
 * The fetch tells `arrived(table, till)` after each window it read whole:
 * every call starting up to `till` is in the table then (windows are read one
 * after another in time order, calls/source.ts `CallsArriving`). Each run is
 * the calls new since the last run that start up to `till` and up to the
 * period's `end`, sorted by start then id, the order `CallTable.sortByStart`
 * gives the whole period. Runs follow each other in time (a run's calls all
 * start after the previous run's), and calls of one start second always fall
 * in one run, so the runs one after another are the whole period sorted, call
 * for call. Calls after `end` (the follow-ups fetched for the misses) are in
 * no run. A call that came in a window later split (its slices are read
 * again) waits until its own slice is complete.
 *
 * A run is a view (positions into the table): the calls are not copied.
 */

import { formatWall } from '../time.ts';
import type { CallList } from './call-list.ts';
import type { CallTable } from './table.ts';

/** Runs of calls in order, each once; `null` after the last. */
export interface CallRuns {
  next(): Promise<CallList | null>;
  /** The reader gives up (its write failed): the next `arrived` throws `reason`, ending the fetch. */
  abandon(reason: unknown): void;
}

/** One list as a single run (a period whose calls are all in). */
export function oneRun(calls: CallList): CallRuns {
  let given = false;
  return {
    next: async () => {
      if (given) return null;
      given = true;
      return calls;
    },
    abandon: () => {},
  };
}

export class ArrivingCalls implements CallRuns {
  private readonly end: number;
  /** Table rows looked at so far. */
  private taken = 0;
  /** Every call up to this instant has been handed on in a run (or was none). */
  private handedOn = Number.NEGATIVE_INFINITY;
  /** Rows looked at that start after the last `till` but within the period (a split window's). */
  private pending: number[] = [];
  private readonly runs: CallList[] = [];
  private finished = false;
  private failure: { reason: unknown } | null = null;
  private abandoned: { reason: unknown } | null = null;
  private wake: (() => void) | null = null;

  /** `end`: the period's last instant (wall ms, inclusive), as `CallTable.partition` takes it. */
  constructor(end: number) {
    this.end = end;
  }

  /**
   * Every call starting up to `till` is in `table`: hands on a run of the new
   * ones. A new call that starts within a run already handed on would be
   * written out of order: that is refused (the fetch fails, naming it), never
   * written.
   */
  arrived(table: CallTable, till: number): void {
    if (this.abandoned) throw this.abandoned.reason;
    if (this.finished || this.failure) return;
    const bound = Math.min(till, this.end);
    const ready: number[] = [];
    const later: number[] = [];
    const handedOn = this.handedOn;
    const sort = (i: number): void => {
      const s = table.startAt(i);
      if (s <= handedOn) {
        throw new Error(
          `Call ${table.idAt(i)} starting ${formatWall(s)} came after the calls up to ${formatWall(handedOn)} were complete: the Data API's windows disagree with the calls' starts`,
        );
      }
      if (s <= bound) ready.push(i);
      else if (s <= this.end) later.push(i);
    };
    for (const i of this.pending) sort(i);
    const length = table.length;
    for (let i = this.taken; i < length; i++) sort(i);
    this.taken = length;
    this.pending = later;
    this.handedOn = Math.max(handedOn, bound);
    if (ready.length > 0) {
      this.runs.push(table.view(table.sortByStart(Uint32Array.from(ready))));
      this.notify();
    }
    if (till >= this.end) this.finished = true;
  }

  /**
   * The fetch is over: the rest of the period's calls (if any) are the last
   * run. Throws the reader's reason when it gave up (nothing more to make for it).
   */
  complete(table: CallTable): void {
    if (this.abandoned) throw this.abandoned.reason;
    if (this.failure) return;
    this.arrived(table, Number.POSITIVE_INFINITY);
    this.finished = true;
    this.notify();
  }

  /** The fetch failed: the reader's next `next` rejects with `reason`. */
  fail(reason: unknown): void {
    this.failure ??= { reason };
    this.notify();
  }

  abandon(reason: unknown): void {
    this.abandoned ??= { reason };
  }

  async next(): Promise<CallList | null> {
    for (;;) {
      if (this.failure) throw this.failure.reason;
      const run = this.runs.shift();
      if (run) return run;
      if (this.finished) return null;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
