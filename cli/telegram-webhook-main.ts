/**
 * `npm run telegram:webhook`: registers the bot's commands webhook with
 * Telegram (setWebhook), with the secret_token the webhook checks (derived
 * from the bot token: http/telegram-update.ts), message updates only and at
 * most 5 connections at once; then prints what Telegram says of it
 * (getWebhookInfo). `--delete` removes it (deleteWebhook).
 *
 *   TELEGRAM_BOT_TOKEN=… npm run telegram:webhook -- --url https://<api>/v1/telegram
 *   TELEGRAM_BOT_TOKEN=… npm run telegram:webhook -- --delete
 *
 * The URL is the stack's output TelegramWebhookUrl. TELEGRAM_API_URL points it
 * at a self-hosted Bot API server. The token and the secret are never printed.
 * Bad input: exit 2 with one line; Telegram refusing: exit 1 with its words.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_TELEGRAM_API_URL } from '../functions/shared/config.ts';
import { telegramWebhookSecret } from '../functions/shared/http/telegram-update.ts';

export interface WebhookIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

const TOKEN_RE = /^\d+:[A-Za-z0-9_-]{20,}$/;
const USAGE = 'use --url https://<api>/v1/telegram (the stack output TelegramWebhookUrl), or --delete';

export async function runTelegramWebhook(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: WebhookIo,
  fetchFn: typeof fetch = fetch,
): Promise<number> {
  let args: { url?: string | undefined; delete?: boolean | undefined };
  try {
    args = parseArgs({
      args: argv,
      options: { url: { type: 'string' }, delete: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (e) {
    io.stderr.write(`${(e as Error).message}; ${USAGE}\n`);
    return 2;
  }
  const token = env.TELEGRAM_BOT_TOKEN?.trim() ?? '';
  if (!TOKEN_RE.test(token)) {
    io.stderr.write('TELEGRAM_BOT_TOKEN must be the token @BotFather gave (<digits>:<letters>)\n');
    return 2;
  }
  if (Boolean(args.delete) === (args.url !== undefined)) {
    io.stderr.write(`Give exactly one of --url and --delete; ${USAGE}\n`);
    return 2;
  }
  if (args.url !== undefined && !/^https:\/\/[^\s/]+\/\S*telegram$/.test(args.url)) {
    io.stderr.write(
      `--url must be the https URL of the webhook route, ending in /telegram; got "${args.url}"\n`,
    );
    return 2;
  }
  const base = (env.TELEGRAM_API_URL ?? DEFAULT_TELEGRAM_API_URL).replace(/\/+$/, '');
  const call = async (method: string, body: Record<string, unknown>) => {
    let answer: { ok?: boolean; description?: string; result?: Record<string, unknown> };
    try {
      const res = await fetchFn(`${base}/bot${token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      answer = (await res.json()) as typeof answer;
    } catch (e) {
      throw new Error(`${method}: could not reach the Bot API (${(e as Error).name})`);
    }
    if (answer.ok !== true)
      throw new Error(
        `${method}: ${String(answer.description ?? 'no answer')
          .split(token)
          .join('<token>')}`,
      );
    return answer.result;
  };
  try {
    if (args.delete) {
      await call('deleteWebhook', {});
      io.stdout.write('The webhook is removed: the bot no longer answers commands.\n');
      return 0;
    }
    await call('setWebhook', {
      url: args.url,
      secret_token: telegramWebhookSecret(token),
      allowed_updates: ['message'],
      max_connections: 5,
    });
    const info = (await call('getWebhookInfo', {})) ?? {};
    io.stdout.write(
      `The webhook is ${String(info.url)} (message updates; the secret is derived from the bot token, not shown); ` +
        `pending updates: ${String(info.pending_update_count ?? 0)}` +
        `${info.last_error_message ? `; Telegram's last error: ${String(info.last_error_message)}` : ''}\n`,
    );
    return 0;
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
}
