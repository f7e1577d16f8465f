/**
 * Death mid-run: the daily report runs in a child process that is killed
 * (SIGKILL) while the workbook is uploading. Nothing half-written is treated as
 * done; the next run (Lambda's retry, once the dead run's claim has lapsed)
 * makes complete, consistent objects and one email. The killed upload's parts
 * stay behind in s3rver, which cannot abort them; in AWS the bucket's lifecycle
 * rule (AbortIncompleteMultipartUpload, asserted in the infra tests) removes them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ReportStorage } from '../../functions/shared/adapters/aws/s3-storage.ts';
import { sleep } from '../../functions/shared/dataapi/rpc/throttle.ts';
import type { Manifest } from '../../functions/shared/pipeline/manifest.ts';
import type { Summary } from '../../functions/shared/report/types.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { type LocalDynamo, startDynalite } from '../support/dynalite.ts';
import { localAwsEnv } from '../support/local-aws.ts';
import { type LocalS3, startS3rver } from '../support/s3rver.ts';
import { type SesLocal, startSesLocal } from '../support/ses-local.ts';

const DATA_TOKEN = `data-${randomBytes(8).toString('hex')}`;
const LINK_KEY = `link-${randomBytes(16).toString('hex')}`;
const EVENT = JSON.stringify({ subscription: 'big', scheduled_time: '2024-10-22T05:00:00Z' });
const CLAIM_KEY = 'report/big/2024-10-21_2024-10-21';
const loc = {
  subscription: 'big',
  period: { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' },
};

let sim: Simulator;
let s3: LocalS3;
let ses: SesLocal;
let dynamo: LocalDynamo;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  [sim, s3, ses, dynamo] = await Promise.all([
    // Enough calls for a workbook over one 5 MB part, so the upload is multipart.
    startSimulator({
      accessToken: DATA_TOKEN,
      rows: generateCalls({ seed: 61, from: '2024-10-21', till: '2024-10-22', callsPerDay: 45_000 }),
    }),
    startS3rver(),
    startSesLocal(),
    startDynalite(),
  ]);
  env = {
    PATH: process.env.PATH,
    ...localAwsEnv(s3, ses, dynamo),
    POWERTOOLS_METRICS_NAMESPACE: 'CallReportsTest',
    REPORTS_BUCKET: s3.bucket,
    MGF_API_URL: sim.url,
    MGF_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:1:secret:data',
    LINK_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:1:secret:link',
    MAIL_FROM: 'reports@example.com',
    SUBSCRIPTIONS: JSON.stringify([{ id: 'big', recipients: ['head@example.com'] }]),
    DOWNLOAD_BASE_URL: 'https://abc123.execute-api.eu-central-1.amazonaws.com/prod/download/',
    LOCK_TABLE: dynamo.table,
    LOCK_LEASE_SECONDS: '2',
    ATTACH_LIMIT_BYTES: '0',
    TEST_DATA_TOKEN: DATA_TOKEN,
    TEST_LINK_KEY: LINK_KEY,
  };
}, 300_000);

afterAll(async () => {
  await Promise.all([sim.close(), s3.dispose(), ses.stop(), dynamo.stop()]);
});

/** Waits until the claim on the report, as the table holds it now, has run out. */
async function claimLapsed(): Promise<void> {
  const { Item } = await dynamo.client.send(
    new GetItemCommand({ TableName: dynamo.table, Key: { pk: { S: CLAIM_KEY } } }),
  );
  const expires = Number(Item?.expires_at?.N ?? 0); // whole seconds
  // A claim is free once its expiry is before the current second (dynamo-lock.ts).
  await sleep(Math.max(0, (expires + 1) * 1000 + 100 - Date.now()));
}

function child(): {
  proc: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; out: string; err: string }>;
} {
  const proc = spawn(process.execPath, ['test/reliability/fixtures/daily-child.ts', EVENT], { env });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d) => {
    out += String(d);
  });
  proc.stderr?.on('data', (d) => {
    err += String(d);
  });
  const done = new Promise<{ code: number | null; signal: string | null; out: string; err: string }>(
    (resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, out, err })),
  );
  return { proc, done };
}

describe('death mid-run', () => {
  // A hang guard for three runs of a 45 000-call report and opening its workbook:
  // 26 s on a 2-core machine at a load of 7, three minutes at a load of 17.
  it('leaves nothing that looks done, and the next run completes the report', async () => {
    const storage = new S3ReportStorage({ client: s3.client, bucket: s3.bucket });
    const xlsxKey = storage.keyFor(loc, 'workbook');

    // 1. Kill the run the moment the first part of its workbook reaches S3: the
    //    upload has begun, and it cannot finish (that needs the part's answer).
    const first = child();
    const stopWatching = s3.onRequest((req) => {
      if (req.method === 'PUT' && /[?&]uploadId=/.test(req.url ?? '')) first.proc.kill('SIGKILL');
    });
    const killed = await first.done;
    stopWatching();
    expect(killed.signal, `it ended by itself: ${killed.err}`).toBe('SIGKILL');

    await expect(
      s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: xlsxKey })),
    ).rejects.toThrow();
    expect(await storage.loadJson(loc, 'manifest')).toBeNull();
    expect(await storage.loadJson(loc, 'summary')).toBeNull();
    expect((await ses.emails()).length).toBe(0);

    // 2. Lambda retries: while the dead run's claim lives a retry fails (and is
    //    retried); once the claim has run out, the retry makes the report.
    let result = await child().done;
    for (let i = 0; i < 3 && result.code !== 0; i++) {
      expect(result.err).toMatch(/ReportInProgressError/);
      await claimLapsed();
      result = await child().done;
    }
    expect(result.err).toBe('');
    expect(result.out).toMatch(/"outcome":"built_and_sent"/);

    // 3. Complete and consistent: the manifest matches the objects, the workbook opens, one email.
    const manifest = (await storage.loadJson<Manifest>(loc, 'manifest')) as Manifest;
    expect(manifest).toMatchObject({ status: 'emailed', attempts: 1 });
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: xlsxKey }));
    expect(head.ContentLength).toBe(manifest.workbook.bytes);
    const summary = (await storage.loadJson<Summary>(loc, 'summary')) as Summary;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await storage.readObject(xlsxKey)) as unknown as ArrayBuffer);
    const callsSheet = wb.worksheets.find((w) => w.name === 'Все звонки');
    expect(callsSheet?.rowCount).toBe(summary.totals.calls + 1);
    expect((await ses.emails()).length).toBe(1);
  }, 600_000);
});
