/**
 * The report functions' coordination table: report claims (see
 * functions/shared/adapters/aws/dynamo-lock.ts: one item per report being made, a
 * lease of minutes, so two deliveries of the same scheduled event make one
 * report and one email) and Data API rate slots (dynamo-rate-gate.ts: an
 * atomic counter per minute window, so all invocations together stay under
 * the account's limit). Partition key `pk` (string), leftovers removed by TTL
 * on `ttl`. On-demand billing, AWS-managed encryption, removed with the stack
 * (nothing in it outlives an hour).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

export class LockTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'ttl',
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.table,
      'AwsSolutions-DDB3',
      'The table holds only report claims with leases of minutes and per-minute rate counters; there is nothing to restore, and restored items would be stale by definition.',
    );
  }

  /** Claim (conditional put), lease renewal and rate counters (update), release (delete): nothing else. */
  grantClaims(grantee: IGrantable): void {
    this.table.grant(grantee, 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem');
  }
}
