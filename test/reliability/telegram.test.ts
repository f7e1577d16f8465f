/**
 * The morning message in the team's chats through the real handlers (issue 16,
 * must show): the daily-report Lambda with s3rver, dynalite, SES local and the
 * fake Bot API server. One message per chat per report under three concurrent
 * duplicate deliveries; a 429 waited out with its retry_after; the email sent
 * when Telegram is down, and the retry posting once; a chat that blocked the
 * bot named with what to do, counted for the alarm; no secret in any log line.
 * The waits of the Bot API client are on a virtual sleeper: nothing sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ReportStorage } from '../../functions/shared/adapters/aws/s3-storage.ts';
import { handleDailyEvent } from '../../functions/shared/lambda/daily.ts';
import { createReportRuntime } from '../../functions/shared/lambda/runtime.ts';
import type { Manifest } from '../../functions/shared/pipeline/manifest.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type FakeTelegram, startFakeTelegram } from '../support/fake-telegram.ts';
import { type LambdaEnv, lambdaContext, metricsIn, startLambdaEnv } from '../support/lambda-env.ts';

const SALES = { chat_id: -1001 };
const TOPIC = { chat_id: -1001, thread_id: 7 };
const SUPPORT = { chat_id: -1002 };

let e: LambdaEnv;
let tg: FakeTelegram;
beforeAll(async () => {
  tg = await startFakeTelegram({
    chats: [
      { id: -1001, type: 'supergroup', title: 'Продажи', threads: [7] },
      { id: -1002, type: 'supergroup', title: 'Поддержка' },
      { id: -1003, type: 'supergroup', title: 'Ушли', blocked: true },
    ],
  });
  e = await startLambdaEnv({
    simulator: {
      rows: generateCalls({ seed: 61, from: '2024-10-16', till: '2024-10-22', callsPerDay: 200 }),
    },
    subscriptions: [
      { id: 'sales', recipients: ['head.of.sales@example.com'], telegram: [SALES, TOPIC, SUPPORT] },
      { id: 'gone', recipients: ['gone@example.com'], telegram: [{ chat_id: -1003 }, SUPPORT] },
    ],
    telegram: tg,
  });
});
afterAll(async () => {
  await e?.stop();
  await tg?.close();
});

const deliver = (subscription: string, scheduledTime: string) =>
  e.daily({ subscription, scheduled_time: scheduledTime }, lambdaContext('daily-report'));
const mailsFor = async (day: string, to = 'head.of.sales@example.com') =>
  (await e.ses.emails()).filter((m) => m.subject.includes(day) && m.to.includes(to));
/** The messages of one report day: its title names the day. */
const postedFor = (day: string) => tg.messages.filter((m) => m.text.startsWith(`Звонки за ${day}`));
const chatsOf = (day: string) => postedFor(day).map((m) => [m.chat_id, m.message_thread_id]);
const manifestOf = (subscription: string, day: string) =>
  new S3ReportStorage({ client: e.s3.client, bucket: e.s3.bucket }).loadJson<Manifest>(
    { subscription, period: { from: day, till: day, timezone: 'Europe/Moscow' } },
    'manifest',
  );

/** The daily handler's function on a runtime whose Bot API waits are recorded, not slept. */
function virtualRuntime() {
  const slept: number[] = [];
  const rt = {
    ...createReportRuntime(),
    sleep: async (ms: number) => {
      slept.push(ms);
    },
  };
  return { rt, slept };
}

describe('the Telegram channel through the daily handler', () => {
  it('posts one message per chat under three concurrent duplicate deliveries, and their retries post none', async () => {
    const results = await Promise.allSettled([1, 2, 3].map(() => deliver('sales', '2024-10-22T05:00:00Z')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected'))
      expect(String(r.reason)).toMatch(/ReportInProgressError/);
    for (let i = 0; i < 2; i++)
      expect(await deliver('sales', '2024-10-22T05:00:00Z')).toMatchObject({ outcome: 'already_sent' });

    expect(chatsOf('21.10.2024')).toEqual([
      ['-1001', null],
      ['-1001', 7],
      ['-1002', null],
    ]);
    expect(await mailsFor('21.10.2024')).toHaveLength(1);
    const m = await manifestOf('sales', '2024-10-21');
    expect(m?.telegram?.map((r) => [r.status, r.message_id])).toEqual(
      postedFor('21.10.2024').map((x) => ['posted', x.message_id]),
    );
    expect(postedFor('21.10.2024')[0]?.reply_markup).toMatchObject({
      inline_keyboard: [
        [{ url: expect.stringMatching(/^https:\/\/abc123\.execute-api\.[^/]+\/prod\/download\//) }],
      ],
    });
  });

  it('waits out a 429 for its retry_after and posts once', async () => {
    const { rt, slept } = virtualRuntime();
    tg.fail({ kind: 'retry_after', seconds: 5 });
    const r = await handleDailyEvent({ subscription: 'sales', scheduled_time: '2024-10-21T05:00:00Z' }, rt);
    expect(r).toMatchObject({ status: 'done', outcome: 'built_and_sent' });
    expect(slept).toEqual([5000]);
    expect(chatsOf('20.10.2024')).toEqual([
      ['-1001', null],
      ['-1001', 7],
      ['-1002', null],
    ]);
    expect(tg.requests.filter((q) => q.status === 429)).toHaveLength(1);
  });

  it('sends the email when Telegram is down, fails the run for a retry, and the retry posts each chat once', async () => {
    const { rt, slept } = virtualRuntime();
    const event = { subscription: 'sales', scheduled_time: '2024-10-20T05:00:00Z' };
    tg.down(true);
    try {
      await expect(handleDailyEvent(event, rt)).rejects.toThrow(
        /is stored, but Telegram did not take it: Telegram chat -1001 of subscription "sales": sendMessage: HTTP 502/,
      );
    } finally {
      tg.down(false);
    }
    expect(slept.length).toBeGreaterThan(3);
    expect(await mailsFor('19.10.2024')).toHaveLength(1);
    expect(postedFor('19.10.2024')).toHaveLength(0);
    const failed = await manifestOf('sales', '2024-10-19');
    expect(failed).toMatchObject({ status: 'emailed' });
    expect(failed?.telegram?.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    expect(failed?.telegram?.[0]?.last_error).toMatch(/a retry of the run posts it$/);

    // Lambda's retry: the email is not sent again, each chat gets its one message.
    expect(await handleDailyEvent(event, rt)).toMatchObject({ outcome: 'already_sent' });
    expect(chatsOf('19.10.2024')).toHaveLength(3);
    expect(await mailsFor('19.10.2024')).toHaveLength(1);
  });

  it('a chat that blocked the bot: the run ends, the others get it, the log says whose chat and what to do', async () => {
    const from = e.logs.length;
    expect(await deliver('gone', '2024-10-22T05:00:00Z')).toMatchObject({ outcome: 'built_and_sent' });
    expect(await mailsFor('21.10.2024', 'gone@example.com')).toHaveLength(1);
    const lines = e.logs.slice(from).join('\n');
    expect(lines).toContain(
      'Telegram chat -1003 of subscription \\"gone\\": sendMessage: 403 Forbidden: bot was kicked from the supergroup chat: add the bot to the chat again',
    );
    expect(metricsIn(e.logs.slice(from))).toMatchObject({ TelegramFailed: 1, TelegramPosted: 1 });
    expect((await manifestOf('gone', '2024-10-21'))?.telegram?.map((r) => r.status)).toEqual([
      'failed',
      'posted',
    ]);
  });

  it('never wrote a secret, the bot token among them, or a Bot API URL to the logs', () => {
    const all = e.logs.join('\n');
    expect(e.secrets.telegramBot).toBe(tg.token);
    for (const secret of Object.values(e.secrets)) expect(all).not.toContain(secret);
    expect(all).not.toContain('/bot');
  });
});
