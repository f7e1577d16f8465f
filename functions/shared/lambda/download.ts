/**
 * The download route as a Lambda: its runtime, built once per container (the
 * link key ring, the revocation list, presigning on S3, the stored summaries
 * the report page is made from), and the one function
 * an API Gateway event is handed to. What the route answers is
 * http/download.ts's; here each open writes one access log line (`Link opened`:
 * http/access-log.ts — the token's id, kind, what it opens, status, reason,
 * when; never the token) and is counted: `LinkOpened` (302 or the page), `LinkExpired`
 * (410 expired), `LinkRevoked` (410 revoked), `LinkTampered` (403: damaged,
 * altered or missing).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createS3Client } from '../adapters/aws/clients.ts';
import { DynamoRevocations } from '../adapters/aws/dynamo-revocations.ts';
import { presignDownload } from '../adapters/aws/presign.ts';
import { S3ReportStorage } from '../adapters/aws/s3-storage.ts';
import { downloadConfigSchema, loadConfig } from '../config.ts';
import { linkAccess } from '../http/access-log.ts';
import { openDownload } from '../http/download.ts';
import type { KeyRing } from '../http/key-ring.ts';
import type { LinkCheck } from '../http/links.ts';
import { type HttpResponse, header } from '../http/response.ts';
import type { RevocationList } from '../http/revocations.ts';
import { type Clock, systemClock } from '../pipeline/ports.ts';
import type { Summary } from '../report/types.ts';
import { createLogger, createMetrics, type Logger, type Metrics, MetricUnit } from './observability.ts';
import { Secrets } from './secrets.ts';

export interface DownloadRuntime {
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  /** The key ring links are signed with (Secrets Manager, cached). */
  linkKeys: () => Promise<KeyRing>;
  revocations: RevocationList;
  /** A short-lived S3 URL for an object key. */
  presign: (key: string) => Promise<string>;
  /** A stored summary by its key (the report page), null when it is gone. */
  readSummary: (key: string) => Promise<Summary | null>;
}

export function createDownloadRuntime(env: NodeJS.ProcessEnv = process.env): DownloadRuntime {
  const config = loadConfig(downloadConfigSchema, env);
  const s3 = createS3Client(env);
  const secrets = new Secrets(new SecretsManagerClient({}));
  const storage = new S3ReportStorage({ client: s3, bucket: config.REPORTS_BUCKET });
  return {
    logger: createLogger(),
    metrics: createMetrics(),
    clock: systemClock,
    linkKeys: () => secrets.keyRing(config.LINK_KEY_SECRET_ARN),
    revocations: new DynamoRevocations({ client: new DynamoDBClient({}), table: config.LOCK_TABLE }),
    presign: (key) => presignDownload(s3, config.REPORTS_BUCKET, key),
    readSummary: (key) => readStoredSummary(storage, key),
  };
}

/** A stored summary JSON, as stored, or null when there is no such object (a report past its retention). */
export async function readStoredSummary(storage: S3ReportStorage, key: string): Promise<Summary | null> {
  let bytes: Buffer;
  try {
    bytes = await storage.readObject(key);
  } catch (err) {
    const cause = (err as { cause?: { name?: unknown; $metadata?: { httpStatusCode?: unknown } } }).cause;
    if (cause?.name === 'NoSuchKey' || cause?.$metadata?.httpStatusCode === 404) return null;
    throw err;
  }
  return JSON.parse(bytes.toString('utf8')) as Summary;
}

/** The metric of an open: by the check's reason, else by the status. */
export function linkMetric(check: LinkCheck, status: number): string | null {
  if (!check.ok)
    return check.reason === 'expired'
      ? 'LinkExpired'
      : check.reason === 'revoked'
        ? 'LinkRevoked'
        : 'LinkTampered';
  return status === 302 || status === 200 ? 'LinkOpened' : null;
}

export async function handleDownloadRequest(
  event: APIGatewayProxyEvent,
  rt: DownloadRuntime,
): Promise<HttpResponse> {
  const now = rt.clock.now();
  const { response, check } = await openDownload(
    {
      token: event.pathParameters?.token,
      accept: header(event.headers, 'accept'),
      acceptLanguage: header(event.headers, 'accept-language'),
      format: event.queryStringParameters?.format,
    },
    {
      ring: await rt.linkKeys(),
      now,
      revocations: rt.revocations,
      presign: rt.presign,
      readSummary: rt.readSummary,
    },
  );
  rt.logger.info('Link opened', { ...linkAccess(check, response.statusCode, now) });
  const metric = linkMetric(check, response.statusCode);
  if (metric) rt.metrics.addMetric(metric, MetricUnit.Count, 1);
  return response;
}
