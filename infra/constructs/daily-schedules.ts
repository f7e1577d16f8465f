/**
 * What the daily schedules need from the stack, whatever their number: an
 * EventBridge Scheduler schedule group, the role Scheduler assumes to invoke
 * the daily-report function (only for schedules of this group), and the
 * dead-letter queue of failed deliveries. The schedules themselves, one per
 * subscription, are not in the template: the admin CLI's reconciler makes the
 * group match the catalog (functions/shared/adapters/aws/schedule-reconciler.ts,
 * README "Many customers"), so the template's resources do not grow with the
 * subscriptions and a new customer needs no deploy.
 *
 * Delivery is retried (3 attempts within an hour), then the event goes to the
 * dead-letter queue. A retried delivery can reach the function twice: the
 * daily job is idempotent (it sends no second email for the same report).
 */
import { Arn, ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { acknowledge, resourceFinding } from './nag.ts';

export interface DailySchedulesProps {
  target: IFunction;
}

export class DailySchedules extends Construct {
  readonly deadLetterQueue: DeadLetterQueue;
  readonly role: Role;
  readonly group: CfnScheduleGroup;

  constructor(scope: Construct, id: string, props: DailySchedulesProps) {
    super(scope, id);
    // A generated name, so two deployments in one account never share a group.
    this.group = new CfnScheduleGroup(this, 'Group', {});
    const schedulesOfGroup = Arn.format(
      {
        service: 'scheduler',
        resource: 'schedule',
        resourceName: `${this.group.ref}/*`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      },
      Stack.of(this),
    );

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue', {
      usedBy: 'the daily report schedules',
    });

    this.role = new Role(this, 'InvokeRole', {
      description: 'EventBridge Scheduler: invokes the daily-report function for the schedules of its group',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': schedulesOfGroup },
        },
      }),
    });
    props.target.grantInvoke(this.role);
    this.deadLetterQueue.queue.grantSendMessages(this.role);

    acknowledge(
      this.role,
      `AwsSolutions-IAM5[${resourceFinding(this, `${props.target.functionArn}:*`)}]`,
      'grantInvoke also allows the versions and aliases of the one daily-report function (ARN:*); no other function is reachable.',
    );
  }
}
