/**
 * A run's time budget inside a Lambda, from the time the invocation has left
 * (`context.getRemainingTimeInMillis()`): the run must end, one way or the
 * other, while there is still time to say so. Lambda's timeout and an
 * out-of-memory kill write nothing, so the deadlines are ours, taken early.
 */

/** Kept back at the end of an invocation to write the job's "failed" with its reason. */
export const END_MARGIN_MS = 20_000;

/** At most this much of the budget is kept after the fetch for the figures, the workbook, storing and the email. */
export const AFTER_FETCH_MS = 90_000;

export interface RunBudget {
  /** The whole run: after it the worker stops waiting and writes "failed". */
  runMs: number;
  /** The Data API fetch's overall deadline (DataApiClient `deadlineMs`). */
  fetchMs: number;
}

/** The budget of a run started with `remainingMs` left in the invocation. */
export function runBudget(remainingMs: number): RunBudget {
  const runMs = Math.max(0, remainingMs - END_MARGIN_MS);
  const fetchMs = Math.max(0, runMs - Math.min(AFTER_FETCH_MS, runMs / 4));
  return { runMs, fetchMs };
}

/** What the handler passes on from Lambda's context. */
export interface InvocationTime {
  getRemainingTimeInMillis(): number;
}

/** Without Lambda's context (a direct call: tests, scripts), a run has the report functions' whole 15-minute timeout. */
export const NO_CONTEXT: InvocationTime = { getRemainingTimeInMillis: () => 15 * 60_000 };
