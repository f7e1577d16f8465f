/**
 * The pages behind a link as a manager on a phone meets them, in headless
 * Chromium with JavaScript switched off, against the real handlers served
 * over local HTTP (the download function; the reports-api function's
 * quick-link route), the simulator, s3rver and dynalite: the report page an
 * emailed link opens; a quick link from the same email going from
 * "готовится" to the report once the worker has made it, and its email sent
 * when asked; each refusal page. At 360×640 and 1000×800: no sideways
 * scrolling, the tiles and the first clients to call on the first screen of
 * the report page, every `tel:` link valid, and no request leaving the origin.
 *
 * Pictures in test/visual/artifacts/ (git-ignored): `page-<name>-<w>x<h>.png`
 * (the first screen) and `…-full.png`.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCooldowns } from '../../functions/shared/adapters/aws/dynamo-cooldowns.ts';
import { DynamoRevocations } from '../../functions/shared/adapters/aws/dynamo-revocations.ts';
import { parseKeyRing } from '../../functions/shared/http/key-ring.ts';
import { signQuickLink, signReportLink } from '../../functions/shared/http/links.ts';
import { periodOfRule } from '../../functions/shared/http/period-rules.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type HandlerServer, startHandlerServer } from '../support/handler-server.ts';
import { type LambdaEnv, lambdaContext, startLambdaEnv } from '../support/lambda-env.ts';
import { type Browsing, type Page, startBrowsing } from './support/chromium.ts';
import { type EmailLayout, emailLayout, onFirstScreen } from './support/email-layout.ts';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const TZ = 'Europe/Moscow';
const PHONE = { width: 360, height: 640 };
const DESKTOP = { width: 1000, height: 800 };
const DAY = 86_400_000;

let server: HandlerServer;
let e: LambdaEnv;
let browser: Browsing;
/** The email of the daily report: its report link and its quick links. */
let reportUrl: string;
let quick: Record<string, string>;

const lastWeek = periodOfRule('last_week', TZ, Date.now());

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  server = await startHandlerServer();
  const yesterday = periodOfRule('yesterday', TZ, Date.now()).from;
  const from = new Date(Date.parse(lastWeek.from) - 7 * DAY).toISOString().slice(0, 10);
  e = await startLambdaEnv({
    simulator: { rows: generateCalls({ seed: 15, from, till: yesterday, callsPerDay: 160 }) },
    subscriptions: [
      { id: 'sales', recipients: ['head.of.sales@example.com'], timezone: TZ },
      // A report id the account does not have: its reports fail, with the API's reason.
      { id: 'broken', recipients: ['ops@example.com'], timezone: TZ, report_id: 424242 },
    ],
    env: { DOWNLOAD_BASE_URL: server.downloadBase },
  });
  server.serve(e);
  const daily = await e.daily(
    { subscription: 'sales', scheduled_time: new Date().toISOString() },
    lambdaContext('daily-report'),
  );
  expect(daily).toMatchObject({ status: 'done', outcome: 'built_and_sent' });
  const html = (await e.ses.emails()).at(-1)?.html ?? '';
  const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] as string).replaceAll('&#38;', '&'));
  reportUrl = links.find((l) => l.startsWith(server.downloadBase)) ?? '';
  const quickUrls = links.filter((l) => l.startsWith(`${server.origin}/v1/q/`));
  expect(quickUrls).toHaveLength(4);
  quick = Object.fromEntries(
    ['this_week', 'last_week', 'this_month', 'last_month'].map((rule, i) => [rule, quickUrls[i] as string]),
  );
  browser = await startBrowsing();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await e?.stop();
  await server?.close();
});

interface Look {
  layout: EmailLayout;
  page: Page;
}

/** Opens `url` at `size`, keeps both pictures, measures what is where. */
async function look(name: string, url: string, size: { width: number; height: number }): Promise<Look> {
  return snap(name, await browser.visit(url, size), size);
}

async function snap(name: string, page: Page, size: { width: number; height: number }): Promise<Look> {
  const shot = join(ARTIFACTS, `page-${name}-${size.width}x${size.height}`);
  await page.screenshot({ path: `${shot}.png` });
  await page.screenshot({ path: `${shot}-full.png`, fullPage: true });
  return { layout: await emailLayout(page), page };
}

/** Runs the worker on the job the last invoke since `from` asked for, as Lambda would. */
async function runWorker(from: number): Promise<unknown> {
  const calls = e.lambdaMock.commandCalls(InvokeCommand).slice(from);
  expect(calls).toHaveLength(1);
  const payload = JSON.parse(Buffer.from(calls[0]?.args[0].input.Payload as Uint8Array).toString());
  return e.worker(payload, lambdaContext('report-worker'));
}

const invokes = () => e.lambdaMock.commandCalls(InvokeCommand).length;

/** The status of the last answer to `url` (the page's own request). */
async function statusOf(url: string, init: RequestInit = {}): Promise<number> {
  const res = await fetch(url, { redirect: 'manual', headers: { Accept: 'text/html' }, ...init });
  return res.status;
}

function expectFits(l: EmailLayout, width: number) {
  expect(l.width).toBe(width);
  expect(l.scrollWidth).toBeLessThanOrEqual(width);
}

const ring = () => parseKeyRing(e.secrets.linkKey);

describe('the report page an emailed link opens', () => {
  it.each([PHONE, DESKTOP])(
    'at %o: fits, with the tiles and the first clients on the first screen',
    async (size) => {
      const { layout, page } = await look('report', reportUrl, size);
      expectFits(layout, size.width);
      expect(await page.locator('main[data-page="report"]').count()).toBe(1);
      expect(layout.tiles).toHaveLength(3);
      for (const tile of layout.tiles) expect(onFirstScreen(tile, layout)).toBe(true);
      expect(layout.clients.length).toBeGreaterThanOrEqual(2);
      for (const row of layout.clients.slice(0, 2)) expect(onFirstScreen(row, layout)).toBe(true);
      expect(layout.tel.length).toBeGreaterThan(0);
      for (const link of layout.tel) {
        expect(link.href).toMatch(/^tel:\+[1-9]\d{10,14}$/);
        expect(link.href.slice(4)).toBe(`+${link.text.replace(/\D/g, '')}`);
        expect(link.box.right).toBeLessThanOrEqual(size.width);
      }
      await page.close();
    },
  );

  it('carries the pages’ security headers, and its one stylesheet applies under the CSP', async () => {
    const res = await fetch(reportUrl, { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(browser.console.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
  });

  it('its button gives the workbook through the signed route: ?format=xlsx, a 302 presigned now', async () => {
    const page = await browser.visit(reportUrl, PHONE);
    const href = await page.locator('[data-download] a.button').getAttribute('href');
    await page.close();
    expect(href).toBe('?format=xlsx');
    const file = await fetch(`${reportUrl}?format=xlsx`, {
      redirect: 'manual',
      headers: { Accept: 'text/html' },
    });
    expect(file.status).toBe(302);
    const bytes = Buffer.from(await (await fetch(file.headers.get('location') ?? '')).arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    // Scripts: curl's */* gets the file as before.
    expect(await statusOf(reportUrl, { headers: { Accept: '*/*' } })).toBe(302);
  });
});

describe('a quick link from the email', () => {
  it('says "готовится", refreshes itself until the worker has made the report, then is the report page', async () => {
    const at = invokes();
    const page = await browser.visit(quick.last_week ?? '', PHONE);
    await snap('progress', page, PHONE);
    expect(await page.locator('[data-progress]').count()).toBe(1);
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(1);
    const desk = await browser.visit(quick.last_week ?? '', DESKTOP);
    await snap('progress', desk, DESKTOP);
    await desk.close();
    // Two opens, one job: one worker started.
    expect(await runWorker(at)).toMatchObject({ status: 'done' });
    // No script: the page's own <meta http-equiv="refresh"> brings the report.
    await page.waitForSelector('main[data-page="report"]', { timeout: 60_000 });
    const done = await snap('quick-report', page, PHONE);
    expectFits(done.layout, PHONE.width);
    for (const tile of done.layout.tiles) expect(onFirstScreen(tile, done.layout)).toBe(true);
    const day = (d: string) => d.split('-').reverse().join('.');
    expect(await page.locator('h1').textContent()).toBe(
      `Звонки за ${day(lastWeek.from)}–${day(lastWeek.till)}`,
    );

    // Asked on the page (a plain form, no script): emailed to the subscription's own recipients.
    const before = (await e.ses.emails()).length;
    const asked = invokes();
    await page.locator('[data-email="form"] button').click();
    await page.waitForSelector('[data-email="sending"]');
    await snap('quick-emailing', page, PHONE);
    expect(await runWorker(asked)).toMatchObject({ status: 'done' });
    const mails = (await e.ses.emails()).slice(before);
    expect(mails.map((m) => m.to)).toEqual([['head.of.sales@example.com']]);
    await page.close();
  }, 120_000);

  it('cooldown: asking for another email too soon is a 429 page saying when', async () => {
    await cooldowns().take('sales', Date.now());
    const at = invokes();
    const page = await browser.visit(quick.last_month ?? '', PHONE);
    expect(await runWorker(at)).toMatchObject({ status: 'done' });
    await page.waitForSelector('main[data-page="report"]', { timeout: 60_000 });
    await page.locator('[data-email="form"] button').click();
    await page.waitForSelector('[data-refusal="cooldown"]');
    const { layout } = await snap('cooldown', page, PHONE);
    expectFits(layout, PHONE.width);
    expect(await page.locator('h1').textContent()).toBe('Письмо уже отправляли');
    await page.close();
    const post = await fetch(quick.last_month ?? '', { method: 'POST', headers: { Accept: 'text/html' } });
    expect(post.status).toBe(429);
    expect(Number(post.headers.get('retry-after'))).toBeGreaterThan(0);
  }, 120_000);
});

describe('the refusal pages', () => {
  const refusals = (): Array<[string, () => Promise<string>, number, string]> => [
    [
      'expired',
      async () =>
        `${server.downloadBase}${signReportLink(
          {
            key: keyOfReport(),
            subscription: 'sales',
            language: 'ru',
            expiresAt: Date.now() - 3 * DAY,
          },
          ring(),
          Date.now() - 17 * DAY,
        )}`,
      410,
      'Ссылка устарела',
    ],
    [
      'tampered',
      async () => `${reportUrl.slice(0, -3)}${reportUrl.endsWith('AAA') ? 'BBB' : 'AAA'}`,
      403,
      'Ссылка недействительна',
    ],
    [
      'revoked',
      async () => {
        const token = signReportLink(
          { key: keyOfReport(), subscription: 'sales', language: 'ru', expiresAt: Date.now() + DAY },
          ring(),
          Date.now() - 1000,
        );
        const id = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).j;
        await revocations().revoke({ kind: 'token', tokenId: id }, Date.now());
        return `${server.downloadBase}${token}`;
      },
      410,
      'Ссылка отключена',
    ],
    ['unknown-subscription', async () => quickUrl('nobody', 'last_week'), 404, 'Подписка не найдена'],
    [
      'failed',
      async () => {
        const url = quickUrl('broken', 'last_month');
        const at = invokes();
        expect(await statusOf(url)).toBe(200); // queued: the progress page
        expect(await runWorker(at)).toMatchObject({ status: 'failed' });
        return url;
      },
      500,
      'Отчёт не получилось сделать',
    ],
  ];

  it.each(['expired', 'tampered', 'revoked', 'unknown-subscription', 'failed'])(
    '%s: its status, its words, and it fits at 360 and 1000 px',
    async (name) => {
      const [, make, status, title] = refusals().find(([n]) => n === name) ?? [];
      const url = await (make as () => Promise<string>)();
      expect(await statusOf(url)).toBe(status);
      for (const size of [PHONE, DESKTOP]) {
        const { layout, page } = await look(name, url, size);
        expectFits(layout, size.width);
        expect(await page.locator('h1').textContent()).toBe(title);
        await page.close();
      }
    },
    60_000,
  );
});

describe('what the browser asked for', () => {
  it('never left the origin: every request went to the local route', () => {
    expect(browser.requests.length).toBeGreaterThan(10);
    expect(browser.requests.filter((u) => !u.startsWith(`${server.origin}/`))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------

function keyOfReport(): string {
  const token = reportUrl.slice(server.downloadBase.length);
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).k;
}

function quickUrl(subscription: string, rule: 'last_week' | 'last_month'): string {
  const token = signQuickLink(
    { subscription, rule, language: 'ru', expiresAt: Date.now() + DAY },
    ring(),
    Date.now(),
  );
  return `${server.origin}/v1/q/${token}`;
}

const dynamo = () => new DynamoDBClient({});
const revocations = () => new DynamoRevocations({ client: dynamo(), table: e.dynamo.table });
const cooldowns = () => new DynamoCooldowns({ client: dynamo(), table: e.dynamo.table });
