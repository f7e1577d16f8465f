/**
 * The job store on S3: on-demand report jobs (pipeline/jobs.ts) kept as small
 * JSON objects in the reports bucket (`jobs/<id>.json`, server-side encrypted,
 * expired by a lifecycle rule).
 *
 * Writes are conditional (S3 conditional writes): a new job with
 * `If-None-Match: *`, an update with `If-Match` on the ETag this store read or
 * wrote for that job object, so an update made meanwhile by the API or another
 * worker is never overwritten (JobConflictError instead). A record that is not
 * a job (corrupt, truncated) reads as JobUnreadableError, never as a crash.
 */
import {
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import * as z from 'zod';
import {
  JOB_ID_RE,
  type Job,
  JobConflictError,
  type JobStore,
  JobUnreadableError,
} from '../../pipeline/jobs.ts';

/** The fields every reader relies on; the rest passes through as stored. */
const storedJobSchema = z.looseObject({
  id: z.string().regex(JOB_ID_RE),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  request: z.looseObject({
    subscription: z.string(),
    period: z.looseObject({ from: z.string(), till: z.string(), timezone: z.string() }),
  }),
  created_at: z.string(),
  updated_at: z.string(),
});

export class S3JobStore implements JobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly sse: { ServerSideEncryption: ServerSideEncryption };
  /** The ETag of each job object as this store last read or wrote it. */
  private readonly etags = new WeakMap<Job, string>();

  constructor(opts: { client: S3Client; bucket: string }) {
    this.client = opts.client;
    this.bucket = opts.bucket;
    this.sse = { ServerSideEncryption: 'AES256' };
  }

  private key(id: string): string {
    return `jobs/${id}.json`;
  }

  async put(job: Job): Promise<void> {
    const etag = this.etags.get(job);
    try {
      const res = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key(job.id),
          Body: JSON.stringify(job),
          ContentType: 'application/json; charset=utf-8',
          ...(etag === undefined ? { IfNoneMatch: '*' } : { IfMatch: etag }),
          ...this.sse,
        }),
      );
      if (res.ETag) this.etags.set(job, res.ETag);
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode;
      // 412: the condition failed; 409: a concurrent conditional write of the same key won.
      if (e.name === 'PreconditionFailed' || status === 412 || status === 409) {
        throw new JobConflictError(job.id);
      }
      throw err;
    }
  }

  async get(id: string): Promise<Job | null> {
    if (!JOB_ID_RE.test(id)) return null;
    let text: string;
    let etag: string | undefined;
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(id) }));
      text = (await res.Body?.transformToString()) ?? '';
      etag = res.ETag;
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return null;
      throw err;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new JobUnreadableError(id, 'it is not JSON');
    }
    const parsed = storedJobSchema.safeParse(value);
    if (!parsed.success || parsed.data.id !== id) throw new JobUnreadableError(id, 'it is not a job record');
    const job = parsed.data as unknown as Job;
    if (etag) this.etags.set(job, etag);
    return job;
  }
}
