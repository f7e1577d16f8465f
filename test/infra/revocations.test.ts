/** The CDK side of the links' key ring and revocation list: what the download function may read, and nothing more. */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { COOLDOWN_PREFIX as ADAPTER_COOLDOWN_PREFIX } from '../../functions/shared/adapters/aws/dynamo-cooldowns.ts';
import { REVOKED_PREFIX as ADAPTER_PREFIX } from '../../functions/shared/adapters/aws/dynamo-revocations.ts';
import { COOLDOWN_PREFIX, REVOKED_PREFIX } from '../../infra/constructs/lock-table.ts';
import { buildStack, fakeEnvironment, lambdaFunctions } from './support.ts';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
let template: Template;
let resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;

beforeAll(() => {
  template = buildStack().template;
  resources = template.toJSON().Resources;
});

function fn(prefix: string): { id: string; props: Record<string, unknown> } {
  const [entry] = Object.entries(lambdaFunctions(template)).filter(([, r]) =>
    String(r.Properties.Description).startsWith(prefix),
  );
  if (!entry) throw new Error(`no function ${prefix}`);
  return { id: entry[0], props: entry[1].Properties as Record<string, unknown> };
}

function dynamoStatements(prefix: string): Statement[] {
  const role = (fn(prefix).props.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        (r.Properties.Roles as Array<{ Ref: string }>).some((x) => x.Ref === role),
    )
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')))
    .filter((s) => !JSON.stringify(s.Resource).includes('CatalogTable')); // read-only (test/infra/scale.test.ts)
}

describe('the revocation list in the stack', () => {
  it('names the same item prefix in the stack and in the adapter', () => {
    expect(REVOKED_PREFIX).toBe(ADAPTER_PREFIX);
  });

  it('lets the download function read revocation items only: BatchGetItem/GetItem on revoked# keys of the one table', () => {
    const tableId = Object.keys(template.findResources('AWS::DynamoDB::Table'))[0];
    expect(dynamoStatements('Call reports: GET /download')).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'],
        Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['revoked#*'] } },
      },
    ]);
    const env = fakeEnvironment(fn('Call reports: GET /download').props as never);
    expect(env.LOCK_TABLE).toBe(`fake-${tableId?.toLowerCase()}`);
  });

  it('lets the reports API take and give back cooldown slots, and read revocations (its quick-link route), nothing else of the table', () => {
    expect(COOLDOWN_PREFIX).toBe(ADAPTER_COOLDOWN_PREFIX);
    const tableId = Object.keys(template.findResources('AWS::DynamoDB::Table'))[0];
    expect(dynamoStatements('Call reports: POST /reports')).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['cooldown#*'] } },
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'],
        Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['revoked#*'] } },
      },
    ]);
    expect(fakeEnvironment(fn('Call reports: POST /reports').props as never).LOCK_TABLE).toBe(
      `fake-${tableId?.toLowerCase()}`,
    );
  });

  it('keeps the link key one secret the ring lives in, read by the functions that sign or check links', () => {
    const secrets = template.findResources('AWS::SecretsManager::Secret');
    const linkKey = Object.entries(secrets).filter(([id]) => id.includes('LinkKey'));
    expect(linkKey).toHaveLength(1);
  });
});
