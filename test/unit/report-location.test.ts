/**
 * A report's place in storage (pipeline/location.ts): the ru and en reports of
 * one day, and a day's report made with other settings, each keep their own
 * files, and the default report keeps the keys it always had.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportKey } from '../../functions/shared/adapters/aws/s3-storage.ts';
import { LocalFolderStorage, reportBaseName } from '../../functions/shared/adapters/local/folder-storage.ts';
import { claimKey } from '../../functions/shared/pipeline/claim.ts';
import { reportVariant, variantSuffix } from '../../functions/shared/pipeline/location.ts';
import { type ReportRequest, runReport } from '../../functions/shared/pipeline/run-report.ts';
import { reportSettings } from '../../functions/shared/pipeline/settings.ts';
import { DEFAULT_SETTINGS } from '../../functions/shared/report/types.ts';
import { makeCall } from '../support/calls.ts';
import { FakeSource, RecordingMailer } from '../support/fake-source.ts';

const period = { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' };
const clock = { now: () => Date.UTC(2024, 9, 22, 6, 0, 0) };

describe('reportVariant', () => {
  it('is null for the default report, so its keys stay as they were', () => {
    expect(reportVariant('ru', reportSettings({}))).toBeNull();
    expect(reportKey({ subscription: 'acme', period, variant: null }, 'summary', '')).toBe(
      'acme/2024-10-21_2024-10-21/summary.json',
    );
    expect(claimKey('acme', period, null)).toBe('report/acme/2024-10-21_2024-10-21');
  });

  it('names the language when it is not the default', () => {
    expect(reportVariant('en', reportSettings({}))).toBe('en');
    expect(reportKey({ subscription: 'acme', period, variant: 'en' }, 'workbook', '')).toBe(
      'acme/2024-10-21_2024-10-21_en/report.xlsx',
    );
  });

  it('names settings that are not the defaults by their hash, the same for the same settings', () => {
    const hours = reportSettings({ working_hours: 'mon-fri 09:00-18:00' });
    const v = reportVariant('ru', hours);
    expect(v).toMatch(/^s-[0-9a-f]{8}$/);
    expect(reportVariant('ru', reportSettings({ working_hours: 'Mon-Fri 9:00-18:00' }))).toBe(v);
    expect(reportVariant('ru', reportSettings({ sla_seconds: 30 }))).not.toBe(v);
    expect(reportVariant('en', hours)).toBe(`en_${v}`);
    expect(reportVariant('ru', { ...DEFAULT_SETTINGS })).toBeNull();
  });

  it('refuses a variant of another shape before it reaches a key or a file name', () => {
    for (const bad of ['../x', 'EN', 'en/..', 's-123', '']) {
      expect(() => variantSuffix(bad)).toThrow(/Bad report variant/);
    }
    expect(() => reportBaseName({ subscription: 'a', period, variant: '../../etc' })).toThrow(
      /Bad report variant/,
    );
  });
});

describe('reports of one day in two languages and with other working hours', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'location-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps each its own workbook, summary and email, and sends each once', async () => {
    const storage = new LocalFolderStorage(dir);
    const source = new FakeSource([
      makeCall('2024-10-21 10:00:00', { lost: true, contactNumber: '79001112233' }),
    ]);
    const mailer = new RecordingMailer();
    const base: ReportRequest = {
      subscription: 'sales',
      period,
      language: 'ru',
      recipients: ['head@example.com'],
    };
    const requests: ReportRequest[] = [
      base,
      { ...base, language: 'en' },
      { ...base, settings: { working_hours: 'mon-fri 11:00-18:00' } },
    ];
    for (const r of requests)
      expect((await runReport(r, { source, storage, mailer, clock })).outcome).toBe('built_and_sent');
    // Each again: already sent, not overwritten by the others.
    for (const r of requests)
      expect((await runReport(r, { source, storage, mailer, clock })).outcome).toBe('already_sent');
    expect(mailer.sent).toHaveLength(3);
    const workbooks = (await readdir(dir)).filter((f) => f.endsWith('.xlsx')).sort();
    expect(workbooks).toHaveLength(3);
    expect(workbooks).toContain('calls_sales_2024-10-21.xlsx');
    expect(workbooks).toContain('calls_sales_2024-10-21_en.xlsx');
    const ru = await storage.loadJson<{ settings: { working_hours: string | null } }>(
      { subscription: 'sales', period },
      'summary',
    );
    expect(ru?.settings.working_hours).toBeNull();
  });
});
