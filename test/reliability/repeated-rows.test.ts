/**
 * The API returns some calls twice (data-api.md, "Paging": the same
 * `communication_id` once as a number and once as a string, both counted in
 * `total_items`). On a day with two repeated calls (each straddling a page
 * boundary), a 4 000-call day and a month that needs range splitting, served
 * with repeated rows, with and without every other fault (calls arriving while
 * paging included), the report's figures are exactly those of the same data
 * without the repeats, and the summary says how many rows were repeated.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataApiClientOptions } from '../../functions/shared/dataapi/client.ts';
import { dictionaries } from '../../functions/shared/report/i18n.ts';
import type { Summary } from '../../functions/shared/report/types.ts';
import { type Period, parseWall } from '../../functions/shared/time.ts';
import type { GeneratorOptions } from '../../simulator/generator.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { rowStartMs } from '../../simulator/store.ts';
import { EVERY_FAULT, reportFrom } from '../support/faulty-api.ts';

const TOKEN = 'repeats-token';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'repeats-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const report = (sim: Simulator, period: Period, client: Partial<DataApiClientOptions>, name: string) =>
  reportFrom({ sim, token: TOKEN, period, client, dir, name });

/** The figures, without the moment they were made and the count of repeated rows. */
function figures(s: Summary) {
  const { generated_at: _g, source, ...rest } = s;
  const { duplicate_rows: _d, ...from } = source;
  return { ...rest, source: from };
}

/** The workbook's "repeated rows in the source" figure on its summary sheet, or null when it shows none. */
async function repeatedInWorkbook(path: string): Promise<unknown> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.getWorksheet(dictionaries.ru.sheets.summary);
  const label = dictionaries.ru.summary.rows.duplicateRows.label;
  for (let r = 1; r <= (ws?.rowCount ?? 0); r++) {
    const row = ws?.getRow(r);
    if (row?.getCell(1).value === label) return row.getCell(2).value;
  }
  return null;
}

/** Rows served in [from, till] (wall clock) less the calls among them: the rows sent twice. */
function repeatsIn(sim: Simulator, from: string, till: string): number {
  const a = parseWall(from) ?? 0;
  const b = parseWall(till) ?? 0;
  const rows = sim.rows.filter((r) => {
    const t = rowStartMs(r) ?? -1;
    return t >= a && t <= b;
  });
  return rows.length - new Set(rows.map((r) => Number(r.communication_id))).size;
}

/** The ids, in the client's id order, of the rows of [from, till]. */
function idOrder(sim: Simulator, from: string, till: string): number[] {
  const a = parseWall(from) ?? 0;
  const b = parseWall(till) ?? 0;
  return sim.rows
    .filter((r) => {
      const t = rowStartMs(r) ?? -1;
      return t >= a && t <= b;
    })
    .map((r) => Number(r.communication_id))
    .sort((x, y) => x - y);
}

const DAY: Period = { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' };
/** The day's fetch: the period and its 24-hour callback horizon. */
const DAY_FETCH = ['2024-10-21 00:00:00', '2024-10-22 23:59:59'] as const;
const MONTH: Period = { from: '2024-10-01', till: '2024-10-31', timezone: 'Europe/Moscow' };
const MONTH_FETCH = ['2024-10-01 00:00:00', '2024-11-01 23:59:59'] as const;

interface Case {
  name: string;
  data: GeneratorOptions;
  period: Period;
  fetch: readonly [string, string];
  client: Partial<DataApiClientOptions>;
  /** Repeats: a share of calls, or calls named so that each straddles a page boundary. */
  repeat: { share: number } | { straddling: number };
  atLeast: { calls: number; repeats: number };
}

const CASES: Case[] = [
  {
    name: 'a day with two repeated calls',
    data: { seed: 61, from: '2024-10-21', till: '2024-10-22', callsPerDay: 80 },
    period: DAY,
    fetch: DAY_FETCH,
    client: { pageSize: 25, concurrency: 3 },
    repeat: { straddling: 2 },
    atLeast: { calls: 50, repeats: 2 },
  },
  {
    name: 'a 4 000-call day',
    data: { seed: 62, from: '2024-10-21', till: '2024-10-22', callsPerDay: 4000 },
    period: DAY,
    fetch: DAY_FETCH,
    client: { pageSize: 500, concurrency: 4 },
    repeat: { share: 0.003 },
    atLeast: { calls: 3000, repeats: 15 },
  },
  {
    name: 'a month that needs range splitting',
    data: { seed: 63, from: '2024-10-01', till: '2024-11-01', callsPerDay: 300 },
    period: MONTH,
    fetch: MONTH_FETCH,
    // Pages of 500 and offsets up to 2 500: one query reaches 3 000 calls, the month holds ~8 000.
    client: { pageSize: 500, maxOffset: 2500, concurrency: 4 },
    repeat: { share: 0.005 },
    atLeast: { calls: 6000, repeats: 30 },
  },
];

/**
 * Names calls to repeat so that each of the first `count` page boundaries of the
 * fetch's id order falls between a call and its repeat: the k-th named call sits
 * at k·pageSize − 1 once the k − 1 before it have their twins.
 */
function straddle(sim: Simulator, c: Case, count: number): void {
  const page = c.client.pageSize ?? 10_000;
  const ids: number[] = [];
  for (let k = 1; k <= count; k++) {
    ids.push(idOrder(sim, ...c.fetch)[k * page - 1] ?? -1);
    sim.setFaults({ repeatIds: [...ids] });
  }
  const order = idOrder(sim, ...c.fetch);
  for (let k = 1; k <= count; k++) expect(order[k * page - 1]).toBe(order[k * page]);
}

describe('calls the API returns twice', () => {
  describe.each(CASES)('$name', (c) => {
    it.each([
      ['only repeats', {}],
      ['repeats under every other fault, calls arriving while paging included', EVERY_FAULT],
    ])('%s: the figures of the same data without the repeats', async (mode, faults) => {
      const sim = await startSimulator({ accessToken: TOKEN, rows: generateCalls(c.data), faults });
      try {
        if ('share' in c.repeat) sim.setFaults({ repeatRows: c.repeat.share });
        else straddle(sim, c, c.repeat.straddling);
        const tag = `${c.name}-${mode}`.replace(/\W+/g, '-');
        const repeated = await report(sim, c.period, c.client, `${tag}-repeated`);
        const sent = repeatsIn(sim, ...c.fetch); // drift may have added (and repeated) calls
        expect(sent).toBeGreaterThanOrEqual(c.atLeast.repeats);
        expect(repeated.summary.source.duplicate_rows).toBe(sent);
        expect(repeated.fetched?.stats.duplicateRows).toBe(sent);
        expect(repeated.summary.totals.calls).toBeGreaterThan(c.atLeast.calls);

        sim.clearFaults(); // the repeats go, the calls that arrived stay: the same data once each
        expect(repeatsIn(sim, ...c.fetch)).toBe(0);
        const clean = await report(sim, c.period, c.client, `${tag}-clean`);
        expect(clean.summary.source.duplicate_rows).toBe(0);
        expect(figures(repeated.summary)).toEqual(figures(clean.summary));
        if (c === CASES[0]) {
          // The workbook says it too (read back for the small day only: parsing big ones is slow).
          expect(await repeatedInWorkbook(repeated.manifest.workbook.location)).toBe(sent);
          expect(await repeatedInWorkbook(clean.manifest.workbook.location)).toBeNull();
        }
        if (c.period === MONTH) expect(repeated.fetched?.stats.windows).toBeGreaterThan(2);
      } finally {
        await sim.close();
      }
    });
  });
});
