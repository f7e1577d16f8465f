/**
 * The Reports API as a Lambda: its runtime, built once per container (the job
 * store and report storage on S3, the worker's starter, signed links), and the
 * one function an API Gateway event is handed to. The routes and every answer
 * are http/reports-api.ts's; here each answer is counted:
 * `ReportsRequested` (a job queued), `BadRequests` (any 4xx), `ApiFailures` (5xx).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createS3Client } from '../adapters/aws/clients.ts';
import { DynamoCooldowns } from '../adapters/aws/dynamo-cooldowns.ts';
import { S3JobStore } from '../adapters/aws/job-store.ts';
import { S3ReportStorage } from '../adapters/aws/s3-storage.ts';
import { LambdaWorkerInvoker } from '../adapters/aws/worker-invoker.ts';
import { apiConfigSchema, loadConfig } from '../config.ts';
import { linkFor, linkSettings } from '../http/links.ts';
import { type ApiDeps, handleApiEvent } from '../http/reports-api.ts';
import type { HttpResponse } from '../http/response.ts';
import type { Job } from '../pipeline/jobs.ts';
import type { Summary } from '../report/types.ts';
import { subscriptionList } from './catalog.ts';
import { createLogger, createMetrics, type Logger, type Metrics, MetricUnit } from './observability.ts';
import { createQuickRuntime, handleQuickRequest, QUICK_RESOURCE, type QuickRuntime } from './quick.ts';
import { Secrets } from './secrets.ts';
import {
  createTelegramWebhookRuntime,
  handleTelegramWebhook,
  TELEGRAM_RESOURCE,
  type TelegramWebhookRuntime,
} from './telegram-webhook.ts';

export interface ApiRuntime {
  logger: Logger;
  metrics: Metrics;
  api: ApiDeps;
  /** The catalog's subscriptions (lambda/catalog.ts), read into `api` before each request. */
  subscriptions: () => Promise<ApiDeps['subscriptions']>;
  /** The quick-link route, served by the same function (lambda/quick.ts). */
  quick: QuickRuntime;
  /** The Telegram bot's webhook, served by the same function (lambda/telegram-webhook.ts). */
  telegram: TelegramWebhookRuntime;
}

export function createApiRuntime(env: NodeJS.ProcessEnv = process.env): ApiRuntime {
  const config = loadConfig(apiConfigSchema, env);
  const logger = createLogger();
  const s3 = createS3Client(env);
  const secrets = new Secrets(new SecretsManagerClient({}));
  const storage = new S3ReportStorage({ client: s3, bucket: config.REPORTS_BUCKET });
  const worker = new LambdaWorkerInvoker({
    client: new LambdaClient({}),
    functionName: config.WORKER_FUNCTION_NAME,
  });
  const links = linkSettings(config);
  const dynamo = new DynamoDBClient({});
  const api: ApiDeps = {
    subscriptions: config.SUBSCRIPTIONS,
    jobs: new S3JobStore({ client: s3, bucket: config.REPORTS_BUCKET }),
    startWorker: (jobId) => worker.start(jobId),
    loadSummary: (job) => loadJobSummary(storage, job),
    linkFor: async (key, subscription, language) => {
      const ring = await secrets.keyRing(config.LINK_KEY_SECRET_ARN);
      const sub = api.subscriptions.find((s) => s.id === subscription) ?? { id: subscription };
      const link = linkFor(key, sub, links, ring, Date.now(), language);
      return { url: link.url, expires_at: link.expiresAt };
    },
    cooldowns: new DynamoCooldowns({ client: dynamo, table: config.LOCK_TABLE }),
    now: Date.now,
    newId: randomUUID,
    logError: (message, err) => logger.error(message, err as Error),
  };
  return {
    logger,
    metrics: createMetrics(),
    quick: createQuickRuntime(env),
    telegram: createTelegramWebhookRuntime(env),
    api,
    subscriptions: subscriptionList(config, dynamo),
  };
}

/**
 * The summary the job's own run stored, read by the key the job records (so a
 * report stored under a key of its own, such as a partial day's, is the one
 * answered), as stored: every key passes through. Null when it is gone.
 */
async function loadJobSummary(storage: S3ReportStorage, job: Job): Promise<Summary | null> {
  if (!job.result) return null;
  let bytes: Buffer;
  try {
    bytes = await storage.readObject(job.result.summary_key);
  } catch (err) {
    const cause = (err as { cause?: { name?: unknown; $metadata?: { httpStatusCode?: unknown } } }).cause;
    if (cause?.name === 'NoSuchKey' || cause?.$metadata?.httpStatusCode === 404) return null;
    throw err;
  }
  return JSON.parse(bytes.toString('utf8')) as Summary;
}

export async function handleApiRequest(event: APIGatewayProxyEvent, rt: ApiRuntime): Promise<HttpResponse> {
  const subscriptions = await rt.subscriptions();
  rt.api.subscriptions = subscriptions;
  rt.quick.deps.subscriptions = subscriptions;
  rt.telegram.deps.subscriptions = subscriptions;
  if (event.resource === QUICK_RESOURCE) return handleQuickRequest(event, rt.quick, rt);
  if (event.resource === TELEGRAM_RESOURCE) return handleTelegramWebhook(event, rt.telegram, rt);
  const res = await handleApiEvent(event, rt.api);
  const metric = answerMetric(res.statusCode);
  if (metric) rt.metrics.addMetric(metric, MetricUnit.Count, 1);
  return res;
}

function answerMetric(status: number): string | null {
  if (status === 202) return 'ReportsRequested';
  if (status >= 400 && status < 500) return 'BadRequests';
  if (status >= 500) return 'ApiFailures';
  return null;
}
