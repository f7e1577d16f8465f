/**
 * Hostile input, generated: random JSON to the Reports API, random rows to the
 * normaliser, random filters to the client's validation. Never a crash, never a
 * 5xx, always a typed error.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseRow } from '../../functions/shared/calls/normalise/normaliser.ts';
import { subscriptionsSchema } from '../../functions/shared/config.ts';
import { InvalidFilterError, validateFilter } from '../../functions/shared/dataapi/filter.ts';
import { handleApiEvent } from '../../functions/shared/http/reports-api.ts';
import { dailyEventSchema } from '../../functions/shared/lambda/daily.ts';
import type { Job, JobStore } from '../../functions/shared/pipeline/jobs.ts';
import { authorizerContext, MemoryCooldowns } from '../support/cooldowns.ts';

const RUNS = 400;

class MemoryJobs implements JobStore {
  jobs = new Map<string, Job>();
  async put(job: Job) {
    this.jobs.set(job.id, job);
  }
  async get(id: string) {
    return this.jobs.get(id) ?? null;
  }
}

const deps = {
  subscriptions: subscriptionsSchema.parse([{ id: 'sales', recipients: ['a@example.com'] }]),
  jobs: new MemoryJobs(),
  startWorker: async () => {},
  loadSummary: async () => null,
  linkFor: async () => ({ url: 'https://x/download/t', expires_at: '2024-11-21T00:00:00.000Z' }),
  cooldowns: new MemoryCooldowns(),
  now: () => Date.UTC(2024, 9, 22, 6),
  newId: () => '0b8a4a35-6c1e-4c6f-9e63-2b2f0d6f8a11',
  logError: (message: string, err: unknown) => {
    throw new Error(`the API reported an unexpected failure: ${message}: ${String(err)}`);
  },
};

function event(method: string, resource: string, body: string | null, id?: string): APIGatewayProxyEvent {
  return {
    resource,
    path: id ? `/reports/${id}` : '/reports',
    httpMethod: method,
    headers: { 'content-type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: id === undefined ? null : { id },
    stageVariables: null,
    requestContext: { requestId: 'r', path: '/prod/reports', authorizer: authorizerContext() } as never,
    body,
    isBase64Encoded: false,
  };
}

/** Bodies shaped like the real one, with every field possibly wrong. */
const nearBody = fc.record(
  {
    date: fc.oneof(
      fc.string(),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      fc.anything(),
    ),
    from: fc.oneof(fc.string(), fc.constant('2024-10-01'), fc.anything()),
    till: fc.oneof(fc.string(), fc.constant('2024-10-21'), fc.anything()),
    subscription: fc.oneof(fc.constant('sales'), fc.string(), fc.anything()),
    language: fc.oneof(fc.constantFrom('ru', 'en', 'de'), fc.anything()),
    email: fc.anything(),
    force: fc.anything(),
  },
  { requiredKeys: [] },
);

function expectTyped(status: number, body: string) {
  expect(status).toBeLessThan(500);
  const parsed = JSON.parse(body) as { error?: { code: unknown; message: unknown; field: unknown } };
  if (status >= 400) {
    expect(typeof parsed.error?.code).toBe('string');
    expect(typeof parsed.error?.message).toBe('string');
    expect(parsed.error?.field === null || typeof parsed.error?.field === 'string').toBe(true);
  }
}

describe('hostile input', () => {
  it('the Reports API answers any JSON body with a typed 2xx/4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.json(),
          nearBody.map((b) => JSON.stringify(b)),
          fc.string(),
        ),
        async (body) => {
          const r = await handleApiEvent(event('POST', '/reports', body), deps);
          expectTyped(r.statusCode, r.body);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the Reports API answers any job id and method with a typed 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', ''),
        fc.constantFrom('/reports', '/reports/{id}', '/other', ''),
        async (id, method, resource) => {
          const r = await handleApiEvent(event(method, resource, null, id), deps);
          expectTyped(r.statusCode, r.body);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the normaliser never throws: any row gives a Call or a reason', () => {
    const cell = fc.oneof(
      fc.anything(),
      fc.string(),
      fc.record({ value: fc.anything(), value_id: fc.anything() }),
      fc.constantFrom('00:01:02', '2024-10-21 10:00:00', 'in', 'lost', null),
    );
    const row = fc.dictionary(
      fc.constantFrom(
        'communication_id',
        'call_start_date_time',
        'call_start_date',
        'call_start_time',
        'call_direction',
        'call_status',
        'call_is_internal',
        'contact_phone_number',
        'employees',
        'tags',
        'call_talk_duration',
        'communication_comment',
        'employee_rating',
        'call_records',
      ),
      cell,
    );
    fc.assert(
      fc.property(fc.oneof(row, fc.anything()), (r) => {
        const result = normaliseRow(r);
        if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
        else expect(Number.isSafeInteger(result.call.id)).toBe(true);
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it('the filter check either accepts a filter or names what is wrong with it', () => {
    const leaf = fc.record(
      {
        field: fc.oneof(fc.constantFrom('call_direction', 'tags', 'virtual_phone_number'), fc.anything()),
        operator: fc.oneof(fc.constantFrom('=', 'in', 'is_null', 'like', '~'), fc.anything()),
        value: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.record({
          condition: fc.oneof(fc.constantFrom('and', 'or'), fc.anything()),
          filters: fc.array(tie('node'), { maxLength: 3 }),
        }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.oneof(tree, fc.anything()), (f) => {
        try {
          validateFilter(f);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidFilterError);
          expect((err as InvalidFilterError).path).toMatch(/^filter/);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('the daily event check accepts only {subscription, scheduled_time?}', () => {
    fc.assert(
      fc.property(fc.anything(), (ev) => {
        const r = dailyEventSchema.safeParse(ev);
        if (r.success) expect(typeof r.data.subscription).toBe('string');
      }),
      { numRuns: RUNS },
    );
  });
});
