/**
 * The Bot API client against the fake Bot API server over real HTTP: the
 * request it sends, retries on 429 after the Bot API's own retry_after and on
 * 5xx or a dropped connection under one deadline (on a virtual clock: nothing
 * sleeps), and refusals it does not retry, each of its kind, never holding the
 * token or a URL.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TelegramBotApi } from '../../functions/shared/adapters/telegram/bot-api.ts';
import { TelegramApiError } from '../../functions/shared/pipeline/telegram.ts';
import { FAKE_BOT_TOKEN, type FakeTelegram, startFakeTelegram } from '../support/fake-telegram.ts';

let tg: FakeTelegram;
beforeAll(async () => {
  tg = await startFakeTelegram({
    chats: [
      { id: -1001, type: 'supergroup', threads: [7] },
      { id: -2002, type: 'supergroup', blocked: true },
      { id: -3003, type: 'group', migratedTo: -1003003 },
    ],
  });
});
afterAll(async () => {
  await tg.close();
});

/** A clock that moves only by what the client sleeps. */
let t = 0;
let slept: number[] = [];
beforeEach(() => {
  t = 1_000_000;
  slept = [];
});
const api = (over: { token?: string; deadlineMs?: number } = {}) =>
  new TelegramBotApi({
    baseUrl: tg.url,
    token: over.token ?? FAKE_BOT_TOKEN,
    deadlineMs: over.deadlineMs ?? 60_000,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  });
const msg = {
  html: '<b>Звонки</b> &amp; всё',
  button: { text: 'Отчёт', url: 'https://example.com/r?a=1&b=2' },
};

async function failure(p: Promise<unknown>): Promise<TelegramApiError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(TelegramApiError);
  return e as TelegramApiError;
}

describe('the Bot API client', () => {
  it('posts the HTML with its URL button, without a link preview, to the topic, and returns the message id', async () => {
    const { messageId } = await api().sendMessage({ chat_id: -1001, thread_id: 7 }, msg);
    const got = tg.messages.find((m) => m.message_id === messageId);
    expect(got).toMatchObject({
      chat_id: '-1001',
      message_thread_id: 7,
      text: 'Звонки & всё',
      reply_markup: { inline_keyboard: [[{ text: 'Отчёт', url: 'https://example.com/r?a=1&b=2' }]] },
    });
    expect(slept).toEqual([]);
  });

  it('waits retry_after seconds on 429, as the Bot API asks, then posts once', async () => {
    const before = tg.messagesIn(-1001).length;
    tg.fail({ kind: 'retry_after', seconds: 7 }, { kind: 'retry_after', seconds: 3 });
    await api().sendMessage({ chat_id: -1001 }, msg);
    expect(slept).toEqual([7000, 3000]);
    expect(tg.messagesIn(-1001).length).toBe(before + 1);
  });

  it('retries 5xx and a dropped connection with a growing backoff', async () => {
    tg.fail({ kind: 'status', status: 502 }, { kind: 'drop' }, { kind: 'status', status: 500 });
    await api().sendMessage({ chat_id: -1001 }, msg);
    expect(slept).toEqual([1000, 2000, 4000]);
  });

  it('gives up as unavailable when Telegram stays down past the deadline, naming no token or URL', async () => {
    tg.down(true);
    try {
      const e = await failure(api({ deadlineMs: 20_000 }).sendMessage({ chat_id: -1001 }, msg));
      expect(e.kind).toBe('unavailable');
      expect(e.message).toBe('sendMessage: HTTP 502 without a Bot API answer, still after 5 tries');
      expect(slept).toEqual([1000, 2000, 4000, 8000]);
      expect(e.message).not.toContain(FAKE_BOT_TOKEN);
      expect(e.message).not.toContain(tg.url);
      expect(e.cause).toBeUndefined();
    } finally {
      tg.down(false);
    }
  });

  it('gives up on a retry_after that passes the deadline, without waiting for it', async () => {
    tg.fail({ kind: 'retry_after', seconds: 120 });
    const e = await failure(api({ deadlineMs: 60_000 }).sendMessage({ chat_id: -1001 }, msg));
    expect(e).toMatchObject({ kind: 'unavailable' });
    expect(e.message).toMatch(/^sendMessage: 429 Too Many Requests: retry after 120/);
    expect(slept).toEqual([]);
  });

  it('does not retry a refusal: blocked (403), migrated (with the new id), unknown chat, wrong token', async () => {
    expect(await failure(api().sendMessage({ chat_id: -2002 }, msg))).toMatchObject({
      kind: 'blocked',
      message: 'sendMessage: 403 Forbidden: bot was kicked from the supergroup chat',
    });
    expect(await failure(api().sendMessage({ chat_id: -3003 }, msg))).toMatchObject({
      kind: 'migrated',
      migrateTo: -1003003,
    });
    expect(await failure(api().sendMessage({ chat_id: -1001, thread_id: 99 }, msg))).toMatchObject({
      kind: 'not_found',
      message: 'sendMessage: 400 Bad Request: message thread not found',
    });
    const wrong = `${FAKE_BOT_TOKEN.split(':')[0]}:AAHwrongTOKENwrongTOKENwrong`;
    const e = await failure(api({ token: wrong }).sendMessage({ chat_id: -1001 }, msg));
    expect(e).toMatchObject({ kind: 'unauthorized', message: 'sendMessage: 401 Unauthorized' });
    expect(slept).toEqual([]);
  });

  it('refuses a token that is not of the form @BotFather gives, without a request', () => {
    expect(() => new TelegramBotApi({ baseUrl: tg.url, token: 'not a token' })).toThrow(/@BotFather/);
  });

  it('sends the workbook as a document with its name and caption', async () => {
    const content = Buffer.from('PK\u0003\u0004 the workbook');
    const { messageId } = await api().sendDocument(
      { chat_id: -1001, thread_id: 7 },
      { fileName: 'Звонки 2024-10-21.xlsx', content, caption: 'Звонки 2024-10-21.xlsx' },
    );
    expect(tg.documents.find((d) => d.message_id === messageId)).toMatchObject({
      chat_id: '-1001',
      message_thread_id: 7,
      file_name: 'Звонки 2024-10-21.xlsx',
      bytes: content.length,
      caption: 'Звонки 2024-10-21.xlsx',
    });
  });
});
