/**
 * Many customers in one stack (issue 18): the template is the same whatever the
 * number of subscriptions (none is in it: they live in the catalog table, their
 * schedules are made by the reconciler), the functions read the catalog and
 * each account's key secret, and the config file's accounts are checked.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../infra/config.ts';
import { buildStack, exampleRaw, lambdaFunctions } from './support.ts';

const manySubscriptions = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `team-${i}`,
    recipients: [`lead${i}@example.com`, `deputy${i}@example.com`],
    schedule: { time: '08:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'] },
    working_hours: 'mon-fri 09:00-18:00',
  }));

describe('the template at 10 and at 1 000 subscriptions', () => {
  it('has the same resources, and no subscription in it', () => {
    const [ten, thousand] = [10, 1000].map(
      (n) => buildStack(parseConfig({ ...exampleRaw(), subscriptions: manySubscriptions(n) })).template,
    );
    const resources = (t: typeof ten) => t?.toJSON().Resources as Record<string, { Type: string }>;
    const a = resources(ten);
    const b = resources(thousand);
    expect(Object.keys(b).length).toBe(Object.keys(a).length);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    expect(JSON.stringify(thousand?.toJSON())).not.toMatch(/team-999|lead999@/);
    expect(JSON.stringify(ten?.toJSON())).not.toMatch(/team-9\b|lead9@/);
  }, 120_000);
});

describe('the catalog in the stack', () => {
  const { template } = buildStack();
  const fns = lambdaFunctions(template);
  const roleOf = (description: string) => {
    const fn = Object.values(fns).find((f) => String(f.Properties.Description).startsWith(description));
    if (!fn) throw new Error(`no function "${description}…"`);
    return (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  };
  const statements = (role: string) =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>);

  it('is its own table, kept with the stack, protected, restorable', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'kind', KeyType: 'HASH' },
          { AttributeName: 'id', KeyType: 'RANGE' },
        ],
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        BillingMode: 'PAY_PER_REQUEST',
      },
    });
  });

  it('is read, never written, by the report functions and the API; the report functions read the accounts’ key secrets', () => {
    for (const fn of [
      'Call reports: the daily report',
      'Call reports: an on-demand',
      'Call reports: POST /reports',
    ]) {
      const catalog = statements(roleOf(fn)).filter((s) =>
        JSON.stringify(s.Resource).includes('CatalogTable'),
      );
      expect(catalog.map((s) => s.Action)).toEqual([['dynamodb:GetItem', 'dynamodb:Query']]);
    }
    for (const fn of ['Call reports: the daily report', 'Call reports: an on-demand']) {
      const keys = statements(roleOf(fn)).filter((s) =>
        JSON.stringify(s.Resource).includes(':secret:call-reports/data-api/*'),
      );
      expect(keys.map((s) => s.Action)).toEqual(['secretsmanager:GetSecretValue']);
    }
    const api = statements(roleOf('Call reports: POST /reports'));
    expect(JSON.stringify(api)).not.toContain('call-reports/data-api');
    template.hasOutput('CatalogTableName', Match.anyValue());
  });
});

describe('accounts in the config file', () => {
  const key = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:call-reports/data-api/acme-AbCdEf';
  it('makes the default account from the top-level settings, and keeps the listed ones', () => {
    const config = parseConfig({
      ...exampleRaw(),
      dataApiMinuteLimit: 90,
      accounts: [
        { id: 'acme', api_url: 'https://dataapi.comagic.ru/v2.0', key_secret_arn: key, day_limit: 5000 },
      ],
      subscriptions: [
        { id: 'a', account: 'acme', recipients: ['a@example.com'] },
        { id: 'b', recipients: ['b@example.com'] },
      ],
    });
    expect(config.accounts).toEqual([
      { id: 'default', api_url: 'https://dataapi.uiscom.ru/v2.0', minute_limit: 90 },
      {
        id: 'acme',
        api_url: 'https://dataapi.comagic.ru/v2.0',
        key_secret_arn: key,
        minute_limit: 150,
        day_limit: 5000,
      },
    ]);
  });

  it('names an unknown account, a missing key secret and a duplicate', () => {
    expect(() =>
      parseConfig({
        ...exampleRaw(),
        accounts: [{ id: 'beta' }, { id: 'acme', key_secret_arn: key }, { id: 'acme', key_secret_arn: key }],
        subscriptions: [{ id: 'a', account: 'gamma', recipients: ['a@example.com'] }],
      }),
    ).toThrow(
      'Invalid configuration: accounts[0].key_secret_arn: is missing: each account has its own key secret (aws secretsmanager create-secret --name call-reports/data-api/beta); accounts[2].id: duplicate account id "acme"; subscriptions[0].account: "gamma" is not an account of this file; name one of: default, beta, acme',
    );
  });
});
