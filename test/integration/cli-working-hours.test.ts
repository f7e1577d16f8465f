/**
 * The command line end to end with working hours (issue 13, "Must show"): a
 * real child process, WORKING_HOURS='mon-fri 09:00-19:00', a seeded week
 * (Mon 2024-10-14 .. Sun 2024-10-20) against the simulator, plus the two days
 * after it for the follow-ups (the latest horizon of a weekend or Friday-evening
 * miss is Tuesday 2024-10-22 09:00). The report is made in the present, long
 * after every horizon has closed. Its summary is compared with figures worked
 * out here, naively, from the simulator's raw rows; nothing of the report code
 * is imported (report-metrics.md is the only source of the rules below).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MgfCallRow } from '../../simulator/columns.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';

const run = promisify(execFile);
const TOKEN = 'cli-hours-token';
const HOUR = 3600_000;
const DAY = 24 * HOUR;
let sim: Simulator;
let rows: MgfCallRow[];
let dir: string;

beforeAll(async () => {
  const seeded = generateCalls({ seed: 13, from: '2024-10-14', till: '2024-10-23', callsPerDay: 300 });
  rows = [...seeded, ...edgeRows(seeded)];
  sim = await startSimulator({ accessToken: TOKEN, rows });
  dir = await mkdtemp(join(tmpdir(), 'cli-hours-'));
});

afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------
// A naive reading of the raw rows, by report-metrics.md.

interface Naive {
  id: number;
  /** Wall clock as UTC milliseconds. */
  start: number;
  internal: boolean;
  out: boolean;
  lost: boolean;
  number: string | null;
}

type Loose = Record<string, unknown>;

function wallMs(text: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(text);
  if (!m) throw new Error(`bad wall time ${text}`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0);
}

function wallText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function valueId(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? (v as Loose).value_id : v;
}

function isInternal(v: unknown): boolean {
  if (v === true || v === 'Внутренний') return true;
  if (v !== null && typeof v === 'object') {
    const o = v as Loose;
    return o.value_id === 'internal' || o.value_id === true || o.value === 'Внутренний';
  }
  return false;
}

function normal(raw: unknown): string | null {
  const text = raw !== null && typeof raw === 'object' ? (raw as Loose).value : raw;
  const digits = typeof text === 'string' ? text.replace(/\D/g, '') : '';
  if (digits === '') return null;
  if (digits.length === 11 && digits[0] === '8') return `7${digits.slice(1)}`;
  if (digits.length === 10 && digits[0] === '9') return `7${digits}`;
  return digits;
}

function naive(all: readonly MgfCallRow[]): Naive[] {
  const byId = new Map<number, Naive>();
  for (const raw of all) {
    const r = raw as unknown as Loose;
    const start =
      typeof r.call_start_date_time === 'string'
        ? r.call_start_date_time
        : `${String(r.call_start_date)} ${String(r.call_start_time)}`;
    const id = Number(r.communication_id);
    byId.set(id, {
      id,
      start: wallMs(start),
      internal: isInternal(r.call_is_internal),
      out: valueId(r.call_direction) === 'out',
      lost: valueId(r.call_status) === 'lost',
      number: normal(r.contact_phone_number),
    });
  }
  return [...byId.values()].sort((a, b) => a.start - b.start || a.id - b.id);
}

// mon-fri 09:00-19:00, by hand.
const OPEN = 9 * HOUR;
const CLOSE = 19 * HOUR;
const weekday = (ms: number) => new Date(ms).getUTCDay(); // 0 = Sunday
const workday = (ms: number) => weekday(ms) >= 1 && weekday(ms) <= 5;
const midnight = (ms: number) => ms - (((ms % DAY) + DAY) % DAY);
const inHours = (ms: number) => workday(ms) && ms - midnight(ms) >= OPEN && ms - midnight(ms) < CLOSE;

function effectiveStart(ms: number): number {
  if (inHours(ms)) return ms;
  let day = midnight(ms);
  if (workday(ms) && ms - day < OPEN) return day + OPEN;
  do day += DAY;
  while (!workday(day));
  return day + OPEN;
}

type Outcome = 'called_back' | 'client_called_again' | 'callback_failed' | 'unreturned';

function outcomeOf(miss: Naive, all: readonly Naive[]): Outcome {
  if (miss.number === null) return 'unreturned';
  const horizon = effectiveStart(miss.start) + 24 * HOUR;
  const later = all.filter(
    (c) => !c.internal && c.number === miss.number && c.start > miss.start && c.start <= horizon,
  );
  const answered = later.find((c) => !c.lost);
  if (answered) return answered.out ? 'called_back' : 'client_called_again';
  return later.some((c) => c.out) ? 'callback_failed' : 'unreturned';
}

/**
 * Two hand-placed clients on top of the seeded week, each made from a seeded
 * row of the same kind: a Friday 19:30 miss whose only callback is Tuesday
 * 08:59 (after the period's end + 24 h, before its horizon, Tuesday 09:00), and
 * a Saturday miss called one second after its horizon (Tuesday 09:00:01).
 */
function edgeRows(seeded: readonly MgfCallRow[]): MgfCallRow[] {
  const like = (out: boolean, lost: boolean) => {
    const found = naive(seeded).find((c) => !c.internal && c.out === out && c.lost === lost);
    return seeded.find((r) => Number(r.communication_id) === found?.id) as MgfCallRow;
  };
  const at = (template: MgfCallRow, id: number, when: string, number: string): MgfCallRow => {
    const [date, time] = when.split(' ');
    return {
      ...template,
      communication_id: id,
      call_start_date: date,
      call_start_time: time,
      call_start_date_time: when,
      contact_phone_number: number,
    } as MgfCallRow;
  };
  const miss = like(false, true);
  const callback = like(true, false);
  return [
    at(miss, 9_900_000_001, '2024-10-18 19:30:00', '74951119901'),
    at(callback, 9_900_000_002, '2024-10-22 08:59:00', '74951119901'),
    at(miss, 9_900_000_003, '2024-10-19 12:00:00', '74951119902'),
    at(callback, 9_900_000_004, '2024-10-22 09:00:01', '74951119902'),
  ];
}

// ---------------------------------------------------------------------------

async function cli(args: string[], env: Record<string, string>) {
  try {
    const r = await run(process.execPath, ['cli/report.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', REPORT_TIMEZONE: 'Europe/Moscow', ...env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

interface SummaryShape {
  settings: { working_hours: string | null };
  totals: Record<string, number>;
  missed: Record<string, number> & {
    call_first: { number: string; outcome: string; misses: number; first_missed_at: string }[];
  };
  days: { date: string; incoming: number; incoming_missed: number }[];
}

describe('npm run report with WORKING_HOURS', () => {
  it('gives a seeded week the in-hours totals, per-miss outcomes, call-first list and days worked out by hand', async () => {
    const out = join(dir, 'week');
    const r = await cli(['--from', '2024-10-14', '--till', '2024-10-20', '--out', out], {
      MGF_API_URL: sim.url,
      MGF_ACCESS_TOKEN: TOKEN,
      WORKING_HOURS: 'MON-Fri 9:00-19:00;',
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = (await readdir(out)).find((f) => f.endsWith('.summary.json')) ?? '';
    const s = JSON.parse(await readFile(join(out, file), 'utf8')) as SummaryShape;

    const all = naive(rows);
    const from = wallMs('2024-10-14 00:00:00');
    const till = wallMs('2024-10-20 23:59:59');
    const incoming = all.filter((c) => c.start >= from && c.start <= till && !c.internal && !c.out);
    const missed = incoming.filter((c) => c.lost);
    const inHoursIncoming = incoming.filter((c) => inHours(c.start));
    const inHoursMissed = inHoursIncoming.filter((c) => c.lost);
    const outcomes = new Map(missed.map((m) => [m, outcomeOf(m, all)]));
    const count = (o: Outcome) => [...outcomes.values()].filter((x) => x === o).length;

    expect(s.settings.working_hours).toBe('mon-fri 09:00-19:00');
    expect(s.totals.incoming).toBe(incoming.length);
    expect(s.totals.incoming_missed).toBe(missed.length);
    expect(s.totals.incoming_in_hours).toBe(inHoursIncoming.length);
    expect(s.totals.incoming_missed_in_hours).toBe(inHoursMissed.length);
    expect(s.totals.missed_rate_in_hours).toBe(inHoursMissed.length / inHoursIncoming.length);
    expect({
      called_back: s.missed.called_back,
      client_called_again: s.missed.client_called_again,
      callback_failed: s.missed.callback_failed,
      unreturned: s.missed.unreturned,
    }).toEqual({
      called_back: count('called_back'),
      client_called_again: count('client_called_again'),
      callback_failed: count('callback_failed'),
      unreturned: count('unreturned'),
    });

    // Call these first: each number's latest miss, when it ended unreturned or callback_failed.
    const byNumber = new Map<string, Naive[]>();
    for (const m of missed) {
      if (m.number === null) continue;
      byNumber.set(m.number, [...(byNumber.get(m.number) ?? []), m]);
    }
    const rank = (o: Outcome) => (o === 'unreturned' ? 0 : 1);
    const callFirst = [...byNumber.entries()]
      .map(([number, ms]) => ({
        number,
        outcome: outcomes.get(ms[ms.length - 1] as Naive) as Outcome,
        misses: ms.length,
        first: (ms[0] as Naive).start,
      }))
      .filter((e) => e.outcome === 'unreturned' || e.outcome === 'callback_failed')
      .sort(
        (a, b) =>
          rank(a.outcome) - rank(b.outcome) ||
          b.misses - a.misses ||
          a.first - b.first ||
          (a.number < b.number ? -1 : a.number > b.number ? 1 : 0),
      );
    expect(s.missed.call_first).toHaveLength(callFirst.length);
    expect(
      s.missed.call_first
        .slice(0, 5)
        .map((e) => ({ number: e.number, outcome: e.outcome, misses: e.misses, first: e.first_missed_at })),
    ).toEqual(
      callFirst
        .slice(0, 5)
        .map((e) => ({ number: e.number, outcome: e.outcome, misses: e.misses, first: wallText(e.first) })),
    );

    const dates = Array.from({ length: 7 }, (_, i) => wallText(from + i * DAY).slice(0, 10));
    expect(s.days.map((d) => [d.date, d.incoming, d.incoming_missed])).toEqual(
      dates.map((date) => {
        const that = incoming.filter((c) => wallText(c.start).startsWith(date));
        return [date, that.length, that.filter((c) => c.lost).length];
      }),
    );

    // The week exercises what working hours change: out-of-hours misses, a
    // Friday-evening miss resolved only after the period's end + 24 h (its
    // horizon runs from Monday's opening), and a call one second past a
    // weekend miss's horizon, fetched and ignored.
    expect(inHoursIncoming.length).toBeLessThan(incoming.length);
    expect(count('called_back')).toBeGreaterThan(0);
    expect(count('unreturned')).toBeGreaterThan(0);
    const edge = (id: number) => outcomes.get(missed.find((m) => m.id === id) as Naive);
    expect([edge(9_900_000_001), edge(9_900_000_003)]).toEqual(['called_back', 'unreturned']);
    expect(s.missed.call_first.map((e) => e.number)).toContain('74951119902');
    expect(s.missed.call_first.map((e) => e.number)).not.toContain('74951119901');
  });
});
