/** Report worker: runs a job queued by the Reports API (asynchronous invocation with `{jobId}`). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { S3JobStore } from '../shared/api/jobs.ts';
import { loadConfig, reportConfigSchema } from '../shared/config.ts';
import { createS3Client } from '../shared/lambda/clients.ts';
import { createLogger, createMetrics } from '../shared/lambda/observability.ts';
import type { ReportRuntime } from '../shared/lambda/report-runner.ts';
import { Secrets } from '../shared/lambda/secrets.ts';
import { handleWorkerEvent } from '../shared/lambda/worker.ts';
import { wrap } from '../shared/lambda/wrap.ts';
import { systemClock } from '../shared/pipeline/ports.ts';

const logger = createLogger();
const metrics = createMetrics();
const config = loadConfig(reportConfigSchema, process.env);
const s3 = createS3Client();
const runtime: ReportRuntime & { jobs: S3JobStore } = {
  config,
  s3,
  ses: new SESv2Client({}),
  dynamo: new DynamoDBClient({}),
  secrets: new Secrets(new SecretsManagerClient({})),
  logger,
  metrics,
  clock: systemClock,
  jobs: new S3JobStore({ client: s3, bucket: config.REPORTS_BUCKET }),
};

export const handler = wrap(logger, metrics, (event: unknown) => handleWorkerEvent(event, runtime));
