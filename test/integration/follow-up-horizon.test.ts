/**
 * The fetch reaches the latest follow-up horizon of the period's misses, over
 * real HTTP against the simulator (issue 13, "Must show"): with working hours
 * mon-fri 09:00-19:00, a Friday 19:30 miss opens on Monday 09:00, so its only
 * callback, Monday 09:10 (beyond the period end + 24 h), is fetched and found,
 * 600 s after that opening; a call one second after a Friday-evening miss's
 * horizon (Tuesday 09:00:01) is not a callback: the Friday report's fetch ends
 * at that horizon, and a Friday–Monday report, whose fetch reaches further,
 * fetches the call and ignores it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFolderStorage } from '../../functions/shared/adapters/local/folder-storage.ts';
import { type CallSource, DataApiCallSource } from '../../functions/shared/calls/source.ts';
import { DataApiClient } from '../../functions/shared/dataapi/client.ts';
import { runReport } from '../../functions/shared/pipeline/run-report.ts';
import type { MgfCallRow } from '../../simulator/columns.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';

const TOKEN = 'horizon-token';
const HOURS = 'mon-fri 09:00-19:00';
const X = '74951110001'; // missed Friday 19:30, called back Monday 09:10
const Y = '74951110002'; // missed Friday 19:45, called one second after its horizon
const Z = '74951110003'; // missed Friday 20:00, called back at its horizon exactly

/** One `get.mgf_calls` row in the API's plain shapes. */
function row(id: number, at: string, direction: 'in' | 'out', lost: boolean, number: string): MgfCallRow {
  const [date = '', time = ''] = at.split(' ');
  return {
    communication_id: id,
    call_start_date: date,
    call_start_time: time,
    call_start_date_time: at,
    call_finish_date_time: null,
    contact_phone_number: number,
    call_direction:
      direction === 'in' ? { value: 'Входящий', value_id: 'in' } : { value: 'Исходящий', value_id: 'out' },
    call_status: lost
      ? { value: 'Пропущенный', value_id: 'lost' }
      : { value: 'Принятый', value_id: 'answered' },
    call_type: { value: 'Звонок ВАТС', value_id: 'va' },
    virtual_phone_number: '74951112233',
    employees: ['Иванов Иван'],
    call_total_duration: '00:00:30',
    call_await_talk_duration: lost ? null : '00:00:05',
    call_talk_duration: lost ? '00:00:00' : '00:00:25',
    call_is_internal: { value: 'Внешний', value_id: 'external' },
    call_finish_reason: null,
    employee_rating: null,
    call_records: null,
    communication_comment: null,
    communication_comment_author: null,
    received_call: lost ? null : 'Иванов Иван',
    first_employee_for_internal_call: null,
    second_employee_for_internal_call: null,
    coaches: null,
    is_coach_handled_call: null,
    virtual_number_comment: 'Отдел продаж',
    is_blacklisted_phone: null,
    tags: null,
    call_processed_mark_duration: null,
  };
}

const ROWS = [
  row(101, '2024-10-18 19:30:00', 'in', true, X), // Friday, after hours: opens Monday 09:00
  row(102, '2024-10-21 09:10:00', 'out', false, X), // Monday: beyond Friday's end + 24 h
  row(103, '2024-10-18 19:45:00', 'in', true, Y),
  row(104, '2024-10-22 09:00:01', 'out', false, Y), // Tuesday: Y's horizon (Monday 09:00 + 24 h) + 1 s
  row(105, '2024-10-18 20:00:00', 'in', true, Z),
  row(106, '2024-10-22 09:00:00', 'out', false, Z), // Tuesday: Z's horizon exactly (inclusive)
];

let sim: Simulator;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ accessToken: TOKEN, rows: ROWS });
  dir = await mkdtemp(join(tmpdir(), 'horizon-'));
});

afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** The Data API source, recording the id of every call a fetch of the report brought. */
function recordingSource(fetched: Set<number>): CallSource {
  const real = new DataApiCallSource(new DataApiClient({ url: sim.url, accessToken: TOKEN }));
  return {
    get reportId() {
      return real.reportId;
    },
    async fetch(range, onProgress) {
      const result = await real.fetch(range, onProgress);
      result.calls.each((c) => {
        fetched.add(c.id);
      });
      return result;
    },
  };
}

async function report(from: string, till: string) {
  const fetched = new Set<number>();
  const r = await runReport(
    {
      subscription: 'horizon',
      period: { from, till, timezone: 'Europe/Moscow' },
      language: 'en',
      settings: { working_hours: HOURS },
    },
    {
      source: recordingSource(fetched),
      storage: new LocalFolderStorage(dir),
      clock: { now: () => Date.UTC(2024, 9, 25, 9, 0, 0) }, // Friday a week later, 12:00 in Moscow
    },
  );
  return { summary: r.summary, fetched };
}

describe('the fetch reaches the latest horizon of the period’s misses', () => {
  it('finds a Friday 19:30 miss’s only callback on Monday 09:10, 600 s after the opening', async () => {
    const { summary, fetched } = await report('2024-10-18', '2024-10-18');
    expect(summary.settings.working_hours).toBe(HOURS);
    expect(summary.totals.calls).toBe(3); // the follow-ups count in no other figure
    expect(summary.missed).toMatchObject({
      total: 3,
      called_back: 2, // X (600 s) and Z (24 h exactly)
      unreturned: 1, // Y
      callback_delay_buckets: { le_15m: 1, le_1h: 0, le_4h: 0, later: 1 },
      avg_callback_delay_seconds: (600 + 86_400) / 2,
      unreturned_numbers: [Y],
    });
    expect(summary.missed.call_first.map((e) => e.number)).toEqual([Y]);
    // Fetched up to the latest horizon, Tuesday 09:00:00, and no further.
    expect([...fetched].sort((a, b) => a - b)).toEqual([101, 102, 103, 105, 106]);
  });

  it('fetches a call one second after a miss’s horizon when the period reaches further, and ignores it', async () => {
    const { summary, fetched } = await report('2024-10-18', '2024-10-21');
    expect(fetched.has(104)).toBe(true);
    expect(summary.totals.calls).toBe(4); // Friday's three misses and Monday's callback
    expect(summary.missed).toMatchObject({
      total: 3,
      called_back: 2,
      unreturned: 1,
      unreturned_numbers: [Y],
    });
    expect(summary.missed.call_first).toMatchObject([{ number: Y, outcome: 'unreturned', attempts: 0 }]);
  });
});
