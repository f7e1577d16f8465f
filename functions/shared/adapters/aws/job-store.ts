/**
 * The job store on S3: on-demand report jobs (pipeline/jobs.ts) kept as small
 * JSON objects in the reports bucket (`jobs/<id>.json`, server-side encrypted,
 * expired by a lifecycle rule).
 */
import {
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { JOB_ID_RE, type Job, type JobStore } from '../../pipeline/jobs.ts';

export class S3JobStore implements JobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly sse: { ServerSideEncryption: ServerSideEncryption };

  constructor(opts: { client: S3Client; bucket: string }) {
    this.client = opts.client;
    this.bucket = opts.bucket;
    this.sse = { ServerSideEncryption: 'AES256' };
  }

  private key(id: string): string {
    return `jobs/${id}.json`;
  }

  async put(job: Job): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key(job.id),
        Body: JSON.stringify(job),
        ContentType: 'application/json; charset=utf-8',
        ...this.sse,
      }),
    );
  }

  async get(id: string): Promise<Job | null> {
    if (!JOB_ID_RE.test(id)) return null;
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(id) }));
      return JSON.parse((await res.Body?.transformToString()) ?? 'null') as Job | null;
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return null;
      throw err;
    }
  }
}
