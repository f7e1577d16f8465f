/**
 * runReport with a hand-made call source, a real local folder and a recording
 * mailer: the order of the steps, and at most one email per report.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFolderStorage } from '../../functions/shared/adapters/local/folder-storage.ts';
import { ReportInProgressError } from '../../functions/shared/pipeline/claim.ts';
import type { Manifest } from '../../functions/shared/pipeline/manifest.ts';
import type {
  EmailMessage,
  Mailer,
  ReportLock,
  ReportStorage,
} from '../../functions/shared/pipeline/ports.ts';
import {
  EmailFailedError,
  type ReportRequest,
  runReport,
} from '../../functions/shared/pipeline/run-report.ts';
import { makeCall, wall } from '../support/calls.ts';
import { FakeSource, RecordingMailer } from '../support/fake-source.ts';

const NOW = Date.UTC(2024, 9, 22, 6, 0, 0); // 09:00 in Moscow, the morning after
const clock = { now: () => NOW };
const period = { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' };
const request: ReportRequest = {
  subscription: 'sales',
  period,
  language: 'ru',
  recipients: ['head@example.com'],
  from: 'reports@example.com',
};

let dir: string;
let storage: LocalFolderStorage;
let source: FakeSource;
let mailer: RecordingMailer;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipeline-'));
  storage = new LocalFolderStorage(dir);
  source = new FakeSource([
    makeCall('2024-10-21 10:00:00', { lost: true, contactNumber: '89001112233' }),
    makeCall('2024-10-21 10:05:00', {
      direction: 'out',
      contactNumber: '79001112233',
      receivedCall: 'Петров Пётр',
    }),
    makeCall('2024-10-21 12:00:00', { lost: true, contactNumber: '79005556677' }),
    makeCall('2024-10-21 23:50:00', { lost: true, contactNumber: '79008889900' }),
    makeCall('2024-10-22 00:10:00', { direction: 'out', contactNumber: '79008889900' }),
    makeCall('2024-10-22 08:00:00', { direction: 'in', contactNumber: '79990000000' }),
  ]);
  mailer = new RecordingMailer();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const deps = () => ({ source, storage, mailer, clock });

describe('runReport', () => {
  it('fetches the period and its horizon up to now, stores, then sends one email', async () => {
    const r = await runReport(request, deps());
    expect(source.fetches).toEqual([
      // The like period first (not stored: computed), the same weekday a week earlier and its horizon.
      { from: wall('2024-10-14 00:00:00'), till: wall('2024-10-15 23:59:59') },
      { from: wall('2024-10-21 00:00:00'), till: wall('2024-10-22 09:00:00') },
    ]);
    expect(r.outcome).toBe('built_and_sent');
    expect(r.summary.totals.calls).toBe(4); // the follow-ups count in no figure
    expect(r.summary.missed).toMatchObject({ total: 3, called_back: 2, unreturned: 1 });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.subject).toBe('Звонки за 21.10.2024: пропущено 3 из 3 (100%), не перезвонили 1');
    expect(mailer.sent[0]?.attachments?.[0]?.fileName).toBe('Звонки 2024-10-21.xlsx');
    expect(r.manifest).toMatchObject({
      status: 'emailed',
      attempts: 1,
      recipients: ['head@example.com'],
      message_id: 'm-1',
      emailed_at: new Date(NOW).toISOString(),
    });
    expect((await readdir(dir)).filter((f) => !f.startsWith('.')).sort()).toEqual([
      'calls_sales_2024-10-21.summary.json',
      'calls_sales_2024-10-21.xlsx',
    ]);
  });

  it('sends one email however often the same job is delivered', async () => {
    for (let i = 0; i < 3; i++) await runReport(request, deps());
    expect(mailer.sent).toHaveLength(1);
    expect(source.fetches).toHaveLength(2); // one build: its like period and itself
  });

  it('sends again when forced', async () => {
    await runReport(request, deps());
    const r = await runReport({ ...request, force: true }, deps());
    expect(r.outcome).toBe('built_and_sent');
    expect(mailer.sent).toHaveLength(2);
  });

  it('keeps the stored report when the email fails, says so in the manifest, and the retry only sends', async () => {
    mailer.failuresLeft = 1;
    const err = await runReport(request, deps()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmailFailedError);
    expect((err as Error).message).toMatch(/is stored, but the email failed: SES said no/);
    const manifest = await storage.loadJson<Manifest>({ subscription: 'sales', period }, 'manifest');
    expect(manifest).toMatchObject({ status: 'email_failed', last_error: 'SES said no', emailed_at: null });
    expect(await storage.loadJson({ subscription: 'sales', period }, 'summary')).not.toBeNull();

    const retry = await runReport(request, deps());
    expect(retry.outcome).toBe('sent_stored');
    expect(source.fetches).toHaveLength(2); // nothing fetched or built again
    expect(mailer.sent).toHaveLength(1);
    expect(retry.manifest).toMatchObject({ status: 'emailed', attempts: 2, last_error: null });
    await runReport(request, deps());
    expect(mailer.sent).toHaveLength(1);
  });

  it('sends nothing when storing fails', async () => {
    const broken: ReportStorage = {
      saveWorkbook: () => Promise.reject(new Error('disk full')),
      saveJson: (l, d, v) => storage.saveJson(l, d, v),
      loadJson: (l, d) => storage.loadJson(l, d),
      readObject: (k) => storage.readObject(k),
    };
    await expect(runReport(request, { ...deps(), storage: broken })).rejects.toThrow('disk full');
    expect(mailer.sent).toHaveLength(0);
  });

  it('emails new recipients of an already sent report', async () => {
    await runReport(request, deps());
    const r = await runReport({ ...request, recipients: ['ceo@example.com'] }, deps());
    expect(r.outcome).toBe('built_and_sent');
    expect(mailer.sent.map((m) => m.to)).toEqual([['head@example.com'], ['ceo@example.com']]);
  });

  it('compares with the same weekday a week earlier, from its stored report', async () => {
    const before = {
      ...request,
      period: { ...period, from: '2024-10-14', till: '2024-10-14' },
      recipients: [],
    };
    const stored = await runReport(before, deps());
    source.fetches = [];
    const r = await runReport(request, deps());
    expect(r.comparison?.made).toBe('stored');
    expect(source.fetches).toHaveLength(1);
    expect(r.summary.previous?.period).toEqual({ from: '2024-10-14', till: '2024-10-14', as_of: null });
    expect(r.summary.previous?.totals).toEqual(stored.summary.totals);
  });

  it('leaves the workbook out of the email when it is over the attachment limit', async () => {
    await runReport({ ...request, attachLimitBytes: 10 }, deps());
    expect(mailer.sent[0]?.attachments).toEqual([]);
  });

  it('attaches the workbook at exactly the attachment limit, and leaves it out a byte over, keeping the link', async () => {
    const tried: EmailMessage[] = [];
    const refusing: Mailer = {
      send: async (message) => {
        tried.push(message);
        throw new Error('SES said no');
      },
    };
    await expect(runReport(request, { ...deps(), mailer: refusing })).rejects.toBeInstanceOf(
      EmailFailedError,
    );
    const stored = await storage.loadJson<Manifest>({ subscription: 'sales', period }, 'manifest');
    const bytes = stored?.workbook.bytes ?? 0;
    expect(bytes).toBeGreaterThan(0);

    // The retries send the stored workbook, so its size is known before they decide.
    await expect(
      runReport({ ...request, attachLimitBytes: bytes - 1 }, { ...deps(), mailer: refusing }),
    ).rejects.toBeInstanceOf(EmailFailedError);
    expect(tried[1]?.attachments).toEqual([]);
    expect(tried[1]?.text).toContain(stored?.workbook.location);

    const r = await runReport({ ...request, attachLimitBytes: bytes }, deps());
    expect(r.outcome).toBe('sent_stored');
    expect(mailer.sent[0]?.attachments).toHaveLength(1);
    expect(mailer.sent[0]?.attachments?.[0]?.content.length).toBe(bytes);
  });
});

class MemoryLock implements ReportLock {
  held = new Map<string, string>();
  async acquire(key: string) {
    if (this.held.has(key)) return null;
    const token = `t${this.held.size + 1}`;
    this.held.set(key, token);
    return token;
  }
  async renew(key: string, token: string) {
    return this.held.get(key) === token;
  }
  async prove(key: string, token: string) {
    return this.held.get(key) === token;
  }
  async release(key: string, token: string) {
    if (this.held.get(key) === token) this.held.delete(key);
  }
}

describe('runReport with a claim', () => {
  it('refuses to run while another run holds the claim on the same report', async () => {
    const lock = new MemoryLock();
    await lock.acquire('report/sales/2024-10-21_2024-10-21');
    await expect(runReport(request, { ...deps(), lock })).rejects.toBeInstanceOf(ReportInProgressError);
    expect(source.fetches).toHaveLength(0);
    expect(mailer.sent).toHaveLength(0);
  });

  it('releases the claim when the run ends, whether it succeeded or failed', async () => {
    const lock = new MemoryLock();
    mailer.failuresLeft = 1;
    await expect(runReport(request, { ...deps(), lock })).rejects.toBeInstanceOf(EmailFailedError);
    expect(lock.held.size).toBe(0);
    await runReport(request, { ...deps(), lock });
    expect(lock.held.size).toBe(0);
    expect(mailer.sent).toHaveLength(1);
  });
});
