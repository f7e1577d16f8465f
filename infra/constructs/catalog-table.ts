/**
 * The catalog table: the Data API accounts and the subscriptions that read
 * them (functions/shared/adapters/aws/dynamo-catalog.ts: partition key `kind`,
 * sort key `id`, the checked document in `doc`). Written by the admin CLI and
 * the deploy's sync (README, "Many customers"), read by the report functions
 * and the Reports API at run time, so no subscription travels in an
 * environment variable and the template does not grow with them.
 *
 * Its own table, not the claims table: it is the customers' configuration, not
 * leases of minutes, so it is kept when the stack is deleted, protected from
 * deletion, and restorable to any second of the last 35 days (point-in-time
 * recovery). On-demand billing: a morning's burst of reads is a few thousand
 * GetItems.
 */
import { Arn, ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import { ACCOUNT_SECRET_PREFIX } from '../../functions/shared/config.ts';
import { acknowledge, resourceFinding } from './nag.ts';

export class CatalogTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'kind', type: AttributeType.STRING },
      sortKey: { name: 'id', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The functions only read it: GetItem and Query, nothing else. */
  grantRead(grantee: IGrantable): void {
    this.table.grant(grantee, 'dynamodb:GetItem', 'dynamodb:Query');
  }

  /**
   * The accounts' key secrets (one per account, named `call-reports/data-api/<id>`):
   * one statement on the name prefix, so a new account needs no deploy.
   */
  grantAccountKeyReads(grantee: IGrantable & IConstruct): void {
    const arn = Arn.format(
      {
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${ACCOUNT_SECRET_PREFIX}*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      },
      Stack.of(this),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['secretsmanager:GetSecretValue'],
        resources: [arn],
      }),
    );
    acknowledge(
      grantee,
      `AwsSolutions-IAM5[${resourceFinding(this, arn)}]`,
      'Each Data API account has its own key secret, added with the admin CLI without a deploy; the grant is the accounts prefix of this account and region only (README, Many customers).',
    );
  }
}
