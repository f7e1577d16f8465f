/**
 * The calls that may resolve a missed call (missed.ts), kept in flat columns
 * (a year of a big centre has a few hundred thousand): group (the index of the
 * missed number), start, id, flags (1: lost, 2: outgoing), and position (in the
 * calls, then the follow-ups). After the last `push`, `sort` puts each group's
 * candidates in one run by (start, id), and the queries below answer in O(1) or
 * O(log n) within a run.
 */
import type { Call } from '../../calls/call.ts';

const LOST = 1;
const OUTGOING = 2;

export class Candidates {
  private group = new Int32Array(1024);
  private start = new Float64Array(1024);
  private id = new Float64Array(1024);
  private flags = new Uint8Array(1024);
  private at = new Float64Array(1024);
  private length = 0;

  /** Sorted by (group, start, id): candidate index at each rank. */
  private order = new Uint32Array(0);
  /** Start of the candidate at each rank. */
  private starts = new Float64Array(0);
  /** runOf[g]..runOf[g + 1]: the ranks of group g. */
  private runOf = new Int32Array(1);
  /** The rank of the first answered candidate at or after each rank in its run (the run's end when none). */
  private nextAnsweredAt = new Int32Array(0);
  /** Outgoing candidates before each rank (differences are only taken within a run). */
  private outBefore = new Int32Array(1);

  push(group: number, c: Call, at: number): void {
    if (this.length === this.group.length) this.grow();
    const i = this.length++;
    this.group[i] = group;
    this.start[i] = c.start;
    this.id[i] = c.id;
    this.flags[i] = (c.lost ? LOST : 0) | (c.direction === 'out' ? OUTGOING : 0);
    this.at[i] = at;
  }

  /** Sorts the candidates of `groups` groups into runs (once, after the last push). */
  sort(groups: number): void {
    const n = this.length;
    const { group, start, id } = this;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort(
      (a, b) =>
        (group[a] as number) - (group[b] as number) ||
        (start[a] as number) - (start[b] as number) ||
        (id[a] as number) - (id[b] as number),
    );
    const starts = new Float64Array(n);
    const flags = new Uint8Array(n);
    const runOf = new Int32Array(groups + 1);
    for (let i = 0; i < n; i++) {
      const o = order[i] as number;
      starts[i] = start[o] as number;
      flags[i] = this.flags[o] as number;
      runOf[(group[o] as number) + 1] = i + 1;
    }
    for (let g = 1; g < runOf.length; g++) runOf[g] = Math.max(runOf[g] as number, runOf[g - 1] as number);
    const nextAnswered = new Int32Array(n);
    const outBefore = new Int32Array(n + 1);
    for (let i = 0; i < n; i++)
      outBefore[i + 1] = (outBefore[i] as number) + ((flags[i] as number) & OUTGOING ? 1 : 0);
    for (let g = 0; g < groups; g++) {
      const end = runOf[g + 1] as number;
      for (let i = end - 1; i >= (runOf[g] as number); i--)
        nextAnswered[i] =
          (flags[i] as number) & LOST ? (i + 1 < end ? (nextAnswered[i + 1] as number) : end) : i;
    }
    this.order = order;
    this.starts = starts;
    this.runOf = runOf;
    this.nextAnsweredAt = nextAnswered;
    this.outBefore = outBefore;
  }

  /** The first rank of group `g`'s run. */
  runStart(g: number): number {
    return this.runOf[g] as number;
  }

  /** The rank after group `g`'s run. */
  runEnd(g: number): number {
    return this.runOf[g + 1] as number;
  }

  /** The first rank in `from..end` (one run) whose start is > `t` (`end` when none). */
  firstAfter(from: number, end: number, t: number): number {
    const starts = this.starts;
    let lo = from;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((starts[mid] as number) > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** The first answered rank at or after `i` in its run (the run's end when none). */
  nextAnswered(i: number): number {
    return this.nextAnsweredAt[i] as number;
  }

  /** Outgoing candidates at ranks `from..to-1` (one run). */
  outgoing(from: number, to: number): number {
    return (this.outBefore[to] as number) - (this.outBefore[from] as number);
  }

  /** The position (in the calls, then the follow-ups) of the candidate at rank `j`. */
  position(j: number): number {
    return this.at[this.order[j] as number] as number;
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
