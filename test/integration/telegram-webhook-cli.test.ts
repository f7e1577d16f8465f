/**
 * `npm run telegram:webhook` against the fake Bot API server over real HTTP:
 * it registers the webhook URL with the secret the webhook checks (derived
 * from the bot token), message updates only, 5 connections; removes it with
 * --delete; bad input is exit 2 with one line and no request; the token and
 * the secret are never printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTelegramWebhook } from '../../cli/telegram-webhook-main.ts';
import { telegramWebhookSecret } from '../../functions/shared/http/telegram-update.ts';
import { type FakeTelegram, startFakeTelegram } from '../support/fake-telegram.ts';

let tg: FakeTelegram;
beforeAll(async () => {
  tg = await startFakeTelegram();
});
afterAll(async () => {
  await tg?.close();
});

const URL = 'https://abc123.execute-api.eu-central-1.amazonaws.com/v1/telegram';

async function run(argv: string[], token = tg.token) {
  let out = '';
  let err = '';
  const code = await runTelegramWebhook(
    argv,
    { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_URL: tg.url },
    { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } },
  );
  return { code, out, err };
}

describe('npm run telegram:webhook', () => {
  it('registers the URL with the derived secret, message updates only, and says so without the secret', async () => {
    const r = await run(['--url', URL]);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(tg.webhook).toEqual({
      url: URL,
      secret_token: telegramWebhookSecret(tg.token),
      allowed_updates: ['message'],
      max_connections: 5,
    });
    expect(r.out).toContain(`The webhook is ${URL}`);
    expect(r.out).not.toContain(telegramWebhookSecret(tg.token));
    expect(r.out).not.toContain(tg.token);
  });

  it('removes it with --delete', async () => {
    expect((await run(['--delete'])).code).toBe(0);
    expect(tg.webhook).toBeNull();
  });

  it('refuses bad input with exit 2 and one line, asking Telegram nothing', async () => {
    const before = tg.requests.length;
    for (const [argv, token, says] of [
      [['--url', 'http://example.com/telegram'], tg.token, /--url must be the https URL/],
      [[], tg.token, /exactly one of --url and --delete/],
      [['--url', URL, '--delete'], tg.token, /exactly one of --url and --delete/],
      [['--hook', URL], tg.token, /Unknown option/],
      [['--url', URL], 'not-a-token', /TELEGRAM_BOT_TOKEN must be the token/],
    ] as const) {
      const r = await run([...argv], token);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(says);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    expect(tg.requests.length).toBe(before);
  });

  it('says what Telegram refused, with exit 1, never the token', async () => {
    const r = await run(['--url', URL], '987654321:AAHwrongTOKENforTESTSonly-abcdefgh');
    expect(r.code).toBe(1);
    expect(r.err).toBe('setWebhook: Unauthorized\n');
  });
});
