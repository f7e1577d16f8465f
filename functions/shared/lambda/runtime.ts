/**
 * What the daily report and the worker build once per container: the
 * validated configuration, the AWS clients, secrets, logger and metrics (and
 * for the worker, the job store). The HTTP functions build theirs in api.ts,
 * download.ts and authorizer.ts, so that each bundle holds only what its
 * function runs (the authorizer carries no report engine).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createS3Client } from '../adapters/aws/clients.ts';
import { S3JobStore } from '../adapters/aws/job-store.ts';
import { loadConfig, reportConfigSchema } from '../config.ts';
import { systemClock } from '../pipeline/ports.ts';
import { createCatalog } from './catalog.ts';
import { createLogger, createMetrics } from './observability.ts';
import type { ReportRuntime } from './report-runner.ts';
import { Secrets } from './secrets.ts';
import type { WorkerRuntime } from './worker.ts';

export function createReportRuntime(env: NodeJS.ProcessEnv = process.env): ReportRuntime {
  const config = loadConfig(reportConfigSchema, env);
  const dynamo = new DynamoDBClient({});
  return {
    config,
    catalog: createCatalog(config, dynamo),
    s3: createS3Client(env),
    ses: new SESv2Client({}),
    dynamo,
    secrets: new Secrets(new SecretsManagerClient({})),
    logger: createLogger(),
    metrics: createMetrics(),
    clock: systemClock,
  };
}

export function createWorkerRuntime(env: NodeJS.ProcessEnv = process.env): WorkerRuntime {
  const rt = createReportRuntime(env);
  return { ...rt, jobs: new S3JobStore({ client: rt.s3, bucket: rt.config.REPORTS_BUCKET }) };
}
