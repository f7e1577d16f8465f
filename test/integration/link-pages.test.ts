/**
 * The pages behind a link over real HTTP, without a browser (test/visual/
 * has the browser): the download and reports-api handlers behind local HTTP
 * as API Gateway routes them, against the simulator, s3rver and dynalite. A
 * daily email's link opens the report page, its quick links make one job
 * however often they are opened and show the report once the worker made it,
 * the email goes only when asked; no token reaches a log line.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodOfRule } from '../../functions/shared/http/period-rules.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type HandlerServer, startHandlerServer } from '../support/handler-server.ts';
import { type LambdaEnv, lambdaContext, startLambdaEnv } from '../support/lambda-env.ts';

const TZ = 'Europe/Moscow';
const HTML = { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'Accept-Language': 'ru-RU,ru;q=0.9' };
let server: HandlerServer;
let e: LambdaEnv;
let reportUrl: string;
let quickUrls: string[];

beforeAll(async () => {
  server = await startHandlerServer();
  const now = Date.now();
  const yesterday = periodOfRule('yesterday', TZ, now).from;
  const from = periodOfRule('last_month', TZ, now).from;
  e = await startLambdaEnv({
    simulator: { rows: generateCalls({ seed: 7, from, till: yesterday, callsPerDay: 40 }) },
    subscriptions: [{ id: 'sales', recipients: ['head.of.sales@example.com'], timezone: TZ }],
    env: { DOWNLOAD_BASE_URL: server.downloadBase },
  });
  server.serve(e);
  await e.daily(
    { subscription: 'sales', scheduled_time: new Date(now).toISOString() },
    lambdaContext('daily'),
  );
  const html = (await e.ses.emails()).at(-1)?.html ?? '';
  const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1] as string);
  reportUrl = hrefs.find((h) => h.startsWith(server.downloadBase)) ?? '';
  quickUrls = hrefs.filter((h) => h.startsWith(`${server.origin}/v1/q/`));
}, 240_000);

afterAll(async () => {
  await e?.stop();
  await server?.close();
});

const invokes = () => e.lambdaMock.commandCalls(InvokeCommand);
const runWorker = async (from: number) => {
  const calls = invokes().slice(from);
  expect(calls).toHaveLength(1);
  const payload = JSON.parse(Buffer.from(calls[0]?.args[0].input.Payload as Uint8Array).toString());
  return e.worker(payload, lambdaContext('report-worker'));
};

describe('the daily email’s links', () => {
  it('carry the report link and four quick links: this week, last week, this month, last month', () => {
    expect(reportUrl).not.toBe('');
    expect(quickUrls).toHaveLength(4);
  });

  it('the report link opens the report page for a browser and the file for curl', async () => {
    const page = await fetch(reportUrl, { headers: HTML });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    expect(await page.text()).toContain('<main data-page="report">');
    const file = await fetch(reportUrl, { redirect: 'manual', headers: { Accept: '*/*' } });
    expect(file.status).toBe(302);
    expect(file.headers.get('location')).toContain('X-Amz-Signature=');
  });
});

describe('a quick link over HTTP', () => {
  it('ten opens make one job; the worker makes it; then the page is the report', async () => {
    const url = quickUrls[1] as string; // last week
    const at = invokes().length;
    // One after another: s3rver, unlike S3, lets a read see a job object half written
    // (opens at the same moment are test/unit/quick-link.test.ts's, on the store's conditional put).
    const answers: Response[] = [];
    for (let i = 0; i < 10; i++) answers.push(await fetch(url, { headers: HTML }));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(await a.text()).toContain('data-progress="queued"');
    }
    expect(await runWorker(at)).toMatchObject({ status: 'done' });
    const done = await fetch(url, { headers: HTML });
    const body = await done.text();
    expect(body).toContain('<main data-page="report">');
    expect(body).toContain('<form method="post">');
    expect(invokes().length - at).toBe(1);
  }, 120_000);

  it('emails only when asked, to the subscription’s own recipients, then answers the next ask with 429', async () => {
    const url = quickUrls[1] as string;
    const before = (await e.ses.emails()).length;
    const at = invokes().length;
    const posted = await fetch(url, { method: 'POST', redirect: 'manual', headers: HTML });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('?sent=1');
    expect(await runWorker(at)).toMatchObject({ status: 'done' });
    const mails = (await e.ses.emails()).slice(before);
    expect(mails.map((m) => m.to)).toEqual([['head.of.sales@example.com']]);
    // Another period's email within the cooldown: refused, with when.
    const other = quickUrls[3] as string; // last month
    const first = invokes().length;
    await fetch(other, { headers: HTML });
    await runWorker(first);
    const refused = await fetch(other, { method: 'POST', redirect: 'manual', headers: HTML });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.text()).toContain('Письмо уже отправляли');
  }, 120_000);

  it('never writes a token into a log line, and writes one access line per open', () => {
    const tokens = [reportUrl, ...quickUrls].map((u) => u.split('/').at(-1) as string);
    const text = e.logs.join('');
    for (const t of tokens) {
      for (const part of t.split('.').slice(1)) expect(text).not.toContain(part);
    }
    expect(e.logs.filter((l) => l.includes('"message":"Link opened"')).length).toBeGreaterThan(10);
  });
});
