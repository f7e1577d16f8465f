/**
 * The simulator is never kinder than the API: the quirks of data-api.md that
 * are switches or strict defaults (see docs/data-api.md), over real HTTP.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MgfCallRow } from '../../simulator/columns.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected freely in tests
  json: any;
}

async function post(sim: Simulator, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(sim.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=UTF-8', ...headers },
    body,
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, json };
}

const rpc = (sim: Simulator, method: string, params: Record<string, unknown>): Promise<Answer> =>
  post(sim, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));

const DAY = { date_from: '2024-10-21 00:00:00', date_till: '2024-10-21 23:59:59' };

function calls(sim: Simulator, params: Record<string, unknown> = {}): Promise<Answer> {
  return rpc(sim, 'get.mgf_calls', {
    access_token: sim.accessToken,
    report_id: sim.reportId,
    ...DAY,
    fields: ['communication_id', 'call_start_date_time'],
    ...params,
  });
}

const ids = (a: Answer): number[] => a.json.result.data.map((r: MgfCallRow) => Number(r.communication_id));

function expectError(a: Answer, mnemonic: string, code: number, status = 200): void {
  expect(a.status).toBe(status);
  expect(a.json?.error?.data?.mnemonic, JSON.stringify(a.json)).toBe(mnemonic);
  expect(a.json.error.code).toBe(code);
}

let sim: Simulator;
let rows: MgfCallRow[];
let dayIds: number[];

beforeAll(async () => {
  rows = generateCalls({ seed: 12, from: '2024-10-21', till: '2024-10-21', callsPerDay: 400 });
  sim = await startSimulator({ rows, limits: { minuteLimit: 100_000 } });
  dayIds = [...new Set(sim.rows.map((r) => Number(r.communication_id)))].sort((a, b) => a - b);
});
afterEach(() => {
  sim.clearFaults();
});
afterAll(async () => {
  await sim.close();
});

describe('simulator: transport and auth as data-api.md has them', () => {
  it('refuses a body without the JSON content type, a batch and a notification without an id', async () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'get.account',
      params: { access_token: sim.accessToken },
    });
    expectError(
      await post(sim, body, { 'Content-Type': 'text/plain;charset=UTF-8' }),
      'invalid_request',
      -32600,
    );
    expectError(
      await post(sim, body, { 'Content-Type': 'application/json; charset=windows-1251' }),
      'invalid_request',
      -32600,
    );
    expect((await post(sim, body, { 'Content-Type': 'application/json' })).json.result).toBeDefined();
    expectError(await post(sim, `[${body}]`), 'invalid_request', -32600);
    const { id: _id, ...notification } = JSON.parse(body);
    expectError(await post(sim, JSON.stringify(notification)), 'invalid_request', -32600);
  });

  it('reads the token from params.access_token only, never from a header', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'get.account', params: {} });
    const a = await post(sim, body, { Authorization: `Bearer ${sim.accessToken}` });
    expectError(a, 'required_parameter_missed', -32602);
    expect(a.json.error.data.field).toBe('access_token');
  });

  it('is one brand’s host: a key of another host answers access_token_invalid', async () => {
    const other = await startSimulator({ accessToken: 'comagic-key', rows: [] });
    try {
      expectError(
        await rpc(other, 'get.account', { access_token: sim.accessToken }),
        'access_token_invalid',
        -32001,
      );
      expect((await rpc(other, 'get.account', { access_token: 'comagic-key' })).json.result).toBeDefined();
    } finally {
      await other.close();
    }
  });
});

describe('simulator: parameters as data-api.md has them', () => {
  it('accepts 366 whole days and refuses one second more (date_interval_limit_reached)', async () => {
    const year = { date_from: '2024-01-01 00:00:00', date_till: '2024-12-31 23:59:59' };
    expect((await calls(sim, year)).json.result.metadata.total_items).toBe(sim.rowCount);
    expectError(
      await calls(sim, { ...year, date_till: '2025-01-01 00:00:00' }),
      'date_interval_limit_reached',
      -32602,
    );
  });

  it('matches filter values by display label: a value_id matches nothing', async () => {
    const count = async (field: string, value: string): Promise<number> =>
      (await calls(sim, { filter: { field, operator: '=', value }, limit: 1 })).json.result.metadata
        .total_items;
    const va = rows.filter((r) => r.call_type?.value === 'Звонок ВАТС').length;
    expect(va).toBeGreaterThan(0);
    expect(await count('call_type', 'Звонок ВАТС')).toBe(va);
    expect(await count('call_type', 'va')).toBe(0);
    expect(await count('call_status', 'lost')).toBe(0);
    expect(await count('call_direction', 'in')).toBe(0);
  });
});

describe('simulator: metadata.limits in every shape', () => {
  it('limitsKeys [] sends metadata.limits as {} in answers and in limit_exceeded errors', async () => {
    sim.setFaults({ limitsKeys: [] });
    expect((await calls(sim)).json.result.metadata.limits).toEqual({});
    sim.setFaults({ rateLimitEvery: 1 });
    const refused = await calls(sim);
    expectError(refused, 'limit_exceeded', -32029);
    expect(refused.json.error.data.metadata.limits).toEqual({});
  });

  it('limitsKeys sends only the keys it names (e.g. no minute_reset)', async () => {
    sim.setFaults({ limitsKeys: ['minute_limit', 'minute_remaining'] });
    const limits = (await calls(sim)).json.result.metadata.limits;
    expect(Object.keys(limits)).toEqual(['minute_limit', 'minute_remaining']);
    expect(limits.minute_limit).toBe(100_000);
  });
});

describe('simulator: errors as data-api.md has them', () => {
  it('apiError answers its mnemonic with the code of the table, on every call or every n-th', async () => {
    sim.setFaults({ apiError: { mnemonic: 'account_inactive' } });
    expectError(await calls(sim), 'account_inactive', -32009);
    expectError(await rpc(sim, 'get.account', { access_token: sim.accessToken }), 'account_inactive', -32009);
    sim.setFaults({ apiError: { mnemonic: 'internal_error', every: 2 } });
    expect((await calls(sim)).json.result).toBeDefined();
    expectError(await calls(sim), 'internal_error', -32603);
    expect((await rpc(sim, 'get.account', { access_token: sim.accessToken })).json.result).toBeDefined();
    sim.setFaults({ apiError: { mnemonic: 'parameter_component_disabled', field: 'call_records' } });
    const refused = await calls(sim);
    expectError(refused, 'parameter_component_disabled', -32008);
    expect(refused.json.error.data.field).toBe('call_records');
  });

  it('errorStatus sends API errors with a non-2xx status and the error member', async () => {
    sim.setFaults({ ipNotWhitelisted: true, errorStatus: 403 });
    expectError(await calls(sim), 'ip_not_whitelisted', -32003, 403);
    sim.setFaults({ ipNotWhitelisted: false, errorStatus: 400 });
    expectError(await calls(sim, { limit: 10_001 }), 'invalid_parameter_value', -32602, 400);
    expect((await calls(sim)).status).toBe(200); // answers stay 200
  });

  it('resetEvery drops the connection without an answer', async () => {
    sim.setFaults({ resetEvery: 1 });
    await expect(calls(sim)).rejects.toThrow();
    expect(sim.stats.errors.reset).toBeGreaterThan(0);
  });
});

describe('simulator: paging as data-api.md has it', () => {
  it('shortPageEvery answers half a page though more rows remain, total_items unchanged', async () => {
    sim.setFaults({ shortPageEvery: 2 });
    const whole = await calls(sim, { limit: 100 });
    const short = await calls(sim, { limit: 100 });
    expect(ids(whole)).toHaveLength(100);
    expect(ids(short)).toEqual(ids(whole).slice(0, 50));
    expect(short.json.result.metadata.total_items).toBe(whole.json.result.metadata.total_items);
  });

  it('unstableOrder: paging without a sort repeats and misses rows; under a unique sort it is exact', async () => {
    sim.setFaults({ unstableOrder: true });
    const read = async (sort?: unknown): Promise<number[]> => {
      const got: number[] = [];
      for (let offset = 0; offset < sim.rowCount; offset += 50)
        got.push(...ids(await calls(sim, { limit: 50, offset, ...(sort ? { sort } : {}) })));
      return got;
    };
    const unsorted = await read();
    expect(unsorted).toHaveLength(sim.rowCount);
    expect(new Set(unsorted).size).toBeLessThan(dayIds.length); // some twice, so some never
    const sorted = await read([{ field: 'communication_id', order: 'asc' }]);
    expect(sorted).toHaveLength(sim.rowCount);
    expect([...new Set(sorted)]).toEqual(dayIds);
  });
});
