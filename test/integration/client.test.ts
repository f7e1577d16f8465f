/**
 * The Data API client over real HTTP against the simulator: every call of a
 * period comes back exactly once, whatever the API does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DataApiCallSource } from '../../functions/shared/calls/source.ts';
import {
  type DataApiClient,
  type DataApiClientOptions,
  type RawRow,
  rowId,
} from '../../functions/shared/dataapi/client.ts';
import {
  DataApiAccessError,
  DataApiAuthError,
  DataApiDeadlineError,
  DataApiLimitError,
  DataApiRequestError,
} from '../../functions/shared/dataapi/errors.ts';
import { InvalidFilterError } from '../../functions/shared/dataapi/filter.ts';
import { parseWall } from '../../functions/shared/time.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../simulator/server.ts';
import { callsIn } from '../support/calls.ts';
import { idsStartingIn, testClient } from '../support/data-api-client.ts';

const TOKEN = 'secret-test-token';
let sim: Simulator | null = null;

afterEach(async () => {
  await sim?.close();
  sim = null;
});

async function start(opts: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  sim = await startSimulator({
    accessToken: TOKEN,
    rows: generateCalls({ seed: 7, from: '2024-10-21', till: '2024-10-22', callsPerDay: 1500 }),
    ...opts,
  });
  return sim;
}

const client = (s: Simulator, opts: Partial<DataApiClientOptions> = {}): DataApiClient =>
  testClient(s, TOKEN, 250, opts);

const expectedIds = idsStartingIn;

async function fetchIds(c: DataApiClient, from: string, till: string) {
  const ids: number[] = [];
  const stats = await c.fetchCalls({ reportId: 1015, from, till }, (rows: RawRow[]) => {
    for (const r of rows) ids.push(rowId(r) ?? -1);
  });
  return { ids: ids.sort((x, y) => x - y), stats };
}

const DAY = ['2024-10-21 00:00:00', '2024-10-21 23:59:59'] as const;

describe('DataApiClient.fetchCalls over HTTP', () => {
  it('brings back every call of the day exactly once, paging to total_items', async () => {
    const s = await start();
    const { ids, stats } = await fetchIds(client(s), ...DAY);
    const want = expectedIds(s, ...DAY);
    expect(want.length).toBeGreaterThan(1000);
    expect(ids).toEqual(want);
    expect(stats.pages).toBe(Math.ceil(want.length / 250));
    expect(stats.anomalies).toEqual([]);
  });

  it.each([
    ['rate limit every 3rd call', { rateLimitEvery: 3 }],
    ['HTTP 500 every 3rd call', { http500Every: 3 }],
    ['an HTML 502 page every 4th call', { html502Every: 4 }],
    ['truncated JSON every 3rd call', { truncateEvery: 3 }],
    ['slow replies', { slowMs: 30, slowEvery: 2 }],
  ])('still brings back every call exactly once under %s', async (_name, faults) => {
    const s = await start({ faults: faults as SimulatorOptions['faults'] });
    const { ids } = await fetchIds(client(s), ...DAY);
    expect(ids).toEqual(expectedIds(s, ...DAY));
  });

  it('still brings back every call exactly once while calls keep arriving (drift)', async () => {
    const s = await start({ faults: { drift: { rowsPerCall: 7 } } });
    const { ids, stats } = await fetchIds(client(s), ...DAY);
    // Every call that existed when the fetch ended is there, once.
    expect(ids).toEqual(expectedIds(s, ...DAY));
    expect(new Set(ids).size).toBe(ids.length);
    expect(stats.rows).toBe(ids.length);
  });

  it('splits a period the offsets cannot reach into time windows, and loses nothing', async () => {
    const s = await start({
      rows: generateCalls({ seed: 3, from: '2024-10-01', till: '2024-10-31', callsPerDay: 400 }),
    });
    const range = ['2024-10-01 00:00:00', '2024-10-31 23:59:59'] as const;
    // Lower the client's page and offset cap so a month overflows one query (reach 1 000 + 5 000).
    const { ids, stats } = await fetchIds(
      client(s, { pageSize: 1000, maxOffset: 5000, concurrency: 4 }),
      ...range,
    );
    const want = expectedIds(s, ...range);
    expect(want.length).toBeGreaterThan(6000); // more than one query reaches
    expect(ids).toEqual(want);
    expect(stats.windows).toBeGreaterThan(2);
  });

  it('tells after each window that every call starting up to its end is in, the ends growing to the range’s', async () => {
    const s = await start({
      rows: generateCalls({ seed: 3, from: '2024-10-01', till: '2024-10-10', callsPerDay: 400 }),
    });
    const source = new DataApiCallSource(client(s, { pageSize: 200, maxOffset: 600, concurrency: 4 }), {
      reportId: 1015,
    });
    const from = parseWall('2024-10-01 00:00:00') as number;
    const till = parseWall('2024-10-10 23:59:59') as number;
    const told: { till: number; held: number }[] = [];
    const { calls, stats } = await source.fetch({ from, till }, undefined, (table, upTo) => {
      told.push({ till: upTo, held: table.length });
    });
    expect(stats.windows).toBeGreaterThan(4);
    expect(told).toHaveLength(stats.windows);
    expect(told.map((t) => t.till)).toEqual([...told.map((t) => t.till)].sort((a, b) => a - b));
    expect(told.at(-1)?.till).toBe(till);
    // No call that starts up to a told end comes after it was told.
    for (const { till: upTo, held } of told)
      for (let i = held; i < calls.length; i++) expect(calls.startAt(i)).toBeGreaterThan(upTo);
  });

  it('never asks the API for an offset past 100 000 or a limit past 10 000', async () => {
    const s = await start();
    const c = client(s, { pageSize: 50_000 });
    await fetchIds(c, ...DAY);
    expect(s.stats.errors).toEqual({});
  });

  it('gives up on a permanently failing API with a clear error in bounded time', async () => {
    const s = await start({ faults: { failAlways500: true } });
    const retries: number[] = [];
    const c = client(s, {
      retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 8 },
      onEvent: (e) => {
        if (e.type === 'retry') retries.push(e.delayMs);
      },
    });
    const err = await fetchIds(c, ...DAY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataApiDeadlineError);
    expect((err as Error).message).toMatch(/gave up after 4 attempts.*HTTP 500/);
    expect(c.transport.requests).toBe(4);
    // Bounded, not a hang: three waits, each under its backoff step (5, 10 capped at 8, 8 ms).
    expect(retries).toHaveLength(3);
    retries.forEach((ms, i) => {
      expect(ms).toBeLessThan([5, 8, 8][i] as number);
    });
  });

  it('ends at the overall deadline even when each request would be retried', async () => {
    const s = await start({ faults: { slowMs: 400, slowEvery: 1 } });
    const c = client(s, { deadlineMs: 150, requestTimeoutMs: 1000 });
    const err = await fetchIds(c, ...DAY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataApiDeadlineError);
  });

  it.each([
    ['a bad token', { badToken: true }, DataApiAuthError, /access_token_invalid.*MGF_ACCESS_TOKEN/],
    [
      'an IP not on the allow-list',
      { ipNotWhitelisted: true },
      DataApiAccessError,
      /ip_not_whitelisted.*allow-list.*Settings/,
    ],
    [
      'a disabled Data API component',
      { componentDisabled: true },
      DataApiAccessError,
      /method_component_disabled.*enable/,
    ],
    ['a used-up day limit', { dayLimitExhausted: true }, DataApiLimitError, /daily request limit/],
  ])('stops at once on %s with its own message', async (_name, faults, type, message) => {
    const s = await start({ faults: faults as SimulatorOptions['faults'] });
    const c = client(s);
    const err = await fetchIds(c, ...DAY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain(TOKEN);
    expect(c.transport.requests).toBe(1);
  });

  it('stops at once when the API refuses a parameter, naming it', async () => {
    const s = await start();
    const c = client(s);
    const err = await c
      .fetchCalls({ reportId: 999, from: DAY[0], till: DAY[1] }, () => {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataApiRequestError);
    expect((err as Error).message).toMatch(/invalid_parameter_value.*report_id/);
    expect(c.transport.requests).toBe(1);
  });

  it('checks the query before sending anything', async () => {
    const s = await start();
    const c = client(s);
    const bad = [
      { reportId: 1015, from: '2024-10-21', till: DAY[1] },
      { reportId: 1015, from: DAY[1], till: DAY[0] },
      { reportId: 1015, from: '2023-01-01 00:00:00', till: '2024-01-02 00:00:00' },
      { reportId: 1015, from: DAY[0], till: DAY[1], fields: ['colour'] },
      { reportId: 1015, from: DAY[0], till: DAY[1], sort: [{ field: 'employees', order: 'asc' as const }] },
      { reportId: 0, from: DAY[0], till: DAY[1] },
    ];
    for (const q of bad) {
      await expect(c.fetchCalls(q, () => {})).rejects.toBeInstanceOf(DataApiRequestError);
    }
    await expect(
      c.fetchCalls(
        { reportId: 1015, from: DAY[0], till: DAY[1], filter: { field: 'call_status', operator: '~' } },
        () => {},
      ),
    ).rejects.toBeInstanceOf(InvalidFilterError);
    expect(c.transport.requests).toBe(0);
  });

  it('passes a filter and a chosen column list through', async () => {
    const s = await start();
    const c = client(s);
    const rows: RawRow[] = [];
    await c.fetchCalls(
      {
        reportId: 1015,
        from: DAY[0],
        till: DAY[1],
        fields: ['call_start_date_time', 'call_direction'],
        filter: { field: 'call_direction', operator: '=', value: 'Исходящий звонок' },
      },
      (r) => {
        rows.push(...r);
      },
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(Object.keys(r).sort()).toEqual(['call_direction', 'call_start_date_time', 'communication_id']);
      expect((r.call_direction as { value_id: string }).value_id).toBe('out');
    }
  });
});

describe('the report id', () => {
  it('is found with get.reports_list when there is exactly one mgf_calls report', async () => {
    const s = await start({
      reports: [
        { id: 1, name: 'Другой', type: 'other' },
        { id: 77, name: 'Все звонки', type: 'mgf_calls' },
      ],
    });
    expect(await client(s).findCallsReportId()).toBe(77);
  });

  it.each([
    ['none', [{ id: 1, name: 'Другой', type: 'other' }], /no "mgf_calls" report.*MGF_REPORT_ID/],
    [
      'several',
      [
        { id: 5, name: 'A', type: 'mgf_calls' },
        { id: 6, name: 'B', type: 'mgf_calls' },
      ],
      /2 "mgf_calls" reports \(5 "A", 6 "B"\).*MGF_REPORT_ID/,
    ],
  ])('gives a clear error when there are %s', async (_name, reports, message) => {
    const s = await start({ reports });
    await expect(client(s).findCallsReportId()).rejects.toThrow(message);
  });
});

describe('DataApiCallSource', () => {
  it('turns the period’s rows into Calls, looking the report id up itself', async () => {
    const s = await start();
    const source = new DataApiCallSource(client(s));
    const got = await source.fetch({ from: parseWall(DAY[0]) ?? 0, till: parseWall(DAY[1]) ?? 0 });
    expect(source.reportId).toBe(1015);
    expect(got.rejectedCount).toBe(0);
    expect(
      callsIn(got.calls)
        .map((c) => c.id)
        .sort((a, b) => a - b),
    ).toEqual(expectedIds(s, ...DAY));
  });
});
