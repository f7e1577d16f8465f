/**
 * Every Data API fault at once — rate limits, HTTP 500s, an HTML 502, truncated
 * JSON, slow pages and calls arriving while paging — on a day and on a month
 * that needs range splitting: the report's figures are identical to a
 * fault-free run over the same data, and the run ends within its time budget
 * (the client's deadline; past it the run fails).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataApiClientOptions } from '../../functions/shared/dataapi/client.ts';
import type { Summary } from '../../functions/shared/report/types.ts';
import type { Period } from '../../functions/shared/time.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { BUDGET_MS, EVERY_FAULT, reportFrom } from '../support/faulty-api.ts';

const TOKEN = 'reliability-token';
/** Each test makes two reports, each fetch bounded by the budget: the client's deadline error comes first. */
const TWO_REPORTS_MS = 2 * BUDGET_MS + 60_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faults-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const report = (sim: Simulator, period: Period, client: Partial<DataApiClientOptions>, name: string) =>
  reportFrom({ sim, token: TOKEN, period, client, dir, name });

/** The figures, without the moment they were made. */
function figures(s: Summary) {
  const { generated_at: _g, ...rest } = s;
  return rest;
}

describe('the report under every API fault at once', { timeout: TWO_REPORTS_MS }, () => {
  it('gives the fault-free figures for a day', async () => {
    const sim = await startSimulator({
      accessToken: TOKEN,
      rows: generateCalls({ seed: 31, from: '2024-10-21', till: '2024-10-22', callsPerDay: 1500 }),
      faults: EVERY_FAULT,
    });
    try {
      const period = { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' };
      const faulty = await report(sim, period, { pageSize: 250, concurrency: 3 }, 'day-faulty');
      const hit = sim.stats.errors;
      expect(hit.http_500 ?? 0).toBeGreaterThan(0);
      expect(hit.truncated ?? 0).toBeGreaterThan(0);
      expect(hit.limit_exceeded ?? 0).toBeGreaterThan(0);
      sim.clearFaults(); // the drifted calls stay: the clean run sees the same data
      const clean = await report(sim, period, { pageSize: 250, concurrency: 3 }, 'day-clean');
      expect(figures(faulty.summary)).toEqual(figures(clean.summary));
      expect(faulty.summary.totals.calls).toBeGreaterThan(1000);
    } finally {
      await sim.close();
    }
  });

  it('gives the fault-free figures for a month that needs range splitting', async () => {
    const sim = await startSimulator({
      accessToken: TOKEN,
      rows: generateCalls({ seed: 32, from: '2024-10-01', till: '2024-11-01', callsPerDay: 300 }),
      faults: EVERY_FAULT,
    });
    try {
      const period = { from: '2024-10-01', till: '2024-10-31', timezone: 'Europe/Moscow' };
      // Pages of 500 and offsets up to 2 500: one query reaches 3 000 calls, the month holds ~8 000.
      const caps = { pageSize: 500, maxOffset: 2500, concurrency: 4 };
      const faulty = await report(sim, period, caps, 'month-faulty');
      expect(faulty.fetched?.stats.windows).toBeGreaterThan(2);
      sim.clearFaults();
      const clean = await report(sim, period, caps, 'month-clean');
      expect(figures(faulty.summary)).toEqual(figures(clean.summary));
    } finally {
      await sim.close();
    }
  });
});
