/** Reports API: POST /reports and GET /reports/{id} behind the bearer-token authorizer. */
import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createS3Client } from '../shared/adapters/aws/clients.ts';
import { S3ReportStorage } from '../shared/adapters/aws/s3-storage.ts';
import { S3JobStore } from '../shared/api/jobs.ts';
import { handleApiEvent } from '../shared/api/reports-api.ts';
import { apiConfigSchema, loadConfig } from '../shared/config.ts';
import { signLink } from '../shared/delivery/links.ts';
import { createLogger } from '../shared/lambda/observability.ts';
import { Secrets } from '../shared/lambda/secrets.ts';
import { wrap } from '../shared/lambda/wrap.ts';
import type { Summary } from '../shared/report/types.ts';

const logger = createLogger();
const config = loadConfig(apiConfigSchema, process.env);
const s3 = createS3Client();
const lambda = new LambdaClient({});
const secrets = new Secrets(new SecretsManagerClient({}));
const jobs = new S3JobStore({ client: s3, bucket: config.REPORTS_BUCKET });
const storage = new S3ReportStorage({ client: s3, bucket: config.REPORTS_BUCKET });

export const handler = wrap(logger, null, (event: APIGatewayProxyEvent) =>
  handleApiEvent(event, {
    subscriptions: config.SUBSCRIPTIONS,
    jobs,
    startWorker: async (jobId) => {
      await lambda.send(
        new InvokeCommand({
          FunctionName: config.WORKER_FUNCTION_NAME,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify({ jobId })),
        }),
      );
    },
    loadSummary: (job) =>
      storage.loadJson<Summary>(
        { subscription: job.request.subscription, period: job.request.period },
        'summary',
      ),
    linkFor: async (key) => {
      const expiresAt = Date.now() + config.LINK_TTL_DAYS * 86_400_000;
      const token = signLink(
        { key, expiresAt },
        await secrets.text(config.LINK_KEY_SECRET_ARN, 'link-signing key'),
      );
      return { url: `${config.DOWNLOAD_BASE_URL}${token}`, expires_at: new Date(expiresAt).toISOString() };
    },
    now: Date.now,
    newId: randomUUID,
    logError: (message, err) => logger.error(message, err as Error),
  }),
);
