/**
 * The Reports API's answers to bad requests: each with its exact status and
 * error code, none a 5xx; and the happy paths of POST and GET.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { subscriptionsSchema } from '../../functions/shared/config.ts';
import { handleApiEvent } from '../../functions/shared/http/reports-api.ts';
import { MAX_BODY_BYTES } from '../../functions/shared/http/request-body.ts';
import type { Job } from '../../functions/shared/pipeline/jobs.ts';
import type { Summary } from '../../functions/shared/report/types.ts';
import { makeJob } from '../support/jobs.ts';
import { deps, event, ID, post } from '../support/reports-api.ts';

describe('POST /reports', () => {
  it('queues a job, starts the worker and answers 202 with a Location to poll', async () => {
    const { d, started, jobs } = deps();
    const r = await handleApiEvent(post({ date: '2024-10-21', subscription: 'sales', email: true }), d);
    expect(r.statusCode).toBe(202);
    expect(r.headers?.Location).toBe(`/prod/reports/${ID}`);
    expect(JSON.parse(r.body)).toMatchObject({ id: ID, status: 'queued', location: `/prod/reports/${ID}` });
    expect(started).toEqual([ID]);
    expect(jobs.jobs.get(ID)?.request).toEqual({
      subscription: 'sales',
      period: { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' },
      language: 'ru',
      email: true,
      force: false,
      working_hours: null,
    });
  });

  it('takes the subscription’s time zone and language, and a from..till period', async () => {
    const { d, jobs } = deps();
    await handleApiEvent(post({ from: '2024-10-01', till: '2024-10-21', subscription: 'support' }), d);
    expect(jobs.jobs.get(ID)?.request).toMatchObject({
      period: { from: '2024-10-01', till: '2024-10-21', timezone: 'Asia/Yekaterinburg' },
      language: 'en',
      email: false,
    });
  });

  it('picks the only subscription when none is named', async () => {
    const { d, jobs } = deps({
      subscriptions: subscriptionsSchema.parse([{ id: 'solo', recipients: ['a@b.ru'] }]),
    });
    const r = await handleApiEvent(post({ date: '2024-10-21' }), d);
    expect(r.statusCode).toBe(202);
    expect(jobs.jobs.get(ID)?.request.subscription).toBe('solo');
  });

  const big = JSON.stringify({ date: '2024-10-21', subscription: 'sales', pad: 'x'.repeat(MAX_BODY_BYTES) });
  const cases: Array<[string, APIGatewayProxyEvent, number, string, string | null]> = [
    ['malformed JSON', post('{"date": '), 400, 'invalid_json', null],
    ['a JSON array', post('[1,2]'), 400, 'invalid_body', null],
    ['a JSON string', post('"2024-10-21"'), 400, 'invalid_body', null],
    ['JSON null', post('null'), 400, 'invalid_body', null],
    ['a number', post('42'), 400, 'invalid_body', null],
    ['an empty body', post(''), 400, 'missing_body', null],
    ['no body at all', event('POST', '/reports', null), 400, 'missing_body', null],
    ['a body over the size limit', post(big), 413, 'body_too_large', null],
    [
      'a form body',
      post('date=2024-10-21', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
      415,
      'unsupported_media_type',
      null,
    ],
    [
      'an unknown field',
      post({ date: '2024-10-21', subscription: 'sales', to: 'x@evil.com' }),
      400,
      'unknown_field',
      'to',
    ],
    [
      'recipients given',
      post({ date: '2024-10-21', subscription: 'sales', recipients: ['x@evil.com'] }),
      400,
      'unknown_field',
      'recipients',
    ],
    ['no period', post({ subscription: 'sales' }), 400, 'missing_field', 'date'],
    [
      'a date that is not a date',
      post({ date: 'yesterday', subscription: 'sales' }),
      400,
      'invalid_date',
      'date',
    ],
    ['an impossible date', post({ date: '2024-02-30', subscription: 'sales' }), 400, 'invalid_date', 'date'],
    [
      'a date in another format',
      post({ date: '21.10.2024', subscription: 'sales' }),
      400,
      'invalid_date',
      'date',
    ],
    [
      'a date with a time',
      post({ date: '2024-10-21T00:00:00', subscription: 'sales' }),
      400,
      'invalid_date',
      'date',
    ],
    ['a numeric date', post({ date: 20241021, subscription: 'sales' }), 400, 'invalid_type', 'date'],
    [
      'date and from together',
      post({ date: '2024-10-21', from: '2024-10-01', subscription: 'sales' }),
      400,
      'conflicting_fields',
      'date',
    ],
    ['from without till', post({ from: '2024-10-01', subscription: 'sales' }), 400, 'missing_field', 'till'],
    ['till without from', post({ till: '2024-10-01', subscription: 'sales' }), 400, 'missing_field', 'from'],
    [
      'from after till',
      post({ from: '2024-10-21', till: '2024-10-01', subscription: 'sales' }),
      400,
      'from_after_till',
      'from',
    ],
    [
      'more than 366 days',
      post({ from: '2023-01-01', till: '2024-10-21', subscription: 'sales' }),
      400,
      'period_too_long',
      'till',
    ],
    ['a future date', post({ date: '2024-10-23', subscription: 'sales' }), 400, 'future_date', 'date'],
    [
      'a future till',
      post({ from: '2024-10-01', till: '2025-01-01', subscription: 'sales' }),
      400,
      'future_date',
      'till',
    ],
    [
      'an unknown subscription',
      post({ date: '2024-10-21', subscription: 'marketing' }),
      404,
      'unknown_subscription',
      'subscription',
    ],
    [
      'a numeric subscription',
      post({ date: '2024-10-21', subscription: 7 }),
      400,
      'invalid_type',
      'subscription',
    ],
    [
      'no subscription when there are several',
      post({ date: '2024-10-21' }),
      400,
      'missing_field',
      'subscription',
    ],
    [
      'an unknown language',
      post({ date: '2024-10-21', subscription: 'sales', language: 'de' }),
      400,
      'invalid_language',
      'language',
    ],
    [
      'email as a string',
      post({ date: '2024-10-21', subscription: 'sales', email: 'yes' }),
      400,
      'invalid_type',
      'email',
    ],
    [
      'working hours as an object',
      post({ date: '2024-10-21', subscription: 'sales', working_hours: { mon: '09:00-18:00' } }),
      400,
      'invalid_type',
      'working_hours',
    ],
    [
      'force as a number',
      post({ date: '2024-10-21', subscription: 'sales', force: 1 }),
      400,
      'invalid_type',
      'force',
    ],
    ['GET on /reports', event('GET', '/reports'), 405, 'method_not_allowed', null],
    ['DELETE on /reports', event('DELETE', '/reports'), 405, 'method_not_allowed', null],
    ['POST on a job', event('POST', '/reports/{id}', '{}'), 405, 'method_not_allowed', null],
    [
      'a job id that is not a uuid',
      event('GET', '/reports/{id}', null, { pathParameters: { id: '../../etc' } }),
      400,
      'invalid_job_id',
      'id',
    ],
    [
      'an unknown job',
      event('GET', '/reports/{id}', null, { pathParameters: { id: '11111111-2222-4333-8444-555555555555' } }),
      404,
      'job_not_found',
      'id',
    ],
    ['an unknown route', event('GET', '/nothing'), 404, 'not_found', null],
  ];

  it.each(cases)('answers %s with its own 4xx', async (_name, ev, status, code, field) => {
    const { d, started } = deps();
    const r = await handleApiEvent(ev, d);
    expect(r.statusCode).toBe(status);
    const body = JSON.parse(r.body) as { error: { code: string; message: string; field: string | null } };
    expect(body.error.code).toBe(code);
    expect(body.error.field).toBe(field);
    expect(body.error.message.length).toBeGreaterThan(10);
    expect(r.body).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(started).toEqual([]);
  });

  it('has at least 30 bad requests in its table', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it('says Allow on a wrong method', async () => {
    const r = await handleApiEvent(event('GET', '/reports'), deps().d);
    expect(r.headers?.Allow).toBe('POST');
  });

  it('answers its own failure with a 500 that shows no stack trace', async () => {
    const { d } = deps();
    d.jobs.put = async () => {
      throw new Error('S3 is away');
    };
    const r = await handleApiEvent(post({ date: '2024-10-21', subscription: 'sales' }), d);
    expect(r.statusCode).toBe(500);
    expect(JSON.parse(r.body).error).toEqual({
      code: 'internal_error',
      message: 'Something went wrong on our side; request id req-1',
      field: null,
    });
  });

  it('marks the job failed when the worker cannot be started, and answers 503 with Retry-After', async () => {
    const { d, jobs } = deps({
      startWorker: async () => {
        throw new Error('Lambda throttled');
      },
    });
    const r = await handleApiEvent(post({ date: '2024-10-21', subscription: 'sales' }), d);
    expect(r.statusCode).toBe(503);
    expect(r.headers?.['Retry-After']).toBe('60');
    expect(JSON.parse(r.body).error).toEqual({
      code: 'worker_unavailable',
      message: `The report could not be started; job ${ID} is marked failed; try again in a minute`,
      field: null,
    });
    expect(jobs.jobs.get(ID)).toMatchObject({
      status: 'failed',
      error: 'The report could not be started (the worker did not take the job); ask for it again',
    });
  });
});

describe('GET /reports/{id}', () => {
  const job = (patch: Partial<Job>): Job => makeJob({ id: ID, ...patch });

  it.each(['queued', 'running'] as const)('tells a %s job’s status', async (status) => {
    const { d, jobs } = deps();
    await jobs.put(job({ status }));
    const r = await handleApiEvent(event('GET', '/reports/{id}'), d);
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ id: ID, status });
  });

  it('gives a done job’s summary and download link', async () => {
    const { d, jobs } = deps({ loadSummary: async () => ({ totals: { calls: 5 } }) as never });
    await jobs.put(
      job({ status: 'done', result: { workbook_key: 'k.xlsx', summary_key: 'k.json', outcome: 'built' } }),
    );
    const body = JSON.parse((await handleApiEvent(event('GET', '/reports/{id}'), d)).body);
    expect(body).toMatchObject({
      status: 'done',
      summary: { totals: { calls: 5 } },
      download: { url: 'https://x/download/k.xlsx', expires_at: '2024-11-21T06:00:00.000Z' },
    });
  });

  it('gives the stored summary as it is, new keys and all', async () => {
    // A partial day's summary with the keys of issue 13: the API adds, drops and renames nothing.
    const stored = {
      period: {
        from: '2024-10-22',
        till: '2024-10-22',
        timezone: 'Europe/Moscow',
        partial: true,
        as_of: '2024-10-22 11:00:00',
      },
      settings: { sla_seconds: 20, working_hours: 'mon-fri 09:00-18:00' },
      totals: { calls: 5, incoming_in_hours: 3, incoming_missed_in_hours: 1, missed_rate_in_hours: 1 / 3 },
      missed: {
        call_first: [
          {
            number: '79161234567',
            display: '79161234567',
            formatted: '+7 916 123-45-67',
            outcome: 'unreturned',
            misses: 2,
            first_missed_at: '2024-10-22 09:05:00',
            last_missed_at: '2024-10-22 10:40:00',
            longest_ring_seconds: null,
            attempts: 0,
            line: '74950000000',
            line_comment: null,
            employees: [],
          },
        ],
      },
      employees: [{ name: 'Анна', unreturned: 1 }],
      days: [{ date: '2024-10-22', incoming: 4, missed_rate: null }],
      week_hours: null,
      previous: { period: { from: '2024-10-15', till: '2024-10-15', as_of: '2024-10-15 11:00:00' } },
    };
    const { d, jobs } = deps({ loadSummary: async () => structuredClone(stored) as unknown as Summary });
    await jobs.put(
      job({ status: 'done', result: { workbook_key: 'k.xlsx', summary_key: 'k.json', outcome: 'built' } }),
    );
    const body = JSON.parse((await handleApiEvent(event('GET', '/reports/{id}'), d)).body);
    expect(body.summary).toEqual(stored);
  });

  it('gives a failed job’s reason in words', async () => {
    const { d, jobs } = deps();
    await jobs.put(job({ status: 'failed', error: 'Data API get.mgf_calls failed: access_token_invalid' }));
    const body = JSON.parse((await handleApiEvent(event('GET', '/reports/{id}'), d)).body);
    expect(body).toMatchObject({ status: 'failed', error: { message: /access_token_invalid/ } });
  });

  it('gives a failed job’s kind as error_kind beside its words, and when a quota resets; a job failed before kinds as internal', async () => {
    const { d, jobs } = deps();
    await jobs.put(job({ status: 'failed', error: 'The job failed long ago' }));
    const old = JSON.parse((await handleApiEvent(event('GET', '/reports/{id}'), d)).body);
    expect(old).toMatchObject({ error: { message: 'The job failed long ago' }, error_kind: 'internal' });
    expect(old).not.toHaveProperty('error_retry_at');
    const { d: d2, jobs: jobs2 } = deps();
    const quota = "The account's daily API quota is used up (5 requests a day)";
    await jobs2.put(
      job({
        status: 'failed',
        error: quota,
        error_kind: 'data_api_limit',
        error_retry_at: '2024-10-23T21:00:00.000Z',
      }),
    );
    const body = JSON.parse((await handleApiEvent(event('GET', '/reports/{id}'), d2)).body);
    expect(body).toMatchObject({
      status: 'failed',
      error: { message: quota },
      error_kind: 'data_api_limit',
      error_retry_at: '2024-10-23T21:00:00.000Z',
    });
  });
});
