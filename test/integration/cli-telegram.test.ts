/**
 * Telegram on the command line (issue 16, item 5), run in-process on the
 * demo (the built-in simulator): without a bot token the message the bot would
 * post is written beside the outbox's email, as the Bot API request; with
 * TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID it is posted to the fake Bot API
 * server; a bad chat id or a token without a chat stops before any request.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.ts';
import { type FakeTelegram, startFakeTelegram } from '../support/fake-telegram.ts';
import { parseTelegramHtml } from '../support/telegram-html.ts';

let dir: string;
let tg: FakeTelegram;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-telegram-'));
  tg = await startFakeTelegram({ chats: [{ id: -1001, type: 'supergroup', threads: [7] }] });
});
afterAll(async () => {
  await tg.close();
  await rm(dir, { recursive: true, force: true });
});

async function cli(out: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['--date', '2026-11-26', '--out', join(dir, out)], env, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    clock: { now: () => Date.UTC(2026, 10, 27, 5, 0) },
  });
  return { code, stdout, stderr };
}

describe('the command line and Telegram', () => {
  it('writes the message the bot would post beside the outbox email, as the Bot API request', async () => {
    const r = await cli('demo');
    expect(r.code).toBe(0);
    const files = await readdir(join(dir, 'demo', 'outbox'));
    const message = files.filter((f) => f.endsWith('.telegram.json'));
    expect(message).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    const file = join(dir, 'demo', 'outbox', message[0] as string);
    expect(r.stdout.trim().split('\n')).toContain(file);
    const request = JSON.parse(await readFile(file, 'utf8'));
    expect(request).toMatchObject({ method: 'sendMessage', chat_id: 'TELEGRAM_CHAT_ID', parse_mode: 'HTML' });
    const shown = parseTelegramHtml(request.text).text;
    expect(request.shown).toBe(shown);
    expect(shown.split('\n')[0]).toBe('Звонки за 26.11.2026');
    expect(shown).toMatch(/\n\d\d:\d\d {2}\+7 \d{3} \d{3}-\d\d-\d\d/);
    // The demo's link is a local file: no button, which Telegram would refuse.
    expect(request.reply_markup).toBeUndefined();
  });

  it('posts the message to TELEGRAM_CHAT_ID (and its topic) with TELEGRAM_BOT_TOKEN, and writes no file for it', async () => {
    const r = await cli('posted', {
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_CHAT_ID: '-1001',
      TELEGRAM_THREAD_ID: '7',
      TELEGRAM_API_URL: tg.url,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Posting to the Telegram chat -1001\n');
    expect(tg.messagesIn(-1001).map((m) => m.message_thread_id)).toEqual([7]);
    expect(tg.messagesIn(-1001)[0]?.text.split('\n')[0]).toBe('Звонки за 26.11.2026');
    expect((await readdir(join(dir, 'posted', 'outbox'))).some((f) => f.endsWith('.telegram.json'))).toBe(
      false,
    );
    expect(r.stdout).not.toContain(tg.token);
  });

  it('stops before any request on a bad chat id, or a token without a chat', async () => {
    const before = tg.requests.length;
    const bad = await cli('bad', {
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_CHAT_ID: 'sales chat',
      TELEGRAM_API_URL: tg.url,
    });
    expect(bad).toMatchObject({
      code: 2,
      stderr:
        'Error: TELEGRAM_CHAT_ID: must be a chat id, a whole number such as -1001234567890, or a channel\'s "@username"\n',
    });
    const none = await cli('none', { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_URL: tg.url });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Error: TELEGRAM_CHAT_ID is needed with TELEGRAM_BOT_TOKEN/);
    const token = await cli('token', { TELEGRAM_BOT_TOKEN: 'oops', TELEGRAM_CHAT_ID: '-1001' });
    expect(token.stderr).toBe(
      'Error: TELEGRAM_BOT_TOKEN must be the token @BotFather gave, <digits>:<letters>\n',
    );
    expect(tg.requests.length).toBe(before);
  });
});
