/**
 * The fake Bot API server (test/support/fake-telegram.ts) answers over real
 * HTTP in the Bot API's shapes, and is never kinder than Telegram: bad HTML,
 * a text too long after entity parsing, blocked and migrated chats, 429 with
 * retry_after, nginx's 502.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BOT_TOKEN, type FakeTelegram, startFakeTelegram } from '../support/fake-telegram.ts';

let tg: FakeTelegram;
beforeAll(async () => {
  tg = await startFakeTelegram({
    chats: [
      { id: -1001, type: 'supergroup', title: 'Продажи', threads: [7] },
      { id: -2002, type: 'supergroup', blocked: true },
      { id: -3003, type: 'group', migratedTo: -1003003 },
      { id: 4004, type: 'private', blocked: true },
    ],
  });
});
afterAll(async () => {
  await tg.close();
});

/** An answer: the Bot API's JSON (its shape is what the tests check), or an HTML page. */
interface Answer {
  status: number;
  body: { ok?: boolean; description?: string } & Record<string, unknown> & string;
}

async function call(method: string, body: unknown, token = FAKE_BOT_TOKEN): Promise<Answer> {
  const res = await fetch(`${tg.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    body: (type.startsWith('application/json') ? await res.json() : await res.text()) as Answer['body'],
  };
}

describe('the fake Bot API', () => {
  it('accepts a message in HTML parse mode and answers with the Message, its text after entity parsing', async () => {
    const r = await call('sendMessage', {
      chat_id: -1001,
      message_thread_id: 7,
      text: '<b>Звонки</b> &amp; 😀',
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Отчёт', url: 'https://example.com/r' }]] },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      ok: true,
      result: {
        chat: { id: -1001, type: 'supergroup', title: 'Продажи' },
        message_thread_id: 7,
        is_topic_message: true,
        text: 'Звонки & 😀',
        entities: [{ type: 'bold', offset: 0, length: 6 }],
        reply_markup: { inline_keyboard: [[{ text: 'Отчёт', url: 'https://example.com/r' }]] },
      },
    });
    expect(tg.messagesIn(-1001).map((m) => m.text)).toEqual(['Звонки & 😀']);
  });

  it('refuses bad HTML, an unescaped &, a text over 4 096 UTF-16 units after parsing, and a bad button URL', async () => {
    const send = (text: string, extra = {}) =>
      call('sendMessage', { chat_id: -1001, text, parse_mode: 'HTML', ...extra });
    expect((await send('<b>bold')).body).toMatchObject({
      ok: false,
      error_code: 400,
      description: 'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"',
    });
    expect((await send('a <script> b')).body.description).toMatch(
      /^Bad Request: can't parse entities: Unsupported start tag "script"/,
    );
    expect((await send('Tom & Jerry')).body.description).toMatch(/Character entity expected/);
    // 4 096 emoji are 8 192 UTF-16 units; 4 096 "&amp;" are 4 096 characters after parsing.
    expect((await send('😀'.repeat(2048))).status).toBe(200);
    expect((await send('😀'.repeat(2049))).body.description).toBe('Bad Request: message is too long');
    expect((await send('&amp;'.repeat(4096))).status).toBe(200);
    expect((await send('')).body.description).toBe('Bad Request: message text is empty');
    const badUrl = await send('x', {
      reply_markup: { inline_keyboard: [[{ text: 'r', url: 'file:///tmp/r.xlsx' }]] },
    });
    expect(badUrl.body.description).toMatch(/button URL 'file:\/\/\/tmp\/r.xlsx' is invalid/);
  });

  it('says a chat blocked the bot (403), a group migrated (migrate_to_chat_id), a chat or topic is unknown', async () => {
    expect((await call('sendMessage', { chat_id: -2002, text: 'x' })).body).toEqual({
      ok: false,
      error_code: 403,
      description: 'Forbidden: bot was kicked from the supergroup chat',
    });
    expect((await call('sendMessage', { chat_id: 4004, text: 'x' })).body.description).toBe(
      'Forbidden: bot was blocked by the user',
    );
    expect((await call('sendMessage', { chat_id: -3003, text: 'x' })).body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: group chat was upgraded to a supergroup chat',
      parameters: { migrate_to_chat_id: -1003003 },
    });
    expect((await call('sendMessage', { chat_id: -9, text: 'x' })).body.description).toBe(
      'Bad Request: chat not found',
    );
    expect(
      (await call('sendMessage', { chat_id: -1001, message_thread_id: 8, text: 'x' })).body.description,
    ).toBe('Bad Request: message thread not found');
  });

  it('answers a wrong token 401 and an unknown method 404', async () => {
    expect((await call('sendMessage', { chat_id: -1001, text: 'x' }, '1:wrong')).body).toEqual({
      ok: false,
      error_code: 401,
      description: 'Unauthorized',
    });
    expect((await call('sendTelepathy', {})).status).toBe(404);
  });

  it('plays scripted faults in order: 429 with retry_after, nginx 502, then answers again', async () => {
    tg.fail({ kind: 'retry_after', seconds: 3 }, { kind: 'status', status: 502 });
    const first = await call('sendMessage', { chat_id: -1001, text: 'x' });
    expect(first).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 3',
        parameters: { retry_after: 3 },
      },
    });
    const second = await call('sendMessage', { chat_id: -1001, text: 'x' });
    expect(second.status).toBe(502);
    expect(second.body).toContain('<center>nginx');
    expect((await call('sendMessage', { chat_id: -1001, text: 'x' })).status).toBe(200);
  });

  it('takes a document as multipart/form-data with its caption, and refuses one over 50 MB', async () => {
    const form = new FormData();
    form.set('chat_id', '-1001');
    form.set('caption', '<b>Звонки</b> 21.10.2024');
    form.set('parse_mode', 'HTML');
    form.set('document', new Blob([Buffer.from('PK\u0003\u0004 xlsx')]), 'Звонки 2024-10-21.xlsx');
    const res = await fetch(`${tg.url}/bot${FAKE_BOT_TOKEN}/sendDocument`, { method: 'POST', body: form });
    expect(await res.json()).toMatchObject({
      ok: true,
      result: {
        document: { file_name: 'Звонки 2024-10-21.xlsx', file_size: 9 },
        caption: 'Звонки 21.10.2024',
      },
    });
    const big = new FormData();
    big.set('chat_id', '-1001');
    big.set('document', new Blob([Buffer.alloc(50 * 1024 * 1024 + 1)]), 'big.xlsx');
    const tooBig = await fetch(`${tg.url}/bot${FAKE_BOT_TOKEN}/sendDocument`, { method: 'POST', body: big });
    expect(tooBig.status).toBe(413);
    expect(tg.documents.map((d) => d.file_name)).toEqual(['Звонки 2024-10-21.xlsx']);
  });
});
