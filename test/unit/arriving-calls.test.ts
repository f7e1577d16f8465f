import { describe, expect, it } from 'vitest';
import { ArrivingCalls } from '../../functions/shared/calls/arriving-calls.ts';
import type { CallList } from '../../functions/shared/calls/call-list.ts';
import { CallTable } from '../../functions/shared/calls/table.ts';
import { blankCall } from '../support/calls.ts';

const SECOND = 1000;

/** The ids of a list, in its order. */
function ids(list: CallList): number[] {
  const out: number[] = [];
  list.each((c) => {
    out.push(c.id);
  });
  return out;
}

/** Every run the feed has, until its end. */
async function drain(feed: ArrivingCalls): Promise<number[][]> {
  const runs: number[][] = [];
  for (let run = await feed.next(); run !== null; run = await feed.next()) runs.push(ids(run));
  return runs;
}

/** A small seeded generator, so that a failure can be run again. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('ArrivingCalls', () => {
  it('hands on the period window by window, the runs together the whole period sorted by start then id', async () => {
    for (let seed = 1; seed <= 25; seed++) {
      const next = random(seed);
      const end = 600 * SECOND;
      // Windows of random lengths over [0, 800 s]: the period and the follow-ups after it.
      const bounds: number[] = [];
      for (let t = 0; t < 800; ) {
        t += 1 + Math.floor(next() * 120);
        bounds.push(Math.min(800, t) * SECOND - SECOND);
      }
      const table = new CallTable({ distinctIds: true });
      const feed = new ArrivingCalls(end);
      let from = 0;
      let id = 1;
      for (const till of bounds) {
        // Each window's calls in any order (pages in parallel), many sharing a second.
        const n = Math.floor(next() * 30);
        for (let k = 0; k < n; k++) {
          const start = from + Math.floor(next() * ((till - from) / SECOND + 1)) * SECOND;
          table.push(blankCall(1_000_000 - id++ * 7, start));
        }
        feed.arrived(table, till);
        from = till + SECOND;
      }
      feed.complete(table);
      const runs = await drain(feed);
      const whole = ids(table.view(table.sortByStart(table.partition(end).upTo)));
      expect(runs.flat(), `seed ${seed}`).toEqual(whole);
      expect(runs.every((r) => r.length > 0)).toBe(true);
    }
  });

  it('keeps a call that came before its window was split until its own slice is read whole', async () => {
    const table = new CallTable({ distinctIds: true });
    const feed = new ArrivingCalls(100 * SECOND);
    // A window [0, 99 s] delivered a page, then had to be split: its slices are read again.
    table.push(blankCall(1, 10 * SECOND));
    table.push(blankCall(2, 70 * SECOND));
    feed.arrived(table, 49 * SECOND); // the first slice [0, 49 s] is complete
    expect(ids((await feed.next()) as CallList)).toEqual([1]);
    table.push(blankCall(3, 60 * SECOND));
    feed.arrived(table, 99 * SECOND);
    expect(ids((await feed.next()) as CallList)).toEqual([3, 2]);
  });

  it('leaves out the follow-up calls after the period, and ends once the period is in', async () => {
    const table = new CallTable({ distinctIds: true });
    const feed = new ArrivingCalls(10 * SECOND);
    table.push(blankCall(1, 5 * SECOND));
    table.push(blankCall(2, 10 * SECOND));
    table.push(blankCall(3, 11 * SECOND));
    feed.arrived(table, 20 * SECOND);
    // The follow-ups are still being fetched: the period's runs are over all the same.
    expect(await drain(feed)).toEqual([[1, 2]]);
    table.push(blankCall(4, 30 * SECOND));
    feed.complete(table);
    expect(await feed.next()).toBeNull();
  });

  it('waits for the next run, and gives the rest when the fetch is over', async () => {
    const table = new CallTable({ distinctIds: true });
    const feed = new ArrivingCalls(100 * SECOND);
    const waiting = feed.next();
    table.push(blankCall(1, 5 * SECOND));
    table.push(blankCall(2, 50 * SECOND));
    feed.arrived(table, 9 * SECOND);
    expect(ids((await waiting) as CallList)).toEqual([1]);
    const rest = drain(feed);
    feed.complete(table);
    expect(await rest).toEqual([[2]]);
  });

  it('fails the reader with the fetch’s own error', async () => {
    const feed = new ArrivingCalls(100 * SECOND);
    const waiting = feed.next();
    const error = new Error('Data API down');
    feed.fail(error);
    await expect(waiting).rejects.toBe(error);
  });

  it('ends the fetch with the reader’s error once the reader gave up', () => {
    const table = new CallTable({ distinctIds: true });
    const feed = new ArrivingCalls(100 * SECOND);
    const error = new Error('S3 refused the upload');
    feed.abandon(error);
    table.push(blankCall(1, 5 * SECOND));
    expect(() => feed.arrived(table, 9 * SECOND)).toThrow(error);
  });

  it('refuses a call that starts within a run already handed on, naming it, rather than write it out of order', async () => {
    const table = new CallTable({ distinctIds: true });
    const feed = new ArrivingCalls(100 * SECOND);
    table.push(blankCall(1, 10 * SECOND));
    feed.arrived(table, 49 * SECOND);
    expect(ids((await feed.next()) as CallList)).toEqual([1]);
    table.push(blankCall(77, 30 * SECOND));
    expect(() => feed.arrived(table, 99 * SECOND)).toThrow(/Call 77 starting .* came after the calls up to/);
  });

  it('makes nothing more once the reader gave up: the end of the fetch tells the reader’s error', () => {
    const table = new CallTable({ distinctIds: true });
    const feed = new ArrivingCalls(100 * SECOND);
    const error = new Error('S3 refused the upload');
    feed.abandon(error);
    expect(() => feed.complete(table)).toThrow(error);
  });
});
