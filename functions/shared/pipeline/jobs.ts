/**
 * On-demand report jobs: the record the Reports API queues and the worker runs
 * (queued → running → done | failed), and the two ports around it, the job
 * store and the worker's starter. They are pipeline-level types, beside
 * ports.ts, because three rooms share them: the HTTP room writes and reads
 * jobs, the Lambda worker runs them, and adapters/aws implements the ports
 * (S3JobStore, LambdaWorkerInvoker). runReport itself never sees a job.
 */
import type { Language } from '../language.ts';
import type { FailureKind } from '../report/i18n/failure-kinds.ts';
import type { Period } from '../time.ts';
import type { TelegramChat } from './ports.ts';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobRequest {
  subscription: string;
  period: Period;
  language: Language;
  email: boolean;
  force: boolean;
  /**
   * The working hours of this report in their normal text form, or null for
   * none: the body's `working_hours`, else the subscription's, resolved when the
   * job is queued. Absent in jobs queued before working hours existed: the
   * worker then takes the subscription's.
   */
  working_hours?: string | null;
  /**
   * The Telegram chat a bot command asked in (http/telegram-webhook.ts): the
   * worker posts the report's message there, as the run's one chat. Absent for
   * every other job.
   */
  reply_to?: TelegramChat;
}

export interface Job {
  id: string;
  status: JobStatus;
  request: JobRequest;
  created_at: string;
  updated_at: string;
  /** When done: where the report is. */
  result: { workbook_key: string; summary_key: string; outcome: string } | null;
  /** When failed: what went wrong, in words. */
  error: string | null;
  /**
   * When failed: the reason's kind (pipeline/failure.ts), which the pages put
   * in plain words. Meaningful only while the job is failed; absent in jobs
   * that failed before kinds existed (they read as `internal`).
   */
  error_kind?: FailureKind | null;
  /** When failed on the Data API's quota: when it resets (ISO), if known. */
  error_retry_at?: string | null;
}

/**
 * Job writes are conditional, so the API and the worker never lose each
 * other's update: `put` of a job object this store has not read (a new job)
 * succeeds only when no job of its id exists, and `put` of one it has read (or
 * written) only while the stored job is still the one it read; otherwise it
 * throws JobConflictError and writes nothing. Re-read the job and decide again.
 */
export interface JobStore {
  put(job: Job): Promise<void>;
  /** The job, or null when there is none with this id (or the id is not a job id). */
  get(id: string): Promise<Job | null>;
}

/** The stored job changed since this writer read it (or a new job's id is taken): nothing was written. */
export class JobConflictError extends Error {
  constructor(id: string) {
    super(`The job ${id} was changed by another writer since it was read; nothing was written`);
    this.name = 'JobConflictError';
  }
}

/** The job's stored record cannot be read as a job (corrupt or not a job). */
export class JobUnreadableError extends Error {
  constructor(id: string, why: string) {
    super(`The record of job ${id} cannot be read (${why}); ask for the report again`);
    this.name = 'JobUnreadableError';
  }
}

/** The worker's timeout (infra/stack.ts gives the report worker 15 minutes). */
export const WORKER_TIMEOUT_MS = 15 * 60_000;

/**
 * How long a job may stay queued: Lambda keeps an asynchronous event for at
 * most the worker's maximum event age (6 hours, infra/stack.ts), and one try
 * of it lasts at most the worker's timeout.
 */
export const QUEUED_AT_MOST_MS = 6 * 60 * 60_000 + WORKER_TIMEOUT_MS;

/**
 * The job as a reader should see it: one still "running" longer than the
 * worker's timeout (and a minute) after its last update was stopped (a
 * timeout or out of memory, which write nothing), and one still "queued"
 * past the event's maximum age never started. Both read as failed with the
 * reason in words; a new POST /reports of the same period is the retry.
 */
export function jobAsSeen(job: Job, now: number, workerTimeoutMs: number = WORKER_TIMEOUT_MS): Job {
  const since = now - Date.parse(job.updated_at);
  if (job.status === 'running' && !(since <= workerTimeoutMs + 60_000)) {
    const minutes = Math.round(workerTimeoutMs / 60_000);
    return {
      ...job,
      status: 'failed',
      error: `The report stopped after ${minutes} minutes without finishing (the worker ran out of time or memory); try a shorter period, or ask again`,
      error_kind: 'out_of_time',
      error_retry_at: null,
    };
  }
  if (job.status === 'queued' && !(since <= QUEUED_AT_MOST_MS)) {
    return {
      ...job,
      status: 'failed',
      error: 'The report never started; ask for it again',
      error_kind: 'internal',
      error_retry_at: null,
    };
  }
  return job;
}

/** Starts the worker for a queued job, asynchronously (the caller does not wait for the report). */
export interface WorkerInvoker {
  start(jobId: string): Promise<void>;
}

/** A job id: the lowercase uuid POST /reports answers. */
export const JOB_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
