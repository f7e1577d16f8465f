/**
 * A dead-letter queue: where an event goes when its retries are used up (an
 * EventBridge Scheduler target, a Lambda asynchronous invocation). Encrypted
 * with SQS-managed keys (senders need no KMS grants), TLS only, messages kept
 * for the SQS maximum of 14 days so there is time to look.
 */
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

export class DeadLetterQueue extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string, props: { usedBy: string }) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.queue,
      'AwsSolutions-SQS3',
      `This queue is itself a dead-letter queue (for ${props.usedBy}); nothing consumes it automatically, an alarm fires on its first message.`,
    );
  }
}
