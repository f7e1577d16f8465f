/**
 * The reliability tests' Data API under every fault at once, and a report made
 * against it the way a run makes one (fast retries, the client's deadline as
 * the time budget), stored in a local folder.
 */
import { join } from 'node:path';
import { LocalFolderStorage } from '../../functions/shared/adapters/local/folder-storage.ts';
import { DataApiCallSource } from '../../functions/shared/calls/source.ts';
import { DataApiClient, type DataApiClientOptions } from '../../functions/shared/dataapi/client.ts';
import { runReport } from '../../functions/shared/pipeline/run-report.ts';
import type { Period } from '../../functions/shared/time.ts';
import type { Faults, Simulator } from '../../simulator/server.ts';

/** Rate limits, HTTP 500s, an HTML 502, truncated JSON, slow pages and calls arriving while paging. */
export const EVERY_FAULT: Faults = {
  rateLimitEvery: 7,
  rateLimitResetSeconds: 1,
  http500Every: 4,
  html502Every: 9,
  truncateEvery: 6,
  slowMs: 25,
  slowEvery: 3,
  drift: { rowsPerCall: 3 },
};

/** The client's deadline: past it the run fails. */
export const BUDGET_MS = 90_000;

/** When the reports are made: long after the periods the tests ask for. */
const NOW = Date.UTC(2024, 10, 3, 6);

export interface ReportFrom {
  sim: Simulator;
  /** The simulator's key. */
  token: string;
  period: Period;
  client: Partial<DataApiClientOptions>;
  /** The report is the subscription `name`'s, stored in `dir/name`. */
  dir: string;
  name: string;
}

/** The report of `period` from the simulator, made the way a run makes one. */
export function reportFrom({ sim, token, period, client, dir, name }: ReportFrom) {
  const source = new DataApiCallSource(
    new DataApiClient({
      url: sim.url,
      accessToken: token,
      retry: { baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 8 },
      deadlineMs: BUDGET_MS,
      ...client,
    }),
  );
  return runReport(
    { subscription: name, period, language: 'ru' },
    { source, storage: new LocalFolderStorage(join(dir, name)), clock: { now: () => NOW } },
  );
}
