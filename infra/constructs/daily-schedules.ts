/**
 * One EventBridge Scheduler schedule per subscription, at the subscription's
 * local time on its days, in its own IANA time zone (EventBridge rules only
 * know UTC; Scheduler follows daylight-saving changes). Each invokes the
 * daily-report function asynchronously with `{"subscription":"<id>"}`, so
 * every subscription is its own invocation; the function's reserved
 * concurrency bounds how many run at once and Lambda queues the rest.
 *
 * Delivery is retried (3 attempts within an hour), then the event goes to a
 * dead-letter queue. A retried delivery can reach the function twice: the
 * daily job is idempotent (it sends no second email for the same report).
 */
import { Aws, Duration, TimeZone } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { DAYS_OF_WEEK, type Subscription } from '../../functions/shared/config.ts';
import { canonicalTimeZone } from '../config.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { acknowledge, resourceFinding } from './nag.ts';

export const SCHEDULE_RETRY_ATTEMPTS = 3;
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(1);

export interface DailySchedulesProps {
  subscriptions: readonly Subscription[];
  target: IFunction;
}

/** `{minute, hour, weekDay}` of a subscription's schedule (`*` when every day). */
export function cronFields(schedule: Subscription['schedule']): {
  minute: string;
  hour: string;
  weekDay: string;
} {
  const [hour = '0', minute = '0'] = schedule.time.split(':');
  const days = DAYS_OF_WEEK.filter((d) => schedule.days.includes(d));
  return {
    minute: String(Number(minute)),
    hour: String(Number(hour)),
    weekDay: days.length === DAYS_OF_WEEK.length ? '*' : days.join(','),
  };
}

export class DailySchedules extends Construct {
  readonly deadLetterQueue: DeadLetterQueue;
  readonly role: Role;
  readonly schedules: Schedule[] = [];

  constructor(scope: Construct, id: string, props: DailySchedulesProps) {
    super(scope, id);

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
      usedBy: 'the daily report schedules',
    });

    this.role = new Role(this, 'InvokeRole', {
      description: 'EventBridge Scheduler: invokes the daily-report function',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });

    for (const sub of props.subscriptions) {
      const zone = canonicalTimeZone(sub.timezone);
      const fields = cronFields(sub.schedule);
      const schedule = new Schedule(this, `Schedule-${sub.id}`, {
        description: `Daily call report "${sub.id}" at ${sub.schedule.time} ${sub.schedule.days.join(',')} (${zone})`,
        schedule: ScheduleExpression.cron({ ...fields, timeZone: TimeZone.of(zone) }),
        target: new LambdaInvoke(props.target, {
          role: this.role,
          // The scheduled time lets the function count "yesterday" from the schedule, not from
          // when a retry happens to arrive, so a late retry makes (and dedupes) the same report.
          input: ScheduleTargetInput.fromObject({
            subscription: sub.id,
            scheduled_time: ContextAttribute.scheduledTime,
          }),
          retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
          maxEventAge: SCHEDULE_MAX_EVENT_AGE,
          deadLetterQueue: this.deadLetterQueue.queue,
        }),
      });
      this.schedules.push(schedule);
    }

    acknowledge(
      this.role,
      `AwsSolutions-IAM5[${resourceFinding(this, `${props.target.functionArn}:*`)}]`,
      'grantInvoke also allows the versions and aliases of the one daily-report function (ARN:*); no other function is reachable.',
    );
  }
}
