/**
 * The Telegram Bot API client: `sendMessage` (HTML parse mode, an inline
 * keyboard URL button, no link preview), `sendDocument` (multipart) and
 * `getMe` (the bot's username, for the webhook's commands), at a
 * configurable base URL (default https://api.telegram.org; tests and
 * self-hosted Bot API servers set their own).
 *
 * The token is part of every request's URL path (`/bot<token>/<method>`), so
 * no URL is ever logged or put in an error: errors name the method, the
 * status and the Bot API's own description, with any copy of the token
 * replaced, and carry no `cause` (a fetch error can quote the URL).
 *
 * Retried under one deadline per call: HTTP 429 after the Bot API's own
 * `parameters.retry_after` seconds, 5xx and network failures with an
 * exponential backoff. The clock and the sleeper are injected, so tests never
 * wait. A network failure after the request was sent may have posted the
 * message; Telegram offers no idempotency key, so that rare case can post
 * twice within one run (never across runs: the manifest keeps the message ids).
 */

import { DEFAULT_TELEGRAM_API_URL } from '../../config.ts';
import type { TelegramChat, TelegramPoster } from '../../pipeline/ports.ts';
import { TelegramApiError, type TelegramErrorKind } from '../../pipeline/telegram.ts';

export { DEFAULT_TELEGRAM_API_URL };

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface BotApiOptions {
  /** Base URL without the `/bot<token>` part. */
  baseUrl?: string;
  token: string;
  /** How long one call may take with its retries, ms (default 60 s). */
  deadlineMs?: number;
  /** How long one request may take, ms (default 30 s). */
  requestTimeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  /** Told of each retry (method, HTTP status or 0 for no answer, the wait); never the URL. */
  onRetry?: (e: { method: string; status: number; waitMs: number }) => void;
}

interface BotAnswer {
  ok?: boolean;
  result?: { message_id?: number; username?: string };
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The kind of a Bot API refusal, from its status and description. */
function kindOf(status: number, description: string, answer: BotAnswer): TelegramErrorKind {
  if (answer.parameters?.migrate_to_chat_id !== undefined) return 'migrated';
  if (status === 401 || status === 404) return 'unauthorized';
  if (status === 403) return 'blocked';
  if (/chat not found|thread not found|topic/i.test(description)) return 'not_found';
  return 'rejected';
}

export class TelegramBotApi implements TelegramPoster {
  private readonly base: string;
  private readonly token: string;
  private readonly deadlineMs: number;
  private readonly requestTimeoutMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetch: typeof fetch;
  private readonly onRetry: BotApiOptions['onRetry'];

  constructor(opts: BotApiOptions) {
    if (!/^\d+:[A-Za-z0-9_-]{20,}$/.test(opts.token)) {
      throw new TelegramApiError(
        'unauthorized',
        'The Telegram bot token is not of the form <digits>:<letters> that @BotFather gives',
      );
    }
    this.base = (opts.baseUrl ?? DEFAULT_TELEGRAM_API_URL).replace(/\/+$/, '');
    this.token = opts.token;
    this.deadlineMs = opts.deadlineMs ?? 60_000;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
    this.fetch = opts.fetch ?? globalThis.fetch;
    this.onRetry = opts.onRetry;
  }

  async sendMessage(
    chat: TelegramChat,
    message: { html: string; button: { text: string; url: string } | null },
  ): Promise<{ messageId: number }> {
    const body = JSON.stringify({
      chat_id: chat.chat_id,
      ...(chat.thread_id === undefined ? {} : { message_thread_id: chat.thread_id }),
      text: message.html,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(message.button
        ? { reply_markup: { inline_keyboard: [[{ text: message.button.text, url: message.button.url }]] } }
        : {}),
    });
    return this.call('sendMessage', () => ({ body, headers: { 'content-type': 'application/json' } }));
  }

  async sendDocument(
    chat: TelegramChat,
    document: { fileName: string; content: Buffer; caption: string },
  ): Promise<{ messageId: number }> {
    return this.call('sendDocument', () => {
      const form = new FormData();
      form.set('chat_id', String(chat.chat_id));
      if (chat.thread_id !== undefined) form.set('message_thread_id', String(chat.thread_id));
      form.set('caption', document.caption);
      form.set(
        'document',
        new Blob([new Uint8Array(document.content)], { type: XLSX_TYPE }),
        document.fileName,
      );
      return { body: form, headers: {} };
    });
  }

  /** The bot's own @username, without the @ (getMe): a command addressed `/week@<it>` is this bot's. */
  async getMe(): Promise<{ username: string }> {
    return this.call(
      'getMe',
      () => ({ body: '{}', headers: { 'content-type': 'application/json' } }),
      (r) => (typeof r?.username === 'string' ? { username: r.username } : undefined),
    );
  }

  /** The text with any copy of the token replaced: nothing the Bot API or the network says may carry it. */
  private scrub(text: string): string {
    return text.split(this.token).join('<token>');
  }

  private async call<T = { messageId: number }>(
    method: string,
    request: () => { body: string | FormData; headers: Record<string, string> },
    pick: (result: BotAnswer['result']) => T | undefined = (r) =>
      (typeof r?.message_id === 'number' ? { messageId: r.message_id } : undefined) as T | undefined,
  ): Promise<T> {
    const deadline = this.now() + this.deadlineMs;
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      const { body, headers } = request();
      let status = 0;
      let answer: BotAnswer = {};
      let trouble: string;
      try {
        const res = await this.fetch(`${this.base}/bot${this.token}/${method}`, {
          method: 'POST',
          body,
          headers,
          redirect: 'error',
          signal: AbortSignal.timeout(this.requestTimeoutMs),
        });
        status = res.status;
        const text = await res.text();
        try {
          answer = JSON.parse(text) as BotAnswer;
        } catch {
          answer = {};
        }
        const picked = res.ok && answer.ok === true ? pick(answer.result) : undefined;
        if (picked !== undefined) return picked;
        const described = typeof answer.description === 'string';
        const description = described ? this.scrub(answer.description as string) : '';
        trouble = described
          ? `${method}: ${status} ${description}`
          : `${method}: HTTP ${status} without a Bot API answer`;
        if (status !== 429 && status < 500) {
          throw new TelegramApiError(
            kindOf(status, description, answer),
            trouble,
            answer.parameters?.migrate_to_chat_id ?? null,
          );
        }
      } catch (e) {
        if (e instanceof TelegramApiError) throw e;
        const code = (e as { cause?: { code?: unknown } }).cause?.code;
        const name =
          (e as Error).name === 'TimeoutError' ? 'no answer in time' : 'could not reach the Bot API';
        trouble = `${method}: ${name}${typeof code === 'string' ? ` (${code})` : ''}`;
      }
      const retryAfter = answer.parameters?.retry_after;
      const waitMs =
        status === 429 && typeof retryAfter === 'number' && retryAfter >= 0
          ? retryAfter * 1000
          : Math.min(30_000, 1000 * 2 ** attempt);
      if (this.now() + waitMs > deadline || waited + waitMs > this.deadlineMs) {
        throw new TelegramApiError('unavailable', `${trouble}, still after ${attempt + 1} tries`);
      }
      this.onRetry?.({ method, status, waitMs });
      await this.sleep(waitMs);
      waited += waitMs;
    }
  }
}
