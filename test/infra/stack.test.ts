/**
 * The template, resource by resource (bundling skipped: assets are not built).
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiConfigSchema,
  authorizerConfigSchema,
  downloadConfigSchema,
  reportConfigSchema,
} from '../../functions/shared/config.ts';
import { API_STAGE, BEARER_PATTERN } from '../../infra/constructs/reports-api.ts';
import { DATA_API_TOKEN_PLACEHOLDER } from '../../infra/constructs/secrets.ts';
import { CallReportsStack } from '../../infra/stack.ts';
import { buildStack, exampleConfig, fakeEnvironment, lambdaFunctions } from './support.ts';

type Resources = Record<
  string,
  { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string }
>;

let template: Template;
let resources: Resources;
const config = exampleConfig();

beforeAll(() => {
  template = buildStack(config).template;
  resources = template.toJSON().Resources as Resources;
});

/** The logical id of the only function whose description starts with `prefix`. */
function functionId(prefix: string): string {
  const ids = Object.entries(lambdaFunctions(template))
    .filter(([, r]) => String(r.Properties.Description).startsWith(prefix))
    .map(([id]) => id);
  expect(ids, prefix).toHaveLength(1);
  return ids[0] as string;
}

const FN = {
  daily: 'Call reports: the daily report',
  worker: 'Call reports: an on-demand report job',
  api: 'Call reports: POST /reports',
  download: 'Call reports: GET /download',
  authorizer: 'Call reports: bearer-token authorizer',
};

function fnProps(which: keyof typeof FN): Record<string, unknown> {
  return resources[functionId(FN[which])]?.Properties as Record<string, unknown>;
}

/** Statements of the execution role of a function. */
function statementsOf(which: keyof typeof FN): Array<{ Action: string | string[]; Resource: unknown }> {
  const role = (fnProps(which).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        (r.Properties.Roles as Array<{ Ref: string }>).some((x) => x.Ref === role),
    )
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: [] }).Statement);
}

function actionsOf(which: keyof typeof FN): string[] {
  return statementsOf(which)
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
    .sort();
}

describe('functions', () => {
  it('are five, each nodejs24.x on arm64 with its own log group and role', () => {
    const fns = Object.values(lambdaFunctions(template));
    expect(fns).toHaveLength(5);
    for (const fn of fns) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/LogGroup/) } },
        Environment: {
          Variables: expect.objectContaining({
            NODE_OPTIONS: '--max-semi-space-size=8',
          }),
        },
      });
    }
  });

  it('have sized memory and timeouts, and the report functions bounded concurrency', () => {
    expect(fnProps('daily')).toMatchObject({
      MemorySize: 1024,
      Timeout: 900,
      ReservedConcurrentExecutions: 3,
    });
    expect(fnProps('worker')).toMatchObject({
      MemorySize: 1769,
      Timeout: 900,
      ReservedConcurrentExecutions: 3,
    });
    expect(fnProps('api')).toMatchObject({ MemorySize: 512, Timeout: 10 });
    expect(fnProps('download')).toMatchObject({ MemorySize: 256, Timeout: 10 });
    expect(fnProps('authorizer')).toMatchObject({ MemorySize: 256, Timeout: 10 });
    expect(fnProps('api').ReservedConcurrentExecutions).toBeUndefined();
  });

  it('leave concurrency unreserved when maxConcurrentReports is false', () => {
    const t = buildStack(exampleConfig({ maxConcurrentReports: false })).template;
    for (const fn of Object.values(lambdaFunctions(t)))
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('log to log groups with the configured retention, removed with the stack', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 7); // 5 functions, API access and execution logs
    for (const lg of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(lg).toMatchObject({ Properties: { RetentionInDays: 90 }, DeletionPolicy: 'Delete' });
    }
    const t = buildStack(exampleConfig({ logRetentionDays: 365 })).template;
    t.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('get exactly the environment their handlers validate', () => {
    const schemas = {
      daily: reportConfigSchema,
      worker: reportConfigSchema,
      api: apiConfigSchema,
      download: downloadConfigSchema,
      authorizer: authorizerConfigSchema,
    };
    const expectedKeys = {
      daily: [
        'REPORTS_BUCKET',
        'MGF_API_URL',
        'MGF_TOKEN_SECRET_ARN',
        'LINK_KEY_SECRET_ARN',
        'MAIL_FROM',
        'CATALOG_TABLE',
        'DOWNLOAD_BASE_URL',
        'LINK_TTL_DAYS',
        'ATTACH_LIMIT_BYTES',
        'DATA_API_CONCURRENCY',
        'DATA_API_MINUTE_LIMIT',
        'LOCK_TABLE',
        'SES_CONFIGURATION_SET',
      ],
      api: [
        'REPORTS_BUCKET',
        'CATALOG_TABLE',
        'WORKER_FUNCTION_NAME',
        'LINK_KEY_SECRET_ARN',
        'DOWNLOAD_BASE_URL',
        'LINK_TTL_DAYS',
        'LOCK_TABLE',
      ],
      download: ['REPORTS_BUCKET', 'LINK_KEY_SECRET_ARN', 'LOCK_TABLE'],
      authorizer: ['API_TOKENS_SECRET_ARN'],
    };
    const house = [
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_LOG_LEVEL',
      'NODE_OPTIONS',
    ];
    for (const which of Object.keys(schemas) as Array<keyof typeof schemas>) {
      const env = fakeEnvironment(fnProps(which) as never);
      const keys = which === 'worker' ? expectedKeys.daily : expectedKeys[which];
      expect(Object.keys(env).sort(), which).toEqual([...keys, ...house].sort());
      expect(env).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'call-reports',
        POWERTOOLS_METRICS_NAMESPACE: 'CallReports',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
      const parsed = schemas[which].safeParse(env);
      expect(parsed.success, `${which}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
    const daily = fakeEnvironment(fnProps('daily') as never);
    expect(daily).toMatchObject({
      MGF_API_URL: 'https://dataapi.uiscom.ru/v2.0',
      MAIL_FROM: 'reports@example.com',
      LINK_TTL_DAYS: '14',
      ATTACH_LIMIT_BYTES: '5242880',
      DATA_API_CONCURRENCY: '4',
      DATA_API_MINUTE_LIMIT: '150',
    });
    const limited = buildStack(exampleConfig({ dataApiMinuteLimit: 60 })).template;
    const worker = Object.values(lambdaFunctions(limited)).find((f) =>
      String(f.Properties.Description).startsWith(FN.worker),
    );
    expect(fakeEnvironment(worker?.Properties as never).DATA_API_MINUTE_LIMIT).toBe('60');
    // The download links are built from the API id and the stage name, not from the stage resource.
    expect(daily.DOWNLOAD_BASE_URL).toMatch(
      new RegExp(
        `^https://fake-api[0-9a-f]+\\.execute-api\\.eu-central-1\\.amazonaws\\.com/${API_STAGE}/download/$`,
        'i',
      ),
    );
    // No subscription in the environment: the functions read the catalog table (issue 18).
    expect(reportConfigSchema.parse(daily)).toMatchObject({
      SUBSCRIPTIONS: [],
      CATALOG_TABLE: expect.stringMatching(/^fake-catalogtable/),
    });
  });
});

describe('reports bucket', () => {
  it('authorises S3 log delivery by bucket policy even without the cdk.json feature flags', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const t = Template.fromStack(new CallReportsStack(app, 'Bare', { config }));
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
          }),
        ]),
      },
    });
    for (const b of Object.values(t.findResources('AWS::S3::Bucket'))) {
      expect((b as { Properties: Record<string, unknown> }).Properties.AccessControl).toBeUndefined();
    }
  });

  const bucketProps = () => {
    const logged = Object.values(template.findResources('AWS::S3::Bucket')).filter(
      (b) => (b as { Properties: Record<string, unknown> }).Properties.LoggingConfiguration,
    );
    expect(logged).toHaveLength(1);
    return logged[0] as { Properties: Record<string, unknown>; DeletionPolicy: string };
  };

  it('is private, encrypted, TLS-only, retained, and logs access to its own log bucket', () => {
    template.resourceCountIs('AWS::S3::Bucket', 2);
    for (const b of Object.values(template.findResources('AWS::S3::Bucket'))) {
      expect(b).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        },
      });
      expect(
        (b as { Properties: Record<string, unknown> }).Properties.VersioningConfiguration,
      ).toBeUndefined();
    }
    expect(bucketProps().Properties.LoggingConfiguration).toMatchObject({
      DestinationBucketName: { Ref: expect.stringMatching(/AccessLogs/) },
    });
  });

  it('denies non-TLS and old-TLS requests in both bucket policies', () => {
    template.resourceCountIs('AWS::S3::BucketPolicy', 2);
    template.allResourcesProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          }),
        ]),
      },
    });
  });

  it('expires reports after the retention, jobs after 30 days, and aborts stale multipart uploads', () => {
    expect(bucketProps().Properties.LifecycleConfiguration).toEqual({
      Rules: [
        { Id: 'expire-reports', Prefix: 'reports/', ExpirationInDays: 90, Status: 'Enabled' },
        { Id: 'expire-jobs', Prefix: 'jobs/', ExpirationInDays: 30, Status: 'Enabled' },
        {
          Id: 'abort-incomplete-multipart-uploads',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          Status: 'Enabled',
        },
      ],
    });
    const t = buildStack(exampleConfig({ reportRetentionDays: 30 })).template;
    t.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Prefix: 'reports/', ExpirationInDays: 30 })]),
      },
    });
  });
});

describe('daily schedules', () => {
  it('are not in the template: a schedule group, a role for its schedules only, and a dead-letter queue', () => {
    // One schedule per subscription is made by the admin CLI's reconciler (test/infra/scale.test.ts,
    // test/integration/schedule-reconciler.test.ts), so the template does not grow with subscriptions.
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
        },
      },
    });
    const [role] = Object.values(roles) as Array<{ Properties: Record<string, unknown> }>;
    expect(JSON.stringify(role?.Properties.AssumeRolePolicyDocument)).toMatch(/aws:SourceArn.*schedule\//);
    for (const output of [
      'ScheduleGroupName',
      'SchedulerRoleArn',
      'ScheduleDeadLetterQueueArn',
      'DailyReportFunctionArn',
    ])
      template.hasOutput(output, Match.anyValue());
  });
});

describe('asynchronous invocations and dead-letter queues', () => {
  it('send failed daily and worker events to their own queues after stated retries', () => {
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 2);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId(FN.daily) },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DailyReportFailures'), 'Arn'] } },
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId(FN.worker) },
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReportWorkerFailures'), 'Arn'] },
        },
      },
    });
  });

  it('are three queues, encrypted, kept 14 days, TLS only', () => {
    template.resourceCountIs('AWS::SQS::Queue', 3);
    template.allResourcesProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    template.resourceCountIs('AWS::SQS::QueuePolicy', 3);
    template.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('REST API', () => {
  /** The method on `path` (its last part, or `parent/part` where two resources share a part). */
  const methodFor = (path: string, verb: string) => {
    const resources = template.findResources('AWS::ApiGateway::Resource');
    const [parent, part] = path.includes('/') ? path.split('/') : [undefined, path];
    const parentOf = (r: unknown) =>
      (r as { Properties: { ParentId: { Ref?: string } } }).Properties.ParentId.Ref ?? '';
    const resourceIds = Object.entries(resources)
      .filter(([, r]) => (r as { Properties: { PathPart: string } }).Properties.PathPart === part)
      .filter(
        ([, r]) =>
          parent === undefined ||
          (resources[parentOf(r)] as { Properties: { PathPart: string } } | undefined)?.Properties
            .PathPart === parent,
      )
      .map(([id]) => id);
    expect(resourceIds, path).toHaveLength(1);
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).filter((m) => {
      const p = (m as { Properties: { HttpMethod: string; ResourceId: { Ref: string } } }).Properties;
      return p.HttpMethod === verb && p.ResourceId.Ref === resourceIds[0];
    });
    expect(methods, `${verb} ${path}`).toHaveLength(1);
    return (methods[0] as { Properties: Record<string, unknown> }).Properties;
  };

  it('guards /reports with the TOKEN authorizer, and leaves /download to its signed token', () => {
    template.resourceCountIs('AWS::ApiGateway::Method', 5); // and the quick links' two (link-routes.test.ts)
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      IdentityValidationExpression: BEARER_PATTERN,
      AuthorizerResultTtlInSeconds: 300,
      AuthorizerUri: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [functionId(FN.authorizer), 'Arn'] }])],
      }),
    });
    const authorizerId = Object.keys(template.findResources('AWS::ApiGateway::Authorizer'))[0];
    const integration = (fn: string) => ({
      Type: 'AWS_PROXY',
      Uri: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [fn, 'Arn'] }])] }),
    });
    for (const [path, verb] of [
      ['reports', 'POST'],
      ['{id}', 'GET'],
    ] as const) {
      expect(methodFor(path, verb)).toMatchObject({
        AuthorizationType: 'CUSTOM',
        AuthorizerId: { Ref: authorizerId },
      });
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: verb,
        AuthorizationType: 'CUSTOM',
        Integration: integration(functionId(FN.api)),
      });
    }
    const download = methodFor('download/{token}', 'GET');
    expect(download.AuthorizationType).toBe('NONE');
    expect(download.AuthorizerId).toBeUndefined();
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      AuthorizationType: 'NONE',
      Integration: integration(functionId(FN.download)),
    });
  });

  it('validates requests: a JSON object body for POST /reports, required parameters everywhere', () => {
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    const validator = Object.keys(template.findResources('AWS::ApiGateway::RequestValidator'))[0];
    const modelId = Object.keys(template.findResources('AWS::ApiGateway::Model'))[0];
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: Match.objectLike({ type: 'object' }),
    });
    expect(methodFor('reports', 'POST')).toMatchObject({
      RequestValidatorId: { Ref: validator },
      RequestModels: { 'application/json': { Ref: modelId } },
    });
    expect(methodFor('{id}', 'GET')).toMatchObject({
      RequestParameters: { 'method.request.path.id': true, 'method.request.header.Authorization': true },
    });
    expect(methodFor('download/{token}', 'GET')).toMatchObject({
      RequestValidatorId: { Ref: validator },
      RequestParameters: { 'method.request.path.token': true },
    });
  });

  it('throttles the stage, logs access as JSON without the path, and execution errors without data', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: API_STAGE,
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 10,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ]),
      AccessLogSetting: {
        DestinationArn: Match.objectLike({
          'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^ApiAccessLogs') }])],
        }),
        Format: Match.stringLikeRegexp('"resourcePath":"\\$context.resourcePath"'),
      },
    });
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0] as {
      Properties: { AccessLogSetting: { Format: string } };
    };
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format) as Record<string, string>;
    // $context.path would log the download token, a bearer credential.
    expect(Object.values(format)).not.toContain('$context.path');
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });

    const t = buildStack(exampleConfig({ apiThrottle: { rateLimit: 2, burstLimit: 4 } })).template;
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({ HttpMethod: '*', ThrottlingRateLimit: 2, ThrottlingBurstLimit: 4 }),
      ]),
    });
  });

  it('keeps execution logs for the configured retention, and sets up the CloudWatch role', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: {
        'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: Match.anyValue() }, `/${API_STAGE}`]],
      },
      RetentionInDays: 90,
    });
    template.hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
      },
    });
  });

  it('answers its own 401/403/404/400/429 errors with the JSON error shape', () => {
    const expected: Array<[string, string, string]> = [
      ['UNAUTHORIZED', '401', 'unauthorized'],
      ['ACCESS_DENIED', '403', 'forbidden'],
      ['MISSING_AUTHENTICATION_TOKEN', '404', 'not_found'],
      ['BAD_REQUEST_BODY', '400', 'invalid_body'],
      ['BAD_REQUEST_PARAMETERS', '400', 'invalid_request'],
      ['THROTTLED', '429', 'throttled'],
    ];
    for (const [type, status, code] of expected) {
      const found = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).filter(
        (r) => (r as { Properties: { ResponseType: string } }).Properties.ResponseType === type,
      ) as Array<{ Properties: Record<string, unknown> }>;
      expect(found, type).toHaveLength(1);
      const props = found[0]?.Properties as {
        StatusCode: string;
        ResponseTemplates: Record<string, string>;
        ResponseParameters: Record<string, string>;
      };
      expect(props.StatusCode).toBe(status);
      expect(props.ResponseParameters['gatewayresponse.header.Content-Type']).toBe("'application/json'");
      const body = JSON.parse(props.ResponseTemplates['application/json'] as string);
      expect(body).toEqual({ error: { code, message: expect.any(String), field: null } });
      expect(body.error.message.length).toBeGreaterThan(5);
    }
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_5XX',
      ResponseTemplates: {
        'application/json':
          '{"error":{"code":"internal_error","message":$context.error.messageString,"field":null}}',
      },
    });
  });

  it('lets API Gateway invoke only its three functions, from this API', () => {
    const perms = Object.values(template.findResources('AWS::Lambda::Permission')) as Array<{
      Properties: Record<string, unknown>;
    }>;
    expect(perms).toHaveLength(6); // POST and GET /reports, GET /download, GET and POST /q, the authorizer
    for (const p of perms) {
      expect(p.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: expect.objectContaining({ 'Fn::Join': expect.any(Array) }),
      });
    }
  });
});

describe('secrets', () => {
  it('are three: a placeholder Data API token, a generated link key and generated API tokens', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 3);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      SecretString: DATA_API_TOKEN_PLACEHOLDER,
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {
        SecretStringTemplate: '{}',
        GenerateStringKey: 'token',
        PasswordLength: 48,
        ExcludePunctuation: true,
      },
    });
  });

  it('are readable by exactly the functions that need them', () => {
    const secretReads = (which: keyof typeof FN) =>
      statementsOf(which)
        .filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'))
        .flatMap((s) => [s.Resource].flat() as Array<{ Ref?: string }>)
        .flatMap((r) =>
          r.Ref === undefined ? [] : [r.Ref.replace(/^Secrets/, '').replace(/[0-9A-F]{8}$/, '')],
        )
        .sort();
    expect(secretReads('daily')).toEqual(['DataApiToken', 'LinkKey']);
    expect(secretReads('worker')).toEqual(['DataApiToken', 'LinkKey']);
    // Besides: the accounts' key secrets by their name prefix (test/infra/scale.test.ts).
    expect(secretReads('api')).toEqual(['LinkKey']);
    expect(secretReads('download')).toEqual(['LinkKey']);
    expect(secretReads('authorizer')).toEqual(['ApiTokens']);
  });
});

describe('SES identity', () => {
  it('is created for the sender domain by default, with its DKIM records as outputs', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'example.com' });
    for (const i of [1, 2, 3]) template.hasOutput(`DkimRecord${i}`, Match.anyValue());
  });

  it('is created for the address, or expected to exist', () => {
    const address = buildStack(exampleConfig({ sesIdentity: 'address' })).template;
    address.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'reports@example.com' });
    expect(Object.keys(address.findOutputs('DkimRecord1'))).toHaveLength(0);
    const existing = buildStack(exampleConfig({ sesIdentity: false })).template;
    existing.resourceCountIs('AWS::SES::EmailIdentity', 0);
  });

  it('may be used to send by the two report functions only, on the sender identities only', () => {
    const sesArn = (name: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ses:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:identity/${name}`,
        ],
      ],
    });
    for (const which of ['daily', 'worker'] as const) {
      const ses = statementsOf(which).filter((s) => [s.Action].flat().some((a) => a.startsWith('ses:')));
      expect(ses).toEqual([
        expect.objectContaining({
          Action: ['ses:SendEmail', 'ses:SendRawEmail'],
          Resource: expect.arrayContaining([sesArn('reports@example.com'), sesArn('example.com')]),
          // Only as the configured sender: the domain identity would let any of its addresses send.
          Condition: { StringEquals: { 'ses:FromAddress': 'reports@example.com' } },
        }),
      ]);
    }
    for (const which of ['api', 'download', 'authorizer'] as const) {
      expect(actionsOf(which).filter((a) => a.startsWith('ses:'))).toEqual([]);
    }
  });
});

describe('alarms', () => {
  it('watch every function and every dead-letter queue, and notify the topic', () => {
    // 5 functions, 3 dead-letter queues, 7 failures the code or the services count (observability.ts).
    template.resourceCountIs('AWS::CloudWatch::Alarm', 15);
    const topic = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };
    for (const id of Object.keys(lambdaFunctions(template))) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topic],
      });
    }
    // Arrivals, not the level: every queue here is written with SendMessage (alarms.ts).
    for (const id of Object.keys(template.findResources('AWS::SQS::Queue'))) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'NumberOfMessagesSent',
        Statistic: 'Sum',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [topic],
      });
    }
  });

  it('go to a KMS-encrypted, TLS-only topic that CloudWatch may publish to, with the optional email', () => {
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    const quiet = buildStack(exampleConfig({ alarmEmail: undefined })).template;
    quiet.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('least privilege', () => {
  const allStatements = () =>
    Object.values(resources).flatMap((r) => {
      if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
        return (r.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement;
      }
      if (r.Type === 'AWS::IAM::Role') {
        const inline = (r.Properties.Policies ?? []) as Array<{ PolicyDocument: { Statement: [] } }>;
        return inline.flatMap((p) => p.PolicyDocument.Statement);
      }
      return [];
    });

  it('has no identity-policy statement with a wildcard action', () => {
    const statements = allStatements();
    expect(statements.length).toBeGreaterThan(10);
    const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
    for (const action of actions) expect(action, action).not.toContain('*');
    expect(statements.some((s) => s.NotAction !== undefined)).toBe(false);
  });

  it('uses no managed policy except the documented API Gateway logging role', () => {
    const managed = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Role')
      .flatMap((r) => (r.Properties.ManagedPolicyArns ?? []) as unknown[]);
    expect(JSON.stringify(managed)).toBe(
      JSON.stringify([
        {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
            ],
          ],
        },
      ]),
    );
  });

  it('scopes object access to prefixes, function by function', () => {
    const objectActions = (which: keyof typeof FN) =>
      Object.fromEntries(
        statementsOf(which)
          .filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')))
          .flatMap((s) =>
            ([s.Resource].flat() as unknown[]).map((r) => [
              JSON.stringify(r).match(/"\/(reports|jobs)\/\*"/)?.[1] ?? 'bucket',
              [s.Action].flat().sort(),
            ]),
          ),
      );
    const rw = ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'];
    expect(objectActions('daily')).toEqual({ reports: rw, bucket: ['s3:ListBucket'] });
    expect(objectActions('worker')).toEqual({ reports: rw, jobs: rw, bucket: ['s3:ListBucket'] });
    expect(objectActions('api')).toEqual({ jobs: rw, reports: ['s3:GetObject'], bucket: ['s3:ListBucket'] });
    expect(objectActions('download')).toEqual({ reports: ['s3:GetObject'], bucket: ['s3:ListBucket'] });
    expect(objectActions('authorizer')).toEqual({});
  });

  it('lets only the reports API invoke the worker, and only the scheduler invoke the daily report', () => {
    expect(actionsOf('api')).toContain('lambda:InvokeFunction');
    for (const which of ['daily', 'worker', 'download', 'authorizer'] as const) {
      expect(actionsOf(which)).not.toContain('lambda:InvokeFunction');
    }
    const invoke = statementsOf('api').find((s) => s.Action === 'lambda:InvokeFunction');
    expect(JSON.stringify(invoke?.Resource)).toContain(functionId(FN.worker));
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
  });

  it('writes logs only to the function’s own log group (no AWSLambdaBasicExecutionRole)', () => {
    for (const which of Object.keys(FN) as Array<keyof typeof FN>) {
      const logs = statementsOf(which).filter((s) => [s.Action].flat().some((a) => a.startsWith('logs:')));
      expect(logs).toEqual([
        expect.objectContaining({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: {
            'Fn::GetAtt': [
              (fnProps(which).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref,
              'Arn',
            ],
          },
        }),
      ]);
    }
  });
});

describe('report-claim and rate table', () => {
  it('is an on-demand table keyed by pk with TTL, removed with the stack', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 2); // and the catalog (test/infra/scale.test.ts)
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        SSESpecification: { SSEEnabled: true },
      },
    });
  });

  it('takes claims from the two report functions only: put, update, delete', () => {
    const tableId = Object.keys(template.findResources('AWS::DynamoDB::Table')).find((id) =>
      id.startsWith('ReportClaims'),
    );
    for (const which of ['daily', 'worker'] as const) {
      const dynamo = statementsOf(which).filter(
        (s) =>
          [s.Action].flat().some((a) => a.startsWith('dynamodb:')) &&
          !JSON.stringify(s.Resource).includes('CatalogTable'), // read-only (test/infra/scale.test.ts)
      );
      expect(dynamo).toEqual([
        expect.objectContaining({
          Action: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
        }),
      ]);
      expect(fakeEnvironment(fnProps(which) as never).LOCK_TABLE).toBe(`fake-${tableId?.toLowerCase()}`);
    }
    // The download function reads the revocation list, the API takes cooldowns, only (test/infra/revocations.test.ts).
    for (const which of ['authorizer'] as const) {
      expect(actionsOf(which).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    }
  });
});

describe('outputs and names', () => {
  it('outputs the API URL, the bucket, the alarm topic and the secret ARNs, never a secret value', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'ReportsBucketName',
        'AlarmTopicArn',
        'DataApiTokenSecretArn',
        'ApiTokensSecretArn',
        'LinkKeySecretArn',
      ]),
    );
    expect(outputs.ReportsBucketName?.Value).toEqual({ Ref: expect.stringMatching(/^ReportsBucket/) });
    expect(JSON.stringify(outputs)).not.toMatch(/SecretString|secretsmanager:|resolve:secretsmanager/);
  });

  it('leaves every name to CloudFormation', () => {
    // Literal physical names collide between two deployments in one account; references are fine.
    const nameKeys = [
      'FunctionName',
      'BucketName',
      'QueueName',
      'TopicName',
      'RoleName',
      'TableName',
      'LogGroupName',
      'Name',
    ];
    const unnamedTypes = ['AWS::ApiGateway::RestApi', 'AWS::ApiGateway::Authorizer']; // their Name is a label
    const named = Object.entries(resources).filter(
      ([, r]) =>
        !unnamedTypes.includes(r.Type) && nameKeys.some((k) => typeof r.Properties?.[k] === 'string'),
    );
    expect(named.map(([id, r]) => `${id} ${r.Type}`)).toEqual([]);
  });
});
