/**
 * The kind of a report's failure (report/i18n/failure-kinds.ts), derived from
 * the error where the job fails (lambda/worker.ts) by the error's class and the
 * Data API's mnemonic, never by its English text; and the kind a stored job
 * reads as (a job failed before kinds existed reads as `internal`). When the
 * Data API's quota stops a run, the failure also says when it resets.
 */
import {
  DataApiAccessError,
  DataApiAuthError,
  DataApiConsistencyError,
  DataApiDeadlineError,
  DataApiError,
  DataApiLimitError,
  DataApiRequestError,
  DataApiTransientError,
} from '../dataapi/errors.ts';
import { type FailureKind, isFailureKind } from '../report/i18n/failure-kinds.ts';
import type { Job } from './jobs.ts';
import { EmailFailedError } from './send.ts';
import { TelegramFailedError } from './telegram.ts';

export type { FailureKind } from '../report/i18n/failure-kinds.ts';

export interface Failure {
  kind: FailureKind;
  /** When trying again can work (ms since the epoch): a quota's reset, when known; else null. */
  retryAt: number | null;
}

/** The kind of a Data API error: by its class, and for a request error by the parameter it names. */
function dataApiKind(err: DataApiError): FailureKind {
  if (err instanceof DataApiAuthError || err instanceof DataApiAccessError) return 'data_api_auth';
  // The key itself is missing (dataapi/rpc/transport.ts): a key's problem, not the request's.
  if (err instanceof DataApiRequestError)
    return err.field === 'access_token' ? 'data_api_auth' : 'data_api_refused';
  if (err instanceof DataApiTransientError || err instanceof DataApiConsistencyError)
    return 'data_api_unavailable';
  return err.retryable ? 'data_api_unavailable' : 'data_api_refused';
}

/** Why a run failed, from what it threw; `now` (ms) dates a quota's reset. */
export function classifyFailure(err: unknown, now: number): Failure {
  if (err instanceof EmailFailedError) return { kind: 'email_failed', retryAt: null };
  if (err instanceof TelegramFailedError) return { kind: 'telegram_failed', retryAt: null };
  // Retries that gave up on the per-minute limit: the limit is the reason, not the retries.
  const limit =
    err instanceof DataApiLimitError
      ? err
      : err instanceof DataApiDeadlineError && err.cause instanceof DataApiLimitError
        ? err.cause
        : null;
  if (limit) return { kind: 'data_api_limit', retryAt: now + limit.resetSeconds * 1000 };
  if (err instanceof DataApiDeadlineError) {
    // Retries exhausted: the last error says why (a refused key stays a refused key).
    const last = err.cause instanceof DataApiError ? dataApiKind(err.cause) : 'data_api_unavailable';
    return { kind: last === 'data_api_refused' ? 'data_api_unavailable' : last, retryAt: null };
  }
  if (err instanceof DataApiError) return { kind: dataApiKind(err), retryAt: null };
  return { kind: 'internal', retryAt: null };
}

/** A failed job's kind and reset as stored; a job failed before kinds existed reads as `internal`. */
export function failureOf(job: Pick<Job, 'error_kind' | 'error_retry_at'>): Failure {
  const at = job.error_retry_at ? Date.parse(job.error_retry_at) : Number.NaN;
  return {
    kind: isFailureKind(job.error_kind) ? job.error_kind : 'internal',
    retryAt: Number.isFinite(at) ? at : null,
  };
}

/** The fields a failure adds to a failed job. */
export function failureFields(f: Failure): Pick<Job, 'error_kind' | 'error_retry_at'> {
  return {
    error_kind: f.kind,
    error_retry_at: f.retryAt === null ? null : new Date(f.retryAt).toISOString(),
  };
}
