/**
 * The schedule reconciler against a local Scheduler API over real HTTP (the
 * SDK's SchedulerClient pointed at it): a thousand subscriptions become a
 * thousand schedules in the group, each carrying only its id; then a hundred
 * moved, two hundred gone and fifty new are exactly what changes, a second run
 * changes nothing, throttled calls are retried, and nothing outside the group
 * is touched.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileSchedules } from '../../functions/shared/adapters/aws/schedule-reconciler.ts';
import { type Subscription, subscriptionSchema } from '../../functions/shared/config.ts';
import type { ScheduleTarget } from '../../functions/shared/pipeline/schedules.ts';
import { type FakeScheduler, startFakeScheduler } from '../support/fake-scheduler.ts';

const GROUP = 'call-reports';
const target: ScheduleTarget = {
  group: GROUP,
  functionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:CallReports-DailyReport-abc',
  roleArn: 'arn:aws:iam::123456789012:role/CallReports-SchedulesInvokeRole-abc',
  deadLetterArn: 'arn:aws:sqs:eu-central-1:123456789012:CallReports-ScheduleDeadLetters-abc',
  flexibleWindowMinutes: 15,
};
const subs = (from: number, to: number, time = '08:00'): Subscription[] =>
  Array.from({ length: to - from }, (_, i) =>
    subscriptionSchema.parse({
      id: `team-${String(from + i).padStart(4, '0')}`,
      recipients: ['lead@example.com'],
      schedule: { time, days: (from + i) % 2 ? ['MON', 'TUE', 'WED', 'THU', 'FRI'] : undefined },
      timezone: (from + i) % 3 ? 'Europe/Moscow' : 'asia/yekaterinburg',
    }),
  );

let fake: FakeScheduler;
let client: SchedulerClient;
beforeAll(async () => {
  fake = await startFakeScheduler({ groups: [GROUP, 'other'], throttleEvery: 97 });
  client = new SchedulerClient({
    endpoint: fake.url,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 10,
  });
});
afterAll(async () => {
  client.destroy();
  await fake.close();
});

describe('the schedule reconciler against a local Scheduler API', () => {
  it('creates, updates and deletes a thousand schedules to match the catalog, and leaves the rest alone', async () => {
    fake.schedules('other').set('not-ours', { Name: 'not-ours' } as never);
    const first = await reconcileSchedules(subs(0, 1000), { client, target });
    expect(first.created).toHaveLength(1000);
    const group = fake.schedules(GROUP);
    expect(group.size).toBe(1000);
    const one = group.get('team-0001');
    expect(one).toMatchObject({
      ScheduleExpression: 'cron(0 8 ? * MON,TUE,WED,THU,FRI *)',
      ScheduleExpressionTimezone: 'Europe/Moscow',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      State: 'ENABLED',
      Target: {
        Arn: target.functionArn,
        RoleArn: target.roleArn,
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: target.deadLetterArn },
      },
    });
    // Only the id (and Scheduler's own scheduled time): the rest is read from the catalog at run time.
    expect(JSON.parse(String(one?.Target.Input))).toEqual({
      subscription: 'team-0001',
      scheduled_time: '<aws.scheduler.scheduled-time>',
    });
    expect(group.get('team-0000')).toMatchObject({
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Yekaterinburg',
    });
    expect(fake.calls.Throttled).toBeGreaterThan(0); // and the SDK retried each

    // 100 move to 07:30, 200 are gone (800..999), 50 are new (1000..1049).
    const next = [...subs(0, 100, '07:30'), ...subs(100, 800), ...subs(1000, 1050)];
    const second = await reconcileSchedules(next, { client, target });
    expect(second.updated).toEqual(subs(0, 100).map((s) => s.id));
    expect(second.deleted).toEqual(subs(800, 1000).map((s) => s.id));
    expect(second.created).toEqual(subs(1000, 1050).map((s) => s.id));
    expect(second.unchanged).toBe(700);
    expect(group.size).toBe(850);
    expect(group.get('team-0002')?.ScheduleExpression).toBe('cron(30 7 * * ? *)');

    const third = await reconcileSchedules(next, { client, target });
    expect(third).toEqual({ created: [], updated: [], deleted: [], unchanged: 850 });
    expect([...fake.schedules('other').keys()]).toEqual(['not-ours']);
  }, 120_000);

  it('says what Scheduler refused', async () => {
    await expect(
      reconcileSchedules(subs(0, 1), { client, target: { ...target, group: 'missing-group' } }),
    ).rejects.toThrow('Schedule group missing-group does not exist.');
  });
});
