/**
 * The Lambda handlers in-process, as in AWS but on this machine: the simulator,
 * s3rver, aws-ses-v2-local and dynalite behind the SDK's standard endpoint
 * variables, Secrets Manager faked at the SDK level, the worker's invoke
 * recorded, and every log line kept. One per test file (the handlers read
 * their configuration once, at import, as at a cold start).
 */
import { randomBytes } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { vi } from 'vitest';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../simulator/server.ts';
import { type LocalDynamo, startDynalite } from './dynalite.ts';
import { localAwsEnv } from './local-aws.ts';
import { type LocalS3, startS3rver } from './s3rver.ts';
import { type SesLocal, startSesLocal } from './ses-local.ts';

const mockLambda = () => mockClient(LambdaClient);
type Handler<E, R> = (event: E, context: Context) => Promise<R>;

export interface LambdaEnv {
  sim: Simulator;
  s3: LocalS3;
  ses: SesLocal;
  dynamo: LocalDynamo;
  /** Every line the handlers wrote to stdout/stderr. */
  logs: string[];
  secrets: { dataToken: string; linkKey: string; bearer: string; telegramBot?: string };
  /** The environment the handlers were given. */
  env: Record<string, string>;
  lambdaMock: ReturnType<typeof mockLambda>;
  daily: Handler<unknown, { status: string; outcome?: string; reason?: string; period?: string }>;
  worker: Handler<unknown, { status: string; jobId?: string }>;
  api: Handler<APIGatewayProxyEvent, { statusCode: number; headers?: Record<string, unknown>; body: string }>;
  download: Handler<APIGatewayProxyEvent, { statusCode: number; headers: Record<string, string> }>;
  authorizer: Handler<
    unknown,
    { policyDocument: { Statement: Array<{ Effect: string; Resource?: string }> } }
  >;
  stop(): Promise<void>;
}

export const SECRET_ARN = (name: string) => `arn:aws:secretsmanager:eu-central-1:123456789012:secret:${name}`;

export function lambdaContext(name: string): Context {
  return {
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
  } as Context;
}

export interface LambdaEnvOptions {
  simulator: Omit<SimulatorOptions, 'accessToken'>;
  subscriptions: unknown[];
  env?: Record<string, string>;
  /** A (fake) Bot API server: its URL and the bot token its secret holds. */
  telegram?: { url: string; token: string };
  /** More secrets by ARN (e.g. the Data API keys of a catalog's accounts). */
  secrets?: Record<string, string>;
}

export async function startLambdaEnv(opts: LambdaEnvOptions): Promise<LambdaEnv> {
  const secrets = {
    dataToken: `data-${randomBytes(12).toString('hex')}`,
    linkKey: `link-${randomBytes(16).toString('hex')}`,
    bearer: `bearer-${randomBytes(16).toString('hex')}`,
    ...(opts.telegram ? { telegramBot: opts.telegram.token } : {}),
  };
  const [sim, s3, ses, dynamo] = await Promise.all([
    startSimulator({ ...opts.simulator, accessToken: secrets.dataToken }),
    startS3rver(),
    startSesLocal(),
    startDynalite(),
  ]);
  const env: Record<string, string> = {
    ...localAwsEnv(s3, ses, dynamo),
    POWERTOOLS_SERVICE_NAME: 'call-reports-test',
    POWERTOOLS_METRICS_NAMESPACE: 'CallReportsTest',
    REPORTS_BUCKET: s3.bucket,
    MGF_API_URL: sim.url,
    MGF_TOKEN_SECRET_ARN: SECRET_ARN('data-token'),
    LINK_KEY_SECRET_ARN: SECRET_ARN('link-key'),
    API_TOKENS_SECRET_ARN: SECRET_ARN('api-tokens'),
    MAIL_FROM: 'reports@example.com',
    SUBSCRIPTIONS: JSON.stringify(opts.subscriptions),
    DOWNLOAD_BASE_URL: 'https://abc123.execute-api.eu-central-1.amazonaws.com/prod/download/',
    WORKER_FUNCTION_NAME: 'report-worker',
    LOCK_TABLE: dynamo.table,
    ...(opts.telegram
      ? { TELEGRAM_API_URL: opts.telegram.url, TELEGRAM_BOT_TOKEN_SECRET_ARN: SECRET_ARN('telegram-bot') }
      : {}),
    ...opts.env,
  };
  Object.assign(process.env, env);

  const secretsMock = mockClient(SecretsManagerClient);
  secretsMock
    .on(GetSecretValueCommand, { SecretId: SECRET_ARN('data-token') })
    .resolves({ SecretString: secrets.dataToken });
  secretsMock
    .on(GetSecretValueCommand, { SecretId: SECRET_ARN('link-key') })
    .resolves({ SecretString: secrets.linkKey });
  secretsMock
    .on(GetSecretValueCommand, { SecretId: SECRET_ARN('api-tokens') })
    .resolves({ SecretString: JSON.stringify({ token: secrets.bearer }) });
  if (opts.telegram)
    secretsMock
      .on(GetSecretValueCommand, { SecretId: SECRET_ARN('telegram-bot') })
      .resolves({ SecretString: opts.telegram.token });
  for (const [arn, value] of Object.entries(opts.secrets ?? {}))
    secretsMock.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: value });
  const lambdaMock = mockLambda();
  lambdaMock.on(InvokeCommand).resolves({ StatusCode: 202 });

  // Every log line the handlers write (Powertools writes JSON lines), kept and not printed.
  const logs: string[] = [];
  const capture = ((chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);

  const load = async <T>(path: string): Promise<T> => (await import(path)).handler as T;
  return {
    sim,
    s3,
    ses,
    dynamo,
    logs,
    secrets,
    env,
    lambdaMock,
    daily: await load('../../functions/daily-report/handler.ts'),
    worker: await load('../../functions/report-worker/handler.ts'),
    api: await load('../../functions/reports-api/handler.ts'),
    download: await load('../../functions/download/handler.ts'),
    authorizer: await load('../../functions/authorizer/handler.ts'),
    stop: async () => {
      out.mockRestore();
      err.mockRestore();
      secretsMock.restore();
      lambdaMock.restore();
      await Promise.all([sim.close(), s3.dispose(), ses.stop(), dynamo.stop()]);
    },
  };
}

/**
 * The metrics in captured log lines, summed by name: Powertools flushes them at
 * the end of each invocation as CloudWatch embedded-metric-format JSON lines
 * (`{"_aws": {"CloudWatchMetrics": [{"Metrics": [{"Name": …}]}]}, "<Name>": value}`).
 */
export function metricsIn(lines: readonly string[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const line of lines.flatMap((chunk) => chunk.split('\n'))) {
    if (!line.includes('"_aws"')) continue;
    const record = JSON.parse(line) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> };
    };
    for (const { Name } of record._aws.CloudWatchMetrics.flatMap((d) => d.Metrics)) {
      const value = record[Name];
      const values = (Array.isArray(value) ? value : [value]).map(Number);
      sums[Name] = (sums[Name] ?? 0) + values.reduce((a, b) => a + b, 0);
    }
  }
  return sums;
}

/** An API Gateway REST proxy event as the stage `prod` sends it. */
export function apiEvent(
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
      // What our authorizer passes for the kept token (every scope, every subscription).
      authorizer: {
        principalId: 'api-client',
        scopes: 'reports:read reports:create reports:email',
        subscriptions: '*',
      },
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
    body: body === null ? null : typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
  };
}
