/**
 * The report worker: runs one queued job of the Reports API (asynchronous
 * invocation with `{"jobId": "<uuid>"}`), keeping the job's status true:
 * queued → running → done | failed. A job that fails is marked failed with the
 * reason in words and its kind (pipeline/failure.ts, from the error's class),
 * and the invocation ends normally: a person sees the reason at
 * GET /reports/{id} and may ask again (the stored report makes a retry cheap).
 * A duplicate delivery of a finished job does nothing.
 *
 * Nothing stays "running": the run's deadlines come from the time the
 * invocation has left (budget.ts), so a report too long for the worker ends
 * as failed ("try a shorter period") before Lambda's timeout, which would
 * write nothing; a kill that writes nothing (out of memory) reads as failed
 * once the timeout has passed (jobAsSeen, pipeline/jobs.ts). Another run
 * making the same report is not a failure: the worker waits for it and then
 * finds the report made. Job writes are conditional (JobStore): a job the API
 * or another delivery changed meanwhile is left as they wrote it.
 */
import * as z from 'zod';
import { describeIssues } from '../config.ts';
import { sleep as timerSleep } from '../dataapi/rpc/throttle.ts';
import { ReportInProgressError } from '../pipeline/claim.ts';
import { classifyFailure, type Failure, failureFields } from '../pipeline/failure.ts';
import {
  JOB_ID_RE,
  type Job,
  JobConflictError,
  type JobStore,
  JobUnreadableError,
} from '../pipeline/jobs.ts';
import { END_MARGIN_MS, type InvocationTime, NO_CONTEXT, runBudget } from './budget.ts';
import { MetricUnit } from './observability.ts';
import { type RejectedEvent, rejectEvent } from './reject-event.ts';
import { findEntry, type ReportRuntime, runSubscriptionReport } from './report-runner.ts';

export const workerEventSchema = z
  .object({ jobId: z.string().regex(JOB_ID_RE, 'must be a job id (uuid)') })
  .strict();

export type WorkerResult = RejectedEvent | { status: Job['status']; jobId: string };

/** What the worker builds once per container: a report runtime and the job store. */
export type WorkerRuntime = ReportRuntime & { jobs: JobStore };

/** How long the worker waits between tries while another run makes the same report. */
export const BUSY_WAIT_MS = 30_000;

/** The run ended because its budget did: the reason a person reads, and its kind. */
class OutOfTime extends Error {
  readonly kind: 'out_of_time' | 'busy';
  constructor(message: string, kind: 'out_of_time' | 'busy' = 'out_of_time') {
    super(message);
    this.kind = kind;
  }
}

export async function handleWorkerEvent(
  event: unknown,
  rt: WorkerRuntime,
  context: InvocationTime = NO_CONTEXT,
): Promise<WorkerResult> {
  const budget = runBudget(context.getRemainingTimeInMillis());
  const parsed = workerEventSchema.safeParse(event);
  if (!parsed.success) return rejectEvent(rt, `Invalid worker event: ${describeIssues(parsed.error)}`);
  let job: Job | null;
  try {
    job = await rt.jobs.get(parsed.data.jobId);
  } catch (err) {
    if (err instanceof JobUnreadableError) return rejectEvent(rt, err.message);
    throw err;
  }
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
  const current = job;
  const save = async (patch: Partial<Job>): Promise<boolean> => {
    try {
      await rt.jobs.put(
        Object.assign(current, patch, { updated_at: new Date(rt.clock.now()).toISOString() }),
      );
      return true;
    } catch (err) {
      if (!(err instanceof JobConflictError)) throw err;
      rt.logger.warn('Job changed by another writer; left as it is', { jobId: current.id });
      return false;
    }
  };
  const fail = async (reason: string, failure: Failure): Promise<WorkerResult> => {
    rt.logger.error('Job failed', { reason, kind: failure.kind });
    rt.metrics.addMetric('JobsFailed', MetricUnit.Count, 1);
    await save({ status: 'failed', error: reason, ...failureFields(failure) });
    return { status: 'failed', jobId: current.id };
  };

  const entry = await findEntry(rt, job.request.subscription);
  if (!entry) {
    return fail(`The subscription "${job.request.subscription}" no longer exists`, {
      kind: 'subscription_gone',
      retryAt: null,
    });
  }
  const sub = entry.subscription;
  if (!(await save({ status: 'running', error: null }))) {
    const stored = await rt.jobs.get(current.id);
    return { status: stored?.status ?? current.status, jobId: current.id };
  }
  const minutes = Math.max(1, Math.round((budget.runMs + END_MARGIN_MS) / 60_000));
  const outOfTime = `The report did not finish within the ${minutes} min the worker has, and was stopped; try a shorter period`;
  const wait = rt.sleep ?? timerSleep;
  const ends = rt.clock.now() + budget.runMs;
  const run = async () => {
    for (;;) {
      try {
        return await runSubscriptionReport(rt, {
          subscription: sub,
          account: entry.account,
          priority: 'on-demand',
          period,
          language: current.request.language,
          email: current.request.email,
          force: current.request.force,
          ...(current.request.working_hours === undefined
            ? {}
            : { workingHours: current.request.working_hours }),
          // A bot command's job: the report's message goes to the chat that asked (http/telegram-webhook.ts).
          ...(current.request.reply_to ? { telegram: [current.request.reply_to] } : {}),
          deadlineMs: Math.max(1, budget.fetchMs - (budget.runMs - (ends - rt.clock.now()))),
        });
      } catch (err) {
        // Another run makes this very report now: wait for it, then this run finds it made.
        if (!(err instanceof ReportInProgressError)) throw err;
        if (rt.clock.now() + BUSY_WAIT_MS >= ends) {
          throw new OutOfTime(
            `Another run was still making this report after the ${minutes} min the worker has; ask again in a few minutes`,
            'busy',
          );
        }
        rt.logger.info('Another run is making this report; waiting for it');
        await wait(BUSY_WAIT_MS);
      }
    }
  };
  const stopWatch = new AbortController();
  const watchdog = wait(Math.max(0, ends - rt.clock.now()), stopWatch.signal).then(
    () => {
      throw new OutOfTime(outOfTime);
    },
    () => new Promise<never>(() => {}),
  );
  try {
    const result = await Promise.race([run(), watchdog]);
    await save({
      status: 'done',
      result: {
        workbook_key: result.manifest.workbook.key,
        summary_key: result.manifest.summary.key,
        outcome: result.outcome,
      },
    });
    return { status: 'done', jobId: current.id };
  } catch (err) {
    if (err instanceof OutOfTime) return fail(err.message, { kind: err.kind, retryAt: null });
    // The fetch's own deadline (its share of the budget) ran out: say so, not the last error it saw.
    const fetchDeadline = ends - budget.runMs + budget.fetchMs;
    if ((err as { mnemonic?: string }).mnemonic === 'deadline_exceeded' && rt.clock.now() >= fetchDeadline) {
      return fail(outOfTime, { kind: 'out_of_time', retryAt: null });
    }
    return fail(err instanceof Error ? err.message : String(err), classifyFailure(err, rt.clock.now()));
  } finally {
    stopWatch.abort();
  }
}
