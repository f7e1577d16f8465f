/**
 * The quick-link route as part of the reports-api function (`GET` and `POST
 * /q/{token}`, no authorizer: the signed token is the authorisation): its
 * runtime, built once per container beside the Reports API's (the same job
 * store and worker, the link key ring, the revocation list, the cooldown
 * table), and the one function an event of the route is handed to. What the
 * route answers is http/quick-link.ts's; here each open writes the access log
 * line (`Link opened`: the token's id, what, status, reason; never the token)
 * and is counted like a download link's open.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createS3Client } from '../adapters/aws/clients.ts';
import { DynamoCooldowns } from '../adapters/aws/dynamo-cooldowns.ts';
import { DynamoRevocations } from '../adapters/aws/dynamo-revocations.ts';
import { S3JobStore } from '../adapters/aws/job-store.ts';
import { S3ReportStorage } from '../adapters/aws/s3-storage.ts';
import { LambdaWorkerInvoker } from '../adapters/aws/worker-invoker.ts';
import { apiConfigSchema, loadConfig } from '../config.ts';
import { linkAccess } from '../http/access-log.ts';
import type { KeyRing } from '../http/key-ring.ts';
import { linkFor, linkSettings } from '../http/links.ts';
import { openQuickLink, type QuickDeps } from '../http/quick-link.ts';
import { type HttpResponse, header } from '../http/response.ts';
import { type Clock, systemClock } from '../pipeline/ports.ts';
import { linkMetric, readStoredSummary } from './download.ts';
import { type Logger, type Metrics, MetricUnit } from './observability.ts';
import { Secrets } from './secrets.ts';

/** The API Gateway resource of the route. */
export const QUICK_RESOURCE = '/q/{token}';

export interface QuickRuntime {
  clock: Clock;
  linkKeys: () => Promise<KeyRing>;
  /** The deps of one request at `now` with the ring read. */
  deps: Omit<QuickDeps, 'ring' | 'now'>;
}

export function createQuickRuntime(env: NodeJS.ProcessEnv = process.env): QuickRuntime {
  const config = loadConfig(apiConfigSchema, env);
  const s3 = createS3Client(env);
  const dynamo = new DynamoDBClient({});
  const secrets = new Secrets(new SecretsManagerClient({}));
  const storage = new S3ReportStorage({ client: s3, bucket: config.REPORTS_BUCKET });
  const worker = new LambdaWorkerInvoker({
    client: new LambdaClient({}),
    functionName: config.WORKER_FUNCTION_NAME,
  });
  const linkKeys = () => secrets.keyRing(config.LINK_KEY_SECRET_ARN);
  const links = linkSettings(config);
  const runtime: QuickRuntime = {
    clock: systemClock,
    linkKeys,
    deps: {
      subscriptions: config.SUBSCRIPTIONS,
      jobs: new S3JobStore({ client: s3, bucket: config.REPORTS_BUCKET }),
      startWorker: (jobId) => worker.start(jobId),
      loadSummary: (job) =>
        job.result ? readStoredSummary(storage, job.result.summary_key) : Promise.resolve(null),
      reportLink: async (job) => {
        if (!job.result) throw new Error(`Job ${job.id} has no report yet`);
        // The catalog's list, read before each request (lambda/api.ts).
        const sub = runtime.deps.subscriptions.find((s) => s.id === job.request.subscription) ?? {
          id: job.request.subscription,
        };
        const link = linkFor(
          job.result.workbook_key,
          sub,
          links,
          await linkKeys(),
          Date.now(),
          job.request.language,
        );
        return { url: link.url, expiresAt: link.expiresAt };
      },
      revocations: new DynamoRevocations({ client: dynamo, table: config.LOCK_TABLE }),
      cooldown: new DynamoCooldowns({ client: dynamo, table: config.LOCK_TABLE }),
      links,
    },
  };
  return runtime;
}

export async function handleQuickRequest(
  event: APIGatewayProxyEvent,
  rt: QuickRuntime,
  obs: { logger: Logger; metrics: Metrics },
): Promise<HttpResponse> {
  const now = rt.clock.now();
  const { response, check } = await openQuickLink(
    {
      method: event.httpMethod ?? 'GET',
      token: event.pathParameters?.token,
      accept: header(event.headers, 'accept'),
      acceptLanguage: header(event.headers, 'accept-language'),
      sent: event.queryStringParameters?.sent === '1',
    },
    { ...rt.deps, ring: await rt.linkKeys(), now },
  );
  obs.logger.info('Link opened', { ...linkAccess(check, response.statusCode, now) });
  const metric = linkMetric(check, response.statusCode);
  if (metric) obs.metrics.addMetric(metric, MetricUnit.Count, 1);
  return response;
}
