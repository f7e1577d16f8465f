/**
 * The Lambda handlers in-process with events of the exact shape their triggers
 * send, against the simulator, s3rver and aws-ses-v2-local; Secrets Manager is
 * faked at the SDK level. Also: no secret ever reaches a log line.
 */
import { randomBytes } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateCalls } from '../../simulator/generator.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { type LocalDynamo, startDynalite } from '../support/dynalite.ts';
import { type LocalS3, S3RVER_CREDENTIALS, startS3rver } from '../support/s3rver.ts';
import { type SesLocal, startSesLocal } from '../support/ses-local.ts';

const DATA_TOKEN = `data-${randomBytes(12).toString('hex')}`;
const LINK_KEY = `link-${randomBytes(16).toString('hex')}`;
const BEARER = `bearer-${randomBytes(16).toString('hex')}`;
const ARN = (name: string) => `arn:aws:secretsmanager:eu-central-1:123456789012:secret:${name}`;

let sim: Simulator;
let s3: LocalS3;
let ses: SesLocal;
let dynamo: LocalDynamo;
const secretsMock = mockClient(SecretsManagerClient);
const lambdaMock = mockClient(LambdaClient);
const logs: string[] = [];
const context = (name: string): Context =>
  ({
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-central-1:123456789012:function:${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: `req-${randomBytes(4).toString('hex')}`,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 's',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  }) as Context;

type Handler<E, R> = (event: E, context: Context) => Promise<R>;
let daily: Handler<unknown, { status: string; outcome?: string; reason?: string }>;
let worker: Handler<unknown, { status: string }>;
let api: Handler<
  APIGatewayProxyEvent,
  { statusCode: number; headers?: Record<string, unknown>; body: string }
>;
let download: Handler<APIGatewayProxyEvent, { statusCode: number; headers: Record<string, string> }>;
let authorizer: Handler<unknown, { policyDocument: { Statement: Array<{ Effect: string }> } }>;

beforeAll(async () => {
  [sim, s3, ses, dynamo] = await Promise.all([
    startSimulator({
      accessToken: DATA_TOKEN,
      rows: generateCalls({ seed: 21, from: '2024-10-21', till: '2024-10-22', callsPerDay: 300 }),
    }),
    startS3rver(),
    startSesLocal(),
    startDynalite(),
  ]);
  Object.assign(process.env, {
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    LOCK_TABLE: dynamo.table,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    POWERTOOLS_SERVICE_NAME: 'call-reports-test',
    POWERTOOLS_METRICS_NAMESPACE: 'CallReportsTest',
    REPORTS_BUCKET: s3.bucket,
    MGF_API_URL: sim.url,
    MGF_TOKEN_SECRET_ARN: ARN('data-token'),
    LINK_KEY_SECRET_ARN: ARN('link-key'),
    API_TOKENS_SECRET_ARN: ARN('api-tokens'),
    MAIL_FROM: 'reports@example.com',
    SUBSCRIPTIONS: JSON.stringify([
      { id: 'sales', recipients: ['head.of.sales@example.com'], timezone: 'Europe/Moscow' },
      { id: 'support', recipients: ['support.lead@example.com'], language: 'en' },
    ]),
    DOWNLOAD_BASE_URL: 'https://abc123.execute-api.eu-central-1.amazonaws.com/prod/download/',
    WORKER_FUNCTION_NAME: 'report-worker',
  });
  secretsMock
    .on(GetSecretValueCommand, { SecretId: ARN('data-token') })
    .resolves({ SecretString: DATA_TOKEN });
  secretsMock.on(GetSecretValueCommand, { SecretId: ARN('link-key') }).resolves({ SecretString: LINK_KEY });
  secretsMock
    .on(GetSecretValueCommand, { SecretId: ARN('api-tokens') })
    .resolves({ SecretString: JSON.stringify({ token: BEARER }) });
  lambdaMock.on(InvokeCommand).resolves({ StatusCode: 202 });
  // Every log line the handlers write (Powertools writes JSON lines to stdout/stderr), kept and not printed.
  const capture = ((chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  daily = (await import('../../functions/daily-report/handler.ts')).handler as never;
  worker = (await import('../../functions/report-worker/handler.ts')).handler as never;
  api = (await import('../../functions/reports-api/handler.ts')).handler as never;
  download = (await import('../../functions/download/handler.ts')).handler as never;
  authorizer = (await import('../../functions/authorizer/handler.ts')).handler as never;
});

afterAll(async () => {
  vi.restoreAllMocks();
  secretsMock.restore();
  lambdaMock.restore();
  await Promise.all([sim.close(), s3.dispose(), ses.stop(), dynamo.stop()]);
});

/** The input EventBridge Scheduler delivers for a schedule whose target input is {subscription, scheduled_time}. */
const schedulerEvent = (subscription: string) => ({ subscription, scheduled_time: '2024-10-22T05:00:00Z' });

function apiEvent(
  method: string,
  resource: string,
  body: unknown,
  pathParameters: Record<string, string> | null = null,
): APIGatewayProxyEvent {
  const path = pathParameters?.id
    ? `/reports/${pathParameters.id}`
    : pathParameters?.token
      ? `/download/${pathParameters.token}`
      : '/reports';
  return {
    resource,
    path,
    httpMethod: method,
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Host: 'abc123.execute-api.eu-central-1.amazonaws.com',
    },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: { principalId: 'api-client' },
      httpMethod: method,
      path: `/prod${path}`,
      protocol: 'HTTP/1.1',
      requestId: 'api-req-1',
      requestTimeEpoch: Date.now(),
      resourceId: 'r1',
      resourcePath: resource,
      stage: 'prod',
      identity: { sourceIp: '203.0.113.7' },
    } as never,
    body: body === null ? null : JSON.stringify(body),
    isBase64Encoded: false,
  };
}

describe('daily report handler', () => {
  it('makes yesterday’s report from a Scheduler event and emails it once, however often it is delivered', async () => {
    const before = (await ses.emails()).length;
    const first = await daily(schedulerEvent('sales'), context('daily-report'));
    expect(first).toMatchObject({
      status: 'done',
      period: '2024-10-21..2024-10-21',
      outcome: 'built_and_sent',
    });
    for (let i = 0; i < 2; i++) {
      expect(await daily(schedulerEvent('sales'), context('daily-report'))).toMatchObject({
        outcome: 'already_sent',
      });
    }
    const mails = (await ses.emails()).slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual(['head.of.sales@example.com']);
    expect(mails[0]?.html).toContain('https://abc123.execute-api.eu-central-1.amazonaws.com/prod/download/');
  });

  it('sends one email when the same event is delivered three times at the same moment', async () => {
    const before = (await ses.emails()).length;
    const event = { subscription: 'sales', scheduled_time: '2024-10-21T05:00:00Z' }; // the report of 2024-10-20
    const results = await Promise.allSettled([1, 2, 3].map(() => daily(event, context('daily-report'))));
    const done = results.filter((r) => r.status === 'fulfilled');
    const busy = results.filter((r) => r.status === 'rejected');
    expect(done).toHaveLength(1);
    // The others fail (so Lambda retries them later) without doing anything.
    expect(busy.map((r) => String((r as PromiseRejectedResult).reason))).toEqual([
      expect.stringMatching(
        /ReportInProgressError: Another run is making the report report\/sales\/2024-10-20_2024-10-20/,
      ),
      expect.stringMatching(/ReportInProgressError/),
    ]);
    expect((await ses.emails()).length - before).toBe(1);
    // Their retries, once the first run is over, find the report sent.
    expect(await daily(event, context('daily-report'))).toMatchObject({
      status: 'done',
      outcome: 'already_sent',
    });
    expect((await ses.emails()).length - before).toBe(1);
  });

  it.each([
    ['an empty event', {}, /subscription: is missing/],
    [
      'an unknown subscription',
      { subscription: 'marketing' },
      /Unknown subscription "marketing"; configured: sales, support/,
    ],
    ['an extra key', { subscription: 'sales', recipients: ['x@evil.com'] }, /Invalid schedule event/],
  ])('rejects %s without throwing (no retry) and says why in one log line', async (_name, ev, reason) => {
    const at = logs.length;
    const r = await daily(ev, context('daily-report'));
    expect(r.status).toBe('rejected');
    expect(r.reason).toMatch(reason);
    const errors = logs.slice(at).filter((l) => l.includes('"level":"ERROR"'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/"function_request_id":"req-/);
  });

  it('writes the subscription, the period and the request id on every line of a run', async () => {
    const at = logs.length;
    await daily(schedulerEvent('support'), context('daily-report'));
    const lines = logs.slice(at).filter((l) => l.includes('"level":"INFO"'));
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) {
      expect(l).toContain('"subscription":"support"');
      expect(l).toContain('"period":"2024-10-21..2024-10-21"');
      expect(l).toContain('"function_request_id":"req-');
    }
  });
});

describe('Reports API, worker and download', () => {
  it('queues a report, the worker makes it, GET gives the summary and a link that downloads it', async () => {
    const post = await api(
      apiEvent('POST', '/reports', { date: '2024-10-21', subscription: 'sales', force: true }),
      context('reports-api'),
    );
    expect(post.statusCode).toBe(202);
    const { id } = JSON.parse(post.body) as { id: string };
    expect(post.headers?.Location).toBe(`/prod/reports/${id}`);
    const invoke = lambdaMock.commandCalls(InvokeCommand).at(-1)?.args[0].input;
    expect(invoke).toMatchObject({ FunctionName: 'report-worker', InvocationType: 'Event' });
    const payload = JSON.parse(Buffer.from(invoke?.Payload as Uint8Array).toString());
    expect(payload).toEqual({ jobId: id });

    const queued = JSON.parse(
      (await api(apiEvent('GET', '/reports/{id}', null, { id }), context('reports-api'))).body,
    );
    expect(queued.status).toBe('queued');

    expect(await worker(payload, context('report-worker'))).toEqual({ status: 'done', jobId: id });
    expect(await worker(payload, context('report-worker'))).toEqual({ status: 'done', jobId: id }); // duplicate: nothing

    const done = JSON.parse(
      (await api(apiEvent('GET', '/reports/{id}', null, { id }), context('reports-api'))).body,
    );
    expect(done.status).toBe('done');
    expect(done.summary.period).toEqual({
      from: '2024-10-21',
      till: '2024-10-21',
      timezone: 'Europe/Moscow',
    });
    const token = String(done.download.url).split('/download/')[1] ?? '';

    const res = await download(apiEvent('GET', '/download/{token}', null, { token }), context('download'));
    expect(res.statusCode).toBe(302);
    const xlsx = Buffer.from(await (await fetch(res.headers.Location ?? '')).arrayBuffer());
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');

    const bad = await download(
      apiEvent('GET', '/download/{token}', null, { token: `${token}x` }),
      context('download'),
    );
    expect(bad.statusCode).toBe(403);
  });

  it('marks a job failed with the reason in words when the report cannot be made', async () => {
    sim.setFaults({ badToken: true });
    try {
      const post = await api(
        apiEvent('POST', '/reports', { date: '2024-10-20', subscription: 'support' }),
        context('reports-api'),
      );
      const { id } = JSON.parse(post.body) as { id: string };
      expect(await worker({ jobId: id }, context('report-worker'))).toEqual({ status: 'failed', jobId: id });
      const got = JSON.parse(
        (await api(apiEvent('GET', '/reports/{id}', null, { id }), context('reports-api'))).body,
      );
      expect(got).toMatchObject({
        status: 'failed',
        error: { message: expect.stringMatching(/access_token_invalid/) },
      });
    } finally {
      sim.clearFaults();
    }
  });
});

describe('authorizer', () => {
  const tokenEvent = (authorizationToken: string) => ({
    type: 'TOKEN',
    authorizationToken,
    methodArn: 'arn:aws:execute-api:eu-central-1:123456789012:abc123/prod/POST/reports',
  });

  it('allows the kept bearer token for the whole stage', async () => {
    const r = await authorizer(tokenEvent(`Bearer ${BEARER}`), context('authorizer'));
    expect(r.policyDocument.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Resource: 'arn:aws:execute-api:eu-central-1:123456789012:abc123/prod/*',
    });
  });

  it('denies a wrong token (API Gateway answers 403)', async () => {
    const r = await authorizer(tokenEvent('Bearer not-the-token-at-all'), context('authorizer'));
    expect(r.policyDocument.Statement[0]?.Effect).toBe('Deny');
  });

  it('answers Unauthorized to a header that is not a bearer token (API Gateway answers 401)', async () => {
    await expect(authorizer(tokenEvent(`Basic ${BEARER}`), context('authorizer'))).rejects.toThrow(
      'Unauthorized',
    );
  });
});

describe('secrets', () => {
  it('never writes the Data API token, the bearer token or the signing key to a log line', () => {
    expect(logs.length).toBeGreaterThan(10);
    const all = logs.join('\n');
    for (const secret of [DATA_TOKEN, BEARER, LINK_KEY]) expect(all).not.toContain(secret);
  });
});
