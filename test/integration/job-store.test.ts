/**
 * S3JobStore against s3rver (with S3's conditional writes modelled,
 * test/support/s3-conditional-puts.ts): job writes are conditional, so the
 * API and the worker never lose each other's update, and a record that is
 * not a job reads as one clear error.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3JobStore } from '../../functions/shared/adapters/aws/job-store.ts';
import { type Job, JobConflictError, JobUnreadableError } from '../../functions/shared/pipeline/jobs.ts';
import { makeJob } from '../support/jobs.ts';
import { type LocalS3, startS3rver } from '../support/s3rver.ts';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startS3rver();
});
afterAll(async () => {
  await s3.dispose();
});

let n = 0;
function newJob(): Job {
  n++;
  return makeJob({ id: `0b8a4a35-6c1e-4c6f-9e63-2b2f0d6f8a${String(n).padStart(2, '0')}` });
}
const store = () => new S3JobStore({ client: s3.client, bucket: s3.bucket });

describe('conditional job writes', () => {
  it('refuses a new job whose id is taken', async () => {
    const job = newJob();
    await store().put(job);
    await expect(store().put({ ...job })).rejects.toBeInstanceOf(JobConflictError);
  });

  it('lets a writer update the job it read, again and again (it keeps the version it wrote)', async () => {
    const job = newJob();
    await store().put(job);
    const s = store();
    const read = (await s.get(job.id)) as Job;
    await s.put(Object.assign(read, { status: 'running' }));
    await s.put(Object.assign(read, { status: 'done' }));
    expect((await store().get(job.id))?.status).toBe('done');
  });

  it('keeps the first of two writers that read the same version: the second gets JobConflictError', async () => {
    const job = newJob();
    await store().put(job);
    const [api, worker] = [store(), store()];
    const apiCopy = (await api.get(job.id)) as Job;
    const workerCopy = (await worker.get(job.id)) as Job;
    await api.put(Object.assign(apiCopy, { status: 'failed', error: 'The report could not be started' }));
    const err = await worker.put(Object.assign(workerCopy, { status: 'running' })).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(JobConflictError);
    expect((err as Error).message).toBe(
      `The job ${job.id} was changed by another writer since it was read; nothing was written`,
    );
    expect(await store().get(job.id)).toMatchObject({ status: 'failed' });
  });

  it('of two writers at the same moment, exactly one wins', async () => {
    const job = newJob();
    await store().put(job);
    const writers = [store(), store(), store()];
    const copies = await Promise.all(writers.map((w) => w.get(job.id) as Promise<Job>));
    const results = await Promise.allSettled(
      writers.map((w, i) => w.put(Object.assign(copies[i] as Job, { error: `writer ${i}` }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(JobConflictError);
  });
});

describe('a job record that is not a job', () => {
  const putRaw = (id: string, body: string) =>
    s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `jobs/${id}.json`, Body: body }));

  it.each([
    ['truncated JSON', (job: Job) => JSON.stringify(job).slice(0, 40), 'it is not JSON'],
    ['not a job', () => '{"hello": "world"}', 'it is not a job record'],
    ['JSON null', () => 'null', 'it is not a job record'],
    [
      'an unknown status',
      (job: Job) => JSON.stringify({ ...job, status: 'exploded' }),
      'it is not a job record',
    ],
    [
      'another job’s record',
      (job: Job) => JSON.stringify({ ...job, id: newJob().id }),
      'it is not a job record',
    ],
  ])('reads %s as JobUnreadableError, saying why', async (_what, body, why) => {
    const job = newJob();
    const id = job.id;
    await putRaw(id, body(job));
    const err = await store()
      .get(id)
      .catch((x: unknown) => x);
    expect(err).toBeInstanceOf(JobUnreadableError);
    expect((err as Error).message).toBe(
      `The record of job ${id} cannot be read (${why}); ask for the report again`,
    );
  });
});
