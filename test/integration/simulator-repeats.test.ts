/**
 * The simulator returns some calls twice, as the API does (data-api.md,
 * "Paging"): the repeat carries `communication_id` in the other form, counts in
 * `total_items`, sits next to its twin in every sort order and crosses page
 * boundaries; drift rows are repeated too, and a dataset file that repeats rows
 * itself is served as it is. Over real HTTP.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MgfCallRow } from '../../simulator/columns.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { spawnSimulator } from '../../simulator/spawn.ts';

type Id = number | string;

async function page(
  url: string,
  token: string,
  params: Record<string, unknown> = {},
): Promise<{ ids: Id[]; total: number }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=UTF-8' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'get.mgf_calls',
      params: {
        access_token: token,
        report_id: 1015,
        date_from: '2024-10-21 00:00:00',
        date_till: '2024-10-21 23:59:59',
        fields: ['communication_id', 'call_start_date_time', 'call_talk_duration'],
        limit: 10_000,
        ...params,
      },
    }),
  });
  const json = (await res.json()) as {
    result: { data: { communication_id: Id }[]; metadata: { total_items: number } };
  };
  return { ids: json.result.data.map((r) => r.communication_id), total: json.result.metadata.total_items };
}

const get = (sim: Simulator, params: Record<string, unknown> = {}) => page(sim.url, sim.accessToken, params);

/** Pairs of neighbouring rows that carry the same id: [position, form of the first, form of the second]. */
function twinPairs(ids: readonly Id[]): [number, string, string][] {
  const out: [number, string, string][] = [];
  for (let i = 1; i < ids.length; i++) {
    if (Number(ids[i]) === Number(ids[i - 1])) out.push([i - 1, typeof ids[i - 1], typeof ids[i]]);
  }
  return out;
}

const DAY_ROWS = generateCalls({ seed: 21, from: '2024-10-21', till: '2024-10-21', callsPerDay: 1000 });

describe('simulator: calls returned twice', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ rows: DAY_ROWS });
  });
  afterEach(() => {
    sim.clearFaults();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('serves each call once by default', async () => {
    const { ids, total } = await get(sim);
    expect(total).toBe(DAY_ROWS.length);
    expect(new Set(ids.map(Number)).size).toBe(ids.length);
    expect(sim.repeatedRows).toBe(0);
  });

  it('repeatRows: returns that share of calls twice, the repeat’s id in the other form, counted in total_items', async () => {
    sim.setFaults({ repeatRows: 0.01 });
    const want = Math.floor((DAY_ROWS.length - 1) * 0.01) + 1;
    expect(want).toBeGreaterThan(5);
    const { ids, total } = await get(sim, { sort: [{ field: 'communication_id', order: 'asc' }] });
    expect(sim.repeatedRows).toBe(want);
    expect(total).toBe(DAY_ROWS.length + want);
    expect(ids).toHaveLength(total);
    expect(new Set(ids.map(Number)).size).toBe(DAY_ROWS.length);
    const pairs = twinPairs(ids);
    expect(pairs).toHaveLength(want);
    // One number and one numeric string, in either order.
    for (const [, a, b] of pairs) expect([a, b].sort()).toEqual(['number', 'string']);
    expect(new Set(pairs.map(([, a]) => a)).size).toBe(2);

    sim.setFaults({ repeatRows: 0 });
    expect((await get(sim)).total).toBe(DAY_ROWS.length);
  });

  it.each([
    ['communication_id desc', [{ field: 'communication_id', order: 'desc' }]],
    ['start desc', [{ field: 'call_start_date_time', order: 'desc' }]],
    ['talk duration', [{ field: 'call_talk_duration', order: 'asc' }]],
    ['no sort', undefined],
  ])('puts a repeat next to its twin under %s', async (_name, sort) => {
    sim.setFaults({ repeatRows: 0.01 });
    const { ids, total } = await get(sim, sort ? { sort } : {});
    expect(total).toBe(DAY_ROWS.length + sim.repeatedRows);
    expect(twinPairs(ids)).toHaveLength(sim.repeatedRows);
  });

  it('repeatIds: the named calls are repeated, and a pair can straddle a page boundary', async () => {
    const clean = (await get(sim, { sort: [{ field: 'communication_id', order: 'asc' }] })).ids;
    // The row ending the first page of 100: once repeated, it and its twin sit at 99 and 100.
    const named = Number(clean[99]);
    sim.setFaults({ repeatIds: [named] });
    const sort = [{ field: 'communication_id', order: 'asc' }];
    const first = await get(sim, { sort, limit: 100, offset: 0 });
    const second = await get(sim, { sort, limit: 100, offset: 100 });
    expect(first.total).toBe(DAY_ROWS.length + 1);
    expect(Number(first.ids.at(-1))).toBe(named);
    expect(Number(second.ids[0])).toBe(named);
    expect(typeof first.ids.at(-1)).not.toBe(typeof second.ids[0]);
    expect(first.ids.slice(0, 99).map(Number)).toEqual(clean.slice(0, 99).map(Number));
  });

  it('repeats the calls that arrive while paging (drift) as well', async () => {
    sim.setFaults({ repeatRows: 0.5 });
    const before = sim.repeatedRows;
    sim.setFaults({ drift: { rowsPerCall: 10 } });
    const { ids, total } = await get(sim);
    expect(sim.repeatedRows).toBe(before + 5);
    expect(total).toBe(sim.rowCount);
    expect(ids).toHaveLength(total);
    sim.clearFaults();
    expect(sim.repeatedRows).toBe(0);
  });

  it('refuses a share outside 0..1, saying what is allowed', () => {
    expect(() => sim.setFaults({ repeatRows: 2 })).toThrow(/repeatRows must be a share of calls from 0 to 1/);
    expect(() => sim.setFaults({ repeatIds: ['x' as unknown as number] })).toThrow(
      /repeatIds must be a list of communication_id numbers/,
    );
    expect(sim.faults.repeatRows).toBeUndefined();
  });
});

describe('simulator: a dataset that repeats rows itself', () => {
  // Three calls sent twice: the copy with its id as a string, as the API does.
  const twice = [DAY_ROWS[10], DAY_ROWS[500], DAY_ROWS[900]] as MgfCallRow[];
  const dataset = [
    ...DAY_ROWS,
    ...twice.map((r) => ({ ...r, communication_id: String(Number(r.communication_id)) })),
  ];

  it('serves every row, each counted in total_items, each repeat next to its twin', async () => {
    const sim = await startSimulator({ rows: dataset });
    try {
      const { ids, total } = await get(sim, { sort: [{ field: 'communication_id', order: 'asc' }] });
      expect(total).toBe(DAY_ROWS.length + 3);
      expect(twinPairs(ids).map(([i]) => Number(ids[i]))).toEqual(
        twice.map((r) => Number(r.communication_id)).sort((a, b) => a - b),
      );
    } finally {
      await sim.close();
    }
  });

  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-rows-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('npm run simulator -- --rows FILE serves the file the same way', async () => {
    const file = join(dir, 'calls.json');
    await writeFile(file, JSON.stringify(dataset));
    const child = await spawnSimulator({ rowsFile: file, accessToken: 'tok' });
    try {
      const { ids, total } = await page(child.url, 'tok');
      expect(total).toBe(DAY_ROWS.length + 3);
      expect(ids).toHaveLength(total);
      expect(twinPairs(ids)).toHaveLength(3);
    } finally {
      await child.stop();
    }
  });
});
