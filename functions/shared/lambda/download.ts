/**
 * The download route as a Lambda: its runtime, built once per container (the
 * link-signing key, presigning on S3), and the one function an API Gateway
 * event is handed to. What the route answers is http/download.ts's; here each
 * answer is logged (`Download`, with its status) and counted: `LinkOpened`
 * (302), `LinkExpired` (410), `LinkTampered` (403: damaged, altered or missing).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createS3Client } from '../adapters/aws/clients.ts';
import { presignDownload } from '../adapters/aws/presign.ts';
import { downloadConfigSchema, loadConfig } from '../config.ts';
import { downloadResponse } from '../http/download.ts';
import { type HttpResponse, header } from '../http/response.ts';
import { type Clock, systemClock } from '../pipeline/ports.ts';
import { createLogger, createMetrics, type Logger, type Metrics, MetricUnit } from './observability.ts';
import { Secrets } from './secrets.ts';

export interface DownloadRuntime {
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  /** The key links are signed with (Secrets Manager, cached). */
  linkKey: () => Promise<string>;
  /** A short-lived S3 URL for an object key. */
  presign: (key: string) => Promise<string>;
}

export function createDownloadRuntime(env: NodeJS.ProcessEnv = process.env): DownloadRuntime {
  const config = loadConfig(downloadConfigSchema, env);
  const s3 = createS3Client(env);
  const secrets = new Secrets(new SecretsManagerClient({}));
  return {
    logger: createLogger(),
    metrics: createMetrics(),
    clock: systemClock,
    linkKey: () => secrets.text(config.LINK_KEY_SECRET_ARN, 'link-signing key'),
    presign: (key) => presignDownload(s3, config.REPORTS_BUCKET, key),
  };
}

const METRIC_OF_STATUS: Readonly<Record<number, string>> = {
  302: 'LinkOpened',
  410: 'LinkExpired',
  403: 'LinkTampered',
};

export async function handleDownloadRequest(
  event: APIGatewayProxyEvent,
  rt: DownloadRuntime,
): Promise<HttpResponse> {
  const res = await downloadResponse(event.pathParameters?.token, header(event.headers, 'accept'), {
    secret: await rt.linkKey(),
    now: rt.clock.now(),
    presign: rt.presign,
  });
  rt.logger.info('Download', { status: res.statusCode });
  const metric = METRIC_OF_STATUS[res.statusCode];
  if (metric) rt.metrics.addMetric(metric, MetricUnit.Count, 1);
  return res;
}
