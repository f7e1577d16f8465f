/**
 * The client against an API that returns some calls twice (data-api.md,
 * "Paging": the same `communication_id` once as a number and once as a string,
 * both counted in `total_items`), over real HTTP: every call comes back once,
 * the repeated rows are counted, a repeat straddling a page boundary is not
 * taken for rows that moved, and the identical row read twice at a boundary
 * (rows that really moved) still is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type DataApiClient,
  type DataApiClientOptions,
  type RawRow,
  rowId,
  type SortSpec,
} from '../../functions/shared/dataapi/client.ts';
import { DataApiConsistencyError } from '../../functions/shared/dataapi/errors.ts';
import { parseWall } from '../../functions/shared/time.ts';
import type { MgfCallRow } from '../../simulator/columns.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../simulator/server.ts';
import { rowStartMs } from '../../simulator/store.ts';
import { testClient } from '../support/data-api-client.ts';

const TOKEN = 'repeats-token';
const PAGE = 250;
const DAY = ['2024-10-21 00:00:00', '2024-10-21 23:59:59'] as const;
let sim: Simulator | null = null;

afterEach(async () => {
  await sim?.close();
  sim = null;
});

async function start(opts: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  sim = await startSimulator({
    accessToken: TOKEN,
    rows: generateCalls({ seed: 17, from: '2024-10-21', till: '2024-10-21', callsPerDay: 1500 }),
    ...opts,
  });
  return sim;
}

const client = (s: Simulator, opts: Partial<DataApiClientOptions> = {}): DataApiClient =>
  testClient(s, TOKEN, PAGE, opts);

/** The rows the simulator serves in the day, in the order of the client's id sort. */
function served(s: Simulator): MgfCallRow[] {
  const a = parseWall(DAY[0]) ?? 0;
  const b = parseWall(DAY[1]) ?? 0;
  return s.rows
    .filter((r) => {
      const t = rowStartMs(r) ?? -1;
      return t >= a && t <= b;
    })
    .sort((x, y) => Number(x.communication_id) - Number(y.communication_id)); // stable: twins keep their order
}

const distinctIds = (rows: readonly MgfCallRow[]) =>
  [...new Set(rows.map((r) => Number(r.communication_id)))].sort((x, y) => x - y);

async function fetchIds(c: DataApiClient, sort?: SortSpec[]) {
  const ids: number[] = [];
  const stats = await c.fetchCalls({ reportId: 1015, from: DAY[0], till: DAY[1], sort }, (rows: RawRow[]) => {
    for (const r of rows) ids.push(rowId(r) ?? -1);
  });
  return { ids: ids.sort((x, y) => x - y), stats };
}

/**
 * Names calls to repeat so that each of the first `count` page boundaries of the
 * id order falls between a call and its repeat: the k-th named call sits at
 * k·PAGE − 1 once the k − 1 before it have their twins.
 */
async function straddle(s: Simulator, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let k = 1; k <= count; k++) {
    const rows = served(s);
    const x = Number(rows[k * PAGE - 1]?.communication_id);
    ids.push(x);
    s.setFaults({ repeatIds: [...ids] });
  }
  const rows = served(s);
  for (let k = 1; k <= count; k++) {
    const [a, b] = [rows[k * PAGE - 1], rows[k * PAGE]];
    expect(Number(a?.communication_id)).toBe(Number(b?.communication_id));
    expect(typeof a?.communication_id).not.toBe(typeof b?.communication_id);
  }
  return ids;
}

describe('a call the API returns twice', () => {
  it('is handed on once and its second row counted, when repeats straddle page boundaries', async () => {
    const s = await start();
    const named = await straddle(s, 3);
    const rows = served(s);
    expect(rows.length - distinctIds(rows).length).toBe(named.length);

    s.resetStats();
    const { ids, stats } = await fetchIds(client(s));
    expect(ids).toEqual(distinctIds(rows));
    expect(stats.rows).toBe(ids.length);
    expect(stats.duplicateRows).toBe(named.length);
    // The rows add up to total_items at the first read: nothing read again.
    expect(stats.anomalies).toEqual([]);
    expect(s.stats.calls['get.mgf_calls']).toBe(Math.ceil(rows.length / PAGE));
  });

  it('is counted once with a share of calls repeated, under calls arriving while paging', async () => {
    const s = await start({ faults: { repeatRows: 0.01, drift: { rowsPerCall: 3 } } });
    const { ids, stats } = await fetchIds(client(s));
    const rows = served(s);
    expect(ids).toEqual(distinctIds(rows));
    expect(stats.duplicateRows).toBe(rows.length - ids.length);
    expect(stats.duplicateRows).toBeGreaterThan(10);
  });

  it.each<[string, SortSpec[]]>([
    ['id descending', [{ field: 'communication_id', order: 'desc' }]],
    ['start descending', [{ field: 'call_start_date_time', order: 'desc' }]],
    ['talk duration', [{ field: 'call_talk_duration', order: 'asc' }]],
  ])('is counted once under a sort by %s', async (_name, sort) => {
    const s = await start({ faults: { repeatRows: 0.02 } });
    await straddle(s, 2);
    const rows = served(s);
    const { ids, stats } = await fetchIds(client(s), sort);
    expect(ids).toEqual(distinctIds(rows));
    expect(stats.duplicateRows).toBe(rows.length - ids.length);
    expect(stats.anomalies).toEqual([]);
  });

  it('is counted across the windows of a split period', async () => {
    const s = await start({
      rows: generateCalls({ seed: 18, from: '2024-10-01', till: '2024-10-10', callsPerDay: 400 }),
      faults: { repeatRows: 0.01 },
    });
    const c = client(s, { pageSize: 500, maxOffset: 1500 });
    const got: number[] = [];
    const stats = await c.fetchCalls(
      { reportId: 1015, from: '2024-10-01 00:00:00', till: '2024-10-10 23:59:59' },
      (rows) => {
        for (const r of rows) got.push(rowId(r) ?? -1);
      },
    );
    expect(stats.windows).toBeGreaterThan(1);
    expect(new Set(got).size).toBe(got.length);
    expect(got.length).toBe(distinctIds(s.rows).length);
    expect(stats.duplicateRows).toBe(s.repeatedRows);
  });
});

describe('rows that really moved while paging', () => {
  /** A copy of the day's first call under a new, lower id: sorted by id it lands on page 0 and shifts the rest. */
  function earlier(s: Simulator, n: number): MgfCallRow {
    const first = served(s)[0] as MgfCallRow;
    return { ...first, communication_id: 1000 + n };
  }

  it('are still caught at a boundary where a repeat sits: the identical row twice is an overlap', async () => {
    const s = await start();
    await straddle(s, 1);
    // Once the first page is taken, a call with a lower id arrives: page 1 now starts
    // with the row that ended page 0, in the same form, then its twin.
    let inserted = 0;
    const ids = new Set<number>();
    const stats = await client(s, { concurrency: 1 }).fetchCalls(
      { reportId: 1015, from: DAY[0], till: DAY[1] },
      (rows) => {
        for (const r of rows) ids.add(rowId(r) ?? -1);
      },
      () => {
        if (inserted === 0) s.addRows([earlier(s, inserted++)]);
      },
    );
    expect(stats.anomalies.join('\n')).toMatch(
      /pages at offsets 0 and 250 overlap \(rows shifted while paging\)/,
    );
    // Read again, the window adds up: every call once, the repeat counted once.
    expect([...ids].sort((a, b) => a - b)).toEqual(distinctIds(served(s)));
    expect(stats.duplicateRows).toBe(1);
  });

  it('that keep moving on every read fail the fetch with a message naming the overlap', async () => {
    const s = await start();
    await straddle(s, 1);
    let inserted = 0;
    let read = 0;
    const fetching = client(s, { concurrency: 1, maxRereads: 2 }).fetchCalls(
      { reportId: 1015, from: DAY[0], till: DAY[1] },
      () => {},
      (p) => {
        // The first page of every read of the window shifts the rows after it.
        if (p.windows > read) {
          read = p.windows;
          s.addRows([earlier(s, inserted++)]);
        }
      },
    );
    await expect(fetching).rejects.toThrow(DataApiConsistencyError);
    await expect(fetching).rejects.toThrow(/after 3 reads.*overlap \(rows shifted while paging\)/);
    expect(inserted).toBe(3);
  });
});
