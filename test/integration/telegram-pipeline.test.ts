/**
 * The Telegram channel in runReport (pipeline/telegram.ts), with a hand-made
 * call source, a real local folder, a recording mailer and the Bot API client
 * against the fake Bot API server: one message per chat after the email, each
 * message id in the manifest, no second post on a later run, a failure that
 * loses neither the email nor the other chats, and says whose chat and what to do.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalFolderStorage } from '../../functions/shared/adapters/local/folder-storage.ts';
import { TelegramBotApi } from '../../functions/shared/adapters/telegram/bot-api.ts';
import { type ClaimFence, ClaimLostError } from '../../functions/shared/pipeline/claim.ts';
import type { Manifest } from '../../functions/shared/pipeline/manifest.ts';
import {
  EmailFailedError,
  type PipelineDeps,
  type ReportRequest,
  runReport,
} from '../../functions/shared/pipeline/run-report.ts';
import { TelegramFailedError } from '../../functions/shared/pipeline/telegram.ts';
import { makeCall } from '../support/calls.ts';
import { FakeSource, RecordingMailer } from '../support/fake-source.ts';
import { FAKE_BOT_TOKEN, type FakeTelegram, startFakeTelegram } from '../support/fake-telegram.ts';

const NOW = Date.UTC(2024, 9, 22, 6, 0, 0);
const period = { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' };
const SALES = { chat_id: -1001 };
const TOPIC = { chat_id: -1001, thread_id: 7 };
const SUPPORT = { chat_id: -1002 };

let tg: FakeTelegram;
beforeAll(async () => {
  tg = await startFakeTelegram();
});
afterAll(async () => {
  await tg.close();
});

let dir: string;
let storage: LocalFolderStorage;
let mailer: RecordingMailer;
let slept: number[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'telegram-'));
  storage = new LocalFolderStorage(dir);
  mailer = new RecordingMailer();
  slept = [];
  tg.messages.length = 0;
  tg.documents.length = 0;
  tg.requests.length = 0;
  tg.chats.clear();
  tg.addChat({ id: -1001, type: 'supergroup', title: 'Продажи', threads: [7] });
  tg.addChat({ id: -1002, type: 'supergroup', title: 'Поддержка' });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function request(over: Partial<ReportRequest> = {}): ReportRequest {
  return {
    subscription: 'sales',
    period,
    language: 'ru',
    recipients: ['head@example.com'],
    from: 'reports@example.com',
    telegram: [SALES, TOPIC, SUPPORT],
    ...over,
  };
}

function deps(over: Partial<PipelineDeps> = {}): PipelineDeps {
  let t = NOW;
  return {
    source: new FakeSource([
      makeCall('2024-10-21 10:00:00', { lost: true, contactNumber: '79001112233' }),
      makeCall('2024-10-21 12:00:00', { lost: true, contactNumber: '79005556677' }),
    ]),
    storage,
    mailer,
    clock: { now: () => t },
    linkFor: async (stored) => ({ url: `https://reports.example.com/download/${stored.key.length}` }),
    telegram: new TelegramBotApi({
      baseUrl: tg.url,
      token: FAKE_BOT_TOKEN,
      deadlineMs: 10_000,
      now: () => t,
      sleep: async (ms) => {
        slept.push(ms);
        t += ms;
      },
    }),
    ...over,
  };
}

const manifest = () => storage.loadJson<Manifest>({ subscription: 'sales', period, as_of: null }, 'manifest');

describe('the Telegram channel', () => {
  it('posts one message per chat after the email, and keeps each message id in the manifest', async () => {
    const r = await runReport(request(), deps());
    expect(r.outcome).toBe('built_and_sent');
    expect(mailer.sent).toHaveLength(1);
    expect(tg.messages.map((m) => [m.chat_id, m.message_thread_id])).toEqual([
      ['-1001', null],
      ['-1001', 7],
      ['-1002', null],
    ]);
    expect(tg.messages[0]?.text).toContain('Не перезвонили: 2 номера');
    expect(tg.messages[0]?.reply_markup).toMatchObject({
      inline_keyboard: [[{ url: expect.stringMatching(/^https:\/\/reports\.example\.com\/download\//) }]],
    });
    const m = await manifest();
    expect(m?.status).toBe('emailed');
    expect(m?.telegram).toEqual(
      tg.messages.map((x) => ({
        chat_id: Number(x.chat_id),
        thread_id: x.message_thread_id,
        status: 'posted',
        message_id: x.message_id,
        document_message_id: null,
        migrated_to: null,
        posted_at: new Date(NOW).toISOString(),
        attempts: 1,
        last_error: null,
      })),
    );
    expect(r.telegram).toEqual({ posted: 3, already: 0, failed: [], warnings: [] });
    expect(tg.documents).toHaveLength(0);
  });

  it('posts nothing twice: a later run posts only to a chat it has not posted to', async () => {
    await runReport(request({ telegram: [SALES] }), deps());
    const again = await runReport(request({ telegram: [SALES] }), deps());
    expect(again.outcome).toBe('already_sent');
    expect(again.telegram).toMatchObject({ posted: 0, already: 1 });
    const more = await runReport(request(), deps());
    expect(more.telegram).toMatchObject({ posted: 2, already: 1 });
    expect(tg.messages.map((m) => [m.chat_id, m.message_thread_id])).toEqual([
      ['-1001', null],
      ['-1001', 7],
      ['-1002', null],
    ]);
    expect(mailer.sent).toHaveLength(1);
  });

  it('a chat that blocked the bot: the email and the other chats still go, the manifest says whose chat and what to do', async () => {
    tg.addChat({ id: -1002, type: 'supergroup', blocked: true });
    const r = await runReport(request(), deps());
    expect(mailer.sent).toHaveLength(1);
    expect(tg.messages).toHaveLength(2);
    const message =
      'Telegram chat -1002 of subscription "sales": sendMessage: 403 Forbidden: bot was kicked from the supergroup chat: ' +
      'add the bot to the chat again and let it post messages, or take the chat out of the subscription\'s "telegram" list';
    expect(r.telegram?.failed).toEqual([{ chat: SUPPORT, kind: 'blocked', message }]);
    expect((await manifest())?.telegram?.[2]).toMatchObject({
      status: 'failed',
      message_id: null,
      last_error: message,
    });
  });

  it('Telegram down: the email is sent, the run fails to be retried, and the retry posts each chat once', async () => {
    tg.down(true);
    let failure: unknown;
    try {
      await runReport(request(), deps());
    } catch (e) {
      failure = e;
    } finally {
      tg.down(false);
    }
    expect(failure).toBeInstanceOf(TelegramFailedError);
    expect(String(failure)).toMatch(
      /is stored, but Telegram did not take it: Telegram chat -1001 of subscription "sales": sendMessage: HTTP 502/,
    );
    expect(mailer.sent).toHaveLength(1);
    expect(tg.messages).toHaveLength(0);
    expect((await manifest())?.telegram?.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    expect(slept.length).toBeGreaterThan(0);

    const retry = await runReport(request(), deps());
    expect(retry.outcome).toBe('already_sent');
    expect(tg.messages).toHaveLength(3);
    expect(mailer.sent).toHaveLength(1);
    expect((await manifest())?.telegram?.map((r) => [r.status, r.attempts])).toEqual([
      ['posted', 2],
      ['posted', 2],
      ['posted', 2],
    ]);
  });

  it('posts to a group that became a supergroup under its new id, and says to change the config', async () => {
    tg.addChat({ id: -1002, type: 'group', migratedTo: -1009 });
    tg.addChat({ id: -1009, type: 'supergroup' });
    const r = await runReport(request({ telegram: [SUPPORT] }), deps());
    expect(tg.messagesIn(-1009)).toHaveLength(1);
    expect(r.telegram?.warnings).toEqual([
      'Telegram chat -1002 of subscription "sales": the group became a supergroup whose chat_id is -1009: ' +
        'put -1009 in place of -1002 in the subscription\'s "telegram" list and deploy again',
    ]);
    expect((await manifest())?.telegram?.[0]).toMatchObject({ status: 'posted', migrated_to: -1009 });
    // A later run knows the new id from the manifest and asks nothing again.
    await runReport(request({ telegram: [SUPPORT] }), deps());
    expect(tg.requests.filter((q) => q.chat_id === '-1002')).toHaveLength(1);
  });

  it('posts the workbook after the message only when the subscription asks for it', async () => {
    await runReport(request({ telegram: [SALES], telegramWorkbook: true }), deps());
    expect(tg.documents).toMatchObject([{ chat_id: '-1001', file_name: 'Звонки 2024-10-21.xlsx' }]);
    const rec = (await manifest())?.telegram?.[0];
    expect(rec?.document_message_id).toBe(tg.documents[0]?.message_id);
    expect(rec?.message_id).toBe(tg.messages[0]?.message_id);
  });

  it('posts no workbook over Telegram’s 50 MB: the message with its link, and a warning saying so', async () => {
    // The folder's storage, saying its workbook is 60 MB.
    const big: PipelineDeps['storage'] = {
      saveWorkbook: async (...a) => ({ ...(await storage.saveWorkbook(...a)), bytes: 60 * 1024 * 1024 }),
      saveJson: (...a) => storage.saveJson(...a),
      loadJson: (...a) => storage.loadJson(...a),
      readObject: (...a) => storage.readObject(...a),
    };
    const r = await runReport(request({ telegram: [SALES], telegramWorkbook: true }), deps({ storage: big }));
    expect(tg.messages).toHaveLength(1);
    expect(tg.documents).toHaveLength(0);
    expect(r.telegram?.warnings).toEqual([
      'The workbook for subscription "sales" is 60 MB, over the 50 MB Telegram takes from a bot: the chats get the message with its link only',
    ]);
    expect((await manifest())?.telegram?.[0]).toMatchObject({ status: 'posted', document_message_id: null });
  });

  it('posts to the chats when the email fails, and the email’s retry does not post again', async () => {
    mailer.failuresLeft = 1;
    await expect(runReport(request(), deps())).rejects.toBeInstanceOf(EmailFailedError);
    expect(tg.messages).toHaveLength(3);
    const retry = await runReport(request(), deps());
    expect(retry.outcome).toBe('sent_stored');
    expect(mailer.sent).toHaveLength(1);
    expect(tg.messages).toHaveLength(3);
  });

  it('a forced run posts again, as it emails again', async () => {
    await runReport(request({ telegram: [SALES] }), deps());
    await runReport(request({ telegram: [SALES], force: true }), deps());
    expect(tg.messagesIn(-1001)).toHaveLength(2);
    expect(mailer.sent).toHaveLength(2);
  });

  it('a run that lost its claim posts nothing: the fence is proved before each post', async () => {
    const steps: string[] = [];
    const fence: ClaimFence = {
      check: () => {},
      prove: async (step) => {
        steps.push(step);
        if (step === 'telegram') throw new ClaimLostError('report/sales/2024-10-21_2024-10-21', 'test');
      },
      signal: new AbortController().signal,
    };
    await expect(runReport(request(), deps({ fence }))).rejects.toBeInstanceOf(ClaimLostError);
    expect(steps).toContain('telegram');
    expect(tg.messages).toHaveLength(0);
  });
});
