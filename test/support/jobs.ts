/**
 * A job record as the Reports API writes it (pipeline/jobs.ts): a queued
 * one-day report of `sales`, with `patch` over it (`request` merged key by key).
 */
import type { Job } from '../../functions/shared/pipeline/jobs.ts';

export function makeJob(
  patch: Omit<Partial<Job>, 'request'> & { request?: Partial<Job['request']> } = {},
): Job {
  const { request, ...rest } = patch;
  return {
    id: '0b8a4a35-6c1e-4c6f-9e63-2b2f0d6f8a11',
    status: 'queued',
    created_at: '2024-10-22T06:00:00.000Z',
    updated_at: '2024-10-22T06:00:00.000Z',
    result: null,
    error: null,
    ...rest,
    request: {
      subscription: 'sales',
      period: { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' },
      language: 'ru',
      email: false,
      force: false,
      ...request,
    },
  };
}
