/**
 * Alarms to one SNS topic the user can subscribe to (optionally an email
 * subscription from the config): each function's `Errors`, each dead-letter
 * queue's arrivals, and the failures the code catches and counts itself
 * (Powertools metrics in the `CallReports` namespace, dimension `service`).
 *
 * Dead-letter queues alarm on **arrivals**, never on the level: an alarm on
 * messages visible stays in ALARM while old messages sit in the queue, so a
 * later failure notifies nobody. Which metric counts an arrival depends on
 * how messages get in:
 * - `sent`: the queue is written with SendMessage by a service (a Lambda
 *   on-failure destination, an EventBridge Scheduler dead-letter queue): each
 *   arrival is in `NumberOfMessagesSent`, so its Sum over five minutes > 0.
 * - `redrive`: the queue is another queue's redrive target: SQS moves messages
 *   in without SendMessage, and `NumberOfMessagesSent` does not count them,
 *   so the alarm is metric math on the increase of the visible count
 *   (`DIFF` of its one-minute maximum > 0).
 *
 * The topic is encrypted with a customer managed KMS key (rotated yearly):
 * CloudWatch alarms cannot publish to a topic encrypted with the AWS managed
 * `alias/aws/sns` key, whose policy cannot be changed to let CloudWatch use it.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Where the functions' Powertools metrics are (POWERTOOLS_ENV in stack.ts). */
export interface AppMetrics {
  namespace: string;
  service: string;
}

/** How messages reach a dead-letter queue, which decides the metric of its arrivals (see above). */
export type QueueKind = 'sent' | 'redrive';

export interface AlarmsProps {
  /** Optional address subscribed to the topic (AWS mails a confirmation link). */
  email?: string | undefined;
  metrics: AppMetrics;
}

export class Alarms extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  private readonly action: SnsAction;
  private readonly metrics: AppMetrics;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.metrics = props.metrics;

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

  /** One of the functions' own metrics (Powertools, namespace and `service` dimension of the stack). */
  appMetric(name: string, opts: { period?: Duration; statistic?: string } = {}): Metric {
    return new Metric({
      namespace: this.metrics.namespace,
      metricName: name,
      dimensionsMap: { service: this.metrics.service },
      period: opts.period ?? Duration.minutes(5),
      statistic: opts.statistic ?? 'Sum',
    });
  }

  /** Alarms on any error of the function within 5 minutes. */
  watchFunction(id: string, fn: IFunction, what: string): Alarm {
    return this.alarm(id, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), {
      description: `${what} failed (Lambda Errors > 0). See its log group.`,
    });
  }

  /** Alarms on each arrival in the dead-letter queue, by the metric its kind needs (see above). */
  watchQueue(id: string, queue: IQueue, what: string, kind: QueueKind): Alarm {
    const description = `A message arrived in the dead-letter queue of ${what}: an event gave up after its retries. Read it with aws sqs receive-message (README, Operating it).`;
    if (kind === 'sent') {
      return this.alarm(
        id,
        queue.metricNumberOfMessagesSent({ period: Duration.minutes(5), statistic: 'Sum' }),
        { description },
      );
    }
    const arrivals = new MathExpression({
      expression: 'IF(DIFF(visible) > 0, DIFF(visible), 0)',
      usingMetrics: {
        visible: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: 'Maximum',
        }),
      },
      label: 'Messages moved in',
      period: Duration.minutes(1),
    });
    return this.alarm(id, arrivals, { description });
  }

  /** Alarms when the functions' metric `name` sums to more than `threshold` within `period`. */
  watchAppMetric(
    id: string,
    name: string,
    description: string,
    opts: { threshold?: number; period?: Duration } = {},
  ): Alarm {
    return this.alarm(id, this.appMetric(name, { ...(opts.period ? { period: opts.period } : {}) }), {
      description,
      threshold: opts.threshold ?? 0,
    });
  }

  /** Alarms when `metric` is above `threshold` (default 0) in one period. */
  watch(id: string, metric: IMetric, description: string, threshold = 0): Alarm {
    return this.alarm(id, metric, { description, threshold });
  }

  private alarm(id: string, metric: IMetric, opts: { description: string; threshold?: number }): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      alarmDescription: opts.description,
      threshold: opts.threshold ?? 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}
