/**
 * Delivery end to end against real local servers: the pipeline with S3 storage
 * (s3rver) and the SES mailer (aws-ses-v2-local), fed by the simulator through
 * the real client. One email per report; no email without its stored report.
 */
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { presignDownload } from '../../functions/shared/adapters/aws/presign.ts';
import { S3ReportStorage } from '../../functions/shared/adapters/aws/s3-storage.ts';
import { SesMailer } from '../../functions/shared/adapters/aws/ses-mailer.ts';
import { DataApiCallSource } from '../../functions/shared/calls/source.ts';
import { DataApiClient } from '../../functions/shared/dataapi/client.ts';
import { downloadResponse } from '../../functions/shared/http/download.ts';
import { keyRing } from '../../functions/shared/http/key-ring.ts';
import { linkFor } from '../../functions/shared/http/link-urls.ts';
import type { Manifest } from '../../functions/shared/pipeline/manifest.ts';
import {
  EmailFailedError,
  type ReportRequest,
  runReport,
} from '../../functions/shared/pipeline/run-report.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { MemoryRevocations } from '../support/links.ts';
import { type LocalS3, startS3rver } from '../support/s3rver.ts';
import { type SesLocal, startSesLocal } from '../support/ses-local.ts';

const TOKEN = 'delivery-test-token';
const RING = keyRing([{ kid: 'k1', key: 'delivery-test-signing-key-0123456789' }]);
const NOW = Date.UTC(2024, 9, 22, 5, 0, 0);
const period = { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' };

let sim: Simulator;
let s3: LocalS3;
let ses: SesLocal;

beforeAll(async () => {
  [sim, s3, ses] = await Promise.all([
    startSimulator({
      accessToken: TOKEN,
      rows: generateCalls({ seed: 5, from: '2024-10-21', till: '2024-10-22', callsPerDay: 300 }),
    }),
    startS3rver({ clientConfig: { maxAttempts: 1 } }),
    startSesLocal(),
  ]);
});

afterAll(async () => {
  await Promise.all([sim.close(), s3.dispose(), ses.stop()]);
});

let subscription = '';
let counter = 0;
beforeEach(() => {
  subscription = `sub-${++counter}`; // each test its own report keys
});

function request(extra: Partial<ReportRequest> = {}): ReportRequest {
  return {
    subscription,
    period,
    language: 'ru',
    recipients: ['head.of.sales@example.com', 'ceo@example.com'],
    from: 'reports@example.com',
    ...extra,
  };
}

function deps(mailerClient: SESv2Client = ses.client) {
  const storage = new S3ReportStorage({ client: s3.client, bucket: s3.bucket });
  return {
    storage,
    source: new DataApiCallSource(new DataApiClient({ url: sim.url, accessToken: TOKEN })),
    mailer: new SesMailer({ client: mailerClient }),
    clock: { now: () => NOW },
    linkFor: async (stored: { key: string }) =>
      linkFor(
        stored.key,
        { id: subscription },
        { baseUrl: 'https://api.example.com/prod/download/', ttlDays: 14 },
        RING,
        NOW,
      ),
  };
}

async function manifest(storage: S3ReportStorage): Promise<Manifest | null> {
  return storage.loadJson<Manifest>({ subscription, period }, 'manifest');
}

describe('delivery with S3 and SES', () => {
  it('stores the workbook with its headers and emails a link that leads to it', async () => {
    const d = deps();
    const before = (await ses.emails()).length;
    const r = await runReport(request(), d);
    expect(r.outcome).toBe('built_and_sent');

    const head = await s3.client.send(
      new HeadObjectCommand({ Bucket: s3.bucket, Key: r.manifest.workbook.key }),
    );
    expect(head.ContentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(head.ContentDisposition).toContain("filename*=UTF-8''%D0%97%D0%B2%D0%BE%D0%BD%D0%BA%D0%B8");

    const mails = (await ses.emails()).slice(before);
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail?.to.sort()).toEqual(['ceo@example.com', 'head.of.sales@example.com']);
    expect(mail?.subject).toMatch(/^Звонки за 21\.10\.2024: пропущено \d+ из \d+/);
    const link = /https:\/\/api\.example\.com\/prod\/download\/([A-Za-z0-9_.-]+)/.exec(mail?.html ?? '')?.[1];
    expect(link).toBeDefined();
    expect(mail?.text).toContain(link);

    // The link round trip: verify → presign → the bytes of the stored workbook.
    const res = await downloadResponse(link, 'text/html', {
      ring: RING,
      revocations: new MemoryRevocations(),
      now: NOW + 7 * 86_400_000,
      presign: (key) => presignDownload(s3.client, s3.bucket, key),
    });
    expect(res.statusCode).toBe(302);
    const got = Buffer.from(await (await fetch(res.headers.Location ?? '')).arrayBuffer());
    const stored = await s3.client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: r.manifest.workbook.key }),
    );
    expect(got.equals(Buffer.from((await stored.Body?.transformToByteArray()) ?? []))).toBe(true);
    expect(mail?.attachments.map((a) => a.filename)).toEqual(['Звонки 2024-10-21.xlsx']);
  });

  it('sends one email for three deliveries of the same job', async () => {
    const before = (await ses.emails()).length;
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await runReport(request(), deps())).outcome);
    expect(outcomes).toEqual(['built_and_sent', 'already_sent', 'already_sent']);
    expect((await ses.emails()).length - before).toBe(1);
  });

  it('keeps the report when SES fails after storing, says so, and the retry sends exactly once', async () => {
    const dead = new SESv2Client({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
    });
    const before = (await ses.emails()).length;
    const err = await runReport(request(), deps(dead)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmailFailedError);
    const d = deps();
    expect(await manifest(d.storage)).toMatchObject({
      status: 'email_failed',
      emailed_at: null,
      attempts: 1,
    });
    expect(await d.storage.loadJson({ subscription, period }, 'summary')).not.toBeNull();
    expect((await ses.emails()).length).toBe(before);

    const retry = await runReport(request(), d);
    expect(retry.outcome).toBe('sent_stored');
    expect(await manifest(d.storage)).toMatchObject({ status: 'emailed', attempts: 2, last_error: null });
    await runReport(request(), d);
    expect((await ses.emails()).length - before).toBe(1);
  });

  it('sends nothing when S3 is down', async () => {
    const before = (await ses.emails()).length;
    await s3.stop();
    try {
      await expect(runReport(request(), deps())).rejects.toThrow(/S3 .*failed/);
    } finally {
      await s3.restart();
    }
    expect((await ses.emails()).length).toBe(before);
  });
});
