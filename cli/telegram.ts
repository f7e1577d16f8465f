/**
 * Telegram on the command line: `TELEGRAM_BOT_TOKEN` and `TELEGRAM_CHAT_ID`
 * (optional `TELEGRAM_THREAD_ID`, a forum topic, and `TELEGRAM_API_URL`, a
 * self-hosted Bot API server) post the report's message to that chat, checked
 * before any request; without a token the message the bot would post is
 * written into the outbox beside the email.
 */
import { DEFAULT_TELEGRAM_API_URL, describeIssues, telegramChatSchema } from '../functions/shared/config.ts';
import type { TelegramChat } from '../functions/shared/pipeline/ports.ts';

/** The chat the outbox's message is addressed to when TELEGRAM_CHAT_ID is not set. */
export const LOCAL_CHAT: TelegramChat = { chat_id: 'TELEGRAM_CHAT_ID' };

export interface TelegramInput {
  /** The bot's token; null: write the message into the outbox. */
  token: string | null;
  chat: TelegramChat;
  apiUrl: string;
}

/** The Telegram settings of the environment; throws one line naming the variable and what is allowed. */
export function telegramInput(env: NodeJS.ProcessEnv): TelegramInput {
  const token = env.TELEGRAM_BOT_TOKEN || null;
  const chatText = env.TELEGRAM_CHAT_ID || '';
  const threadText = env.TELEGRAM_THREAD_ID || '';
  const apiUrl = env.TELEGRAM_API_URL || DEFAULT_TELEGRAM_API_URL;
  if (token !== null && !/^\d+:[A-Za-z0-9_-]{20,}$/.test(token)) {
    throw new Error('TELEGRAM_BOT_TOKEN must be the token @BotFather gave, <digits>:<letters>');
  }
  if (token !== null && chatText === '') {
    throw new Error(
      'TELEGRAM_CHAT_ID is needed with TELEGRAM_BOT_TOKEN: the chat\'s id, such as -1001234567890, or a channel\'s @username (README, "Telegram")',
    );
  }
  if (!/^https?:\/\/[^\s]+$/.test(apiUrl)) {
    throw new Error(
      `TELEGRAM_API_URL must be an http(s) URL such as ${DEFAULT_TELEGRAM_API_URL}, got "${apiUrl}"`,
    );
  }
  if (chatText === '') return { token, chat: LOCAL_CHAT, apiUrl };
  const parsed = telegramChatSchema.safeParse(
    {
      chat_id: /^-?\d+$/.test(chatText) ? Number(chatText) : chatText,
      ...(threadText === '' ? {} : { thread_id: /^\d+$/.test(threadText) ? Number(threadText) : threadText }),
    },
    { reportInput: true },
  );
  if (!parsed.success) {
    throw new Error(
      describeIssues(parsed.error)
        .replace(/^chat_id/, 'TELEGRAM_CHAT_ID')
        .replace(/^thread_id/, 'TELEGRAM_THREAD_ID')
        .replace(' (not in quotes)', ''),
    );
  }
  return { token, chat: parsed.data, apiUrl };
}
