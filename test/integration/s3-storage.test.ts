/**
 * S3ReportStorage and presignDownload against a real local S3 (s3rver over
 * HTTP). See test/support/s3rver.ts for what s3rver does not do.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  AbortMultipartUploadCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { presignDownload } from '../../functions/shared/adapters/aws/presign.ts';
import {
  MIN_PART_SIZE,
  S3ReportStorage,
  S3StorageError,
  XLSX_CONTENT_TYPE,
} from '../../functions/shared/adapters/aws/s3-storage.ts';
import type { ReportLocation } from '../../functions/shared/pipeline/ports.ts';
import { type LocalS3, startS3rver } from '../support/s3rver.ts';

const FILE_NAME = 'Звонки 2024-10-21.xlsx';
const PERIOD = { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' };

let s3: LocalS3;
/** Wire-level record of every request the client sent: command name and its x-amz-server-side-encryption header. */
let sent: { command: string; sse: string | undefined; kmsKey: string | undefined }[] = [];
let seq = 0;

/** A fresh subscription per test, so tests never see each other's objects. */
function freshLocation(): ReportLocation {
  seq += 1;
  return { subscription: `sub-${seq}`, period: PERIOD };
}

/** Writes `data` in 64 KiB chunks, honouring backpressure. */
async function writeData(out: NodeJS.WritableStream, data: Buffer, end = true): Promise<void> {
  for (let at = 0; at < data.length; at += 64 * 1024) {
    if (!out.write(data.subarray(at, at + 64 * 1024))) await once(out as NodeJS.EventEmitter, 'drain');
  }
  if (end) out.end();
}

async function keysUnder(prefix: string): Promise<string[]> {
  const res = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (res.Contents ?? []).map((o) => o.Key ?? '').sort();
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

beforeAll(async () => {
  s3 = await startS3rver();
  s3.client.middlewareStack.add(
    (next, context) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
      sent.push({
        command: String(context.commandName),
        sse: headers['x-amz-server-side-encryption'],
        kmsKey: headers['x-amz-server-side-encryption-aws-kms-key-id'],
      });
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordRequests' },
  );
});

afterAll(async () => {
  await s3?.dispose();
});

beforeEach(() => {
  sent = [];
});

describe('S3ReportStorage on s3rver', () => {
  it('stores the workbook with its content type, Russian download name and exact bytes', async () => {
    const storage = new S3ReportStorage({ client: s3.client, bucket: s3.bucket });
    const loc = freshLocation();
    const data = randomBytes(300_000);
    const stored = await storage.saveWorkbook(loc, FILE_NAME, (out) => writeData(out, data));

    const key = `reports/${loc.subscription}/2024-10-21_2024-10-21/report.xlsx`;
    expect(stored).toEqual({ key, location: `s3://${s3.bucket}/${key}`, bytes: data.length });
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    expect(head.ContentType).toBe(XLSX_CONTENT_TYPE);
    expect(head.ContentLength).toBe(data.length);
    expect(head.ContentDisposition).toBe(
      `attachment; filename="Zvonki 2024-10-21.xlsx"; filename*=UTF-8''%D0%97%D0%B2%D0%BE%D0%BD%D0%BA%D0%B8%202024-10-21.xlsx`,
    );
    expect(sha256(await storage.readObject(key))).toBe(sha256(data));
  });

  it('streams a workbook larger than one part as a multipart upload, headers and bytes intact', async () => {
    const storage = new S3ReportStorage({ client: s3.client, bucket: s3.bucket });
    const loc = freshLocation();
    const data = randomBytes(2 * MIN_PART_SIZE + 12_345);
    const stored = await storage.saveWorkbook(loc, FILE_NAME, (out) => writeData(out, data));

    expect(sent.filter((r) => r.command === 'UploadPartCommand')).toHaveLength(3);
    expect(stored.bytes).toBe(data.length);
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: stored.key }));
    expect(head.ContentType).toBe(XLSX_CONTENT_TYPE);
    expect(head.ContentDisposition).toContain(`filename*=UTF-8''%D0%97%D0%B2`);
    expect(sha256(await storage.readObject(stored.key))).toBe(sha256(data));
  });

  it('sends server-side encryption on every write, which s3rver accepts (and ignores)', async () => {
    const kms = 'arn:aws:kms:eu-central-1:111122223333:key/test';
    const loc = freshLocation();
    await new S3ReportStorage({ client: s3.client, bucket: s3.bucket }).saveJson(loc, 'summary', {});
    const withKms = new S3ReportStorage({ client: s3.client, bucket: s3.bucket, kmsKeyId: kms });
    await withKms.saveJson(loc, 'manifest', {});
    await withKms.saveWorkbook(loc, FILE_NAME, (out) => writeData(out, randomBytes(MIN_PART_SIZE + 1)));

    const writes = sent.filter((r) => /^(PutObject|CreateMultipartUpload)Command$/.test(r.command));
    expect(writes).toEqual([
      { command: 'PutObjectCommand', sse: 'AES256', kmsKey: undefined },
      { command: 'PutObjectCommand', sse: 'aws:kms', kmsKey: kms },
      { command: 'CreateMultipartUploadCommand', sse: 'aws:kms', kmsKey: kms },
    ]);
    // s3rver keeps no encryption metadata: this documents the fake, not S3.
    const head = await s3.client.send(
      new HeadObjectCommand({ Bucket: s3.bucket, Key: withKms.keyFor(loc, 'manifest') }),
    );
    expect(head.ServerSideEncryption).toBeUndefined();
  });

  it('round-trips the summary, manifest and email JSON', async () => {
    const storage = new S3ReportStorage({ client: s3.client, bucket: s3.bucket });
    const loc = freshLocation();
    const summary = { totals: { calls: 240, missed: 12 }, title: 'Звонки за 21.10.2024' };
    const email = { subject: 'Звонки за 21.10.2024: пропущено 12 из 240', to: ['a@example.com'] };
    const workbook = { key: 'k', location: 's3://b/k', bytes: 1 };
    // Shaped like the pipeline's Manifest, kept untyped so this test does not follow its field changes.
    const manifest = {
      version: 1,
      subscription: loc.subscription,
      period: loc.period,
      status: 'stored',
      attempts: 1,
      workbook,
      summary: workbook,
      stored_at: '2024-10-22T04:00:00.000Z',
      emailed_at: null,
      recipients: ['a@example.com'],
      message_id: null,
      last_error: null,
      updated_at: '2024-10-22T04:00:00.000Z',
    };
    const saved = await storage.saveJson(loc, 'summary', summary);
    await storage.saveJson(loc, 'manifest', manifest);
    await storage.saveJson(loc, 'email', email);

    expect(await storage.loadJson(loc, 'summary')).toEqual(summary);
    expect(await storage.loadJson<typeof manifest>(loc, 'manifest')).toEqual(manifest);
    expect(await storage.loadJson(loc, 'email')).toEqual(email);
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: saved.key }));
    expect(head.ContentType).toBe('application/json; charset=utf-8');
    expect(head.ContentLength).toBe(saved.bytes);
  });

  it('loads a JSON document that was never stored as null', async () => {
    const storage = new S3ReportStorage({ client: s3.client, bucket: s3.bucket });
    await expect(storage.loadJson(freshLocation(), 'manifest')).resolves.toBeNull();
  });

  it('overwrites the same keys on a re-run instead of piling up objects', async () => {
    const storage = new S3ReportStorage({ client: s3.client, bucket: s3.bucket });
    const loc = freshLocation();
    const run = async (n: number) => {
      await storage.saveWorkbook(loc, FILE_NAME, (out) => writeData(out, Buffer.alloc(1000 + n, n)));
      await storage.saveJson(loc, 'summary', { run: n });
      await storage.saveJson(loc, 'manifest', { run: n });
      await storage.saveJson(loc, 'email', { run: n });
    };
    await run(1);
    await run(2);

    const folder = `reports/${loc.subscription}/`;
    expect(await keysUnder(folder)).toEqual([
      `${folder}2024-10-21_2024-10-21/email.json`,
      `${folder}2024-10-21_2024-10-21/manifest.json`,
      `${folder}2024-10-21_2024-10-21/report.xlsx`,
      `${folder}2024-10-21_2024-10-21/summary.json`,
    ]);
    expect(await storage.loadJson(loc, 'summary')).toEqual({ run: 2 });
    const workbook = await storage.readObject(storage.keyFor(loc, 'workbook'));
    expect(workbook).toEqual(Buffer.alloc(1002, 2));
  });

  it('leaves nothing under the key when a small writer fails, and keeps the previous report', async () => {
    const storage = new S3ReportStorage({ client: s3.client, bucket: s3.bucket });
    const loc = freshLocation();
    const boom = new Error('rendering failed');
    await expect(
      storage.saveWorkbook(loc, FILE_NAME, async (out) => {
        await writeData(out, randomBytes(100_000), false);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await keysUnder(`reports/${loc.subscription}/`)).toEqual([]);
    expect(await s3.pendingUploads()).toEqual([]);

    const previous = randomBytes(5000);
    await storage.saveWorkbook(loc, FILE_NAME, (out) => writeData(out, previous));
    await expect(
      storage.saveWorkbook(loc, FILE_NAME, async (out) => {
        await writeData(out, randomBytes(100_000), true);
        await once(out as NodeJS.EventEmitter, 'finish');
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await storage.readObject(storage.keyFor(loc, 'workbook'))).toEqual(previous);
  });

  it('leaves nothing under the key when a writer fails after a part went up, and asks S3 to abort the upload', async () => {
    const storage = new S3ReportStorage({ client: s3.client, bucket: s3.bucket });
    const loc = freshLocation();
    const boom = new Error('rendering failed half way');
    const before = await s3.pendingUploads();
    await expect(
      storage.saveWorkbook(loc, FILE_NAME, async (out) => {
        await writeData(out, randomBytes(MIN_PART_SIZE + 256 * 1024), false);
        throw boom;
      }),
    ).rejects.toBe(boom);

    expect(await keysUnder(`reports/${loc.subscription}/`)).toEqual([]);
    const commands = sent.map((r) => r.command);
    expect(commands).toContain('UploadPartCommand');
    expect(commands).toContain('AbortMultipartUploadCommand');
    expect(commands).not.toContain('CompleteMultipartUploadCommand');
    // s3rver cannot abort (405) nor list multipart uploads (501): the abandoned
    // parts stay in its data directory. Real S3 drops them on the abort.
    const left = (await s3.pendingUploads()).filter((id) => !before.includes(id));
    expect(left).toHaveLength(1);
    await expect(
      s3.client.send(
        new AbortMultipartUploadCommand({
          Bucket: s3.bucket,
          Key: storage.keyFor(loc, 'workbook'),
          UploadId: left[0],
        }),
      ),
    ).rejects.toMatchObject({ name: 'MethodNotAllowed', $metadata: { httpStatusCode: 405 } });
    await expect(
      s3.client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket })),
    ).rejects.toMatchObject({
      name: 'NotImplemented',
      $metadata: { httpStatusCode: 501 },
    });
  });

  it('serves the workbook through a presigned URL fetched with plain fetch', async () => {
    const storage = new S3ReportStorage({ client: s3.client, bucket: s3.bucket });
    const loc = freshLocation();
    const data = randomBytes(50_000);
    const stored = await storage.saveWorkbook(loc, FILE_NAME, (out) => writeData(out, data));

    const url = await presignDownload(s3.client, s3.bucket, stored.key);
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX_CONTENT_TYPE);
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''%D0%97`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(data);
  });

  it('presigns a working URL with a client on default checksum settings, too', async () => {
    const storage = new S3ReportStorage({ client: s3.client, bucket: s3.bucket });
    const stored = await storage.saveJson(freshLocation(), 'summary', { ok: true });
    const plain = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    try {
      const url = await presignDownload(plain, s3.bucket, stored.key, { expiresInSeconds: 60 });
      expect(url).not.toContain('checksum');
      const res = await fetch(url);
      expect(await res.json()).toEqual({ ok: true });
    } finally {
      plain.destroy();
    }
  });

  it('fails with an error naming the object while S3 is down, and works again once it is back', async () => {
    const storage = new S3ReportStorage({ client: s3.client, bucket: s3.bucket });
    const loc = freshLocation();
    await storage.saveJson(loc, 'summary', { before: true });
    const summaryKey = storage.keyFor(loc, 'summary');

    await s3.stop();
    try {
      const write = await storage.saveJson(loc, 'manifest', { status: 'stored' }).catch((e: unknown) => e);
      expect(write).toBeInstanceOf(S3StorageError);
      expect((write as Error).message).toMatch(
        new RegExp(
          `^S3 write of s3://${s3.bucket}/reports/${loc.subscription}/2024-10-21_2024-10-21/manifest\\.json failed: .*ECONNREFUSED`,
        ),
      );
      expect((write as Error).cause).toBeInstanceOf(Error);

      const upload = await storage
        .saveWorkbook(loc, FILE_NAME, (out) => writeData(out, randomBytes(10_000)))
        .catch((e: unknown) => e);
      expect(upload).toBeInstanceOf(S3StorageError);
      expect((upload as Error).message).toContain(
        `S3 upload of s3://${s3.bucket}/${storage.keyFor(loc, 'workbook')}`,
      );

      const read = await storage.loadJson(loc, 'summary').catch((e: unknown) => e);
      expect(read).toBeInstanceOf(S3StorageError);
      expect((read as Error).message).toContain(`S3 read of s3://${s3.bucket}/${summaryKey} failed:`);
    } finally {
      await s3.restart();
    }
    expect(await storage.loadJson(loc, 'summary')).toEqual({ before: true });
    expect(await storage.loadJson(loc, 'manifest')).toBeNull();
  });
});
