/**
 * The job as a reader sees it (jobAsSeen): a job "running" past the worker's
 * timeout, or "queued" past its event's age, reads as failed with the reason;
 * and a run's budget from the invocation's remaining time (runBudget).
 */
import { describe, expect, it } from 'vitest';
import { AFTER_FETCH_MS, END_MARGIN_MS, runBudget } from '../../functions/shared/lambda/budget.ts';
import {
  type Job,
  jobAsSeen,
  QUEUED_AT_MOST_MS,
  WORKER_TIMEOUT_MS,
} from '../../functions/shared/pipeline/jobs.ts';
import { makeJob } from '../support/jobs.ts';

const T = Date.UTC(2024, 9, 22, 6);
const job = (status: Job['status'], updatedAgoMs: number): Job =>
  makeJob({
    status,
    created_at: new Date(T - updatedAgoMs).toISOString(),
    updated_at: new Date(T - updatedAgoMs).toISOString(),
  });

describe('jobAsSeen', () => {
  it('leaves a job running within the worker’s timeout and a minute as it is', () => {
    const j = job('running', WORKER_TIMEOUT_MS + 60_000);
    expect(jobAsSeen(j, T)).toBe(j);
  });

  it('reads a job running past it as failed, saying why and what to do', () => {
    expect(jobAsSeen(job('running', WORKER_TIMEOUT_MS + 60_001), T)).toMatchObject({
      status: 'failed',
      error:
        'The report stopped after 15 minutes without finishing (the worker ran out of time or memory); try a shorter period, or ask again',
      error_kind: 'out_of_time',
    });
  });

  it('reads a job with an unreadable updated_at that says running as failed, not running for ever', () => {
    expect(jobAsSeen({ ...job('running', 0), updated_at: 'yesterday' }, T).status).toBe('failed');
  });

  it('reads a job queued past its event’s maximum age as never started', () => {
    expect(jobAsSeen(job('queued', QUEUED_AT_MOST_MS), T).status).toBe('queued');
    expect(jobAsSeen(job('queued', QUEUED_AT_MOST_MS + 1), T)).toMatchObject({
      status: 'failed',
      error: 'The report never started; ask for it again',
      error_kind: 'internal',
    });
  });

  it('never touches a finished job', () => {
    for (const status of ['done', 'failed'] as const) {
      const j = job(status, 365 * 86_400_000);
      expect(jobAsSeen(j, T)).toBe(j);
    }
  });
});

describe('runBudget', () => {
  it('keeps the end margin to write the job, and the time after the fetch for the rest', () => {
    expect(runBudget(15 * 60_000)).toEqual({
      runMs: 15 * 60_000 - END_MARGIN_MS,
      fetchMs: 15 * 60_000 - END_MARGIN_MS - AFTER_FETCH_MS,
    });
  });

  it('keeps a quarter of a short run for after the fetch, and never goes below zero', () => {
    expect(runBudget(END_MARGIN_MS + 40_000)).toEqual({ runMs: 40_000, fetchMs: 30_000 });
    expect(runBudget(1_000)).toEqual({ runMs: 0, fetchMs: 0 });
  });
});
