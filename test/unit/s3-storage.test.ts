import { once } from 'node:events';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presignDownload } from '../../functions/shared/adapters/aws/presign.ts';
import {
  contentDisposition,
  keySafeSubscription,
  MIN_PART_SIZE,
  reportKey,
  S3ReportStorage,
  S3StorageError,
  XLSX_CONTENT_TYPE,
} from '../../functions/shared/adapters/aws/s3-storage.ts';
import type { ReportLocation } from '../../functions/shared/pipeline/ports.ts';
import { asciiFileName } from '../../functions/shared/report/format.ts';

const BUCKET = 'unit-reports';
const KMS_KEY = 'arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const LOC: ReportLocation = {
  subscription: 'acme',
  period: { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' },
};
const FILE_NAME = 'Звонки 2024-10-21.xlsx';

function newClient(): S3Client {
  return new S3Client({
    region: 'eu-central-1',
    credentials: { accessKeyId: 'AKIAUNITTEST', secretAccessKey: 'unit-test-secret' },
  });
}

/** Writes `total` bytes in chunks, honouring backpressure, then ends the stream. */
async function writeBytes(out: NodeJS.WritableStream, total: number, end = true): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  for (let written = 0; written < total; written += chunk.length) {
    const piece = chunk.subarray(0, Math.min(chunk.length, total - written));
    if (!out.write(piece)) await once(out as NodeJS.EventEmitter, 'drain');
  }
  if (end) out.end();
}

function s3Error(name: string, status: number, message = name): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });
}

/** The one method of the SDK's streaming body that the storage uses. */
function body(bytes: Buffer): GetObjectCommandOutput['Body'] {
  return {
    transformToByteArray: async () => new Uint8Array(bytes),
  } as unknown as GetObjectCommandOutput['Body'];
}

describe('S3ReportStorage with a mocked S3 client', () => {
  let client: S3Client;
  let s3: ReturnType<typeof mockClient>;

  beforeEach(() => {
    client = newClient();
    s3 = mockClient(client);
    // Anything the test did not expect fails loudly instead of returning undefined.
    s3.onAnyCommand().rejects(new Error('unexpected S3 command in this test'));
  });
  afterEach(() => {
    s3.restore();
  });

  function putInputs() {
    return s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
  }

  describe('keys', () => {
    it('gives each object of a report a fixed key per subscription and period', () => {
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      const week = { ...LOC, period: { ...LOC.period, from: '2024-10-14', till: '2024-10-20' } };
      expect(storage.keyFor(LOC, 'workbook')).toBe('reports/acme/2024-10-21_2024-10-21/report.xlsx');
      expect(storage.keyFor(LOC, 'summary')).toBe('reports/acme/2024-10-21_2024-10-21/summary.json');
      expect(storage.keyFor(LOC, 'manifest')).toBe('reports/acme/2024-10-21_2024-10-21/manifest.json');
      expect(storage.keyFor(LOC, 'email')).toBe('reports/acme/2024-10-21_2024-10-21/email.json');
      expect(storage.keyFor(week, 'workbook')).toBe('reports/acme/2024-10-14_2024-10-20/report.xlsx');
    });

    it('uses the same keys on a re-run, so the second run overwrites the first', async () => {
      s3.on(PutObjectCommand).resolves({});
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      const first = await storage.saveJson(LOC, 'summary', { run: 1 });
      const second = await storage.saveJson(LOC, 'summary', { run: 2 });
      expect(second.key).toBe(first.key);
      expect(putInputs().map((i) => i.Key)).toEqual([first.key, first.key]);
      expect(first.location).toBe(`s3://${BUCKET}/reports/acme/2024-10-21_2024-10-21/summary.json`);
    });

    it('applies a configured prefix, adding the missing slash', () => {
      const storage = new S3ReportStorage({ client, bucket: BUCKET, prefix: 'tenant-a' });
      expect(storage.keyFor(LOC, 'manifest')).toBe('tenant-a/acme/2024-10-21_2024-10-21/manifest.json');
      expect(reportKey(LOC, 'summary', '')).toBe('acme/2024-10-21_2024-10-21/summary.json');
    });

    it('keeps subscriptions to letters, digits, - and _ without letting two of them share a folder', () => {
      expect(keySafeSubscription('acme_01-b')).toBe('acme_01-b');
      const cyrillic = keySafeSubscription('ООО Ромашка');
      expect(cyrillic).toMatch(/^OOO-Romashka-[0-9a-f]{8}$/);
      const spaced = keySafeSubscription('a b');
      const slashed = keySafeSubscription('a/b');
      const dotted = keySafeSubscription('../x');
      for (const s of [spaced, slashed, dotted]) expect(s).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(spaced).not.toBe(slashed);
      expect(keySafeSubscription('a b')).toBe(spaced);
      expect(() => keySafeSubscription('  ')).toThrow(/empty/);
    });

    it('gives a partial report its own folder by as_of, beside the whole period’s, so none overwrites another', () => {
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      const at = (as_of: string | null) => storage.keyFor({ ...LOC, as_of }, 'summary');
      expect(at('2024-10-21 11:00:00')).toBe(
        'reports/acme/2024-10-21_2024-10-21_as-of_2024-10-21_11-00-00/summary.json',
      );
      expect(at('2024-10-21 15:30:05')).toBe(
        'reports/acme/2024-10-21_2024-10-21_as-of_2024-10-21_15-30-05/summary.json',
      );
      expect(at(null)).toBe('reports/acme/2024-10-21_2024-10-21/summary.json');
      expect(() => at('2024-10-21T11:00')).toThrow(
        /Bad report as_of "2024-10-21T11:00": expected YYYY-MM-DD hh:mm:ss/,
      );
    });

    it('refuses a period day that is not YYYY-MM-DD (it would change the key layout)', () => {
      const bad = { ...LOC, period: { ...LOC.period, till: '2024/10/21' } };
      expect(() => reportKey(bad, 'workbook')).toThrow(/Bad report period day/);
    });
  });

  describe('server-side encryption', () => {
    it('puts the workbook and every JSON document with AES256 by default', async () => {
      s3.on(PutObjectCommand).resolves({});
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      await storage.saveWorkbook(LOC, FILE_NAME, (out) => writeBytes(out, 1000));
      for (const doc of ['summary', 'manifest', 'email'] as const) await storage.saveJson(LOC, doc, { doc });
      const inputs = putInputs();
      expect(inputs).toHaveLength(4);
      for (const input of inputs) {
        expect(input.ServerSideEncryption).toBe('AES256');
        expect(input.SSEKMSKeyId).toBeUndefined();
      }
    });

    it('puts every object with aws:kms and the key id when a KMS key is configured', async () => {
      s3.on(PutObjectCommand).resolves({});
      const storage = new S3ReportStorage({ client, bucket: BUCKET, kmsKeyId: KMS_KEY });
      await storage.saveWorkbook(LOC, FILE_NAME, (out) => writeBytes(out, 1000));
      for (const doc of ['summary', 'manifest', 'email'] as const) await storage.saveJson(LOC, doc, { doc });
      const inputs = putInputs();
      expect(inputs).toHaveLength(4);
      for (const input of inputs) {
        expect(input.ServerSideEncryption).toBe('aws:kms');
        expect(input.SSEKMSKeyId).toBe(KMS_KEY);
      }
    });

    it('starts a multipart workbook upload with aws:kms and the key id', async () => {
      s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'mpu-1' });
      s3.on(UploadPartCommand).resolves({ ETag: '"part"' });
      s3.on(CompleteMultipartUploadCommand).resolves({});
      const storage = new S3ReportStorage({ client, bucket: BUCKET, kmsKeyId: KMS_KEY });
      const stored = await storage.saveWorkbook(LOC, FILE_NAME, (out) => writeBytes(out, MIN_PART_SIZE + 1));
      const [create] = s3.commandCalls(CreateMultipartUploadCommand).map((c) => c.args[0].input);
      expect(create).toMatchObject({
        Key: 'reports/acme/2024-10-21_2024-10-21/report.xlsx',
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: KMS_KEY,
        ContentType: XLSX_CONTENT_TYPE,
      });
      expect(s3.commandCalls(UploadPartCommand)).toHaveLength(2);
      expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
      expect(stored.bytes).toBe(MIN_PART_SIZE + 1);
    });

    it('starts a multipart workbook upload with AES256 by default', async () => {
      s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'mpu-1' });
      s3.on(UploadPartCommand).resolves({ ETag: '"part"' });
      s3.on(CompleteMultipartUploadCommand).resolves({});
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      await storage.saveWorkbook(LOC, FILE_NAME, (out) => writeBytes(out, MIN_PART_SIZE + 1));
      const [create] = s3.commandCalls(CreateMultipartUploadCommand).map((c) => c.args[0].input);
      expect(create?.ServerSideEncryption).toBe('AES256');
      expect(create?.SSEKMSKeyId).toBeUndefined();
    });
  });

  describe('the workbook', () => {
    it('is stored with the XLSX content type and a Russian download name with an ASCII fallback', async () => {
      s3.on(PutObjectCommand).resolves({});
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      const stored = await storage.saveWorkbook(LOC, FILE_NAME, (out) => writeBytes(out, 1234));
      const [input] = putInputs();
      expect(input?.ContentType).toBe(XLSX_CONTENT_TYPE);
      expect(input?.ContentDisposition).toBe(
        `attachment; filename="Zvonki 2024-10-21.xlsx"; filename*=UTF-8''%D0%97%D0%B2%D0%BE%D0%BD%D0%BA%D0%B8%202024-10-21.xlsx`,
      );
      expect(stored).toEqual({
        key: 'reports/acme/2024-10-21_2024-10-21/report.xlsx',
        location: `s3://${BUCKET}/reports/acme/2024-10-21_2024-10-21/report.xlsx`,
        bytes: 1234,
      });
    });

    it('is closed by the storage when the writer resolves without ending its stream', async () => {
      s3.on(PutObjectCommand).resolves({});
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      const stored = await storage.saveWorkbook(LOC, FILE_NAME, (out) => writeBytes(out, 300, false));
      expect(stored.bytes).toBe(300);
      expect(putInputs()).toHaveLength(1);
    });

    it('is not stored at all when a small writer fails', async () => {
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      const boom = new Error('rendering failed');
      await expect(
        storage.saveWorkbook(LOC, FILE_NAME, async (out) => {
          await writeBytes(out, 10_000, false);
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(s3.calls()).toHaveLength(0);
    });

    it('is not stored when the writer ends its stream and then fails', async () => {
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      const boom = new Error('failed after commit');
      await expect(
        storage.saveWorkbook(LOC, FILE_NAME, async (out) => {
          // Like exceljs: commit() resolves once the stream has finished.
          await writeBytes(out, 10_000, true);
          await once(out as NodeJS.EventEmitter, 'finish');
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(s3.calls()).toHaveLength(0);
    });

    it('aborts a started multipart upload when the writer fails, and rethrows the writer error', async () => {
      s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'mpu-7' });
      s3.on(UploadPartCommand).resolves({ ETag: '"part"' });
      s3.on(AbortMultipartUploadCommand).resolves({});
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      const boom = new Error('rendering failed half way');
      await expect(
        storage.saveWorkbook(LOC, FILE_NAME, async (out) => {
          await writeBytes(out, MIN_PART_SIZE + 512 * 1024, false);
          throw boom;
        }),
      ).rejects.toBe(boom);
      const aborts = s3.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input);
      expect(aborts).toEqual([
        { Bucket: BUCKET, Key: 'reports/acme/2024-10-21_2024-10-21/report.xlsx', UploadId: 'mpu-7' },
      ]);
      expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
      expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    });

    it('fails with an error naming the object when S3 rejects a part, and wakes a writer stuck on backpressure', async () => {
      const denied = s3Error('AccessDenied', 403, 'Access Denied');
      s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'mpu-9' });
      s3.on(UploadPartCommand).rejects(denied);
      s3.on(AbortMultipartUploadCommand).resolves({});
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      let writing: Promise<void> | undefined;
      const error = await storage
        .saveWorkbook(LOC, FILE_NAME, (out) => {
          writing = writeBytes(out, 4 * MIN_PART_SIZE);
          return writing;
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(S3StorageError);
      expect((error as S3StorageError).message).toBe(
        `S3 upload of s3://${BUCKET}/reports/acme/2024-10-21_2024-10-21/report.xlsx failed: AccessDenied (HTTP 403): Access Denied`,
      );
      expect((error as S3StorageError).cause).toBe(denied);
      await expect(writing).rejects.toThrow();
      expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
    });
  });

  describe('JSON documents', () => {
    it('are put as UTF-8 JSON and counted in bytes', async () => {
      s3.on(PutObjectCommand).resolves({});
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      const stored = await storage.saveJson(LOC, 'manifest', { status: 'stored', who: 'Пётр' });
      const [input] = putInputs();
      expect(input?.ContentType).toBe('application/json; charset=utf-8');
      expect(JSON.parse(String(input?.Body))).toEqual({ status: 'stored', who: 'Пётр' });
      expect(stored.bytes).toBe(Buffer.byteLength(String(input?.Body)));
    });

    it('load as null when the object does not exist', async () => {
      s3.on(GetObjectCommand).rejects(
        new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }),
      );
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      await expect(storage.loadJson(LOC, 'manifest')).resolves.toBeNull();
    });

    it('load back what was stored', async () => {
      s3.on(GetObjectCommand, { Key: 'reports/acme/2024-10-21_2024-10-21/summary.json' }).resolves({
        Body: body(Buffer.from(JSON.stringify({ total: 240 }))),
      });
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      await expect(storage.loadJson(LOC, 'summary')).resolves.toEqual({ total: 240 });
    });

    it('do not pass a missing bucket off as a missing document', async () => {
      const missing = s3Error('NoSuchBucket', 404, 'The specified bucket does not exist');
      s3.on(GetObjectCommand).rejects(missing);
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      const error = await storage.loadJson(LOC, 'manifest').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(S3StorageError);
      expect((error as Error).message).toBe(
        `S3 read of s3://${BUCKET}/reports/acme/2024-10-21_2024-10-21/manifest.json failed: NoSuchBucket (HTTP 404): The specified bucket does not exist`,
      );
      expect((error as Error).cause).toBe(missing);
    });

    it('fail a write with an error naming the object, the operation and the S3 error', async () => {
      const denied = s3Error('AccessDenied', 403, 'Access Denied');
      s3.on(PutObjectCommand).rejects(denied);
      const storage = new S3ReportStorage({ client, bucket: BUCKET });
      const error = await storage.saveJson(LOC, 'email', {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(S3StorageError);
      expect(error).toMatchObject({
        operation: 'write',
        bucket: BUCKET,
        key: 'reports/acme/2024-10-21_2024-10-21/email.json',
        cause: denied,
      });
      expect((error as Error).message).toBe(
        `S3 write of s3://${BUCKET}/reports/acme/2024-10-21_2024-10-21/email.json failed: AccessDenied (HTTP 403): Access Denied`,
      );
      expect((error as Error).message).not.toContain('\n');
    });
  });

  it('reads an object back as a Buffer', async () => {
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key: 'some/key.xlsx' }).resolves({
      Body: body(Buffer.from([0x50, 0x4b, 3, 4])),
    });
    const storage = new S3ReportStorage({ client, bucket: BUCKET });
    const bytes = await storage.readObject('some/key.xlsx');
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes).toEqual(Buffer.from([0x50, 0x4b, 3, 4]));
  });

  it('refuses a part size below S3 minimum of 5 MiB', () => {
    expect(() => new S3ReportStorage({ client, bucket: BUCKET, partSize: 1024 })).toThrow(/at least/);
  });
});

describe('Content-Disposition', () => {
  it('percent-encodes the UTF-8 name and keeps quotes out of the ASCII fallback', () => {
    expect(contentDisposition(`Отчёт "Я" (итог)'s.xlsx`)).toBe(
      `attachment; filename="Otchet _Ya_ (itog)'s.xlsx"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%20%22%D0%AF%22%20%28%D0%B8%D1%82%D0%BE%D0%B3%29%27s.xlsx`,
    );
  });

  it('falls back to underscores for characters it cannot transliterate', () => {
    expect(asciiFileName('通话 2024.xlsx')).toBe('__ 2024.xlsx');
    expect(asciiFileName('Calls 2024-10-21.xlsx')).toBe('Calls 2024-10-21.xlsx');
  });
});

describe('presignDownload', () => {
  // Default checksum settings (WHEN_SUPPORTED): the case where the SDK would add x-amz-checksum-mode.
  const client = new S3Client({
    region: 'eu-central-1',
    credentials: { accessKeyId: 'ASIAUNITTEST', secretAccessKey: 'secret', sessionToken: 'session-token' },
  });

  it('signs on host only, so a plain browser GET matches the signature', async () => {
    const url = new URL(
      await presignDownload(client, BUCKET, 'reports/acme/2024-10-21_2024-10-21/report.xlsx'),
    );
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
  });

  it('keeps the flexible-checksum header out of the URL and out of the signature', async () => {
    const url = await presignDownload(client, BUCKET, 'reports/x.xlsx');
    expect(url.toLowerCase()).not.toContain('x-amz-checksum-mode');
    expect(url.toLowerCase()).not.toContain('checksum');
  });

  it('lasts 300 seconds by default and as long as asked otherwise', async () => {
    const short = new URL(await presignDownload(client, BUCKET, 'k'));
    const long = new URL(await presignDownload(client, BUCKET, 'k', { expiresInSeconds: 900 }));
    expect(short.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(long.searchParams.get('X-Amz-Expires')).toBe('900');
  });

  it('encodes a key with spaces and Cyrillic in the path', async () => {
    const url = new URL(await presignDownload(client, BUCKET, 'reports/a b/Звонки.xlsx'));
    expect(url.hostname).toBe(`${BUCKET}.s3.eu-central-1.amazonaws.com`);
    expect(url.pathname).toBe('/reports/a%20b/%D0%97%D0%B2%D0%BE%D0%BD%D0%BA%D0%B8.xlsx');
  });

  it('refuses an expiry outside 1 second to 7 days', async () => {
    await expect(presignDownload(client, BUCKET, 'k', { expiresInSeconds: 0 })).rejects.toThrow(RangeError);
    await expect(presignDownload(client, BUCKET, 'k', { expiresInSeconds: 604_801 })).rejects.toThrow(
      RangeError,
    );
  });
});
