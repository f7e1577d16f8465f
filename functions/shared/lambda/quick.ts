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
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { DynamoRevocations } from '../adapters/aws/dynamo-revocations.ts';
import { linkAccess } from '../http/access-log.ts';
import type { KeyRing } from '../http/key-ring.ts';
import { openQuickLink, type QuickDeps } from '../http/quick-link.ts';
import { type HttpResponse, header } from '../http/response.ts';
import { type Clock, systemClock } from '../pipeline/ports.ts';
import type { ApiParts } from './api-parts.ts';
import { linkMetric, readStoredSummary } from './download.ts';
import { type Logger, type Metrics, MetricUnit } from './observability.ts';

/** The API Gateway resource of the route. */
export const QUICK_RESOURCE = '/q/{token}';

export interface QuickRuntime {
  clock: Clock;
  linkKeys: () => Promise<KeyRing>;
  /** The deps of one request at `now` with the ring read. */
  deps: Omit<QuickDeps, 'ring' | 'now'>;
}

export function createQuickRuntime(parts: ApiParts): QuickRuntime {
  const runtime: QuickRuntime = {
    clock: systemClock,
    linkKeys: parts.linkKeys,
    deps: {
      subscriptions: parts.config.SUBSCRIPTIONS,
      jobs: parts.jobs,
      startWorker: parts.startWorker,
      loadSummary: (job) =>
        job.result ? readStoredSummary(parts.storage, job.result.summary_key) : Promise.resolve(null),
      reportLink: async (job) => {
        if (!job.result) throw new Error(`Job ${job.id} has no report yet`);
        // The catalog's list, read before each request (lambda/api.ts).
        const sub = runtime.deps.subscriptions.find((s) => s.id === job.request.subscription) ?? {
          id: job.request.subscription,
        };
        return parts.reportLink(job.result.workbook_key, sub, Date.now(), job.request.language);
      },
      revocations: new DynamoRevocations({ client: parts.dynamo, table: parts.config.LOCK_TABLE }),
      cooldown: parts.cooldowns,
      links: parts.links,
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
