/**
 * The pipeline's report storage on S3. One report (subscription + period) has
 * one folder with fixed names, so a re-run overwrites it instead of piling up:
 *
 *   <prefix><subscription>/<from>_<till>/report.xlsx     the workbook
 *                                       /summary.json    the figures
 *                                       /manifest.json   what happened to it
 *                                       /email.json      the email as sent
 *
 * A partial report (made before its period ended) has its own folder beside
 * it, named by its `as_of`: `<from>_<till>_as-of_<YYYY-MM-DD>_<hh-mm-ss>/`, so
 * two partial runs never collide and neither touches the whole period's. A
 * report in another language or with other settings ends its folder name with
 * `_<variant>` (pipeline/location.ts), so the ru and en reports of one day
 * never overwrite each other.
 *
 * Every object is encrypted at rest (SSE-KMS with the given key, else SSE-S3).
 * The workbook streams up through `@aws-sdk/lib-storage` in parts, so memory
 * stays at a few parts whatever its size. The S3 client is passed in (the
 * handler or the CLI builds it), never constructed here.
 */
import { createHash } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  GetObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { variantSuffix } from '../../pipeline/location.ts';
import type { JsonDocument, ReportLocation, ReportStorage, StoredObject } from '../../pipeline/ports.ts';
import { contentDispositionFileName, transliterate } from '../../report/format.ts';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
export const DEFAULT_PREFIX = 'reports/';
/** S3's smallest part (except the last one). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** Parts in flight at once: memory is about (queue + 1) parts. */
export const UPLOAD_QUEUE_SIZE = 2;

/** The objects kept for one report. */
export type ReportObject = 'workbook' | JsonDocument;

const OBJECT_FILE: Record<ReportObject, string> = {
  workbook: 'report.xlsx',
  summary: 'summary.json',
  manifest: 'manifest.json',
  email: 'email.json',
};

export interface S3ReportStorageOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix, default `reports/`; a missing trailing `/` is added. */
  prefix?: string;
  /** A KMS key id or ARN: objects use SSE-KMS with it. Without it, SSE-S3 (AES256). */
  kmsKeyId?: string;
  /** Multipart part size in bytes, at least 5 MiB (the default). */
  partSize?: number;
}

/** An S3 call that failed, saying what and on which object; the SDK error is the `cause`. */
export class S3StorageError extends Error {
  override readonly name = 'S3StorageError';
  readonly operation: string;
  readonly bucket: string;
  readonly key: string;

  constructor(operation: string, bucket: string, key: string, cause: unknown, reason = describeError(cause)) {
    super(`S3 ${operation} of s3://${bucket}/${key} failed: ${reason}`, { cause });
    this.operation = operation;
    this.bucket = bucket;
    this.key = key;
  }
}

export class S3ReportStorage implements ReportStorage {
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly kmsKeyId: string | undefined;
  private readonly partSize: number;

  constructor(options: S3ReportStorageOptions) {
    if (!options.bucket) throw new Error('S3ReportStorage needs a bucket name');
    const partSize = options.partSize ?? MIN_PART_SIZE;
    if (!Number.isInteger(partSize) || partSize < MIN_PART_SIZE) {
      throw new RangeError(`The S3 part size must be a whole number of bytes, at least ${MIN_PART_SIZE}`);
    }
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = normalisePrefix(options.prefix ?? DEFAULT_PREFIX);
    this.kmsKeyId = options.kmsKeyId || undefined;
    this.partSize = partSize;
  }

  /** The key of one object of a report. */
  keyFor(loc: ReportLocation, object: ReportObject): string {
    return reportKey(loc, object, this.prefix);
  }

  /** Server-side encryption parameters carried by every write. */
  encryption(): { ServerSideEncryption: ServerSideEncryption; SSEKMSKeyId?: string } {
    return this.kmsKeyId
      ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.kmsKeyId }
      : { ServerSideEncryption: 'AES256' };
  }

  async saveWorkbook(
    loc: ReportLocation,
    fileName: string,
    write: (out: NodeJS.WritableStream) => Promise<void>,
  ): Promise<StoredObject> {
    const key = this.keyFor(loc, 'workbook');
    // `body` is what the upload reads; `out` is what the writer gets. `out`
    // forwards into `body` with backpressure but does not end it: only a write
    // that resolved ends the body, so a writer that ends its stream and then
    // fails still stores nothing.
    const body = new PassThrough();
    let bytes = 0;
    const out = forwardInto(body, (n) => {
      bytes += n;
    });
    // The writer reports its own failures through its promise.
    out.on('error', () => {});

    const upload = new Upload({
      client: this.client,
      queueSize: UPLOAD_QUEUE_SIZE,
      partSize: this.partSize,
      leavePartsOnError: false,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: XLSX_CONTENT_TYPE,
        ContentDisposition: contentDisposition(fileName),
        ...this.encryption(),
      },
    });
    // Settles early only when the upload fails: then the streams are torn
    // down so that a writer waiting on backpressure wakes up with an error.
    const uploading = upload.done().then(
      () => undefined,
      (err: unknown) => {
        const failure = new S3StorageError('upload', this.bucket, key, err);
        body.destroy();
        out.destroy(failure);
        throw failure;
      },
    );
    uploading.catch(() => {});

    try {
      const writing = Promise.resolve().then(() => write(out));
      writing.catch(() => {});
      await Promise.race([writing, uploading]);
      await Promise.race([endWritable(out), uploading]);
    } catch (err) {
      // Failing the body makes lib-storage stop reading, never complete the
      // object, and abort a multipart upload it has started; wait for that.
      if (!body.destroyed) body.destroy(err instanceof Error ? err : new Error(String(err)));
      out.destroy();
      await uploading.catch(() => {});
      throw err;
    }
    body.end();
    await uploading;
    return { key, location: this.location(key), bytes };
  }

  async saveJson(loc: ReportLocation, doc: JsonDocument, value: unknown): Promise<StoredObject> {
    const key = this.keyFor(loc, doc);
    const text = JSON.stringify(value, null, 2);
    if (text === undefined) throw new TypeError(`Cannot store ${String(value)} as the ${doc} JSON`);
    const body = `${text}\n`;
    const input: PutObjectCommandInput = {
      Bucket: this.bucket,
      Key: key,
      Body: body,
      ContentType: JSON_CONTENT_TYPE,
      ...this.encryption(),
    };
    try {
      await this.client.send(new PutObjectCommand(input));
    } catch (err) {
      throw new S3StorageError('write', this.bucket, key, err);
    }
    return { key, location: this.location(key), bytes: Buffer.byteLength(body) };
  }

  async loadJson<T>(loc: ReportLocation, doc: JsonDocument): Promise<T | null> {
    const key = this.keyFor(loc, doc);
    let bytes: Buffer;
    try {
      bytes = await this.getBytes(key);
    } catch (err) {
      if (isNoSuchKey(err)) return null;
      throw new S3StorageError('read', this.bucket, key, err);
    }
    try {
      return JSON.parse(bytes.toString('utf8')) as T;
    } catch (err) {
      throw new S3StorageError('read', this.bucket, key, err, `not valid JSON (${describeError(err)})`);
    }
  }

  async readObject(key: string): Promise<Buffer> {
    try {
      return await this.getBytes(key);
    } catch (err) {
      throw new S3StorageError('read', this.bucket, key, err);
    }
  }

  private async getBytes(key: string): Promise<Buffer> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!res.Body) throw new Error('the response had no body');
    const bytes = await res.Body.transformToByteArray();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private location(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }
}

/**
 * The key of one object of a report:
 * `<prefix><subscription>/<from>_<till>[_as-of_<YYYY-MM-DD>_<hh-mm-ss>][_<variant>]/<report.xlsx|summary.json|manifest.json|email.json>`
 * (the `as-of` part for a partial report only, the variant for a report not in
 * the default language and settings).
 */
export function reportKey(
  loc: ReportLocation,
  object: ReportObject,
  prefix: string = DEFAULT_PREFIX,
): string {
  const { from, till } = loc.period;
  for (const day of [from, till]) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`Bad report period day "${day}"`);
  }
  const folder = `${from}_${till}${asOfSuffix(loc.as_of)}${variantSuffix(loc.variant)}`;
  return `${normalisePrefix(prefix)}${keySafeSubscription(loc.subscription)}/${folder}/${OBJECT_FILE[object]}`;
}

/** `_as-of_<YYYY-MM-DD>_<hh-mm-ss>` for a partial report's `as_of`, `` for a whole one. */
function asOfSuffix(asOf: string | null | undefined): string {
  if (asOf === null || asOf === undefined) return '';
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(asOf)) {
    throw new RangeError(`Bad report as_of "${asOf}": expected YYYY-MM-DD hh:mm:ss`);
  }
  return `_as-of_${asOf.replace(' ', '_').replaceAll(':', '-')}`;
}

/**
 * The subscription as one key segment of letters, digits, `-` and `_`.
 * Cyrillic is transliterated; when anything had to change, 8 hex digits of the
 * original's SHA-256 are appended so that two subscriptions that differ only
 * in the replaced characters (`a b`, `a/b`) never share a folder.
 */
export function keySafeSubscription(subscription: string): string {
  if (subscription.trim() === '') throw new RangeError('The report subscription is empty');
  if (/^[A-Za-z0-9_-]{1,64}$/.test(subscription)) return subscription;
  const base = transliterate(subscription)
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  const hash = createHash('sha256').update(subscription, 'utf8').digest('hex').slice(0, 8);
  return base ? `${base}-${hash}` : hash;
}

/**
 * `attachment; filename="<ASCII>"; filename*=UTF-8''<percent-encoded UTF-8>`
 * (RFC 6266 / RFC 8187), with the same file name parameters as the email's
 * attachment (`contentDispositionFileName` in report/format.ts).
 */
export function contentDisposition(fileName: string): string {
  return `attachment; ${contentDispositionFileName(fileName)}`;
}

function normalisePrefix(prefix: string): string {
  const p = prefix.replace(/^\/+/, '');
  return p === '' || p.endsWith('/') ? p : `${p}/`;
}

/** A Writable that forwards into `target` with its backpressure, and never ends it. */
function forwardInto(target: PassThrough, counted: (bytes: number) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (target.destroyed) {
        callback(new Error('The upload stream is closed'));
        return;
      }
      counted(chunk.length);
      if (target.write(chunk)) {
        callback();
        return;
      }
      const settle = (err?: Error): void => {
        target.off('drain', onDrain);
        target.off('close', onClose);
        callback(err);
      };
      const onDrain = (): void => settle();
      const onClose = (): void => settle(new Error('The upload stream closed'));
      target.on('drain', onDrain);
      target.on('close', onClose);
    },
    final(callback) {
      callback();
    },
  });
}

/** Ends `out` unless the writer did, and waits until everything written was forwarded. */
async function endWritable(out: Writable): Promise<void> {
  if (!out.writableEnded) out.end();
  if (!out.writableFinished) await finished(out);
}

function isNoSuchKey(err: unknown): boolean {
  const e = err as { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.name === 'NoSuchKey') return true;
  return e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket';
}

/** One line on what went wrong: the S3 error code and HTTP status, or the network error. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { code?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = e.$metadata?.httpStatusCode;
  const message = e.message || (err instanceof AggregateError ? describeAggregate(err) : '');
  const code = typeof e.code === 'string' ? e.code : undefined;
  const parts: string[] = [];
  if (typeof status === 'number') {
    parts.push(`${e.name} (HTTP ${status})`);
    if (message && message !== e.name && message !== 'UnknownError') parts.push(message);
  } else {
    if (code && !message.includes(code)) parts.push(code);
    parts.push(message || e.name);
  }
  return parts.join(': ');
}

function describeAggregate(err: AggregateError): string {
  return err.errors.map((inner) => (inner instanceof Error ? inner.message : String(inner))).join('; ');
}
