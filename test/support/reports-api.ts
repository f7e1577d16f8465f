/**
 * The Reports API in memory: its dependencies with an in-memory job store and
 * two subscriptions (sales; support, in another zone and language, with
 * working hours), a clock at 2024-10-22 09:00 Moscow, and API Gateway events.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { subscriptionsSchema } from '../../functions/shared/config.ts';
import type { ApiDeps } from '../../functions/shared/http/reports-api.ts';
import type { Job, JobStore } from '../../functions/shared/pipeline/jobs.ts';
import { authorizerContext, MemoryCooldowns } from './cooldowns.ts';

export const NOW = Date.UTC(2024, 9, 22, 6); // 2024-10-22 09:00 Moscow
export const ID = '0b8a4a35-6c1e-4c6f-9e63-2b2f0d6f8a11';

export class MemoryJobs implements JobStore {
  jobs = new Map<string, Job>();
  async put(job: Job) {
    this.jobs.set(job.id, structuredClone(job));
  }
  async get(id: string) {
    return this.jobs.get(id) ?? null;
  }
}

export function deps(overrides: Partial<ApiDeps> = {}) {
  const started: string[] = [];
  const jobs = new MemoryJobs();
  const d: ApiDeps = {
    subscriptions: subscriptionsSchema.parse([
      { id: 'sales', recipients: ['head@example.com'] },
      {
        id: 'support',
        recipients: ['lead@example.com'],
        timezone: 'Asia/Yekaterinburg',
        language: 'en',
        working_hours: 'Mon-Fri 9:00-13:00,13:00-18:00',
      },
    ]),
    jobs,
    startWorker: async (id) => {
      started.push(id);
    },
    loadSummary: async () => null,
    linkFor: async (key) => ({ url: `https://x/download/${key}`, expires_at: '2024-11-21T06:00:00.000Z' }),
    cooldowns: new MemoryCooldowns(),
    now: () => NOW,
    newId: () => ID,
    logError: () => {},
    ...overrides,
  };
  return { d, started, jobs };
}

export function event(
  method: string,
  resource: string,
  body?: string | null,
  extra: Partial<APIGatewayProxyEvent> = {},
): APIGatewayProxyEvent {
  const id = resource === '/reports/{id}' ? (extra.pathParameters?.id ?? ID) : undefined;
  return {
    resource,
    path: id ? `/reports/${id}` : '/reports',
    httpMethod: method,
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: id ? { id } : null,
    stageVariables: null,
    requestContext: {
      requestId: 'req-1',
      path: id ? `/prod/reports/${id}` : '/prod/reports',
      stage: 'prod',
      // What our authorizer passes for a token with every scope on every subscription.
      authorizer: authorizerContext(),
    } as never,
    body: body ?? null,
    isBase64Encoded: false,
    ...extra,
  };
}

export const post = (body: unknown, extra: Partial<APIGatewayProxyEvent> = {}) =>
  event('POST', '/reports', typeof body === 'string' ? body : JSON.stringify(body), extra);
