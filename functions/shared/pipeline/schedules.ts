/**
 * The EventBridge Scheduler schedule a subscription should have (README, "Many
 * customers"): named by the subscription's id in the deployment's schedule
 * group, at its local time on its days in its own IANA zone (Scheduler follows
 * daylight saving), within a flexible window so a thousand reports due at
 * 08:00 spread over the window's minutes. Its input carries only the
 * subscription's id and Scheduler's own scheduled time (so a late retry counts
 * "yesterday" from the schedule, not from its arrival); everything else the
 * function reads from the catalog when it runs.
 *
 * Pure: adapters/aws/schedule-reconciler.ts makes the group match these.
 */
import { DAYS_OF_WEEK, type Subscription } from '../config.ts';

/** Scheduler's own placeholder for the time a run was scheduled for. */
export const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';
export const SCHEDULE_RETRY_ATTEMPTS = 3;
export const SCHEDULE_MAX_EVENT_AGE_SECONDS = 3600;
export const DEFAULT_FLEXIBLE_WINDOW_MINUTES = 15;

/** Where the schedules point: the stack's outputs (infra/stack.ts). */
export interface ScheduleTarget {
  group: string;
  functionArn: string;
  roleArn: string;
  deadLetterArn: string;
  flexibleWindowMinutes?: number;
}

/** A schedule as CreateSchedule / UpdateSchedule take it (and GetSchedule gives it back). */
export interface ScheduleDefinition {
  Name: string;
  GroupName: string;
  Description: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  FlexibleTimeWindow: { Mode: 'FLEXIBLE'; MaximumWindowInMinutes: number };
  State: 'ENABLED';
  Target: {
    Arn: string;
    RoleArn: string;
    Input: string;
    RetryPolicy: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number };
    DeadLetterConfig: { Arn: string };
  };
}

/** The IANA name as the platform spells it (`europe/moscow` → `Europe/Moscow`), as Scheduler wants it. */
export function canonicalZone(tz: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
}

/** Scheduler's cron: `cron(minutes hours day-of-month month day-of-week year)`, one of the day fields `?`. */
export function cronExpression(schedule: Subscription['schedule']): string {
  const [hour = '0', minute = '0'] = schedule.time.split(':');
  const days = DAYS_OF_WEEK.filter((d) => schedule.days.includes(d));
  const m = Number(minute);
  const h = Number(hour);
  return days.length === DAYS_OF_WEEK.length
    ? `cron(${m} ${h} * * ? *)`
    : `cron(${m} ${h} ? * ${days.join(',')} *)`;
}

export function desiredSchedule(sub: Subscription, target: ScheduleTarget): ScheduleDefinition {
  const zone = canonicalZone(sub.timezone);
  return {
    Name: sub.id,
    GroupName: target.group,
    Description: `Daily call report "${sub.id}" at ${sub.schedule.time} ${sub.schedule.days.join(',')} (${zone})`,
    ScheduleExpression: cronExpression(sub.schedule),
    ScheduleExpressionTimezone: zone,
    FlexibleTimeWindow: {
      Mode: 'FLEXIBLE',
      MaximumWindowInMinutes: target.flexibleWindowMinutes ?? DEFAULT_FLEXIBLE_WINDOW_MINUTES,
    },
    State: 'ENABLED',
    Target: {
      Arn: target.functionArn,
      RoleArn: target.roleArn,
      Input: JSON.stringify({ subscription: sub.id, scheduled_time: SCHEDULED_TIME }),
      RetryPolicy: {
        MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS,
        MaximumEventAgeInSeconds: SCHEDULE_MAX_EVENT_AGE_SECONDS,
      },
      DeadLetterConfig: { Arn: target.deadLetterArn },
    },
  };
}

/** Whether a schedule as read back differs from the one wanted in anything this deployment sets. */
export function scheduleDiffers(actual: Partial<ScheduleDefinition>, wanted: ScheduleDefinition): boolean {
  const pick = (d: Partial<ScheduleDefinition>) =>
    JSON.stringify([
      d.Description,
      d.ScheduleExpression,
      d.ScheduleExpressionTimezone,
      d.FlexibleTimeWindow?.Mode,
      d.FlexibleTimeWindow?.MaximumWindowInMinutes,
      d.State,
      d.Target?.Arn,
      d.Target?.RoleArn,
      d.Target?.Input,
      d.Target?.RetryPolicy?.MaximumRetryAttempts,
      d.Target?.RetryPolicy?.MaximumEventAgeInSeconds,
      d.Target?.DeadLetterConfig?.Arn,
    ]);
  return pick(actual) !== pick(wanted);
}
