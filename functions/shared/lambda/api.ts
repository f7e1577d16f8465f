/**
 * The Reports API as a Lambda: its runtime, built once per container from the
 * parts its three routes share (api-parts.ts: the job
 * store and report storage on S3, the worker's starter, signed links), and the
 * one function an API Gateway event is handed to. The routes and every answer
 * are http/reports-api.ts's; here each answer is counted:
 * `ReportsRequested` (a job queued), `BadRequests` (any 4xx), `ApiFailures` (5xx).
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { S3ReportStorage } from '../adapters/aws/s3-storage.ts';
import { type ApiDeps, handleApiEvent } from '../http/reports-api.ts';
import type { HttpResponse } from '../http/response.ts';
import type { Job } from '../pipeline/jobs.ts';
import type { Summary } from '../report/types.ts';
import { createApiParts } from './api-parts.ts';
import { subscriptionList } from './catalog.ts';
import { readStoredSummary } from './download.ts';
import { createLogger, createMetrics, type Logger, type Metrics, MetricUnit } from './observability.ts';
import { createQuickRuntime, handleQuickRequest, QUICK_RESOURCE, type QuickRuntime } from './quick.ts';
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
  const parts = createApiParts(env);
  const logger = createLogger();
  const api: ApiDeps = {
    subscriptions: parts.config.SUBSCRIPTIONS,
    jobs: parts.jobs,
    startWorker: parts.startWorker,
    loadSummary: (job) => loadJobSummary(parts.storage, job),
    linkFor: async (key, subscription, language) => {
      const sub = api.subscriptions.find((s) => s.id === subscription) ?? { id: subscription };
      const link = await parts.reportLink(key, sub, Date.now(), language);
      return { url: link.url, expires_at: link.expiresAt };
    },
    cooldowns: parts.cooldowns,
    now: Date.now,
    newId: randomUUID,
    logError: (message, err) => logger.error(message, err as Error),
  };
  return {
    logger,
    metrics: createMetrics(),
    quick: createQuickRuntime(parts),
    telegram: createTelegramWebhookRuntime(parts),
    api,
    subscriptions: subscriptionList(parts.config, parts.dynamo),
  };
}

/**
 * The summary the job's own run stored, read by the key the job records (so a
 * report stored under a key of its own, such as a partial day's, is the one
 * answered), as stored: every key passes through. Null when it is gone.
 */
function loadJobSummary(storage: S3ReportStorage, job: Job): Promise<Summary | null> {
  return job.result ? readStoredSummary(storage, job.result.summary_key) : Promise.resolve(null);
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
