/** The schedule a subscription should have (pipeline/schedules.ts), as the reconciler writes it. */
import { describe, expect, it } from 'vitest';
import { subscriptionSchema } from '../../functions/shared/config.ts';
import {
  cronExpression,
  desiredSchedule,
  scheduleDiffers,
} from '../../functions/shared/pipeline/schedules.ts';

const target = {
  group: 'g',
  functionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:daily',
  roleArn: 'arn:aws:iam::123456789012:role/r',
  deadLetterArn: 'arn:aws:sqs:eu-central-1:123456789012:q',
};

describe('a subscription’s schedule', () => {
  it('is its local time on its days, in Scheduler’s cron, one day field "?"', () => {
    expect(cronExpression({ time: '08:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] })).toBe(
      'cron(0 8 * * ? *)',
    );
    expect(cronExpression({ time: '09:30', days: ['FRI', 'MON', 'WED'] })).toBe(
      'cron(30 9 ? * MON,WED,FRI *)',
    );
    expect(cronExpression({ time: '00:05', days: ['SAT'] })).toBe('cron(5 0 ? * SAT *)');
  });

  it('runs in the subscription’s zone as the platform spells it, within a flexible window, carrying only its id', () => {
    const sub = subscriptionSchema.parse({
      id: 'sales',
      recipients: ['a@example.com'],
      timezone: 'europe/moscow',
    });
    const d = desiredSchedule(sub, { ...target, flexibleWindowMinutes: 20 });
    expect(d).toMatchObject({
      Name: 'sales',
      GroupName: 'g',
      ScheduleExpressionTimezone: 'Europe/Moscow',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 20 },
    });
    expect(JSON.parse(d.Target.Input)).toEqual({
      subscription: 'sales',
      scheduled_time: '<aws.scheduler.scheduled-time>',
    });
    expect(d.Description).not.toContain('a@example.com');
    expect(desiredSchedule(sub, target).FlexibleTimeWindow.MaximumWindowInMinutes).toBe(15);
  });

  it('differs only in what the deployment sets', () => {
    const sub = subscriptionSchema.parse({ id: 'sales', recipients: ['a@example.com'] });
    const d = desiredSchedule(sub, target);
    expect(scheduleDiffers({ ...d, Arn: 'x', CreationDate: 1 } as never, d)).toBe(false);
    expect(scheduleDiffers({ ...d, ScheduleExpression: 'cron(0 9 * * ? *)' }, d)).toBe(true);
    expect(scheduleDiffers({ ...d, Target: { ...d.Target, RoleArn: 'other' } }, d)).toBe(true);
  });
});
