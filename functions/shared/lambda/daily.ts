/**
 * The daily report: EventBridge Scheduler invokes with `{"subscription": "<id>"}`
 * (and the schedule's time, `scheduled_time`, when the stack passes it). The
 * period is yesterday in the subscription's time zone, counted from the
 * scheduled time, so a retry delivered after midnight still makes the same
 * report, and the manifest makes a second delivery send nothing.
 *
 * An invalid event or an unknown subscription cannot succeed on retry: it is
 * logged as one clear error line, counted (metric `RejectedEvents`), and the
 * invocation ends normally, so Lambda does not retry it.
 *
 * The fetch's deadline is the invocation's remaining time less the end margin
 * and the time kept for the rest (budget.ts, as the worker's): a Data API too
 * slow for the function's timeout ends as a clear deadline error, counted and
 * retried by Lambda, not as a timeout that writes nothing.
 */
import * as z from 'zod';
import { describeIssues } from '../config.ts';
import { yesterday } from '../time.ts';
import { type InvocationTime, NO_CONTEXT, runBudget } from './budget.ts';
import { type RejectedEvent, rejectEvent } from './reject-event.ts';
import { findEntry, type ReportRuntime, runSubscriptionReport } from './report-runner.ts';

export const dailyEventSchema = z
  .object({
    subscription: z.string().min(1).max(64),
    scheduled_time: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export type DailyResult =
  | RejectedEvent
  | { status: 'done'; subscription: string; period: string; outcome: string };

export async function handleDailyEvent(
  event: unknown,
  rt: ReportRuntime,
  context: InvocationTime = NO_CONTEXT,
): Promise<DailyResult> {
  const budget = runBudget(context.getRemainingTimeInMillis());
  const parsed = dailyEventSchema.safeParse(event);
  if (!parsed.success) {
    return rejectEvent(
      rt,
      `Invalid schedule event (expected {"subscription": "<id>"}): ${describeIssues(parsed.error)}`,
    );
  }
  const entry = await findEntry(rt, parsed.data.subscription);
  if (!entry) {
    // E.g. a schedule outliving its subscription (removed since the last reconcile): nothing to retry.
    const ids = (await rt.catalog.subscriptions()).map((s) => s.id);
    const known = ids.length === 0 ? '(none)' : ids.slice(0, 10).join(', ') + (ids.length > 10 ? ', …' : '');
    return rejectEvent(rt, `Unknown subscription "${parsed.data.subscription}"; configured: ${known}`);
  }
  const sub = entry.subscription;
  const at = parsed.data.scheduled_time ? Date.parse(parsed.data.scheduled_time) : rt.clock.now();
  const period = yesterday(at, sub.timezone);
  const periodText = `${period.from}..${period.till}`;
  rt.logger.appendKeys({ subscription: sub.id, period: periodText });
  // Failures propagate: Lambda retries the invocation, then hands it to the
  // on-failure destination. That includes ReportInProgressError (a concurrent
  // delivery holds the claim): the retry finds the report sent, or, if that
  // other run died, makes it.
  const result = await runSubscriptionReport(rt, {
    subscription: sub,
    account: entry.account,
    period,
    email: true,
    deadlineMs: Math.max(1, budget.fetchMs),
  });
  return { status: 'done', subscription: sub.id, period: periodText, outcome: result.outcome };
}
