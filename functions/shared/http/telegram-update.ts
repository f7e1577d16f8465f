/**
 * What the Telegram webhook reads of a request: the secret header, checked in
 * constant time, and the Update, validated with zod down to the few fields the
 * commands use (message.chat.id, message.message_thread_id, message.text and
 * its bot_command entities). Everything else Telegram sends is allowed through
 * unread; an update that is not a command for this bot is no command.
 *
 * The webhook's secret is not a secret of its own: it is derived from the bot
 * token (HMAC-SHA256 of a fixed label under the token, base64url: 43 of the
 * characters Telegram allows in `secret_token`), so there is nothing more to
 * store, rotate or leak, and a new token from @BotFather makes a new webhook
 * secret (`npm run telegram:webhook` registers it again). Telegram sends it in
 * `X-Telegram-Bot-Api-Secret-Token` on every update.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import type { PeriodRule } from './period-rules.ts';

/** The header Telegram sends the webhook's secret_token in. */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
const LABEL = 'call-reports/telegram-webhook/v1';

/** The webhook's secret_token for this bot token (what setWebhook is given). */
export function telegramWebhookSecret(botToken: string): string {
  return createHmac('sha256', botToken).update(LABEL).digest('base64url');
}

/** Whether the header is the secret; constant time in the secret (both sides hashed to the same length). */
export function secretMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

const entitySchema = z.object({
  type: z.string(),
  offset: z.number().int().min(0),
  length: z.number().int().min(1),
});

/** The part of Telegram's Update the commands read; unknown fields pass unread. */
export const updateSchema = z.object({
  update_id: z.number().int(),
  message: z
    .object({
      message_id: z.number().int(),
      chat: z.object({ id: z.number().int(), type: z.string() }),
      message_thread_id: z.number().int().positive().optional(),
      from: z.object({ language_code: z.string().optional() }).optional(),
      text: z.string().optional(),
      entities: z.array(entitySchema).optional(),
    })
    .optional(),
});
export type TelegramUpdate = z.infer<typeof updateSchema>;

/** The commands and the period each makes. */
export const COMMAND_RULES = {
  report: 'yesterday',
  week: 'last_week',
  month: 'last_month',
} as const satisfies Record<string, PeriodRule>;
export type CommandName = keyof typeof COMMAND_RULES;

/** The commands that ask what the bot does here: Telegram's own /start (sent when a chat opens the bot) and /help. */
export const HELP_COMMANDS = ['start', 'help'] as const;
export type HelpName = (typeof HELP_COMMANDS)[number];

export interface Command {
  name: CommandName | HelpName;
  /** The period a report command makes; null for /start and /help. */
  rule: PeriodRule | null;
  /** The bot named in `/week@<bot>`, lowercase; null for a bare `/week`. */
  addressee: string | null;
  /** The word after the command (a subscription's id where a chat gets several), or null. */
  argument: string | null;
  chat: { id: number; type: string };
  threadId: number | null;
  messageId: number;
  /** The sender's Telegram language, when it is English ("en…"); else Russian. */
  english: boolean;
}

/**
 * The command of an update: a message whose text starts with a bot_command
 * entity `/report`, `/week`, `/month`, `/start` or `/help`, alone or as
 * `/week@<bot>` (the webhook ignores another bot's); null for anything else
 * (another command, no message, no text).
 */
export function commandOf(update: TelegramUpdate): Command | null {
  const m = update.message;
  if (!m?.text) return null;
  const entity = m.entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (!entity) return null;
  const word = m.text.slice(1, entity.length);
  const [name = '', addressee] = word.split('@');
  const help = (HELP_COMMANDS as readonly string[]).includes(name);
  if (!help && !Object.hasOwn(COMMAND_RULES, name)) return null;
  const command = name as CommandName | HelpName;
  const rest = m.text.slice(entity.length).trim();
  return {
    name: command,
    rule: help ? null : COMMAND_RULES[command as CommandName],
    addressee: addressee === undefined ? null : addressee.toLowerCase(),
    argument: rest === '' ? null : (rest.split(/\s+/)[0] ?? null),
    chat: m.chat,
    threadId: m.message_thread_id ?? null,
    messageId: m.message_id,
    english: /^en\b/i.test(m.from?.language_code ?? ''),
  };
}
