/**
 * The Lambda handlers in-process with events of the exact shape their triggers
 * send, against the simulator, s3rver, aws-ses-v2-local and dynalite; Secrets
 * Manager is faked at the SDK level. Also: no secret ever reaches a log line.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportKey } from '../../functions/shared/adapters/aws/s3-storage.ts';
import { parseKeyRing } from '../../functions/shared/http/key-ring.ts';
import { signReportLink } from '../../functions/shared/http/links.ts';
import { END_MARGIN_MS } from '../../functions/shared/lambda/budget.ts';
import { reportVariant } from '../../functions/shared/pipeline/location.ts';
import { reportSettings } from '../../functions/shared/pipeline/settings.ts';
import { generateCalls } from '../../simulator/generator.ts';
import {
  apiEvent,
  lambdaContext as context,
  type LambdaEnv,
  metricsIn,
  startLambdaEnv,
} from '../support/lambda-env.ts';

let e: LambdaEnv;

beforeAll(async () => {
  e = await startLambdaEnv({
    simulator: {
      rows: generateCalls({ seed: 21, from: '2024-10-21', till: '2024-10-22', callsPerDay: 300 }),
    },
    subscriptions: [
      { id: 'sales', recipients: ['head.of.sales@example.com'], timezone: 'Europe/Moscow' },
      {
        id: 'support',
        recipients: ['support.lead@example.com'],
        language: 'en',
        working_hours: 'Mon-Fri 9:00-18:00',
      },
    ],
  });
});

afterAll(async () => {
  await e.stop();
});

/** The input EventBridge Scheduler delivers for a schedule whose target input is {subscription, scheduled_time}. */
const schedulerEvent = (subscription: string) => ({ subscription, scheduled_time: '2024-10-22T05:00:00Z' });

describe('daily report handler', () => {
  it('makes yesterday’s report from a Scheduler event and emails it once, however often it is delivered', async () => {
    const before = (await e.ses.emails()).length;
    const at = e.logs.length;
    const first = await e.daily(schedulerEvent('sales'), context('daily-report'));
    expect(first).toMatchObject({
      status: 'done',
      period: '2024-10-21..2024-10-21',
      outcome: 'built_and_sent',
    });
    expect(metricsIn(e.logs.slice(at))).toMatchObject({
      CallsFetched: expect.any(Number),
      ReportDuration: expect.any(Number),
    });
    for (let i = 0; i < 2; i++) {
      expect(await e.daily(schedulerEvent('sales'), context('daily-report'))).toMatchObject({
        outcome: 'already_sent',
      });
    }
    const mails = (await e.ses.emails()).slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual(['head.of.sales@example.com']);
    expect(mails[0]?.html).toContain('https://abc123.execute-api.eu-central-1.amazonaws.com/prod/download/');
  });

  it.each([
    ['an empty event', {}, /subscription: is missing/],
    [
      'an unknown subscription',
      { subscription: 'marketing' },
      /Unknown subscription "marketing"; configured: sales, support/,
    ],
    ['an extra key', { subscription: 'sales', recipients: ['x@evil.com'] }, /Invalid schedule event/],
  ])('rejects %s without throwing (no retry) and says why in one log line', async (_name, ev, reason) => {
    const at = e.logs.length;
    const r = await e.daily(ev, context('daily-report'));
    expect(r.status).toBe('rejected');
    expect(r.reason).toMatch(reason);
    const errors = e.logs.slice(at).filter((l) => l.includes('"level":"ERROR"'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/"function_request_id":"req-/);
    expect(metricsIn(e.logs.slice(at))).toEqual({ RejectedEvents: 1 });
  });

  it('ends its fetch within the invocation’s time: with none left a deadline error Lambda retries, then the retry makes the report', async () => {
    const before = (await e.ses.emails()).length;
    const day = { subscription: 'sales', scheduled_time: '2024-10-23T05:00:00Z' };
    // One millisecond of run left after the margin kept at the end (budget.ts).
    const late = { ...context('daily-report'), getRemainingTimeInMillis: () => END_MARGIN_MS + 1 };
    await expect(e.daily(day, late)).rejects.toMatchObject({ mnemonic: 'deadline_exceeded' });
    expect((await e.ses.emails()).length).toBe(before);
    expect(await e.daily(day, context('daily-report'))).toMatchObject({ outcome: 'built_and_sent' });
    expect((await e.ses.emails()).length).toBe(before + 1);
  });

  it('writes the subscription, the period and the request id on every line of a run', async () => {
    const at = e.logs.length;
    await e.daily(schedulerEvent('support'), context('daily-report'));
    const lines = e.logs.slice(at).filter((l) => l.includes('"level":"INFO"'));
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) {
      expect(l).toContain('"subscription":"support"');
      expect(l).toContain('"period":"2024-10-21..2024-10-21"');
      expect(l).toContain('"function_request_id":"req-');
    }
  });
});

describe('Reports API, worker and download', () => {
  it('queues a report, the worker makes it, GET gives the summary and a link that downloads it', async () => {
    let at = e.logs.length;
    const post = await e.api(
      apiEvent('POST', '/reports', { date: '2024-10-21', subscription: 'sales', force: true }),
      context('reports-api'),
    );
    expect(post.statusCode).toBe(202);
    const { id } = JSON.parse(post.body) as { id: string };
    expect(post.headers?.Location).toBe(`/prod/reports/${id}`);
    const invoke = e.lambdaMock.commandCalls(InvokeCommand).at(-1)?.args[0].input;
    expect(invoke).toMatchObject({ FunctionName: 'report-worker', InvocationType: 'Event' });
    const payload = JSON.parse(Buffer.from(invoke?.Payload as Uint8Array).toString());
    expect(payload).toEqual({ jobId: id });
    expect(metricsIn(e.logs.slice(at))).toEqual({ ReportsRequested: 1 });

    const queued = JSON.parse(
      (await e.api(apiEvent('GET', '/reports/{id}', null, { id }), context('reports-api'))).body,
    );
    expect(queued.status).toBe('queued');

    expect(await e.worker(payload, context('report-worker'))).toEqual({ status: 'done', jobId: id });
    expect(await e.worker(payload, context('report-worker'))).toEqual({ status: 'done', jobId: id }); // duplicate: nothing

    const done = JSON.parse(
      (await e.api(apiEvent('GET', '/reports/{id}', null, { id }), context('reports-api'))).body,
    );
    expect(done.status).toBe('done');
    expect(done.summary.period).toEqual({
      from: '2024-10-21',
      till: '2024-10-21',
      timezone: 'Europe/Moscow',
      partial: false,
      as_of: null,
    });
    const token = String(done.download.url).split('/download/')[1] ?? '';

    at = e.logs.length;
    const res = await e.download(apiEvent('GET', '/download/{token}', null, { token }), context('download'));
    expect(res.statusCode).toBe(302);
    expect(metricsIn(e.logs.slice(at))).toEqual({ LinkOpened: 1 });
    const xlsx = Buffer.from(await (await fetch(res.headers.Location ?? '')).arrayBuffer());
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');

    at = e.logs.length;
    const bad = await e.download(
      apiEvent('GET', '/download/{token}', null, { token: `${token}x` }),
      context('download'),
    );
    expect(bad.statusCode).toBe(403);
    expect(metricsIn(e.logs.slice(at))).toEqual({ LinkTampered: 1 });
  });

  it('carries working hours into the report: the subscription’s by default, the request’s own when given', async () => {
    const day = { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' };
    await e.daily(schedulerEvent('support'), context('daily-report'));
    // The daily report's own place: its settings are not the defaults, so its key names them (pipeline/location.ts).
    const dailyKey = reportKey(
      {
        subscription: 'support',
        period: day,
        variant: reportVariant('en', reportSettings({ working_hours: 'mon-fri 09:00-18:00' })),
      },
      'summary',
    );
    const storedDaily = async () => {
      const stored = await e.s3.client.send(new GetObjectCommand({ Bucket: e.s3.bucket, Key: dailyKey }));
      return JSON.parse((await stored.Body?.transformToString()) ?? '{}');
    };
    expect((await storedDaily()).settings.working_hours).toBe('mon-fri 09:00-18:00');

    const post = await e.api(
      apiEvent('POST', '/reports', {
        date: '2024-10-21',
        subscription: 'support',
        working_hours: 'mon-sun 10:00-12:00',
        force: true,
      }),
      context('reports-api'),
    );
    expect(post.statusCode).toBe(202);
    const { id, request } = JSON.parse(post.body) as { id: string; request: { working_hours: string } };
    expect(request.working_hours).toBe('mon-sun 10:00-12:00');
    expect(await e.worker({ jobId: id }, context('report-worker'))).toEqual({ status: 'done', jobId: id });
    const done = JSON.parse(
      (await e.api(apiEvent('GET', '/reports/{id}', null, { id }), context('reports-api'))).body,
    );
    expect(done.summary.settings.working_hours).toBe('mon-sun 10:00-12:00');
    // Made with other hours, it has a place of its own: the day's daily report is still there, unchanged.
    expect((await storedDaily()).settings.working_hours).toBe('mon-fri 09:00-18:00');
  });

  it('counts a request the API refuses as a bad request, and queues nothing', async () => {
    const at = e.logs.length;
    const r = await e.api(
      apiEvent('POST', '/reports', { date: '2024-10-21', subscription: 'sales', colour: 'red' }),
      context('reports-api'),
    );
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'unknown_field', field: 'colour' } });
    expect(metricsIn(e.logs.slice(at))).toEqual({ BadRequests: 1 });
  });

  it('answers an expired link with 410 and counts it as expired', async () => {
    const token = signReportLink(
      {
        key: 'reports/sales/2024-10-01_2024-10-01/report.xlsx',
        subscription: 'sales',
        expiresAt: Date.now() - 1000,
      },
      parseKeyRing(e.secrets.linkKey),
      Date.now() - 2000,
    );
    const at = e.logs.length;
    const res = await e.download(apiEvent('GET', '/download/{token}', null, { token }), context('download'));
    expect(res.statusCode).toBe(410);
    expect(metricsIn(e.logs.slice(at))).toEqual({ LinkExpired: 1 });
  });

  it('marks a job failed with the reason in words when the report cannot be made', async () => {
    e.sim.setFaults({ badToken: true });
    try {
      const post = await e.api(
        apiEvent('POST', '/reports', { date: '2024-10-20', subscription: 'support' }),
        context('reports-api'),
      );
      const { id } = JSON.parse(post.body) as { id: string };
      expect(await e.worker({ jobId: id }, context('report-worker'))).toEqual({
        status: 'failed',
        jobId: id,
      });
      const got = JSON.parse(
        (await e.api(apiEvent('GET', '/reports/{id}', null, { id }), context('reports-api'))).body,
      );
      expect(got).toMatchObject({
        status: 'failed',
        error: { message: expect.stringMatching(/access_token_invalid/) },
        error_kind: 'data_api_auth',
      });
    } finally {
      e.sim.clearFaults();
    }
  });
});

describe('authorizer', () => {
  const tokenEvent = (authorizationToken: string) => ({
    type: 'TOKEN',
    authorizationToken,
    methodArn: 'arn:aws:execute-api:eu-central-1:123456789012:abc123/prod/POST/reports',
  });

  it('allows the kept bearer token for the whole stage', async () => {
    const at = e.logs.length;
    const r = await e.authorizer(tokenEvent(`Bearer ${e.secrets.bearer}`), context('authorizer'));
    expect(r.policyDocument.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Resource: 'arn:aws:execute-api:eu-central-1:123456789012:abc123/prod/*',
    });
    expect(metricsIn(e.logs.slice(at))).toEqual({ Authorized: 1 });
  });

  it('denies a wrong token (API Gateway answers 403)', async () => {
    const at = e.logs.length;
    const r = await e.authorizer(tokenEvent('Bearer not-the-token-at-all'), context('authorizer'));
    expect(r.policyDocument.Statement[0]?.Effect).toBe('Deny');
    expect(metricsIn(e.logs.slice(at))).toEqual({ Denied: 1 });
  });

  it('answers Unauthorized to a header that is not a bearer token (API Gateway answers 401)', async () => {
    const at = e.logs.length;
    await expect(
      e.authorizer(tokenEvent(`Basic ${e.secrets.bearer}`), context('authorizer')),
    ).rejects.toThrow('Unauthorized');
    expect(metricsIn(e.logs.slice(at))).toEqual({ Unauthorized: 1 });
  });
});

describe('secrets', () => {
  it('never writes the Data API token, the bearer token or the signing key to a log line', () => {
    expect(e.logs.length).toBeGreaterThan(10);
    const all = e.logs.join('\n');
    for (const secret of Object.values(e.secrets)) expect(all).not.toContain(secret);
  });
});
