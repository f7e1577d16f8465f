/**
 * The Data API client copes with every quirk of data-api.md, over real HTTP
 * against the simulator's switches (the table in docs/data-api.md names each).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DataApiCallSource } from '../../functions/shared/calls/source.ts';
import {
  DataApiClient,
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
import type { RpcEvent } from '../../functions/shared/dataapi/rpc/transport.ts';
import { parseWall } from '../../functions/shared/time.ts';
import { generateCalls, generateRowsForTotal } from '../../simulator/generator.ts';
import {
  type Faults,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '../../simulator/server.ts';
import { idsStartingIn, testClient } from '../support/data-api-client.ts';

const TOKEN = 'quirks-token';
const DAY = ['2024-10-21 00:00:00', '2024-10-21 23:59:59'] as const;
const sims: Simulator[] = [];

afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function start(opts: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  const sim = await startSimulator({
    accessToken: TOKEN,
    rows: generateCalls({ seed: 21, from: '2024-10-21', till: '2024-10-21', callsPerDay: 600 }),
    limits: { minuteLimit: 100_000 },
    ...opts,
  });
  sims.push(sim);
  return sim;
}

const client = (sim: Simulator, opts: Partial<DataApiClientOptions> = {}): DataApiClient =>
  testClient(sim, TOKEN, 100, opts);

const expectedIds = idsStartingIn;

async function fetchIds(c: DataApiClient, from: string = DAY[0], till: string = DAY[1], extra: object = {}) {
  const ids: number[] = [];
  const stats = await c.fetchCalls({ reportId: 1015, from, till, ...extra }, (rows: RawRow[]) => {
    for (const r of rows) ids.push(rowId(r) ?? -1);
  });
  return { ids: ids.sort((x, y) => x - y), stats };
}

/** Parameters of one page of the day, as the client sends them. */
function pageParams(c: DataApiClient): Record<string, unknown> {
  return { ...c.prepare({ reportId: 1015, from: DAY[0], till: DAY[1] }).params, ...dayRange, offset: 0 };
}
const dayRange = { date_from: DAY[0], date_till: DAY[1], limit: 100 };

describe('the client and data-api.md: transport and auth', () => {
  it('sends one JSON-RPC 2.0 POST per call with an id, the JSON content type, and the token and user_id only in params', async () => {
    const sim = await start();
    const sent: { url: string; init: RequestInit }[] = [];
    const c = client(sim, {
      userId: 42,
      fetch: (url, init) => {
        sent.push({ url: String(url), init: init ?? {} });
        return fetch(url, init);
      },
    });
    await c.getReportsList();
    await c.getAccountTimezone();
    const { ids } = await fetchIds(c);
    expect(ids).toEqual(expectedIds(sim, ...DAY));
    expect(sent.length).toBeGreaterThan(3);
    const rpcIds = new Set<unknown>();
    for (const { url, init } of sent) {
      expect(url).toBe(sim.url);
      expect(url).not.toContain(TOKEN);
      expect(init.method).toBe('POST');
      const headers = new Headers(init.headers);
      expect(headers.get('content-type')).toBe('application/json; charset=UTF-8');
      expect(headers.has('authorization')).toBe(false);
      const body = JSON.parse(String(init.body));
      expect(Array.isArray(body)).toBe(false); // no batches
      expect(body.jsonrpc).toBe('2.0');
      expect(typeof body.id).toBe('number'); // no notifications
      rpcIds.add(body.id);
      expect(body.params.access_token).toBe(TOKEN);
      expect(body.params.user_id).toBe(42);
    }
    expect(rpcIds.size).toBe(sent.length);
  });

  it('a key works only on its own brand’s host: on another it stops at once, saying to check MGF_API_URL', async () => {
    const uis = await start({ accessToken: 'uis-key' });
    const comagic = await start({ accessToken: 'comagic-key' });
    const wrongHost = client(comagic, { accessToken: 'uis-key' });
    const err = await fetchIds(wrongHost).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataApiAuthError);
    expect((err as Error).message).toMatch(/access_token_invalid.*MGF_API_URL.*brand/);
    expect((err as Error).message).not.toContain('uis-key');
    expect(wrongHost.transport.requests).toBe(1);
    const { ids } = await fetchIds(client(uis, { accessToken: 'uis-key' }));
    expect(ids).toEqual(expectedIds(uis, ...DAY));
  });
});

describe('the client and data-api.md: parameters', () => {
  it('never sends an empty fields list, which the API would answer with nothing', async () => {
    const sim = await start();
    const { ids } = await fetchIds(client(sim), DAY[0], DAY[1], { fields: [] });
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual(expectedIds(sim, ...DAY));
  });

  it('fetches a period longer than 366 days as consecutive queries the API accepts', async () => {
    const sim = await start({
      rows: generateCalls({ seed: 22, from: '2024-01-01', till: '2025-01-01', callsPerDay: 4 }),
    });
    const range = ['2024-01-01 00:00:00', '2025-01-01 23:59:59'] as const; // 367 days
    const source = new DataApiCallSource(client(sim, { pageSize: 500 }), { reportId: 1015 });
    const ids: number[] = [];
    await source.fetchRows({ from: parseWall(range[0]) ?? 0, till: parseWall(range[1]) ?? 0 }, (rows) => {
      for (const r of rows) ids.push(rowId(r) ?? -1);
    });
    expect(sim.stats.errors).toEqual({});
    expect(sim.stats.calls['get.mgf_calls']).toBeGreaterThanOrEqual(2);
    expect(ids.sort((a, b) => a - b)).toEqual(expectedIds(sim, ...range));
  });

  it('sends a two-level filter of display labels and gets the calls the API matches', async () => {
    const sim = await start();
    const rows: RawRow[] = [];
    await client(sim).fetchCalls(
      {
        reportId: 1015,
        from: DAY[0],
        till: DAY[1],
        filter: {
          condition: 'and',
          filters: [
            { field: 'call_direction', operator: '=', value: 'Входящий звонок' },
            {
              condition: 'or',
              filters: [
                { field: 'call_status', operator: '=', value: 'Пропущенный' },
                { field: 'call_status', operator: '=', value: 'Потерянный' },
              ],
            },
          ],
        },
      },
      (r) => {
        rows.push(...r);
      },
    );
    const want = new Set(
      sim.rows
        .filter((r) => r.call_direction.value === 'Входящий звонок' && r.call_status.value_id === 'lost')
        .map((r) => Number(r.communication_id)),
    );
    expect(want.size).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => rowId(r)))).toEqual(want);
  });

  it('pages past the real offset cap of 100 000 by splitting the range, with no offset or limit error', async () => {
    const sim = await start({
      rows: generateRowsForTotal(125_000, '2024-10-01', '2024-10-31', { seed: 23 }),
    });
    const range = ['2024-10-01 00:00:00', '2024-10-31 23:59:59'] as const;
    const c = new DataApiClient({ url: sim.url, accessToken: TOKEN, retry: { baseDelayMs: 5 } });
    const { ids, stats } = await fetchIds(c, ...range, { fields: ['call_start_date_time'] });
    expect(sim.stats.errors).toEqual({});
    expect(stats.windows).toBeGreaterThanOrEqual(2);
    expect(ids).toEqual(expectedIds(sim, ...range));
  });
});

describe('the client and data-api.md: metadata.limits', () => {
  it('copes with metadata.limits as {} (the method’s own examples): every call once, nothing throttled', async () => {
    const sim = await start({ faults: { limitsKeys: [] } });
    const events: RpcEvent[] = [];
    const { ids } = await fetchIds(client(sim, { onEvent: (e) => events.push(e) }));
    expect(ids).toEqual(expectedIds(sim, ...DAY));
    expect(events).toEqual([]);
  });

  it('assumes a 60 s minute window when the limits lack minute_reset', async () => {
    const sim = await start({
      limits: { minuteLimit: 2 },
      faults: { limitsKeys: ['minute_limit', 'minute_remaining'] },
    });
    const stop = new AbortController();
    const events: RpcEvent[] = [];
    const c = client(sim, {
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'throttled') stop.abort();
      },
    });
    await c.transport.call('get.account', {}, stop.signal);
    await c.transport.call('get.account', {}, stop.signal); // minute_remaining 0 now
    const err = await c.transport.call('get.account', {}, stop.signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataApiDeadlineError);
    const wait = events.find((e) => e.type === 'throttled');
    expect(wait?.type === 'throttled' && wait.waitMs).toBeGreaterThan(55_000);
    expect(wait?.type === 'throttled' && wait.waitMs).toBeLessThanOrEqual(60_000);
    expect(sim.stats.calls['get.account']).toBe(2); // the third never went
  });

  it('waits 60 s after a limit_exceeded without minute_reset', async () => {
    const sim = await start({ faults: { rateLimitEvery: 1, limitsKeys: [] } });
    const stop = new AbortController();
    const events: RpcEvent[] = [];
    const c = client(sim, {
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'rate_limited') stop.abort();
      },
    });
    const err = await c.transport.call('get.mgf_calls', pageParams(c), stop.signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataApiDeadlineError);
    const wait = events.find((e) => e.type === 'rate_limited');
    expect(wait?.type === 'rate_limited' && wait.waitMs).toBeGreaterThanOrEqual(60_000);
    expect(sim.stats.errors.limit_exceeded).toBe(1);
  });

  it('recognises a used-up day limit even when the error carries no limits', async () => {
    const sim = await start({ faults: { dayLimitExhausted: true, limitsKeys: [] } });
    const c = client(sim);
    const err = await fetchIds(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataApiLimitError);
    expect((err as DataApiLimitError).scope).toBe('day');
    expect((err as Error).message).toMatch(/daily request limit/);
    expect(c.transport.requests).toBe(1);
  });
});

describe('the client and data-api.md: errors', () => {
  it.each([200, 400, 403, 500, 502])(
    'decides on the error member whatever the HTTP status: ip_not_whitelisted with %i stops at once',
    async (status) => {
      const sim = await start({ faults: { ipNotWhitelisted: true, errorStatus: status } });
      const c = client(sim);
      const err = await fetchIds(c).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataApiAccessError);
      expect((err as Error).message).toMatch(/ip_not_whitelisted.*allow-list/);
      expect(c.transport.requests).toBe(1);
    },
  );

  it.each([
    ['access_token_expired', DataApiAuthError, /expired.*new key/],
    ['access_token_blocked', DataApiAuthError, /blocked/],
    ['auth_error', DataApiAuthError, /MGF_ACCESS_TOKEN/],
    ['forbidden', DataApiAccessError, /access to call reports/],
    ['parameter_component_disabled', DataApiAccessError, /leave that column out/],
    ['account_inactive', DataApiAccessError, /inactive/],
    ['error', DataApiRequestError, /error/],
    ['invalid_parameters_combination', DataApiRequestError, /invalid_parameters_combination/],
  ] as const)('stops at once on %s, with its own message', async (mnemonic, type, message) => {
    const sim = await start({ faults: { apiError: { mnemonic } } });
    const c = client(sim);
    const err = await fetchIds(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain(TOKEN);
    expect(c.transport.requests).toBe(1);
  });

  it.each([
    ['internal_error every 2nd call', { apiError: { mnemonic: 'internal_error', every: 2 } }],
    [
      'internal_error sent with HTTP 500',
      { apiError: { mnemonic: 'internal_error', every: 2 }, errorStatus: 500 },
    ],
    ['limit_exceeded sent with HTTP 429', { rateLimitEvery: 3, errorStatus: 429 }],
    ['a dropped connection every 3rd call', { resetEvery: 3 }],
  ] as [string, Faults][])('retries %s and still brings back every call once', async (_name, faults) => {
    const sim = await start({ faults });
    const { ids } = await fetchIds(client(sim));
    expect(ids).toEqual(expectedIds(sim, ...DAY));
    expect(Object.keys(sim.stats.errors).length).toBeGreaterThan(0);
  });
});

describe('the client and data-api.md: paging', () => {
  it('reads again a short page that is not the last, and loses nothing', async () => {
    const sim = await start({ faults: { shortPageEvery: 3 } });
    const { ids, stats } = await fetchIds(client(sim));
    expect(ids).toEqual(expectedIds(sim, ...DAY));
    expect(stats.anomalies.length).toBeGreaterThan(0);
  });

  it('pages exactly under an unstable order, because it always sends a stable sort', async () => {
    const sim = await start({ faults: { unstableOrder: true } });
    const { ids, stats } = await fetchIds(client(sim));
    expect(ids).toEqual(expectedIds(sim, ...DAY));
    expect(stats.anomalies).toEqual([]);
  });
});

describe('the client and data-api.md: time', () => {
  it('reads the account’s IANA time zone from get.account', async () => {
    const sim = await start({ timezone: 'Asia/Yekaterinburg' });
    expect(await client(sim).getAccountTimezone()).toBe('Asia/Yekaterinburg');
  });
});
