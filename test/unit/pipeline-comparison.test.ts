/**
 * runReport's comparison with a like period and its partial periods, with a
 * hand-made call source and a real local folder: a stored like report is used
 * only when it is the same report (whole, or cut at the same moment, and made
 * with the same settings), otherwise the like period is computed through the
 * same source; a report made before its period ends is partial, compared with
 * the same span of its like period, and stored under its own as_of, so it
 * never stands for the whole period's report.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFolderStorage } from '../../functions/shared/adapters/local/folder-storage.ts';
import { reportVariant } from '../../functions/shared/pipeline/location.ts';
import { type ReportRequest, runReport } from '../../functions/shared/pipeline/run-report.ts';
import { reportSettings } from '../../functions/shared/pipeline/settings.ts';
import { makeCall, wall } from '../support/calls.ts';
import { FakeSource, RecordingMailer } from '../support/fake-source.ts';

/** The real instant of a Moscow wall time (UTC+3, no daylight saving). */
const moscow = (text: string) => wall(text) - 3 * 3_600_000;
const day = (d: string) => ({ from: d, till: d, timezone: 'Europe/Moscow' });

const request = (d: string, over: Partial<ReportRequest> = {}): ReportRequest => ({
  subscription: 'sales',
  period: day(d),
  language: 'ru',
  recipients: ['head@example.com'],
  from: 'reports@example.com',
  ...over,
});

/** Two Mondays a week apart, each: a miss called back at once, a miss called back after 11:00, more calls after 11:00. */
const mondays = () =>
  ['2024-10-14', '2024-10-21'].flatMap((d, i) => [
    makeCall(`${d} 09:00:00`, { direction: 'in', contactNumber: '79001110000' }),
    makeCall(`${d} 10:00:00`, { lost: true, contactNumber: `7900222000${i}` }),
    makeCall(`${d} 10:05:00`, { direction: 'out', contactNumber: `7900222000${i}` }),
    makeCall(`${d} 10:30:00`, { lost: true, contactNumber: `7900333000${i}` }),
    makeCall(`${d} 11:00:00`, { direction: 'in', contactNumber: '79001110001' }),
    makeCall(`${d} 11:00:01`, { direction: 'in', contactNumber: '79001110002' }),
    makeCall(`${d} 12:00:00`, { direction: 'out', contactNumber: `7900333000${i}` }),
    makeCall(`${d} 15:00:00`, { lost: true, contactNumber: `7900444000${i}` }),
  ]);

let dir: string;
let storage: LocalFolderStorage;
let source: FakeSource;
let mailer: RecordingMailer;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipeline-comparison-'));
  storage = new LocalFolderStorage(dir);
  source = new FakeSource(mondays());
  mailer = new RecordingMailer();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const at = (moment: string) => ({ source, storage, mailer, clock: { now: () => moscow(moment) } });
const files = async () => (await readdir(dir)).filter((f) => !f.startsWith('.')).sort();

describe('comparison with a like period', () => {
  it('uses the stored report of the same weekday a week earlier when it is whole and made with the same settings', async () => {
    const stored = await runReport(request('2024-10-14', { recipients: [] }), at('2024-10-15 08:00:00'));
    source.fetches = [];
    const r = await runReport(request('2024-10-21'), at('2024-10-22 08:00:00'));
    expect(r.comparison?.made).toBe('stored');
    expect(source.fetches).toEqual([
      { from: wall('2024-10-21 00:00:00'), till: wall('2024-10-22 08:00:00') },
    ]);
    const m = stored.summary.missed;
    expect(r.summary.previous).toEqual({
      period: { from: '2024-10-14', till: '2024-10-14', as_of: null },
      totals: stored.summary.totals,
      missed: {
        called_back: m.called_back,
        client_called_again: m.client_called_again,
        callback_failed: m.callback_failed,
        unreturned: m.unreturned,
        call_first_count: m.call_first.length,
      },
    });
    expect(r.summary.previous?.missed).toEqual({
      called_back: 2,
      client_called_again: 0,
      callback_failed: 0,
      unreturned: 1,
      call_first_count: 1,
    });
  });

  it('computes the like period again when its stored report was made with other settings', async () => {
    await runReport(
      request('2024-10-14', { recipients: [], settings: { sla_seconds: 30 } }),
      at('2024-10-15 08:00:00'),
    );
    source.fetches = [];
    const r = await runReport(request('2024-10-21'), at('2024-10-22 08:00:00'));
    expect(r.comparison?.made).toBe('computed');
    expect(source.fetches[0]).toEqual({
      from: wall('2024-10-14 00:00:00'),
      till: wall('2024-10-15 23:59:59'),
    });
    expect(r.summary.previous?.totals.sla_seconds).toBe(20);

    // Other working hours (the same hours in another form are the same settings).
    await runReport(
      request('2024-10-14', {
        recipients: [],
        force: true,
        settings: { working_hours: 'mon-fri 09:00-19:00' },
      }),
      at('2024-10-15 08:00:00'),
    );
    const same = await runReport(
      request('2024-10-21', { force: true, settings: { working_hours: 'Mon-Fri 9:00-19:00;' } }),
      at('2024-10-22 08:00:00'),
    );
    expect(same.comparison?.made).toBe('stored');
    const other = await runReport(
      request('2024-10-21', { force: true, settings: { working_hours: 'mon-fri 09:00-18:00' } }),
      at('2024-10-22 08:00:00'),
    );
    expect(other.comparison?.made).toBe('computed');
  });

  it('computes the like period again when its stored report read other calls (another filter)', async () => {
    const filter = { field: 'call_direction', operator: '=', value: 'in' };
    await runReport(request('2024-10-14', { recipients: [], filter }), at('2024-10-15 08:00:00'));
    const r = await runReport(request('2024-10-21'), at('2024-10-22 08:00:00'));
    expect(r.comparison?.made).toBe('computed');
  });

  it('computes a like period that is not stored, through the same source and settings, and stores nothing of it', async () => {
    const settings = { sla_seconds: 4 };
    const r = await runReport(request('2024-10-21', { settings }), at('2024-10-22 08:00:00'));
    expect(r.comparison?.made).toBe('computed');
    expect(source.fetches).toEqual([
      { from: wall('2024-10-14 00:00:00'), till: wall('2024-10-15 23:59:59') },
      { from: wall('2024-10-21 00:00:00'), till: wall('2024-10-22 08:00:00') },
    ]);
    // Only the report's own files (its settings are not the defaults, so its name carries their variant).
    const own21 = `calls_sales_2024-10-21_${reportVariant('ru', reportSettings(settings))}`;
    expect(await files()).toEqual([`${own21}.summary.json`, `${own21}.xlsx`]);
    // The figures the like period's own report shows, made at that moment with those settings.
    const own = await runReport(
      request('2024-10-14', { recipients: [], settings }),
      at('2024-10-22 08:00:00'),
    );
    expect(r.summary.previous?.totals).toEqual(own.summary.totals);
    expect(r.summary.previous?.totals.sla_seconds).toBe(4);
    expect(r.summary.previous?.missed).toEqual({
      called_back: 2,
      client_called_again: 0,
      callback_failed: 0,
      unreturned: 1,
      call_first_count: 1,
    });
  });
});

describe('partial periods', () => {
  it('makes a report for today partial as of now, compared with the same span a week earlier', async () => {
    const r = await runReport(request('2024-10-21'), at('2024-10-21 11:00:00'));
    expect(r.summary.period).toEqual({ ...day('2024-10-21'), partial: true, as_of: '2024-10-21 11:00:00' });
    expect(source.fetches).toEqual([
      { from: wall('2024-10-14 00:00:00'), till: wall('2024-10-14 11:00:00') },
      { from: wall('2024-10-21 00:00:00'), till: wall('2024-10-21 11:00:00') },
    ]);
    // Calls up to 11:00:00 (included) on both days; a miss called back at 12:00 is not yet called back.
    expect(r.summary.totals).toMatchObject({ calls: 5, incoming: 4, incoming_missed: 2 });
    expect(r.summary.missed).toMatchObject({ called_back: 1, unreturned: 1 });
    expect(r.comparison?.made).toBe('computed');
    expect(r.summary.previous?.period).toEqual({
      from: '2024-10-14',
      till: '2024-10-14',
      as_of: '2024-10-14 11:00:00',
    });
    expect(r.summary.previous?.totals).toMatchObject({ calls: 5, incoming: 4, incoming_missed: 2 });
    expect(r.summary.previous?.missed).toMatchObject({ called_back: 1, unreturned: 1, call_first_count: 1 });
  });

  it('uses a stored partial like report only when it was cut at the same moment, never a whole one', async () => {
    await runReport(request('2024-10-14', { recipients: [] }), at('2024-10-15 08:00:00')); // whole
    const whole = await runReport(request('2024-10-21'), at('2024-10-21 11:00:00'));
    expect(whole.comparison?.made).toBe('computed');

    await runReport(request('2024-10-14', { recipients: [] }), at('2024-10-14 11:00:00')); // cut at 11:00:00
    const same = await runReport(request('2024-10-21'), at('2024-10-21 11:00:00'));
    expect(same.outcome).toBe('already_sent'); // the same partial report, already made
    const again = await runReport(request('2024-10-21', { force: true }), at('2024-10-21 11:00:00'));
    expect(again.comparison?.made).toBe('stored');
    expect(again.summary.previous?.period.as_of).toBe('2024-10-14 11:00:00');
    const later = await runReport(request('2024-10-21'), at('2024-10-21 11:00:05'));
    expect(later.comparison?.made).toBe('computed');
  });

  it('stores each partial report under its own as_of: two of one day and the whole day’s are three reports, three emails', async () => {
    const morning = await runReport(request('2024-10-21'), at('2024-10-21 11:00:00'));
    const afternoon = await runReport(request('2024-10-21'), at('2024-10-21 15:30:00'));
    const daily = await runReport(request('2024-10-21'), at('2024-10-22 08:00:00'));
    expect([morning, afternoon, daily].map((r) => r.outcome)).toEqual([
      'built_and_sent',
      'built_and_sent',
      'built_and_sent',
    ]);
    expect(mailer.sent).toHaveLength(3);
    expect([morning, afternoon, daily].map((r) => r.summary.period.as_of)).toEqual([
      '2024-10-21 11:00:00',
      '2024-10-21 15:30:00',
      null,
    ]);
    expect(daily.summary.period.partial).toBe(false);
    expect(daily.summary.totals.calls).toBe(8);
    expect(await files()).toEqual([
      'calls_sales_2024-10-21.summary.json',
      'calls_sales_2024-10-21.xlsx',
      'calls_sales_2024-10-21_as-of_2024-10-21_11-00-00.summary.json',
      'calls_sales_2024-10-21_as-of_2024-10-21_11-00-00.xlsx',
      'calls_sales_2024-10-21_as-of_2024-10-21_15-30-00.summary.json',
      'calls_sales_2024-10-21_as-of_2024-10-21_15-30-00.xlsx',
    ]);
    // And the daily report is not held back by, nor replaced with, a partial one run after it.
    expect((await runReport(request('2024-10-21'), at('2024-10-22 09:00:00'))).outcome).toBe('already_sent');
  });

  it('refuses a period that starts after now, and makes one that started today', async () => {
    await expect(runReport(request('2024-10-22'), at('2024-10-21 23:59:59'))).rejects.toThrow(
      'The period 2024-10-22..2024-10-22 has not started yet',
    );
    const r = await runReport(request('2024-10-22'), at('2024-10-22 00:00:00'));
    expect(r.summary.period).toMatchObject({ partial: true, as_of: '2024-10-22 00:00:00' });
  });
});
