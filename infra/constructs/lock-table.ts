/**
 * The report functions' coordination table: report claims (see
 * functions/shared/adapters/aws/dynamo-lock.ts: one item per report being made, a
 * lease of minutes, so two deliveries of the same scheduled event make one
 * report and one email) and Data API rate slots (dynamo-rate-gate.ts: an
 * atomic counter per minute window, so all invocations together stay under
 * the account's limit); also the links' revocation list (dynamo-revocations.ts:
 * `revoked#…` items, each kept by TTL until no link it names can still be in
 * time). Partition key `pk` (string), leftovers removed by TTL on `ttl`.
 * On-demand billing, AWS-managed encryption, removed with the stack (claims
 * and slots live minutes; revocations die with the link key, which is removed
 * with the stack too, so no link they name can open again).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

/** The revocation items' key prefix (functions/shared/adapters/aws/dynamo-revocations.ts's REVOKED_PREFIX). */
export const REVOKED_PREFIX = 'revoked#';
/** The cooldown items' key prefix (functions/shared/adapters/aws/dynamo-cooldowns.ts's COOLDOWN_PREFIX). */
export const COOLDOWN_PREFIX = 'cooldown#';

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
      'The table holds report claims with leases of minutes, per-minute rate counters and link revocations; claims and counters restored would be stale by definition, and a lost revocation is re-issued with the documented command (or the link key rotated), which invalidates the same links.',
    );
  }

  /**
   * Reading the links' revocation list (adapters/aws/dynamo-revocations.ts): a
   * strongly consistent BatchGetItem of `revoked#…` items only (dynamodb:LeadingKeys),
   * so the download function sees no claim or rate slot.
   */
  grantRevocationReads(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${REVOKED_PREFIX}*`] } },
      }),
    );
  }

  /**
   * The cooldown of forced and emailed runs (adapters/aws/dynamo-cooldowns.ts):
   * take (conditional put), read the holder's end, give back (conditional
   * delete), on `cooldown#…` items only.
   */
  grantCooldowns(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${COOLDOWN_PREFIX}*`] } },
      }),
    );
  }

  /** Claim (conditional put), lease renewal and rate counters (update), release (delete): nothing else. */
  grantClaims(grantee: IGrantable): void {
    this.table.grant(grantee, 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem');
  }
}
