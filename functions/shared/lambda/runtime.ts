/**
 * What the daily report and the worker build once per container: the
 * validated configuration, the AWS clients, secrets, logger and metrics.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createS3Client } from '../adapters/aws/clients.ts';
import { loadConfig, reportConfigSchema } from '../config.ts';
import { systemClock } from '../pipeline/ports.ts';
import { createLogger, createMetrics } from './observability.ts';
import type { ReportRuntime } from './report-runner.ts';
import { Secrets } from './secrets.ts';

export function createReportRuntime(env: NodeJS.ProcessEnv = process.env): ReportRuntime {
  return {
    config: loadConfig(reportConfigSchema, env),
    s3: createS3Client(env),
    ses: new SESv2Client({}),
    dynamo: new DynamoDBClient({}),
    secrets: new Secrets(new SecretsManagerClient({})),
    logger: createLogger(),
    metrics: createMetrics(),
    clock: systemClock,
  };
}
