/**
 * The Reports API (API Gateway REST, proxy integration):
 *   POST /reports       {date} | {from, till}, optional subscription, language, email, force,
 *                       working_hours (the contract's text form; "" for none; default the subscription's)
 *                       → 202 {id, status, location} + Location; the worker runs it asynchronously
 *   GET  /reports/{id}  → {status: queued | running | done | failed, ...}; when done the summary
 *                         JSON as stored (every key passes through) and a download link, when
 *                         failed the reason in words
 * Authentication (bearer token) happens in the authorizer before this code runs;
 * what the token may do (its scopes and subscriptions, in the authorizer's
 * context) and the cooldown on forced and emailed runs are http/api-access.ts's.
 *
 * Every client mistake gets a 4xx with `{"error": {"code", "message", "field"}}`
 * saying what was wrong and what is allowed; never a 500 or a stack trace.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { normalWorkingHours, type Subscription } from '../config.ts';
import { isLanguage, LANGUAGES, type Language } from '../language.ts';
import { RequestError, resolvePeriod } from '../period-input.ts';
import { failureOf } from '../pipeline/failure.ts';
import { JOB_ID_RE, type Job, type JobStore, JobUnreadableError, jobAsSeen } from '../pipeline/jobs.ts';
import type { Summary } from '../report/types.ts';
import { type Refusal, scopeRefusal, subscriptionRefusal, takeCooldown } from './api-access.ts';
import { ApiError } from './api-error.ts';
import { type Caller, callerOf, maySee } from './caller.ts';
import type { Cooldowns } from './cooldown.ts';
import { optionalBoolean, optionalString, parseBody } from './request-body.ts';
import { errorResponse, type HttpResponse, jsonResponse as json } from './response.ts';

const FIELDS = [
  'date',
  'from',
  'till',
  'subscription',
  'language',
  'email',
  'force',
  'working_hours',
] as const;

export interface ApiDeps {
  subscriptions: Subscription[];
  jobs: JobStore;
  /** Starts the worker for a job, asynchronously. */
  startWorker: (jobId: string) => Promise<void>;
  /** The stored summary of a finished job's report. */
  loadSummary: (job: Job) => Promise<Summary | null>;
  /** A download link for a stored workbook of a subscription (its TTL), in the report's language. */
  linkFor: (
    key: string,
    subscription: string,
    language: Language,
  ) => Promise<{ url: string; expires_at: string }>;
  /** The cooldown slots of forced and emailed runs, one per subscription. */
  cooldowns: Cooldowns;
  now: () => number;
  newId: () => string;
  /** The worker's timeout: a job "running" longer than it reads as failed (default WORKER_TIMEOUT_MS). */
  workerTimeoutMs?: number;
  logError: (message: string, err: unknown) => void;
}

/** Throws the refusal, if any, as the API's error. */
function refuse(refusal: Refusal | null): void {
  if (refusal)
    throw new ApiError(refusal.status, refusal.code, refusal.message, refusal.field, refusal.headers);
}

export async function handleApiEvent(event: APIGatewayProxyEvent, deps: ApiDeps): Promise<HttpResponse> {
  try {
    return await route(event, deps);
  } catch (err) {
    if (err instanceof ApiError) return errorResponse(err.status, err, err.headers);
    if (err instanceof RequestError) return errorResponse(400, err);
    deps.logError('Unexpected failure in the Reports API', err);
    return errorResponse(500, {
      code: 'internal_error',
      message: `Something went wrong on our side; request id ${event.requestContext?.requestId ?? '?'}`,
      field: null,
    });
  }
}

async function route(event: APIGatewayProxyEvent, deps: ApiDeps): Promise<HttpResponse> {
  const resource = event.resource ?? '';
  const method = (event.httpMethod ?? '').toUpperCase();
  if (resource === '/reports') {
    if (method !== 'POST') throw methodNotAllowed(method, 'POST');
    return createJob(event, callerOf(event), deps);
  }
  if (resource === '/reports/{id}') {
    if (method !== 'GET') throw methodNotAllowed(method, 'GET');
    return getJob(event.pathParameters?.id ?? '', callerOf(event), deps);
  }
  throw new ApiError(
    404,
    'not_found',
    `No such route: ${method} ${event.path ?? resource}; use POST /reports or GET /reports/{id}`,
  );
}

function methodNotAllowed(method: string, allowed: string): ApiError {
  return new ApiError(
    405,
    'method_not_allowed',
    `${method || 'This method'} is not allowed here; use ${allowed}`,
    null,
    {
      Allow: allowed,
    },
  );
}

async function createJob(event: APIGatewayProxyEvent, caller: Caller, deps: ApiDeps): Promise<HttpResponse> {
  refuse(scopeRefusal(caller, 'reports:create', 'start reports'));
  const body = parseBody(event);
  for (const key of Object.keys(body)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      throw new ApiError(400, 'unknown_field', `Unknown field "${key}"; allowed: ${FIELDS.join(', ')}`, key);
    }
  }
  const subscriptionId = optionalString(body, 'subscription');
  const subscription = pickSubscription(
    subscriptionId,
    // Without a subscription named, the one the token may touch is meant.
    subscriptionId === undefined
      ? deps.subscriptions.filter((s) => maySee(caller, s.id))
      : deps.subscriptions,
  );
  refuse(subscriptionRefusal(caller, subscription.id));
  const date = optionalString(body, 'date');
  const from = optionalString(body, 'from');
  const till = optionalString(body, 'till');
  if (date === undefined && from === undefined && till === undefined) {
    throw new ApiError(
      400,
      'missing_field',
      'Give the period: {"date": "YYYY-MM-DD"} or {"from": …, "till": …}',
      'date',
    );
  }
  const period = resolvePeriod({ date, from, till }, subscription.timezone, deps.now());
  const languageText = optionalString(body, 'language');
  if (languageText !== undefined && !isLanguage(languageText)) {
    throw new ApiError(
      400,
      'invalid_language',
      `language must be ${LANGUAGES.map((l) => `"${l}"`).join(' or ')}, got "${languageText}"`,
      'language',
    );
  }
  const language: Language = languageText ?? subscription.language;
  const email = optionalBoolean(body, 'email', false);
  const force = optionalBoolean(body, 'force', false);
  const workingHours = parseWorkingHoursField(body, subscription);
  if (email) refuse(scopeRefusal(caller, 'reports:email', 'have reports emailed', 'email'));
  const cooldown = await takeCooldown(deps.cooldowns, subscription.id, { email, force }, deps.now());
  if ('refusal' in cooldown) refuse(cooldown.refusal);
  try {
    return await queueJob(event, deps, {
      subscription: subscription.id,
      period,
      language,
      email,
      force,
      working_hours: workingHours,
    });
  } catch (err) {
    // The run did not start: the slot is free again for the retry.
    if ('release' in cooldown)
      await cooldown.release().catch((e: unknown) => deps.logError('Could not free the cooldown', e));
    throw err;
  }
}

async function queueJob(
  event: APIGatewayProxyEvent,
  deps: ApiDeps,
  request: Job['request'],
): Promise<HttpResponse> {
  const now = new Date(deps.now()).toISOString();
  const job: Job = {
    id: deps.newId(),
    status: 'queued',
    request,
    created_at: now,
    updated_at: now,
    result: null,
    error: null,
  };
  await deps.jobs.put(job);
  try {
    await deps.startWorker(job.id);
  } catch (err) {
    // Nothing will run it: the job says so, rather than "queued" for ever.
    deps.logError('Could not start the report worker', err);
    const reason = 'The report could not be started (the worker did not take the job); ask for it again';
    Object.assign(job, { status: 'failed', error: reason, updated_at: new Date(deps.now()).toISOString() });
    await deps.jobs.put(job).catch((e: unknown) => deps.logError('Could not mark the job failed', e));
    throw new ApiError(
      503,
      'worker_unavailable',
      `The report could not be started; job ${job.id} is marked failed; try again in a minute`,
      null,
      { 'Retry-After': '60' },
    );
  }
  const base = (event.requestContext?.path ?? event.path ?? '/reports').replace(/\/+$/, '');
  const location = `${base}/${job.id}`;
  return json(
    202,
    { id: job.id, status: job.status, location, request: job.request },
    { Location: location },
  );
}

/** The body's working hours in their normal form (null for none), else the subscription's. */
function parseWorkingHoursField(body: Record<string, unknown>, subscription: Subscription): string | null {
  const text = optionalString(body, 'working_hours');
  if (text === undefined) return subscription.working_hours;
  try {
    return normalWorkingHours(text);
  } catch (err) {
    throw new ApiError(
      400,
      'invalid_working_hours',
      `working_hours: ${(err as Error).message}`,
      'working_hours',
    );
  }
}

function pickSubscription(id: string | undefined, subs: Subscription[]): Subscription {
  const known = subs.map((s) => s.id).join(', ') || '(none configured)';
  if (id === undefined) {
    const only = subs[0];
    if (subs.length === 1 && only) return only;
    throw new ApiError(
      400,
      'missing_field',
      `subscription is required when there are several; one of: ${known}`,
      'subscription',
    );
  }
  const sub = subs.find((s) => s.id === id);
  if (!sub)
    throw new ApiError(
      404,
      'unknown_subscription',
      `Unknown subscription "${id}"; one of: ${known}`,
      'subscription',
    );
  return sub;
}

async function getJob(id: string, caller: Caller, deps: ApiDeps): Promise<HttpResponse> {
  refuse(scopeRefusal(caller, 'reports:read', 'read reports'));
  if (!JOB_ID_RE.test(id)) {
    throw new ApiError(
      400,
      'invalid_job_id',
      'The job id must be the id POST /reports answered (a lowercase uuid)',
      'id',
    );
  }
  const stored = await deps.jobs.get(id).catch((err: unknown) => {
    if (err instanceof JobUnreadableError) throw new ApiError(410, 'job_unreadable', err.message, 'id');
    throw err;
  });
  if (!stored) throw new ApiError(404, 'job_not_found', `No job ${id}; jobs are kept for 30 days`, 'id');
  refuse(subscriptionRefusal(caller, stored.request.subscription));
  // A job "running" past the worker's timeout, or "queued" past its event's age, was stopped: it reads as failed.
  const job = jobAsSeen(stored, deps.now(), deps.workerTimeoutMs);
  const base = {
    id: job.id,
    status: job.status,
    request: job.request,
    created_at: job.created_at,
    updated_at: job.updated_at,
  };
  if (job.status === 'failed') {
    // The reason's kind (pipeline/failure.ts) beside the text; a job failed before kinds existed: internal.
    const failure = failureOf(job);
    return json(200, {
      ...base,
      error: { message: job.error ?? 'The job failed' },
      error_kind: failure.kind,
      ...(failure.retryAt === null ? {} : { error_retry_at: new Date(failure.retryAt).toISOString() }),
    });
  }
  if (job.status !== 'done' || !job.result) return json(200, base);
  const [summary, link] = await Promise.all([
    deps.loadSummary(job),
    deps.linkFor(job.result.workbook_key, job.request.subscription, job.request.language),
  ]);
  return json(200, { ...base, outcome: job.result.outcome, summary, download: link });
}
