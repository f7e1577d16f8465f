/**
 * The bot's commands through the real handlers (issue 16, item 4 and its must
 * show): Telegram's updates to the reports-api function's `POST /telegram`,
 * the report worker, s3rver, dynalite and the fake Bot API server over real
 * HTTP. A wrong or missing secret header is refused with nothing done; a chat
 * no subscription lists gets one polite refusal and nothing else; `/week` in
 * the subscription's chat makes one job (asked twice, still one), answers at
 * once, and the worker posts the report's message to that chat; another
 * report asked within the cooldown is answered with when it is possible;
 * `/report` of a day the chat already got from the morning's run is its page
 * at once, and in a topic that did not get it, the page and then the message.
 * Every instant is the test's clock (a fixed day, moved on by the test).
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3JobStore } from '../../functions/shared/adapters/aws/job-store.ts';
import { telegramWebhookSecret } from '../../functions/shared/http/telegram-update.ts';
import { createApiRuntime, handleApiRequest } from '../../functions/shared/lambda/api.ts';
import { handleDailyEvent } from '../../functions/shared/lambda/daily.ts';
import { createReportRuntime, createWorkerRuntime } from '../../functions/shared/lambda/runtime.ts';
import { handleWorkerEvent } from '../../functions/shared/lambda/worker.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type FakeTelegram, startFakeTelegram } from '../support/fake-telegram.ts';
import { makeJob } from '../support/jobs.ts';
import { apiEvent, type LambdaEnv, startLambdaEnv } from '../support/lambda-env.ts';

const SALES_CHAT = -1001;
const STRANGERS = -1009;
const BASE = Date.UTC(2024, 9, 23, 9); // Wednesday 2024-10-23 12:00 Moscow: last week is 14–20 October
const MIN = 60_000;

let e: LambdaEnv;
let tg: FakeTelegram;
let api: ReturnType<typeof createApiRuntime>;
let worker: ReturnType<typeof createWorkerRuntime>;
/** The test's clock: BASE, moved on only by the test. */
let now = BASE;
const clock = { now: () => now };

beforeAll(async () => {
  tg = await startFakeTelegram({
    chats: [
      { id: SALES_CHAT, type: 'supergroup', title: 'Продажи', threads: [7] },
      { id: STRANGERS, type: 'supergroup', title: 'Чужие' },
    ],
  });
  e = await startLambdaEnv({
    simulator: {
      rows: generateCalls({ seed: 16, from: '2024-10-14', till: '2024-10-22', callsPerDay: 60 }),
    },
    subscriptions: [
      { id: 'sales', recipients: ['head.of.sales@example.com'], telegram: [{ chat_id: SALES_CHAT }] },
    ],
    telegram: tg,
  });
  api = createApiRuntime();
  api.telegram.clock = clock;
  worker = { ...createWorkerRuntime(), clock };
});
afterAll(async () => {
  await e?.stop();
  await tg?.close();
});
beforeEach(() => {
  e.lambdaMock.resetHistory();
});

let updateId = 1;
/** A message in a chat, as Telegram's Update carries it; a leading /command is a bot_command entity. */
function update(chatId: number, text: string, threadId?: number) {
  const id = updateId++;
  const word = /^\/\S+/.exec(text)?.[0];
  return {
    update_id: 900_000 + id,
    message: {
      message_id: id,
      date: Math.floor(now / 1000),
      chat: { id: chatId, type: 'supergroup', title: 'Продажи' },
      ...(threadId === undefined ? {} : { message_thread_id: threadId, is_topic_message: true }),
      from: { id: 4242, is_bot: false, first_name: 'Анна', language_code: 'ru' },
      text,
      ...(word ? { entities: [{ type: 'bot_command', offset: 0, length: word.length }] } : {}),
    },
  };
}

/** Telegram's POST to the webhook, with the secret header (or another, or none). */
function post(body: unknown, secret: string | null = telegramWebhookSecret(tg.token)): APIGatewayProxyEvent {
  const base = apiEvent('POST', '/telegram', body);
  return {
    ...base,
    path: '/telegram',
    headers: {
      'Content-Type': 'application/json',
      ...(secret === null ? {} : { 'X-Telegram-Bot-Api-Secret-Token': secret }),
    },
    requestContext: { ...base.requestContext, authorizer: null, resourcePath: '/telegram' } as never,
  };
}

const send = (body: unknown, secret?: string | null) => handleApiRequest(post(body, secret), api);
const startedJobs = () =>
  e.lambdaMock
    .commandCalls(InvokeCommand)
    .map((c) => JSON.parse(Buffer.from(c.args[0].input.Payload as Uint8Array).toString()).jobId as string);
const jobKeys = async () =>
  (await e.s3.client.send(new ListObjectsV2Command({ Bucket: e.s3.bucket, Prefix: 'jobs/' }))).KeyCount ?? 0;
const said = (chat: number) => tg.messagesIn(chat).map((m) => m.text);

describe('the Telegram webhook through the reports-api handler', () => {
  it('refuses an update without the secret header (401) or with a wrong one (403), and does nothing', async () => {
    const before = tg.requests.length;
    const missing = await send(update(SALES_CHAT, '/week'), null);
    const wrong = await send(update(SALES_CHAT, '/week'), telegramWebhookSecret('another:token'));
    const near = await send(update(SALES_CHAT, '/week'), `${telegramWebhookSecret(tg.token)}x`);
    expect([missing.statusCode, wrong.statusCode, near.statusCode]).toEqual([401, 403, 403]);
    expect(JSON.parse(wrong.body)).toMatchObject({ error: { code: 'forbidden' } });
    expect(tg.requests.length).toBe(before);
    expect(startedJobs()).toEqual([]);
    expect(await jobKeys()).toBe(0);
  });

  it('answers a chat no subscription lists with one polite refusal, and nothing else', async () => {
    const r = await send(update(STRANGERS, '/week'));
    expect(r.statusCode).toBe(200);
    expect(said(STRANGERS)).toEqual([expect.stringMatching(/^Извините, этот чат не подключён к отчётам/)]);
    expect(tg.messagesIn(STRANGERS)[0]?.reply_markup).toBeNull();
    expect(startedJobs()).toEqual([]);
    expect(await jobKeys()).toBe(0);
  });

  it('ignores with 200 what is not its command: text, another command, another bot, no message, not JSON', async () => {
    const before = tg.messages.length;
    for (const body of [
      update(SALES_CHAT, 'доброе утро'),
      update(SALES_CHAT, '/settings'),
      update(SALES_CHAT, '/week@another_bot'),
      { update_id: 1, edited_message: update(SALES_CHAT, '/week').message },
      { update_id: 'x' },
      'not json {',
    ]) {
      expect((await send(body)).statusCode).toBe(200);
    }
    expect(tg.messages.length).toBe(before);
    expect(startedJobs()).toEqual([]);
  });

  it('/start says in the chat what comes there and the commands, and starts nothing', async () => {
    expect((await send(update(SALES_CHAT, '/start'))).statusCode).toBe(200);
    expect(said(SALES_CHAT).at(-1)).toMatch(
      /^Сюда я присылаю отчёт о звонках \(sales\)[\s\S]*\/report — отчёт за вчера/,
    );
    expect(startedJobs()).toEqual([]);
  });

  it('/week in the chat makes one job, asked twice still one; the worker posts the report to that chat', async () => {
    expect((await send(update(SALES_CHAT, '/week'))).statusCode).toBe(200);
    const [jobId] = startedJobs();
    expect(startedJobs()).toHaveLength(1);
    expect(said(SALES_CHAT).at(-1)).toBe(
      '⏳ Готовлю отчёт за 14.10.2024–20.10.2024. Пришлю его сюда, когда он будет готов.',
    );

    now += MIN;
    expect((await send(update(SALES_CHAT, '/week@call_reports_bot'))).statusCode).toBe(200);
    expect(startedJobs()).toHaveLength(1);
    expect(said(SALES_CHAT).at(-1)).toMatch(/^⏳ Отчёт за 14\.10\.2024–20\.10\.2024 уже готовится/);
    expect(await jobKeys()).toBe(1);

    expect(await handleWorkerEvent({ jobId }, worker)).toEqual({ status: 'done', jobId });
    const report = tg.messagesIn(SALES_CHAT).at(-1);
    expect(report?.text).toMatch(/^Звонки за 14\.10\.2024–20\.10\.2024/);
    expect(report?.reply_markup).toMatchObject({
      inline_keyboard: [[{ url: expect.stringMatching(/^https:\/\/abc123\.[^/]+\/prod\/download\//) }]],
    });
    expect(await e.ses.emails()).toHaveLength(0);

    // Asked again once it is made: its page at once, nothing made or posted again.
    now += MIN;
    const posted = tg.messages.length;
    await send(update(SALES_CHAT, '/week'));
    expect(startedJobs()).toHaveLength(1);
    expect(tg.messages.length).toBe(posted + 1);
    expect(said(SALES_CHAT).at(-1)).toBe(
      '✅ Отчёт за 14.10.2024–20.10.2024 готов: его страница по кнопке ниже.',
    );
    expect(tg.messagesIn(SALES_CHAT).at(-1)?.reply_markup).toMatchObject({
      inline_keyboard: [[{ text: 'Открыть отчёт', url: expect.stringContaining('/prod/download/') }]],
    });
  });

  it('another report within the cooldown is answered with when it is possible; past it, it is made', async () => {
    // /week's job took the subscription's slot at BASE: at BASE + 4 min /month must wait until 12:10 Moscow.
    now = BASE + 4 * MIN;
    await send(update(SALES_CHAT, '/month'));
    expect(startedJobs()).toEqual([]);
    expect(said(SALES_CHAT).at(-1)).toBe(
      'Отчёт по запросу для этой подписки можно заказывать не чаще раза в 10 минут. Следующий — в 12:10 (через 6 мин).',
    );
    now = BASE + 11 * MIN;
    await send(update(SALES_CHAT, '/month'));
    expect(startedJobs()).toHaveLength(1);
    expect(said(SALES_CHAT).at(-1)).toBe(
      '⏳ Готовлю отчёт за 01.09.2024–30.09.2024. Пришлю его сюда, когда он будет готов.',
    );
  });

  it('/report of a day the chat already got: its page at once; asked in a topic, the page and the report there', async () => {
    now = BASE + 25 * MIN;
    const daily = { ...createReportRuntime(), clock };
    expect(
      await handleDailyEvent({ subscription: 'sales', scheduled_time: '2024-10-23T05:00:00Z' }, daily),
    ).toMatchObject({ outcome: 'built_and_sent' });
    const posted = tg.messages.length;
    await send(update(SALES_CHAT, '/report'));
    expect(startedJobs()).toEqual([]);
    expect(tg.messages.length).toBe(posted + 1);
    expect(said(SALES_CHAT).at(-1)).toBe('✅ Отчёт за 22.10.2024 готов: его страница по кнопке ниже.');

    // In topic 7 the morning's message is not there: the page at once, the message when the worker has run.
    await send(update(SALES_CHAT, '/report', 7));
    const [jobId] = startedJobs();
    expect(tg.messages.at(-1)).toMatchObject({
      message_thread_id: 7,
      text: '⏳ Отчёт за 22.10.2024 уже сделан: его страница по кнопке ниже. Цифры пришлю сюда через минуту.',
      reply_markup: { inline_keyboard: [[{ url: expect.stringContaining('/prod/download/') }]] },
    });
    expect(await handleWorkerEvent({ jobId }, worker)).toEqual({ status: 'done', jobId });
    expect(tg.messages.at(-1)).toMatchObject({
      message_thread_id: 7,
      text: expect.stringMatching(/^Звонки за 22\.10\.2024/),
    });
    expect(tg.messagesIn(SALES_CHAT).filter((m) => m.text.startsWith('Звонки за 22.10.2024'))).toHaveLength(
      2,
    );
  });

  it('the worker posts a job reply only to a chat the subscription still lists', async () => {
    const jobs = new S3JobStore({ client: e.s3.client, bucket: e.s3.bucket });
    const at = new Date(now).toISOString();
    const jobId = '0e3c2f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6';
    await jobs.put(
      makeJob({ id: jobId, created_at: at, updated_at: at, request: { reply_to: { chat_id: STRANGERS } } }),
    );
    const before = tg.requests.length;
    expect(await handleWorkerEvent({ jobId }, worker)).toEqual({ status: 'done', jobId });
    expect(tg.requests.length).toBe(before);
    expect(said(STRANGERS).filter((t) => t.startsWith('Звонки'))).toEqual([]);
  });

  it('never wrote the webhook secret, the bot token or what was said to the logs', () => {
    const all = e.logs.join('\n');
    expect(all).toContain('Telegram update');
    for (const secret of [tg.token, telegramWebhookSecret(tg.token), 'доброе утро', 'Анна'])
      expect(all).not.toContain(secret);
    expect(all).not.toContain('/bot');
    expect(all).not.toContain(String(STRANGERS));
  });
});
