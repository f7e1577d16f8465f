/**
 * Alarms to one SNS topic the user can subscribe to (optionally an email
 * subscription from the config): each function's `Errors`, each dead-letter
 * queue's visible messages.
 *
 * The topic is encrypted with a customer managed KMS key (rotated yearly):
 * CloudWatch alarms cannot publish to a topic encrypted with the AWS managed
 * `alias/aws/sns` key, whose policy cannot be changed to let CloudWatch use it.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface AlarmsProps {
  /** Optional address subscribed to the topic (AWS mails a confirmation link). */
  email?: string | undefined;
}

export class Alarms extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);

    this.key = new Key(this, 'TopicKey', {
      description: 'Call reports: encrypts the alarm topic',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      // Alarm notifications are transient: nothing stays encrypted under this key.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );

    this.topic = new Topic(this, 'Topic', {
      displayName: 'Call reports alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
  }

  /** Alarms on any error of the function within 5 minutes. */
  watchFunction(id: string, fn: IFunction, what: string): Alarm {
    return this.alarm(id, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), {
      description: `${what} failed (Lambda Errors > 0). See its log group.`,
    });
  }

  /** Alarms as soon as a message is in the dead-letter queue. */
  watchQueue(id: string, queue: IQueue, what: string): Alarm {
    return this.alarm(
      id,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      {
        description: `A message is in the dead-letter queue of ${what}: an event gave up after its retries.`,
      },
    );
  }

  private alarm(id: string, metric: IMetric, opts: { description: string }): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      alarmDescription: opts.description,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}
