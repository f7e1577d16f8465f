/**
 * The jobs a quick link makes, on the Reports API's job path (pipeline/jobs.ts,
 * the worker): one id per what is asked (subscription, period, language,
 * viewed or emailed), so opening a link again finds its job. A whole period's
 * job is one for as long as its report is kept (a failed one queued again
 * under its id once 10 minutes old); a period not over, and an emailed run,
 * one per 10-minute window, the newest reused while under 10 minutes old or
 * still running. A new job is a conditional put: of opens at the same moment
 * one stores it and starts the worker, the others find it.
 */
import { createHash } from 'node:crypto';
import type { Subscription } from '../config.ts';
import { type Job, JobConflictError, type JobStore, jobAsSeen } from '../pipeline/jobs.ts';
import type { TelegramChat } from '../pipeline/ports.ts';
import type { Period } from '../time.ts';
import type { QuickLink } from './links.ts';
import type { PeriodRule } from './period-rules.ts';

/** How long a report "so far" is reused, and how often a link may start a job. */
export const QUICK_REUSE_MS = 10 * 60_000;
/** A job id (uuid-shaped, as JOB_ID_RE wants) made from what the job is for. */
export function quickJobId(parts: readonly (string | number)[]): string {
  const h = createHash('sha256').update(parts.join('\n')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const PARTIAL_RULES: readonly PeriodRule[] = ['today', 'this_week', 'this_month'];

export interface QuickJobDeps {
  jobs: JobStore;
  startWorker: (jobId: string) => Promise<void>;
  /** The real instant, ms. */
  now: number;
}

export interface Asked {
  /** What of the link the job depends on (a Telegram command asks the same). */
  link: Pick<QuickLink, 'rule' | 'language'>;
  sub: Subscription;
  period: Period;
  email: boolean;
  /**
   * A bot command's chat (http/telegram-webhook.ts): the job is that chat's own
   * (its id names the chat) and carries it as `reply_to`, where the worker
   * posts the report's message.
   */
  replyTo?: TelegramChat;
}

function jobOf(id: string, a: Asked, now: number): Job {
  const at = new Date(now).toISOString();
  return {
    id,
    status: 'queued',
    request: {
      subscription: a.sub.id,
      period: a.period,
      language: a.link.language,
      email: a.email,
      force: false,
      working_hours: a.sub.working_hours,
      ...(a.replyTo ? { reply_to: a.replyTo } : {}),
    },
    created_at: at,
    updated_at: at,
    result: null,
    error: null,
  };
}

/** Stores a new job and starts it; when another open stored it first, that one is the job. */
async function start(job: Job, deps: QuickJobDeps): Promise<Job> {
  try {
    await deps.jobs.put(job);
  } catch (err) {
    if (!(err instanceof JobConflictError)) throw err;
    return (await deps.jobs.get(job.id)) ?? job;
  }
  await deps.startWorker(job.id);
  return job;
}

/** The job of what is asked: found, or queued now; null when `create` is false and there is none. */
export async function findOrStart(a: Asked, deps: QuickJobDeps, create: boolean): Promise<Job | null> {
  const now = deps.now;
  const what = [a.sub.id, a.period.from, a.period.till, a.link.language, a.email ? 'email' : 'view'];
  if (a.replyTo) what.push('telegram', String(a.replyTo.chat_id), String(a.replyTo.thread_id ?? ''));
  const age = (j: Job) => now - Date.parse(j.created_at);
  if (!a.email && !PARTIAL_RULES.includes(a.link.rule)) {
    const id = quickJobId(what);
    const found = await deps.jobs.get(id);
    if (!found) return create ? start(jobOf(id, a, now), deps) : null;
    const job = jobAsSeen(found, now);
    const stale = job.status === 'failed' && now - Date.parse(job.updated_at) >= QUICK_REUSE_MS;
    if (!stale || !create) return job;
    // Tried again, under its own id: the retry is conditional on the job as read.
    const retry = {
      ...found,
      status: 'queued' as const,
      error: null,
      updated_at: new Date(now).toISOString(),
    };
    try {
      await deps.jobs.put(retry);
    } catch (err) {
      if (!(err instanceof JobConflictError)) throw err;
      return jobAsSeen((await deps.jobs.get(id)) ?? found, now);
    }
    await deps.startWorker(id);
    return retry;
  }
  const window = Math.floor(now / QUICK_REUSE_MS);
  const [current, previous] = await Promise.all([
    deps.jobs.get(quickJobId([...what, window])),
    deps.jobs.get(quickJobId([...what, window - 1])),
  ]);
  const newest = current ?? previous;
  if (newest) {
    const job = jobAsSeen(newest, now);
    if (job.status === 'queued' || job.status === 'running' || age(job) < QUICK_REUSE_MS || !create)
      return job;
  }
  return create ? start(jobOf(quickJobId([...what, window]), a, now), deps) : null;
}
