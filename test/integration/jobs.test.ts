/**
 * Nothing stuck: an on-demand job always ends as done or failed with the
 * reason in words, through the real handlers (simulator, s3rver, dynalite):
 * a worker out of time, a worker killed without a word, a failed invoke, and
 * another run making the same report (not a failure: the worker waits for it).
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoReportLock } from '../../functions/shared/adapters/aws/dynamo-lock.ts';
import { S3JobStore } from '../../functions/shared/adapters/aws/job-store.ts';
import { END_MARGIN_MS } from '../../functions/shared/lambda/budget.ts';
import { createWorkerRuntime } from '../../functions/shared/lambda/runtime.ts';
import { handleWorkerEvent } from '../../functions/shared/lambda/worker.ts';
import { claimKey } from '../../functions/shared/pipeline/claim.ts';
import type { Job } from '../../functions/shared/pipeline/jobs.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { apiEvent, type LambdaEnv, lambdaContext, metricsIn, startLambdaEnv } from '../support/lambda-env.ts';
import { steppedClock } from '../support/stepped-clock.ts';

let e: LambdaEnv;
beforeAll(async () => {
  e = await startLambdaEnv({
    simulator: {
      rows: generateCalls({ seed: 17, from: '2024-10-14', till: '2024-10-22', callsPerDay: 200 }),
    },
    subscriptions: [{ id: 'sales', recipients: ['head@example.com'] }],
  });
});
afterAll(async () => {
  await e.stop();
});

/** A Lambda context with `remainingMs` left in the invocation. */
const withTime = (name: string, remainingMs: number): Context => ({
  ...lambdaContext(name),
  getRemainingTimeInMillis: () => remainingMs,
});

async function queue(date: string): Promise<string> {
  const res = await e.api(apiEvent('POST', '/reports', { date }), lambdaContext('reports-api'));
  expect(res.statusCode).toBe(202);
  return (JSON.parse(res.body) as { id: string }).id;
}

async function read(
  id: string,
): Promise<{ status: string; error?: { message: string }; error_kind?: string }> {
  const res = await e.api(apiEvent('GET', '/reports/{id}', null, { id }), lambdaContext('reports-api'));
  expect(res.statusCode).toBe(200);
  return JSON.parse(res.body);
}

describe('an on-demand job never stays running or queued', () => {
  it('a worker out of time marks its job failed with the reason, within its own invocation', async () => {
    const id = await queue('2024-10-21');
    const at = e.logs.length;
    // One millisecond of run left after the margin kept to write the end.
    const result = await e.worker({ jobId: id }, withTime('report-worker', END_MARGIN_MS + 1));
    expect(result).toEqual({ status: 'failed', jobId: id });
    expect(await read(id)).toMatchObject({
      status: 'failed',
      error: {
        message:
          'The report did not finish within the 1 min the worker has, and was stopped; try a shorter period',
      },
      error_kind: 'out_of_time',
    });
    expect(metricsIn(e.logs.slice(at))).toMatchObject({ JobsFailed: 1 });
  });

  it('a worker killed without a word reads as failed once its timeout has passed, and asking again makes the report', async () => {
    const jobs = new S3JobStore({ client: e.s3.client, bucket: e.s3.bucket });
    const id = await queue('2024-10-20');
    const job = (await jobs.get(id)) as Job;
    // What a worker killed mid-run (out of memory) leaves: "running", last written 16 minutes ago.
    await jobs.put(
      Object.assign(job, { status: 'running', updated_at: new Date(Date.now() - 16 * 60_000).toISOString() }),
    );
    expect(await read(id)).toEqual(
      expect.objectContaining({
        status: 'failed',
        error: {
          message:
            'The report stopped after 15 minutes without finishing (the worker ran out of time or memory); try a shorter period, or ask again',
        },
        error_kind: 'out_of_time',
      }),
    );
    const again = await queue('2024-10-20');
    expect(await e.worker({ jobId: again }, lambdaContext('report-worker'))).toEqual({
      status: 'done',
      jobId: again,
    });
    expect((await read(again)).status).toBe('done');
  });

  it('a job whose subscription was removed since it was queued fails as subscription_gone', async () => {
    const jobs = new S3JobStore({ client: e.s3.client, bucket: e.s3.bucket });
    const id = await queue('2024-10-16');
    const job = (await jobs.get(id)) as Job;
    await jobs.put(Object.assign(job, { request: { ...job.request, subscription: 'removed' } }));
    expect(await e.worker({ jobId: id }, lambdaContext('report-worker'))).toEqual({
      status: 'failed',
      jobId: id,
    });
    const stored = (await jobs.get(id)) as Job;
    expect(stored).toMatchObject({
      status: 'failed',
      error: 'The subscription "removed" no longer exists',
      error_kind: 'subscription_gone',
      error_retry_at: null,
    });
  });

  it('a failed invoke marks the job failed, and POST says so with a 503 and Retry-After', async () => {
    e.lambdaMock
      .on(InvokeCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    const at = e.logs.length;
    const res = await e.api(
      apiEvent('POST', '/reports', { date: '2024-10-19' }),
      lambdaContext('reports-api'),
    );
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['Retry-After']).toBe('60');
    const body = JSON.parse(res.body) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('worker_unavailable');
    const id = /job ([0-9a-f-]{36})/.exec(body.error.message)?.[1] ?? '';
    expect(await read(id)).toMatchObject({
      status: 'failed',
      error: {
        message: 'The report could not be started (the worker did not take the job); ask for it again',
      },
      error_kind: 'internal',
    });
    expect(metricsIn(e.logs.slice(at))).toMatchObject({ ApiFailures: 1 });
    e.lambdaMock.on(InvokeCommand).resolves({ StatusCode: 202 });
  });
});

describe('another run making the same report', () => {
  const period = { from: '2024-10-18', till: '2024-10-18', timezone: 'Europe/Moscow' };

  /** The worker on a clock the test steps, with `remainingMs` left, while another run holds the claim. */
  async function busyWorker(date: string, remainingMs: number) {
    const id = await queue(date);
    const clock = steppedClock(Date.now());
    const rt = { ...createWorkerRuntime(e.env), clock, sleep: clock.sleep };
    const lock = new DynamoReportLock({ client: e.dynamo.client, table: e.dynamo.table });
    const key = claimKey('sales', { ...period, from: date, till: date });
    const other = (await lock.acquire(key, 10 * 60_000)) ?? '';
    expect(other).not.toBe('');
    const running = handleWorkerEvent({ jobId: id }, rt, { getRemainingTimeInMillis: () => remainingMs });
    // Parked: the worker's watchdog and its wait for the other run.
    await clock.until(() => clock.parked === 2);
    return { id, clock, running, freeClaim: () => lock.release(key, other) };
  }

  it('is not a failure: the worker waits, and once the other run is done it finds the report and is done', async () => {
    const w = await busyWorker('2024-10-18', 15 * 60_000);
    expect((await read(w.id)).status).toBe('running');
    await w.freeClaim();
    w.clock.advance();
    expect(await w.running).toEqual({ status: 'done', jobId: w.id });
    expect((await read(w.id)).status).toBe('done');
  });

  it('still at it when the worker’s time runs out: failed, saying so, not "running"', async () => {
    const w = await busyWorker('2024-10-17', END_MARGIN_MS + 60_000);
    w.clock.advance(); // 30 s: still busy, and another wait would pass the budget
    expect(await w.running).toEqual({ status: 'failed', jobId: w.id });
    expect((await read(w.id)).error?.message).toBe(
      'Another run was still making this report after the 1 min the worker has; ask again in a few minutes',
    );
    expect((await read(w.id)).error_kind).toBe('busy');
    await w.freeClaim();
  });
});
