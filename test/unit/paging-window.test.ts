/**
 * A window's rows checked against the window by the start the normaliser will
 * read (dataapi/paging.ts `rowStart`): the calls' order in "All calls", written
 * window by window, relies on it (calls/arriving-calls.ts).
 */
import { describe, expect, it } from 'vitest';
import type { RawRow } from '../../functions/shared/dataapi/client.ts';
import { type CallsPage, fetchWindow, type WindowReading } from '../../functions/shared/dataapi/paging.ts';
import { wall } from '../support/calls.ts';

const FROM = wall('2024-10-21 10:00:00');
const TILL = wall('2024-10-21 10:59:59');

/** A window reading that answers every page with `rows` and records what it is told. */
function reading(rows: RawRow[]) {
  const delivered: RawRow[] = [];
  const completed: number[] = [];
  const w: WindowReading = {
    pageSize: 100,
    maxOffset: 1000,
    concurrency: 1,
    maxRereads: 1,
    idSorted: true,
    stats: { pages: 0, windows: 0, anomalies: [] },
    page: async (): Promise<CallsPage> => ({ slices: () => [rows], total: rows.length, release: () => {} }),
    deliver: async (r) => {
      delivered.push(...r);
    },
    progress: () => {},
    complete: (till) => completed.push(till),
  };
  return { w, delivered, completed };
}

describe('a window of the fetch', () => {
  it('reads a start that does not read as date-time by its date and time, as the normaliser does', async () => {
    const inside = {
      communication_id: 1,
      call_start_date_time: '21.10.2024 10:30',
      call_start_date: '2024-10-21',
      call_start_time: '10:30:00',
    };
    const outside = {
      communication_id: 2,
      call_start_date_time: 'yesterday',
      call_start_date: '2024-10-21',
      call_start_time: '12:00:00',
    };
    const ok = reading([inside]);
    await fetchWindow(ok.w, FROM, TILL);
    expect(ok.delivered).toEqual([inside]);
    expect(ok.completed).toEqual([TILL]);

    const bad = reading([inside, outside]);
    await expect(fetchWindow(bad.w, FROM, TILL)).rejects.toThrow(/call 2 outside the window/);
    expect(bad.delivered).not.toContainEqual(outside);
    expect(bad.completed).toEqual([]);
  });
});
