/**
 * The Data API simulator over real HTTP: paging, validation errors, projection,
 * sort, filter, rate limits, every fault switch, drift; and the generator's
 * determinism, row shapes and realism.
 */
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { normalisePhone } from '../../functions/shared/calls/phone.ts';
import { FULL_FIELDS, type MgfCallRow } from '../../simulator/columns.ts';
import { generateCalls, generateRowsForTotal, staffFor } from '../../simulator/generator.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { spawnSimulator } from '../../simulator/spawn.ts';

interface RpcAnswer {
  status: number;
  contentType: string;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected freely in tests
  json: any;
}

async function post(url: string, body: string): Promise<RpcAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=UTF-8' },
    body,
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}

function rpc(
  sim: Simulator,
  method: string,
  params: Record<string, unknown>,
  id: number | string = 1,
): Promise<RpcAnswer> {
  return post(sim.url, JSON.stringify({ jsonrpc: '2.0', id, method, params }));
}

const PERIOD = { date_from: '2024-10-01 00:00:00', date_till: '2024-10-31 23:59:59' };

/** Resolves once `test()` holds (checked every few ms): a wait for a state, whatever the machine's speed. */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((resolve) => setTimeout(resolve, 5));
}

function calls(sim: Simulator, params: Record<string, unknown> = {}): Promise<RpcAnswer> {
  return rpc(sim, 'get.mgf_calls', {
    access_token: sim.accessToken,
    report_id: sim.reportId,
    ...PERIOD,
    fields: ['communication_id', 'call_start_date_time'],
    ...params,
  });
}

const start = (r: MgfCallRow): string => r.call_start_date_time;
const idOf = (r: MgfCallRow): number => Number(r.communication_id);
const isInternal = (r: MgfCallRow): boolean =>
  typeof r.call_is_internal === 'string'
    ? r.call_is_internal === 'Внутренний'
    : r.call_is_internal.value_id === 'internal' || r.call_is_internal.value_id === true;
const phoneOf = (r: MgfCallRow): string | null =>
  typeof r.contact_phone_number === 'string'
    ? r.contact_phone_number
    : (r.contact_phone_number?.value ?? null);
const seconds = (d: string | null): number => {
  const [h = 0, m = 0, s = 0] = (d ?? '0:0:0').split(':').map(Number);
  return h * 3600 + m * 60 + s;
};

function expectError(answer: RpcAnswer, mnemonic: string, code: number, field?: string): void {
  expect(answer.status).toBe(200);
  expect(answer.json?.error?.data?.mnemonic, answer.text).toBe(mnemonic);
  expect(answer.json.error.code).toBe(code);
  expect(answer.json.error.data).toHaveProperty('extended_helper');
  if (field !== undefined) expect(answer.json.error.data.field).toBe(field);
}

describe('generator', () => {
  it('is deterministic for a seed', () => {
    const a = generateCalls({ seed: 7, from: '2024-10-01', till: '2024-10-07', callsPerDay: 300 });
    const b = generateCalls({ seed: 7, from: '2024-10-01', till: '2024-10-07', callsPerDay: 300 });
    const c = generateCalls({ seed: 8, from: '2024-10-01', till: '2024-10-07', callsPerDay: 300 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('gives an exact total, sorted, with unique ids growing with the start and consistent times', () => {
    const rows = generateRowsForTotal(10_000, '2024-10-01', '2024-10-31', { seed: 3 });
    expect(rows).toHaveLength(10_000);
    for (let i = 1; i < rows.length; i++) {
      const prev = rows[i - 1] as MgfCallRow;
      const row = rows[i] as MgfCallRow;
      expect(start(prev) <= start(row)).toBe(true);
      expect(idOf(row)).toBeGreaterThan(idOf(prev));
    }
    for (const r of rows) {
      expect(r.call_start_date_time).toBe(`${r.call_start_date} ${r.call_start_time}`);
      expect(r.call_start_date >= '2024-10-01' && r.call_start_date <= '2024-10-31').toBe(true);
      expect(r.call_finish_date_time !== null && r.call_finish_date_time >= r.call_start_date_time).toBe(
        true,
      );
      expect(Object.keys(r)).toEqual(FULL_FIELDS);
    }
  });

  it('uses 5–50 employees with Russian names and named lines', () => {
    const staff = staffFor({ seed: 2, employees: 50, lines: 6 });
    expect(staff.employees).toHaveLength(50);
    expect(new Set(staff.employees).size).toBe(50);
    for (const name of staff.employees) expect(name).toMatch(/^[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+$/);
    expect(staffFor({ employees: 1 }).employees).toHaveLength(5);
    expect(staff.lines.map((l) => l.comment)).toContain('Отдел продаж');
    for (const line of staff.lines) expect(line.number).toMatch(/^749[59]\d{7}$/);
  });

  it('produces every row-shape variant of data-api.md', () => {
    const rows = generateRowsForTotal(5000, '2024-10-01', '2024-10-14', { seed: 11 });
    const isObj = (v: unknown): v is Record<string, unknown> =>
      typeof v === 'object' && v !== null && !Array.isArray(v);
    const variants: Record<string, (r: MgfCallRow) => boolean> = {
      'communication_id number': (r) => typeof r.communication_id === 'number',
      'communication_id numeric string': (r) =>
        typeof r.communication_id === 'string' && /^\d+$/.test(r.communication_id),
      'contact string': (r) => typeof r.contact_phone_number === 'string',
      'contact object': (r) =>
        typeof r.contact_phone_number === 'object' &&
        r.contact_phone_number !== null &&
        typeof r.contact_phone_number.extra.call_status === 'string',
      'contact 8xxxxxxxxxx': (r) => /^8\d{10}$/.test(phoneOf(r) ?? ''),
      'contact 10-digit 9xxxxxxxxx': (r) => /^9\d{9}$/.test(phoneOf(r) ?? ''),
      'direction "Входящий звонок"': (r) => r.call_direction.value === 'Входящий звонок',
      'direction "Входящий"': (r) => r.call_direction.value === 'Входящий',
      'lost "Пропущенный"': (r) => r.call_status.value_id === 'lost' && r.call_status.value === 'Пропущенный',
      'lost "Потерянный"': (r) => r.call_status.value_id === 'lost' && r.call_status.value === 'Потерянный',
      'internal id string': (r) =>
        isObj(r.call_is_internal) && typeof r.call_is_internal.value_id === 'string',
      'internal id boolean': (r) =>
        isObj(r.call_is_internal) && typeof r.call_is_internal.value_id === 'boolean',
      'internal bare string': (r) => typeof r.call_is_internal === 'string',
      'internal call': (r) => isInternal(r) && r.first_employee_for_internal_call !== null,
      'blacklisted id boolean': (r) => typeof r.is_blacklisted_phone?.value_id === 'boolean',
      'blacklisted id string': (r) => typeof r.is_blacklisted_phone?.value_id === 'string',
      'coach id boolean': (r) => typeof r.is_coach_handled_call?.value_id === 'boolean',
      'coach id string': (r) => typeof r.is_coach_handled_call?.value_id === 'string',
      'employees strings': (r) => Array.isArray(r.employees) && typeof r.employees[0] === 'string',
      'employees objects': (r) =>
        Array.isArray(r.employees) && isObj(r.employees[0]) && 'employee_id' in r.employees[0],
      'employees null': (r) => r.employees === null,
      'coaches strings': (r) => Array.isArray(r.coaches) && typeof r.coaches[0] === 'string',
      'coaches objects': (r) => Array.isArray(r.coaches) && isObj(r.coaches[0]),
      'coaches null': (r) => r.coaches === null,
      'tags object': (r) =>
        isObj(r.tags) && Array.isArray(r.tags.items) && r.tags.communication_type === 'call',
      'tags array': (r) => Array.isArray(r.tags) && isObj(r.tags[0]) && 'color' in r.tags[0],
      'tags null': (r) => r.tags === null,
      'comment string': (r) => typeof r.communication_comment === 'string',
      'comment object': (r) =>
        isObj(r.communication_comment) && 'communication_id' in r.communication_comment,
      'comment null': (r) => r.communication_comment === null,
      'records array': (r) => Array.isArray(r.call_records) && typeof r.call_records[0] === 'string',
      'records null': (r) => r.call_records === null,
      'rating number': (r) => typeof r.employee_rating === 'number',
      'rating null': (r) => r.employee_rating === null,
      'await null': (r) => r.call_await_talk_duration === null,
      'await hh:mm:ss': (r) => /^\d{2,}:\d{2}:\d{2}$/.test(r.call_await_talk_duration ?? ''),
      'call_type VA': (r) => r.call_type?.value_id === 'va' && r.call_type.value === 'Звонок ВАТС',
      'call_type other': (r) => r.call_type !== null && r.call_type.value_id !== 'va',
      'finish no_success_operator_call': (r) =>
        r.call_finish_reason?.value_id === 'no_success_operator_call' &&
        r.call_finish_reason.value === 'Не дозвонились до сотрудника',
      'finish subscriber_disconnects': (r) => r.call_finish_reason?.value_id === 'subscriber_disconnects',
      'finish operator_disconnects': (r) => r.call_finish_reason?.value_id === 'operator_disconnects',
      'line with a note': (r) => r.virtual_number_comment !== null,
      'outgoing call': (r) => r.call_direction.value_id === 'out' && !isInternal(r),
    };
    const missing = Object.entries(variants)
      .filter(([, test]) => !rows.some(test))
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it('is realistic: missed share, internal share, callbacks, repeats, an hourly profile', () => {
    const rows = generateCalls({ seed: 5, from: '2024-10-01', till: '2024-10-31', callsPerDay: 400 });
    const external = rows.filter((r) => !isInternal(r));
    const incoming = external.filter((r) => r.call_direction.value_id === 'in');
    const missed = incoming.filter((r) => r.call_status.value_id === 'lost');
    const missedShare = missed.length / incoming.length;
    expect(missedShare).toBeGreaterThan(0.1);
    expect(missedShare).toBeLessThan(0.2);
    const internalShare = (rows.length - external.length) / rows.length;
    expect(internalShare).toBeGreaterThan(0.03);
    expect(internalShare).toBeLessThan(0.08);

    // What became of each miss, by normal number (report-metrics.md's outcomes, roughly).
    const later = new Map<string, MgfCallRow[]>();
    for (const r of external) {
      const n = normalisePhone(phoneOf(r));
      if (n === null) continue;
      const list = later.get(n) ?? [];
      list.push(r);
      later.set(n, list);
    }
    let calledBack = 0;
    let callbackFailed = 0;
    let calledAgain = 0;
    let unreturned = 0;
    let repeatedMisses = 0;
    for (const m of missed) {
      const n = normalisePhone(phoneOf(m)) ?? '';
      const after = (later.get(n) ?? []).filter((r) => start(r) > start(m));
      const answered = after.find((r) => r.call_status.value_id !== 'lost');
      if (
        after.some((r) => r !== m && r.call_direction.value_id === 'in' && r.call_status.value_id === 'lost')
      )
        repeatedMisses++;
      if (answered?.call_direction.value_id === 'out') calledBack++;
      else if (answered) calledAgain++;
      else if (after.some((r) => r.call_direction.value_id === 'out')) callbackFailed++;
      else unreturned++;
    }
    for (const count of [calledBack, callbackFailed, calledAgain, unreturned, repeatedMisses])
      expect(count).toBeGreaterThan(0);
    expect(calledBack / missed.length).toBeGreaterThan(0.3);

    // Business hours dominate; nights are quiet.
    const byHour = new Array<number>(24).fill(0);
    for (const r of rows) {
      const hour = Number(r.call_start_time.slice(0, 2));
      byHour[hour] = (byHour[hour] ?? 0) + 1;
    }
    const day = byHour.slice(9, 18).reduce((a, b) => a + b, 0);
    const night = byHour.slice(0, 7).reduce((a, b) => a + b, 0);
    expect(day / rows.length).toBeGreaterThan(0.7);
    expect(night / rows.length).toBeLessThan(0.02);
  });
});

describe('simulator: get.mgf_calls', () => {
  let sim: Simulator;
  let rows: MgfCallRow[];
  const october = (r: MgfCallRow): boolean =>
    start(r) >= '2024-10-01 00:00:00' && start(r) <= '2024-10-31 23:59:59';

  beforeAll(async () => {
    rows = generateCalls({ seed: 3, from: '2024-09-30', till: '2024-11-01', callsPerDay: 150 });
    sim = await startSimulator({ rows, limits: { minuteLimit: 100_000 } });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('pages through a range with total_items and limits in the metadata', async () => {
    const expected = rows.filter(october).map(idOf);
    const seen: number[] = [];
    let offset = 0;
    let total = Number.POSITIVE_INFINITY;
    let pages = 0;
    while (offset < total) {
      const a = await calls(sim, {
        limit: 1000,
        offset,
        sort: [{ field: 'communication_id', order: 'asc' }],
      });
      expect(a.status).toBe(200);
      expect(a.json.jsonrpc).toBe('2.0');
      expect(a.json.id).toBe(1);
      const meta = a.json.result.metadata;
      expect(meta.version).toBeNull();
      expect(Object.keys(meta.limits)).toEqual([
        'day_limit',
        'day_remaining',
        'day_reset',
        'minute_limit',
        'minute_remaining',
        'minute_reset',
      ]);
      total = meta.total_items;
      for (const r of a.json.result.data) seen.push(Number(r.communication_id));
      offset += 1000;
      pages++;
    }
    expect(total).toBe(expected.length);
    expect(pages).toBe(Math.ceil(expected.length / 1000));
    expect(seen).toEqual(expected);
  });

  it('serves full rows exactly as stored, in the seed field order (the cached path)', async () => {
    const a = await calls(sim, { fields: [...FULL_FIELDS, 'call_is_internal'], limit: 300, offset: 200 });
    const expected = rows.filter(october).slice(200, 500);
    expect(a.json.result.data).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(Object.keys(a.json.result.data[0])).toEqual(FULL_FIELDS);
    const again = await calls(sim, { fields: FULL_FIELDS, limit: 300, offset: 200 });
    expect(again.text.slice(again.text.indexOf('"data"'), again.text.indexOf('"metadata"'))).toBe(
      a.text.slice(a.text.indexOf('"data"'), a.text.indexOf('"metadata"')),
    );
  });

  it('includes both ends of the period and orders by start by default', async () => {
    const a = await calls(sim, {
      date_from: '2024-10-02 10:00:00',
      date_till: '2024-10-02 12:00:00',
      limit: 10000,
    });
    const expected = rows.filter(
      (r) => start(r) >= '2024-10-02 10:00:00' && start(r) <= '2024-10-02 12:00:00',
    );
    expect(a.json.result.data.map((r: MgfCallRow) => Number(r.communication_id))).toEqual(expected.map(idOf));
    const edge = expected[0] as MgfCallRow;
    const exact = await calls(sim, { date_from: start(edge), date_till: start(edge) });
    expect(exact.json.result.data.map((r: MgfCallRow) => r.call_start_date_time)).toContain(start(edge));
  });

  it('answers the documented errors for limit and offset caps', async () => {
    expectError(await calls(sim, { limit: 10_001 }), 'invalid_parameter_value', -32602, 'limit');
    expectError(await calls(sim, { offset: 100_001 }), 'invalid_parameter_value', -32602, 'offset');
    expectError(await calls(sim, { limit: '10' }), 'data_type_error', -32602, 'limit');
    const ok = await calls(sim, { limit: 10_000, offset: 100_000 });
    expect(ok.json.result.data).toEqual([]);
    expect((await calls(sim, {})).json.result.data).toHaveLength(1000); // default limit
  });

  it('projects fields in the requested order; none gives an empty answer', async () => {
    const a = await calls(sim, { fields: ['call_status', 'communication_id', 'employees'], limit: 5 });
    for (const r of a.json.result.data)
      expect(Object.keys(r)).toEqual(['call_status', 'communication_id', 'employees']);
    const empty = await calls(sim, { fields: [] });
    expect(empty.json.result.data).toEqual([]);
    expect(empty.json.result.metadata.total_items).toBe(0);
    const missing = await rpc(sim, 'get.mgf_calls', {
      access_token: sim.accessToken,
      report_id: sim.reportId,
      date_from: '2024-10-01 00:00:00',
      date_till: '2024-10-31 23:59:59',
    });
    expect(missing.json.result.data).toEqual([]);
    expectError(
      await calls(sim, { fields: ['communication_id', 'nope'] }),
      'invalid_parameter_value',
      -32602,
      'fields',
    );
  });

  it('sorts, refuses sorting by employees or call_records and unknown fields', async () => {
    const a = await calls(sim, {
      fields: ['communication_id', 'call_total_duration'],
      sort: [{ field: 'call_total_duration', order: 'desc' }],
      limit: 10000,
    });
    const durations = a.json.result.data.map((r: MgfCallRow) => seconds(r.call_total_duration));
    expect(durations.length).toBe(rows.filter(october).length);
    for (let i = 1; i < durations.length; i++) expect(durations[i - 1]).toBeGreaterThanOrEqual(durations[i]);
    const desc = await calls(sim, { sort: [{ field: 'communication_id', order: 'desc' }], limit: 3 });
    const last = rows.filter(october).map(idOf).slice(-3).reverse();
    expect(desc.json.result.data.map((r: MgfCallRow) => Number(r.communication_id))).toEqual(last);
    expectError(
      await calls(sim, { sort: [{ field: 'employees', order: 'asc' }] }),
      'sort_prohibited',
      -32602,
    );
    expectError(
      await calls(sim, { sort: [{ field: 'call_records', order: 'asc' }] }),
      'sort_prohibited',
      -32602,
    );
    expectError(
      await calls(sim, { sort: [{ field: 'nope', order: 'asc' }] }),
      'invalid_parameter_value',
      -32602,
    );
    expectError(
      await calls(sim, { sort: [{ field: 'communication_id', order: 'up' }] }),
      'invalid_parameter_value',
      -32602,
    );
  });

  it('filters with two levels of groups by display labels, and refuses a third level', async () => {
    const filter = {
      filters: [
        { field: 'call_direction', operator: '=', value: 'Входящий звонок' },
        {
          filters: [
            { field: 'call_status', operator: '=', value: 'Пропущенный' },
            { field: 'call_status', operator: '=', value: 'Потерянный' },
          ],
          condition: 'or',
        },
      ],
      condition: 'and',
    };
    const a = await calls(sim, {
      filter,
      fields: ['communication_id', 'call_direction', 'call_status'],
      limit: 10000,
    });
    const expected = rows.filter(
      (r) => october(r) && r.call_direction.value === 'Входящий звонок' && r.call_status.value_id === 'lost',
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(a.json.result.metadata.total_items).toBe(expected.length);
    expect(a.json.result.data.map((r: MgfCallRow) => Number(r.communication_id))).toEqual(expected.map(idOf));

    const tooDeep = {
      filters: [{ filters: [{ filters: [filter.filters[0]], condition: 'and' }], condition: 'and' }],
      condition: 'and',
    };
    expectError(await calls(sim, { filter: tooDeep }), 'filter_prohibited', -32602);
    expectError(
      await calls(sim, { filter: { field: 'call_status', operator: 'regexp', value: '.*' } }),
      'invalid_parameter_value',
      -32602,
      'filter',
    );
    expectError(
      await calls(sim, { filter: { field: 'nope', operator: '=', value: 'x' } }),
      'invalid_parameter_value',
      -32602,
    );
  });

  it('supports the documented operators', async () => {
    const inOctober = rows.filter(october);
    const count = async (filter: unknown): Promise<number> =>
      (await calls(sim, { filter, limit: 1 })).json.result.metadata.total_items;
    const names = staffFor({ seed: 1 }).employees;
    const someone = inOctober.find((r) => typeof r.received_call === 'string')?.received_call ?? names[0];
    expect(await count({ field: 'received_call', operator: '=', value: someone })).toBe(
      inOctober.filter((r) => r.received_call === someone).length,
    );
    expect(await count({ field: 'received_call', operator: 'is_null' })).toBe(
      inOctober.filter((r) => r.received_call === null).length,
    );
    expect(await count({ field: 'received_call', operator: 'is_not_null' })).toBe(
      inOctober.filter((r) => r.received_call !== null).length,
    );
    expect(await count({ field: 'call_total_duration', operator: '>=', value: '00:05:00' })).toBe(
      inOctober.filter((r) => seconds(r.call_total_duration) >= 300).length,
    );
    expect(
      await count({ field: 'communication_id', operator: '<', value: idOf(inOctober[100] as MgfCallRow) }),
    ).toBe(100);
    expect(await count({ field: 'virtual_number_comment', operator: 'ilike', value: '%ПРОДАЖ%' })).toBe(
      inOctober.filter((r) => r.virtual_number_comment === 'Отдел продаж').length,
    );
    expect(await count({ field: 'virtual_number_comment', operator: 'not_like', value: 'Отдел%' })).toBe(
      inOctober.filter(
        (r) => r.virtual_number_comment !== null && r.virtual_number_comment !== 'Отдел продаж',
      ).length,
    );
    expect(
      await count({
        field: 'call_finish_reason',
        operator: 'in',
        value: ['Абонент занят', 'Не дозвонились до абонента'],
      }),
    ).toBe(
      inOctober.filter((r) =>
        ['subscriber_busy', 'no_success_subscriber_call'].includes(String(r.call_finish_reason?.value_id)),
      ).length,
    );
    expect(await count({ field: 'call_direction', operator: '!=', value: 'Входящий звонок' })).toBe(
      inOctober.filter((r) => r.call_direction.value !== 'Входящий звонок').length,
    );
  });

  it('validates the other parameters with the documented mnemonics', async () => {
    const base = {
      access_token: sim.accessToken,
      report_id: sim.reportId,
      date_from: '2024-10-01 00:00:00',
      date_till: '2024-10-31 23:59:59',
      fields: ['communication_id'],
    };
    const { date_from: _omitted, ...noFrom } = base;
    expectError(await rpc(sim, 'get.mgf_calls', noFrom), 'required_parameter_missed', -32602, 'date_from');
    expectError(
      await calls(sim, { date_from: '2024-10-01' }),
      'invalid_parameter_value',
      -32602,
      'date_from',
    );
    expectError(await calls(sim, { date_from: 20241001 }), 'data_type_error', -32602, 'date_from');
    expectError(
      await calls(sim, { date_till: '2024-09-01 00:00:00' }),
      'invalid_parameters_combination',
      -32602,
    );
    expectError(
      await calls(sim, { date_from: '2023-09-01 00:00:00' }),
      'date_interval_limit_reached',
      -32602,
    );
    expectError(await calls(sim, { report_id: 999 }), 'invalid_parameter_value', -32602, 'report_id');
    expectError(await calls(sim, { surprise: true }), 'unexpected_parameters', -32602);
    expect((await calls(sim, { user_id: 42 })).json.result).toBeDefined();
    expectError(await calls(sim, { access_token: 'wrong' }), 'access_token_invalid', -32001);
  });

  it('answers JSON-RPC protocol errors', async () => {
    const parse = await post(sim.url, '{"jsonrpc": "2.0", ');
    expectError(parse, 'parse_error', -32700);
    expect(parse.json.id).toBeNull();
    expectError(
      await post(sim.url, JSON.stringify({ id: 5, method: 'get.account', params: {} })),
      'invalid_request',
      -32600,
    );
    expectError(
      await post(sim.url, JSON.stringify({ jsonrpc: '2.0', id: 5, params: {} })),
      'invalid_request',
      -32600,
    );
    const unknown = await rpc(sim, 'get.nothing', { access_token: sim.accessToken }, 'abc');
    expectError(unknown, 'method_not_found', -32601);
    expect(unknown.json.id).toBe('abc');
  });

  it('lists reports and tells the account time zone', async () => {
    const reports = await rpc(sim, 'get.reports_list', { access_token: sim.accessToken });
    expect(reports.json.result.data).toEqual([{ id: 1015, name: 'Все звонки', type: 'mgf_calls' }]);
    const account = await rpc(sim, 'get.account', { access_token: sim.accessToken });
    expect(account.json.result.data[0].timezone).toBe('Europe/Moscow');
  });

  it('counts calls per method and concurrent requests', async () => {
    sim.resetStats();
    // Four requests whose bodies are held back: none can be answered before all four are in.
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'get.mgf_calls',
      params: {
        access_token: sim.accessToken,
        report_id: sim.reportId,
        ...PERIOD,
        fields: ['communication_id'],
      },
    });
    const held = Array.from({ length: 4 }, () => {
      const req = request(sim.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=UTF-8',
          'Content-Length': Buffer.byteLength(body),
        },
      });
      const answered = new Promise<number>((resolve, reject) => {
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
      });
      req.write(body.slice(0, 10));
      return { req, answered };
    });
    await until(() => sim.stats.concurrent === 4);
    for (const h of held) h.req.end(body.slice(10));
    expect(await Promise.all(held.map((h) => h.answered))).toEqual([200, 200, 200, 200]);
    expect(sim.stats.calls['get.mgf_calls']).toBe(4);
    expect(sim.stats.successTimes).toHaveLength(4);
    expect(sim.stats.peakConcurrent).toBe(4);
  });
});

describe('simulator: rate limits', () => {
  let sim: Simulator;
  afterEach(async () => {
    await sim.close();
  });

  it('refuses calls over the minute limit until the window passes; failures cost nothing', async () => {
    let now = 1_700_000_000_000; // the simulator's clock: it moves only when the test moves it
    sim = await startSimulator({
      generator: { seed: 1, from: '2024-10-01', till: '2024-10-02', callsPerDay: 20 },
      limits: { minuteLimit: 3, windowMs: 60_000 },
      now: () => now,
    });
    const first = await calls(sim);
    expect(first.json.result.metadata.limits.minute_remaining).toBe(2);
    expect(first.json.result.metadata.limits.minute_reset).toBe(60);
    expectError(await calls(sim, { limit: 0 }), 'invalid_parameter_value', -32602, 'limit'); // not charged
    await calls(sim);
    now += 20_000;
    const third = await calls(sim);
    expect(third.json.result.metadata.limits.minute_remaining).toBe(0);
    const refused = await calls(sim);
    expectError(refused, 'limit_exceeded', -32029);
    expect(refused.json.error.message).toMatch(/minute/i);
    const limits = refused.json.error.data.metadata.limits;
    expect(limits.minute_remaining).toBe(0);
    expect(limits.minute_reset).toBe(40);
    expect(limits.minute_limit).toBe(3);

    now += 39_999; // a millisecond before the window ends
    expectError(await calls(sim), 'limit_exceeded', -32029);
    now += 1;
    const answer = await calls(sim);
    expect(answer.json.result.data.length).toBeGreaterThan(0);
    expect(answer.json.result.metadata.limits.minute_remaining).toBe(2);
    expect(sim.stats.successTimes).toHaveLength(4);
    expect(sim.stats.errors.limit_exceeded).toBe(2);
  });

  it('refuses calls over the day limit and says so', async () => {
    sim = await startSimulator({ limits: { dayLimit: 2 } });
    await rpc(sim, 'get.account', { access_token: sim.accessToken });
    await calls(sim);
    const refused = await calls(sim);
    expectError(refused, 'limit_exceeded', -32029);
    expect(refused.json.error.message).toMatch(/day/i);
    expect(refused.json.error.data.metadata.limits.day_remaining).toBe(0);
  });
});

describe('simulator: faults', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({
      generator: { seed: 4, from: '2024-10-01', till: '2024-10-31', callsPerDay: 100 },
    });
  });
  afterEach(() => {
    sim.clearFaults();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('rateLimitEvery: every n-th call answers limit_exceeded with a short reset', async () => {
    sim.setFaults({ rateLimitEvery: 2 });
    expect((await calls(sim)).json.result).toBeDefined();
    const refused = await calls(sim);
    expectError(refused, 'limit_exceeded', -32029);
    expect(refused.json.error.data.metadata.limits.minute_reset).toBe(1);
    expect(refused.json.error.data.metadata.limits.minute_remaining).toBe(0);
    expect((await calls(sim)).json.result).toBeDefined();
  });

  it('http500Every: HTTP 500 with a text body', async () => {
    sim.setFaults({ http500Every: 2 });
    expect((await calls(sim)).status).toBe(200);
    const failed = await calls(sim);
    expect(failed.status).toBe(500);
    expect(failed.json).toBeNull();
    expect(failed.contentType).toMatch(/text\/plain/);
  });

  it('html502Every: HTTP 502 with an HTML page', async () => {
    sim.setFaults({ html502Every: 1 });
    const failed = await calls(sim);
    expect(failed.status).toBe(502);
    expect(failed.contentType).toMatch(/text\/html/);
    expect(failed.text).toMatch(/^<html>/);
  });

  it('truncateEvery: status 200 with half a JSON body', async () => {
    const whole = await calls(sim, { limit: 50 });
    sim.setFaults({ truncateEvery: 1 });
    const cut = await calls(sim, { limit: 50 });
    expect(cut.status).toBe(200);
    expect(cut.json).toBeNull();
    expect(Buffer.byteLength(cut.text)).toBeLessThan(Buffer.byteLength(whole.text));
    expect(whole.text.startsWith(cut.text.slice(0, 100))).toBe(true);
  });

  it('slowMs: delays the reply', async () => {
    sim.setFaults({ slowMs: 150, slowEvery: 1 });
    const t = performance.now();
    await calls(sim);
    expect(performance.now() - t).toBeGreaterThanOrEqual(140);
  });

  it('badToken, ipNotWhitelisted, componentDisabled, dayLimitExhausted', async () => {
    sim.setFaults({ badToken: true });
    expectError(await calls(sim), 'access_token_invalid', -32001);
    expectError(
      await rpc(sim, 'get.account', { access_token: sim.accessToken }),
      'access_token_invalid',
      -32001,
    );
    sim.setFaults({ badToken: false, ipNotWhitelisted: true });
    expectError(await calls(sim), 'ip_not_whitelisted', -32003);
    sim.setFaults({ ipNotWhitelisted: false, componentDisabled: true });
    expectError(await calls(sim), 'method_component_disabled', -32008);
    sim.setFaults({ componentDisabled: false, dayLimitExhausted: true });
    const day = await calls(sim);
    expectError(day, 'limit_exceeded', -32029);
    expect(day.json.error.data.metadata.limits.day_remaining).toBe(0);
    sim.setFaults({ dayLimitExhausted: false });
    expect((await calls(sim)).json.result).toBeDefined();
  });

  it('failAlways500: every request of any method', async () => {
    sim.setFaults({ failAlways500: true });
    expect((await calls(sim)).status).toBe(500);
    expect((await rpc(sim, 'get.account', { access_token: sim.accessToken })).status).toBe(500);
  });

  it('drift: each call adds rows inside the queried range with new higher ids', async () => {
    const range = { date_from: '2024-10-10 00:00:00', date_till: '2024-10-10 23:59:59', limit: 10000 };
    const before = await calls(sim, range);
    const maxBefore = Math.max(...sim.rows.map(idOf));
    sim.setFaults({ drift: { rowsPerCall: 5 } });
    const first = await calls(sim, range);
    const second = await calls(sim, range);
    const total0 = before.json.result.metadata.total_items;
    expect(first.json.result.metadata.total_items).toBe(total0 + 5);
    expect(second.json.result.metadata.total_items).toBe(total0 + 10);
    const oldIds = new Set(before.json.result.data.map((r: MgfCallRow) => Number(r.communication_id)));
    const added = second.json.result.data.filter((r: MgfCallRow) => !oldIds.has(Number(r.communication_id)));
    expect(added).toHaveLength(10);
    for (const r of added) {
      expect(Number(r.communication_id)).toBeGreaterThan(maxBefore);
      expect(r.call_start_date_time.slice(0, 10)).toBe('2024-10-10');
    }
    expect(new Set(added.map((r: MgfCallRow) => Number(r.communication_id))).size).toBe(10);
  });

  it('addRows: rows added at run time are served in start order', async () => {
    const extra = generateCalls({
      seed: 9,
      from: '2024-10-15',
      till: '2024-10-15',
      callsPerDay: 10,
      firstCommunicationId: 9e9,
    });
    const total = sim.rowCount;
    sim.addRows(extra);
    expect(sim.rowCount).toBe(total + extra.length);
    const a = await calls(sim, {
      date_from: '2024-10-15 00:00:00',
      date_till: '2024-10-15 23:59:59',
      limit: 10000,
    });
    const got = a.json.result.data.map((r: MgfCallRow) => Number(r.communication_id));
    for (const r of extra) expect(got).toContain(idOf(r));
    const starts = a.json.result.data.map((r: MgfCallRow) => r.call_start_date_time);
    expect([...starts].sort()).toEqual(starts);
  });
});

describe('simulator: child process', () => {
  it('runs the CLI in its own process and stops it', async () => {
    const child = await spawnSimulator({
      seed: 2,
      from: '2024-10-01',
      till: '2024-10-03',
      callsPerDay: 50,
      accessToken: 'tok',
    });
    try {
      const answer = await post(
        child.url,
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'get.mgf_calls',
          params: {
            access_token: 'tok',
            report_id: child.reportId,
            date_from: '2024-10-01 00:00:00',
            date_till: '2024-10-03 23:59:59',
            fields: ['communication_id'],
          },
        }),
      );
      const expected = generateCalls({ seed: 2, from: '2024-10-01', till: '2024-10-03', callsPerDay: 50 });
      expect(answer.json.result.metadata.total_items).toBe(expected.length);
    } finally {
      await child.stop();
    }
  });
});
