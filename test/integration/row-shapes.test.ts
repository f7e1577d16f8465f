/**
 * Every shape of every column in data-api.md's "Row shapes" table, from a
 * dataset file served by the simulator over real HTTP, read by the client and
 * the normaliser: including the shapes the synthetic generator does not make
 * (durations past 24 hours, null durations, labels in other words, boolean
 * value_ids on call_type and call_finish_reason, empty lists).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../functions/shared/calls/call.ts';
import { DataApiCallSource } from '../../functions/shared/calls/source.ts';
import { DataApiClient } from '../../functions/shared/dataapi/client.ts';
import { parseWall } from '../../functions/shared/time.ts';
import type { MgfCallRow } from '../../simulator/columns.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { callsIn } from '../support/calls.ts';

const ROWS = JSON.parse(
  readFileSync(new URL('./fixtures/row-shapes.json', import.meta.url), 'utf8'),
) as MgfCallRow[];

let sim: Simulator;
let calls: Map<number, Call>;
let rejected: number;

beforeAll(async () => {
  sim = await startSimulator({ accessToken: 'shapes', rows: ROWS });
  const source = new DataApiCallSource(
    new DataApiClient({ url: sim.url, accessToken: 'shapes', pageSize: 3 }),
    { strict: true },
  );
  const got = await source.fetch({
    from: parseWall('2024-10-21 00:00:00') ?? 0,
    till: parseWall('2024-10-21 23:59:59') ?? 0,
  });
  calls = new Map(callsIn(got.calls).map((c) => [c.id, c]));
  rejected = got.rejectedCount;
});
afterAll(async () => {
  await sim.close();
});

const call = (id: number): Call => {
  const c = calls.get(id);
  if (!c) throw new Error(`call ${id} was not fetched`);
  return c;
};

describe('every row shape of data-api.md, served from a dataset file', () => {
  it('reads every row of the file into a call, none rejected, ids as numbers', () => {
    expect(rejected).toBe(0);
    expect([...calls.keys()].sort()).toEqual(ROWS.map((r) => Number(r.communication_id)).sort());
  });

  it('reads durations as hh:mm:ss with hours past 24, or null', () => {
    expect(call(26018)).toMatchObject({ totalSeconds: 25 * 3600 + 3 * 60 + 7, talkSeconds: 90_180 });
    expect(call(26022)).toMatchObject({ totalSeconds: null, awaitSeconds: null, talkSeconds: null });
    expect(call(26016).awaitSeconds).toBeNull();
    expect(call(26016).processedMarkSeconds).toBe(111);
  });

  it('decides direction, status and internal on value_id whatever the label says', () => {
    expect(call(26022)).toMatchObject({ direction: 'in', lost: true, internal: false });
    expect(call(26022).directionLabel).toBe('Incoming call'); // shown as sent
    expect(call(26023)).toMatchObject({ direction: 'in', lost: false, statusLabel: 'Отвечен оператором' });
    expect(call(26017)).toMatchObject({ direction: 'in', lost: true, statusLabel: 'Потерянный' });
    expect(call(26018)).toMatchObject({ direction: 'out', lost: false });
  });

  it('knows internal calls by value_id string, value_id boolean and a bare label', () => {
    expect(call(26019).internal).toBe(true); // {value_id: "internal"}
    expect(call(26020).internal).toBe(true); // "Внутренний"
    expect(call(26021).internal).toBe(true); // {value_id: true}
    expect(call(26017).internal).toBe(false); // {value_id: false}
    expect(call(26018).internal).toBe(false); // "Внешний"
    expect(call(26019)).toMatchObject({
      firstEmployeeInternal: 'Иванов Иван',
      secondEmployeeInternal: 'Петрова Анна',
    });
  });

  it('reads the contact as a string or as {value, extra}, and null', () => {
    expect(call(26016)).toMatchObject({ contactNumber: '74950230625', contactNormal: '74950230625' });
    expect(call(26017).contactNormal).toBe('74951234567'); // 8…
    expect(call(26018).contactNormal).toBe('79161234567'); // 10 digits
    expect(call(26022).contactNormal).toBe('74957654321'); // formatted, in an object
    expect(call(26019).contactNumber).toBeNull();
  });

  it('reads {value, value_id} columns whose value_id is a string or a boolean', () => {
    expect(call(26016).blacklisted).toEqual({ id: 'false', label: 'Нет' });
    expect(call(26017).blacklisted).toEqual({ id: 'true', label: 'Да' });
    expect(call(26017).coachHandled).toEqual({ id: 'true', label: 'Да' });
    expect(call(26022).type).toEqual({ id: 'true', label: 'Звонок ВАТС' });
    expect(call(26022).finishReason).toEqual({ id: 'false', label: 'Не дозвонились до сотрудника' });
    expect(call(26020)).toMatchObject({ type: null, finishReason: null });
  });

  it('reads employees and coaches as names, objects, empty lists or null', () => {
    expect(call(26016).employees).toEqual(['Иванов Иван']);
    expect(call(26017).employees).toEqual(['Петрова Анна']);
    expect(call(26017).coaches).toEqual(['Сидоров Пётр']);
    expect(call(26018).coaches).toEqual(['Сидоров Пётр']);
    expect(call(26020).employees).toEqual([]);
    expect(call(26021)).toMatchObject({ employees: [], coaches: [] });
  });

  it('reads tags, records, comments and ratings in each of their shapes', () => {
    expect(call(26016).tags).toEqual(['Обработано']); // {items: [...]}
    expect(call(26017).tags).toEqual(['Новый клиент']); // [...]
    expect(call(26023).tags).toEqual(['Заказ', 'Консультация']);
    expect(call(26018).tags).toEqual([]); // null
    expect(call(26021).tags).toEqual([]); // {items: []}
    expect(call(26018).records).toHaveLength(2);
    expect(call(26016).records).toEqual([]);
    expect(call(26017).comment).toBe('Перезвонить после 15:00'); // a string
    expect(call(26023).comment).toBe('Клиент просит КП на почту'); // {comment}
    expect(call(26016).comment).toBeNull(); // {comment: null}
    expect(call(26021).comment).toBeNull(); // ""
    expect(call(26017).rating).toBe(4);
    expect(call(26016).rating).toBeNull();
  });

  it('reads the start from call_start_date_time and the finish, or none', () => {
    expect(call(26018)).toMatchObject({
      start: Date.UTC(2024, 9, 21, 11, 0, 0),
      finish: Date.UTC(2024, 9, 22, 12, 3, 7),
    });
    expect(call(26022).finish).toBeNull();
  });
});
