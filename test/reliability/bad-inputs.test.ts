/**
 * The bad inputs the audit listed, each tried through the real handlers
 * (simulator, s3rver, SES local, dynalite): bodies with duplicate keys,
 * `__proto__`, base64 and invalid UTF-8, the size boundary, 366/367 days,
 * "today" (a partial report, not an error), a date before the account's
 * first call, repeated POSTs, `Authorization` header variants, random and
 * forged download tokens, a corrupt manifest and job record in S3. None is
 * a 5xx; each gets its one clear message.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ReportStorage } from '../../functions/shared/adapters/aws/s3-storage.ts';
import { MAX_BODY_BYTES } from '../../functions/shared/http/request-body.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { apiEvent, type LambdaEnv, lambdaContext, startLambdaEnv } from '../support/lambda-env.ts';

let e: LambdaEnv;
beforeAll(async () => {
  e = await startLambdaEnv({
    simulator: { rows: generateCalls({ seed: 37, from: '2024-10-01', till: '2024-10-22', callsPerDay: 60 }) },
    subscriptions: [{ id: 'sales', recipients: ['head@example.com'] }],
  });
});
afterAll(async () => {
  await e.stop();
});

const api = (ev: APIGatewayProxyEvent) => e.api(ev, lambdaContext('reports-api'));
const raw = (body: string, extra: Partial<APIGatewayProxyEvent> = {}) =>
  api({ ...apiEvent('POST', '/reports', null), body, ...extra });
const errorOf = (res: { body: string }) => (JSON.parse(res.body) as { error: Record<string, unknown> }).error;

describe('request bodies', () => {
  it('refuses a key given twice, naming it', async () => {
    const res = await raw('{"date": "2024-10-21", "date": "2024-10-20"}');
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toEqual({
      code: 'duplicate_field',
      message: '"date" is given twice; give each field once',
      field: 'date',
    });
  });

  it.each([
    ['__proto__', '{"date": "2024-10-21", "__proto__": {"force": true}}'],
    ['constructor', '{"date": "2024-10-21", "constructor": {"prototype": {"force": true}}}'],
  ])('refuses a %s key as an unknown field, and pollutes nothing', async (key, body) => {
    const res = await raw(body);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'unknown_field', field: key });
    expect(({} as Record<string, unknown>).force).toBeUndefined();
  });

  it('reads a base64-encoded body as its JSON', async () => {
    const body = Buffer.from('{"date": "2024-10-21"}').toString('base64');
    expect((await raw(body, { isBase64Encoded: true })).statusCode).toBe(202);
  });

  it('refuses a base64 body whose bytes are not UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"date": "2024-10-21", "subscription": "sa'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('les"}'),
    ]);
    const res = await raw(bytes.toString('base64'), { isBase64Encoded: true });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toEqual({
      code: 'invalid_utf8',
      message: 'The body is not valid UTF-8; send JSON in UTF-8',
      field: null,
    });
  });

  it('refuses a body marked base64 that is not base64', async () => {
    const res = await raw('{"date": "2024-10-21"}', { isBase64Encoded: true });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'invalid_base64' });
  });

  it('takes a body of exactly the limit and refuses one byte more', async () => {
    const json = '{"date": "2024-10-21"}';
    const at = json + ' '.repeat(MAX_BODY_BYTES - json.length);
    expect((await raw(at)).statusCode).toBe(202);
    const over = await raw(`${at} `);
    expect(over.statusCode).toBe(413);
    expect(errorOf(over)).toEqual({
      code: 'body_too_large',
      message: `The body is larger than ${MAX_BODY_BYTES} bytes`,
      field: null,
    });
  });
});

describe('periods', () => {
  it('takes 366 days and refuses 367, saying what is allowed', async () => {
    const ok = await api(apiEvent('POST', '/reports', { from: '2023-10-22', till: '2024-10-21' }));
    expect(ok.statusCode).toBe(202);
    const no = await api(apiEvent('POST', '/reports', { from: '2023-10-21', till: '2024-10-21' }));
    expect(no.statusCode).toBe(400);
    expect(String(errorOf(no).message)).toContain('the period has 367 days; at most 366 are allowed');
  });

  it('makes "today" as a partial report, not an error', async () => {
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Moscow' });
    const post = await api(apiEvent('POST', '/reports', { date: today }));
    expect(post.statusCode).toBe(202);
    const { id } = JSON.parse(post.body) as { id: string };
    expect(await e.worker({ jobId: id }, lambdaContext('report-worker'))).toEqual({
      status: 'done',
      jobId: id,
    });
    const job = JSON.parse((await api(apiEvent('GET', '/reports/{id}', null, { id }))).body);
    expect(job.summary.period).toMatchObject({ from: today, till: today, partial: true });
    expect(job.summary.period.as_of).not.toBeNull();
  });

  it('makes a day before the account’s first call as a report of no calls', async () => {
    const post = await api(apiEvent('POST', '/reports', { date: '2020-01-15' }));
    expect(post.statusCode).toBe(202);
    const { id } = JSON.parse(post.body) as { id: string };
    expect(await e.worker({ jobId: id }, lambdaContext('report-worker'))).toEqual({
      status: 'done',
      jobId: id,
    });
    const job = JSON.parse((await api(apiEvent('GET', '/reports/{id}', null, { id }))).body);
    expect(job.summary.totals.calls).toBe(0);
  });

  it('answers the same POST repeated with a job each, both done, no 5xx', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await api(apiEvent('POST', '/reports', { date: '2024-10-14' }));
      expect(res.statusCode).toBe(202);
      ids.push((JSON.parse(res.body) as { id: string }).id);
    }
    for (const id of ids)
      expect(await e.worker({ jobId: id }, lambdaContext('report-worker'))).toEqual({
        status: 'done',
        jobId: id,
      });
  });
});

describe('Authorization header variants', () => {
  const tokenEvent = (authorizationToken: string) => ({
    type: 'TOKEN',
    authorizationToken,
    methodArn: 'arn:aws:execute-api:eu-central-1:123456789012:abc123/prod/POST/reports',
  });
  const outcome = async (header: string): Promise<string> => {
    try {
      const r = await e.authorizer(tokenEvent(header), lambdaContext('authorizer'));
      return r.policyDocument.Statement[0]?.Effect ?? '?';
    } catch (err) {
      return (err as Error).message;
    }
  };

  it.each([
    ['Basic credentials', (t: string) => `Basic ${Buffer.from(`user:${t}`).toString('base64')}`],
    ['two tokens', (t: string) => `Bearer ${t} ${t}`],
    ['two headers joined', (t: string) => `Bearer ${t}, Bearer ${t}`],
    ['no token', () => 'Bearer'],
    ['no scheme', (t: string) => t],
    ['an empty header', () => ''],
  ])('answers %s with Unauthorized (401), never Allow', async (_what, make) => {
    expect(await outcome(make(e.secrets.bearer))).toBe('Unauthorized');
  });

  it.each([
    ['a token cut short', (t: string) => `Bearer ${t.slice(0, -1)}`],
    ['a token one character longer', (t: string) => `Bearer ${t}x`],
    ['another case of the token', (t: string) => `Bearer ${t.toUpperCase()}`],
  ])('denies %s (403)', async (_what, make) => {
    expect(await outcome(make(e.secrets.bearer))).toBe('Deny');
  });

  it.each([
    ['the scheme in lower case', (t: string) => `bearer ${t}`],
    ['spaces around the token', (t: string) => `Bearer    ${t}  `],
  ])('allows the right token with %s (the scheme is case-insensitive, RFC 7235)', async (_what, make) => {
    expect(await outcome(make(e.secrets.bearer))).toBe('Allow');
  });
});

describe('download tokens', () => {
  const open = (token: string) =>
    e.download(apiEvent('GET', '/download/{token}', null, { token }), lambdaContext('download'));

  it.each([
    ['random text', 'hello'],
    [
      'random base64url',
      Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 37) % 256)).toString('base64url'),
    ],
    ['three random parts', 'AAAA.BBBB.CCCC'],
    ['a path', '..%2F..%2Fetc%2Fpasswd'],
    ['a very long token', 'A'.repeat(5000)],
  ])('refuses %s with 403', async (_what, token) => {
    const res = await open(token);
    expect(res.statusCode).toBe(403);
  });

  it('refuses a real link with its signature forged, and with its claims changed, with 403', async () => {
    const post = await api(apiEvent('POST', '/reports', { date: '2024-10-16' }));
    const { id } = JSON.parse(post.body) as { id: string };
    await e.worker({ jobId: id }, lambdaContext('report-worker'));
    const done = JSON.parse((await api(apiEvent('GET', '/reports/{id}', null, { id }))).body);
    const token = String(done.download.url).split('/download/')[1] ?? '';
    expect((await open(token)).statusCode).toBeLessThan(400);
    const parts = token.split('.');
    const flip = (s: string) =>
      s.at(-2) === 'A' ? `${s.slice(0, -2)}B${s.at(-1)}` : `${s.slice(0, -2)}A${s.at(-1)}`;
    const forgedSignature = [...parts.slice(0, -1), flip(parts.at(-1) ?? '')].join('.');
    const changedClaims = parts.map((p, i) => (i === parts.length - 2 ? flip(p) : p)).join('.');
    for (const t of [forgedSignature, changedClaims]) expect((await open(t)).statusCode).toBe(403);
  });
});

describe('corrupt records in S3', () => {
  it('answers GET of a job whose record is not a job with 410 and what to do', async () => {
    const id = '0b8a4a35-6c1e-4c6f-9e63-2b2f0d6f8aff';
    await e.s3.client.send(
      new PutObjectCommand({ Bucket: e.s3.bucket, Key: `jobs/${id}.json`, Body: '{"id": "0b8a4a35' }),
    );
    const res = await api(apiEvent('GET', '/reports/{id}', null, { id }));
    expect(res.statusCode).toBe(410);
    expect(errorOf(res)).toEqual({
      code: 'job_unreadable',
      message: `The record of job ${id} cannot be read (it is not JSON); ask for the report again`,
      field: 'id',
    });
    expect(await e.worker({ jobId: id }, lambdaContext('report-worker'))).toMatchObject({
      status: 'rejected',
    });
  });

  it.each([
    ['JSON of another shape', '[1, 2, 3]'],
    ['a manifest with an unknown status', '{"status": "exploded", "attempts": "many"}'],
  ])(
    'fails a daily run over a manifest that is %s with a message naming it, and sends nothing',
    async (_what, body) => {
      const storage = new S3ReportStorage({ client: e.s3.client, bucket: e.s3.bucket });
      const day = body.startsWith('[') ? '2024-10-08' : '2024-10-07';
      const loc = { subscription: 'sales', period: { from: day, till: day, timezone: 'Europe/Moscow' } };
      const key = storage.keyFor(loc, 'manifest');
      await e.s3.client.send(new PutObjectCommand({ Bucket: e.s3.bucket, Key: key, Body: body }));
      const before = (await e.ses.emails()).length;
      const next = new Date(Date.parse(`${day}T05:00:00Z`) + 86_400_000).toISOString();
      const err = await e
        .daily({ subscription: 'sales', scheduled_time: next }, lambdaContext('daily-report'))
        .catch((x: unknown) => x);
      expect(err).toBeInstanceOf(Error);
      expect(String((err as Error).message)).toMatch(/manifest/);
      expect((await e.ses.emails()).length).toBe(before);
    },
  );

  it('fails a daily run over a manifest that is not JSON with a message naming it, and sends nothing', async () => {
    const storage = new S3ReportStorage({ client: e.s3.client, bucket: e.s3.bucket });
    const loc = {
      subscription: 'sales',
      period: { from: '2024-10-10', till: '2024-10-10', timezone: 'Europe/Moscow' },
    };
    const key = storage.keyFor(loc, 'manifest');
    await e.s3.client.send(new PutObjectCommand({ Bucket: e.s3.bucket, Key: key, Body: '{"status": "ema' }));
    const before = (await e.ses.emails()).length;
    const err = await e
      .daily({ subscription: 'sales', scheduled_time: '2024-10-11T05:00:00Z' }, lambdaContext('daily-report'))
      .catch((x: unknown) => x);
    expect(String((err as Error).message)).toContain(key);
    expect(String((err as Error).message)).toMatch(/not valid JSON/);
    expect((await e.ses.emails()).length).toBe(before);
  });
});
