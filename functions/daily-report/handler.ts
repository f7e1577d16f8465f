/** Daily report: EventBridge Scheduler → `{subscription}` → yesterday's report, stored and emailed once. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { loadConfig, reportConfigSchema } from '../shared/config.ts';
import { createS3Client } from '../shared/lambda/clients.ts';
import { handleDailyEvent } from '../shared/lambda/daily.ts';
import { createLogger, createMetrics } from '../shared/lambda/observability.ts';
import type { ReportRuntime } from '../shared/lambda/report-runner.ts';
import { Secrets } from '../shared/lambda/secrets.ts';
import { wrap } from '../shared/lambda/wrap.ts';
import { systemClock } from '../shared/pipeline/ports.ts';

const logger = createLogger();
const metrics = createMetrics();
const runtime: ReportRuntime = {
  config: loadConfig(reportConfigSchema, process.env),
  s3: createS3Client(),
  ses: new SESv2Client({}),
  dynamo: new DynamoDBClient({}),
  secrets: new Secrets(new SecretsManagerClient({})),
  logger,
  metrics,
  clock: systemClock,
};

export const handler = wrap(logger, metrics, (event: unknown) => handleDailyEvent(event, runtime));
