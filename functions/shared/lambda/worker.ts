/**
 * The report worker: runs one queued job of the Reports API (asynchronous
 * invocation with `{"jobId": "<uuid>"}`), keeping the job's status true:
 * queued → running → done | failed. A job that fails is marked failed with the
 * reason in words and the invocation ends normally: a person sees the reason at
 * GET /reports/{id} and may ask again (the stored report makes a retry cheap).
 * A duplicate delivery of a finished job does nothing.
 */
import * as z from 'zod';
import { describeIssues } from '../config.ts';
import { JOB_ID_RE, type Job, type JobStore } from '../pipeline/jobs.ts';
import { MetricUnit } from './observability.ts';
import { type RejectedEvent, rejectEvent } from './reject-event.ts';
import { findSubscription, type ReportRuntime, runSubscriptionReport } from './report-runner.ts';

export const workerEventSchema = z
  .object({ jobId: z.string().regex(JOB_ID_RE, 'must be a job id (uuid)') })
  .strict();

export type WorkerResult = RejectedEvent | { status: Job['status']; jobId: string };

/** What the worker builds once per container: a report runtime and the job store. */
export type WorkerRuntime = ReportRuntime & { jobs: JobStore };

export async function handleWorkerEvent(event: unknown, rt: WorkerRuntime): Promise<WorkerResult> {
  const parsed = workerEventSchema.safeParse(event);
  if (!parsed.success) return rejectEvent(rt, `Invalid worker event: ${describeIssues(parsed.error)}`);
  const job = await rt.jobs.get(parsed.data.jobId);
  if (!job) return rejectEvent(rt, `Job ${parsed.data.jobId} does not exist`);
  if (job.status === 'done' || job.status === 'failed') {
    rt.logger.info('Job already finished; nothing to do', { jobId: job.id, status: job.status });
    return { status: job.status, jobId: job.id };
  }
  const { period } = job.request;
  rt.logger.appendKeys({
    subscription: job.request.subscription,
    period: `${period.from}..${period.till}`,
    jobId: job.id,
  });
  const save = (patch: Partial<Job>) =>
    rt.jobs.put(Object.assign(job, patch, { updated_at: new Date(rt.clock.now()).toISOString() }));

  const sub = findSubscription(rt.config, job.request.subscription);
  if (!sub) {
    await save({
      status: 'failed',
      error: `The subscription "${job.request.subscription}" no longer exists`,
    });
    return { status: 'failed', jobId: job.id };
  }
  await save({ status: 'running', error: null });
  try {
    const result = await runSubscriptionReport(rt, {
      subscription: sub,
      period,
      language: job.request.language,
      email: job.request.email,
      force: job.request.force,
      ...(job.request.working_hours === undefined ? {} : { workingHours: job.request.working_hours }),
    });
    await save({
      status: 'done',
      result: {
        workbook_key: result.manifest.workbook.key,
        summary_key: result.manifest.summary.key,
        outcome: result.outcome,
      },
    });
    return { status: 'done', jobId: job.id };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    rt.logger.error('Job failed', { reason });
    rt.metrics.addMetric('JobsFailed', MetricUnit.Count, 1);
    await save({ status: 'failed', error: reason });
    return { status: 'failed', jobId: job.id };
  }
}
