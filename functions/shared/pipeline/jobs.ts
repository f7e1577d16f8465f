/**
 * On-demand report jobs: the record the Reports API queues and the worker runs
 * (queued → running → done | failed), and the two ports around it, the job
 * store and the worker's starter. They are pipeline-level types, beside
 * ports.ts, because three rooms share them: the HTTP room writes and reads
 * jobs, the Lambda worker runs them, and adapters/aws implements the ports
 * (S3JobStore, LambdaWorkerInvoker). runReport itself never sees a job.
 */
import type { Language } from '../language.ts';
import type { Period } from '../time.ts';

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
}

export interface JobStore {
  put(job: Job): Promise<void>;
  /** The job, or null when there is none with this id (or the id is not a job id). */
  get(id: string): Promise<Job | null>;
}

/** Starts the worker for a queued job, asynchronously (the caller does not wait for the report). */
export interface WorkerInvoker {
  start(jobId: string): Promise<void>;
}

/** A job id: the lowercase uuid POST /reports answers. */
export const JOB_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
