/**
 * The Telegram bot's webhook (`POST /telegram`, public like the links): the
 * commands `/report` (yesterday), `/week` (last week) and `/month` (last
 * month), also as `/week@<bot>`, in a chat a subscription lists in
 * `telegram`, make that subscription's report on demand through the quick
 * links' job path (http/quick-jobs.ts: the same job ids, reuse and retries)
 * under the same per-subscription cooldown (http/cooldown.ts), and answer in
 * the chat: at once (it is being made, with the report's page when it is
 * already made), and when it is ready, the worker posts the report's message
 * to that chat (the job's `reply_to`, passed to the run as its Telegram chat).
 *
 * Authorised only by Telegram's `X-Telegram-Bot-Api-Secret-Token` header (the
 * secret derived from the bot token, http/telegram-update.ts), compared in
 * constant time: missing 401, wrong 403, and nothing is read or done. Any
 * update that is not one of the commands is answered 200 and ignored, so
 * Telegram does not send it again. A chat no subscription lists gets one
 * polite refusal and nothing else: no job, no figures, no names. `/start`
 * and `/help` say what the bot posts in the chat and its commands; in a chat
 * no subscription lists, the chat's own id, for whoever adds it.
 */
import type { Subscription } from '../config.ts';
import type { Language } from '../language.ts';
import { failureOf } from '../pipeline/failure.ts';
import type { Job } from '../pipeline/jobs.ts';
import type { TelegramChat } from '../pipeline/ports.ts';
import { type Period, toWall } from '../time.ts';
import type { Cooldowns } from './cooldown.ts';
import { periodOfRule } from './period-rules.ts';
import { type Asked, findOrStart, QUICK_REUSE_MS, type QuickJobDeps } from './quick-jobs.ts';
import { errorResponse, type HttpResponse, jsonResponse } from './response.ts';
import { type BotAnswer, botAnswers } from './telegram-answers.ts';
import { type Command, commandOf, secretMatches, updateSchema } from './telegram-update.ts';

export interface WebhookDeps extends QuickJobDeps {
  subscriptions: readonly Subscription[];
  cooldown: Cooldowns;
  /** The webhook's secret_token (derived from the bot token); rejects when the token cannot be read. */
  secret: () => Promise<string>;
  bot: {
    /** The bot's @username (getMe), for `/week@<bot>`. */
    username: () => Promise<string>;
    sendMessage: (chat: TelegramChat, message: BotAnswer) => Promise<unknown>;
  };
  /** The stored report of a whole period, or null: its workbook and the chats it was posted to. */
  madeReport: (
    sub: Subscription,
    period: Period,
    language: Language,
  ) => Promise<{ workbookKey: string; postedTo: TelegramChat[] } | null>;
  /** The report page's link of a stored workbook (the download route). */
  reportLink: (workbookKey: string, sub: Subscription, language: Language) => Promise<string>;
}

export interface WebhookRequest {
  method: string;
  /** The X-Telegram-Bot-Api-Secret-Token header. */
  secret: string | undefined;
  body: string | null;
}

/** What happened, for the log line and the metrics (never the secret, the text or a sender). */
export type WebhookResult =
  | 'unauthorized'
  | 'forbidden'
  | 'ignored'
  | 'refused'
  | 'help'
  | 'choose'
  | 'started'
  | 'running'
  | 'done'
  | 'failed'
  | 'cooldown';

export interface WebhookOutcome {
  response: HttpResponse;
  result: WebhookResult;
  subscription?: string;
  command?: string;
  /** The answer could not be posted (the Bot API's words, never the token). */
  answerError?: string;
}

const OK = jsonResponse(200, { ok: true });
const sameChat = (c: TelegramChat, chatId: number) => String(c.chat_id) === String(chatId);

export async function handleTelegramUpdate(req: WebhookRequest, deps: WebhookDeps): Promise<WebhookOutcome> {
  if (req.method.toUpperCase() !== 'POST') {
    const message = `${req.method} is not allowed here; Telegram POSTs updates`;
    return {
      response: errorResponse(405, { code: 'method_not_allowed', message, field: null }, { Allow: 'POST' }),
      result: 'ignored',
    };
  }
  if (!req.secret) {
    return {
      response: errorResponse(401, {
        code: 'unauthorized',
        message: 'The X-Telegram-Bot-Api-Secret-Token header is missing',
        field: null,
      }),
      result: 'unauthorized',
    };
  }
  if (!secretMatches(req.secret, await deps.secret())) {
    return {
      response: errorResponse(403, {
        code: 'forbidden',
        message: 'The X-Telegram-Bot-Api-Secret-Token header is not this webhook’s',
        field: null,
      }),
      result: 'forbidden',
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(req.body ?? '');
  } catch {
    return { response: OK, result: 'ignored' };
  }
  const update = updateSchema.safeParse(json);
  if (!update.success) return { response: OK, result: 'ignored' };
  const command = commandOf(update.data);
  if (!command) return { response: OK, result: 'ignored' };
  if (command.addressee !== null && command.addressee !== (await deps.bot.username()).toLowerCase())
    return { response: OK, result: 'ignored' };
  return answer(command, deps);
}

/** The subscription a command in this chat is for: by name, by the chat's topic, or the only one. */
function pick(
  command: Command,
  subs: readonly Subscription[],
): { sub: Subscription } | { answer: (lang: Language) => BotAnswer } | null {
  const here = subs.filter((s) => s.telegram.some((c) => sameChat(c, command.chat.id)));
  if (here.length === 0) return null;
  const ids = here.map((s) => s.id);
  if (command.argument !== null) {
    const named = here.find((s) => s.id === command.argument);
    const arg = command.argument;
    return named ? { sub: named } : { answer: (lang) => botAnswers.noSuch(lang, arg, ids) };
  }
  const inTopic = here.filter((s) =>
    s.telegram.some((c) => sameChat(c, command.chat.id) && (c.thread_id ?? null) === command.threadId),
  );
  const only = inTopic.length === 1 ? inTopic[0] : here.length === 1 ? here[0] : undefined;
  return only ? { sub: only } : { answer: (lang) => botAnswers.choose(lang, ids, command.name) };
}

async function answer(command: Command, deps: WebhookDeps): Promise<WebhookOutcome> {
  const chat: TelegramChat = {
    chat_id: command.chat.id,
    ...(command.threadId === null ? {} : { thread_id: command.threadId }),
  };
  const say = async (
    message: BotAnswer,
    result: WebhookResult,
    subscription?: string,
  ): Promise<WebhookOutcome> => {
    const outcome: WebhookOutcome = {
      response: OK,
      result,
      command: command.name,
      ...(subscription ? { subscription } : {}),
    };
    try {
      await deps.bot.sendMessage(chat, message);
    } catch (e) {
      // The job, if any, is started; its report still comes. Telegram need not send the update again.
      outcome.answerError = (e as Error).message;
    }
    return outcome;
  };
  const lang0: Language = command.english ? 'en' : 'ru';
  if (command.rule === null) {
    const here = deps.subscriptions.filter((s) => s.telegram.some((c) => sameChat(c, command.chat.id)));
    if (here.length === 0)
      return say(botAnswers.unknownChat(lang0, command.chat.id, command.threadId), 'help');
    const languages = new Set(here.map((s) => s.language));
    const lang = languages.size === 1 ? (here[0] as Subscription).language : lang0;
    return say(
      botAnswers.help(
        lang,
        here.map((s) => s.id),
      ),
      'help',
    );
  }
  const rule = command.rule;
  const chosen = pick(command, deps.subscriptions);
  if (!chosen) return say(botAnswers.refused(lang0), 'refused');
  if ('answer' in chosen) return say(chosen.answer(lang0), 'choose');
  const { sub } = chosen;
  const lang = sub.language;
  const period = periodOfRule(rule, sub.timezone, deps.now);
  const asked: Asked = {
    link: { rule, language: lang },
    sub,
    period,
    email: false,
    replyTo: chat,
  };
  const said = (message: BotAnswer, result: WebhookResult) => say(message, result, sub.id);
  const job = await findOrStart(asked, deps, false);
  if (job) {
    const known = await jobAnswer(job, lang, period, sub, deps);
    if (known) return said(known.message, known.result);
  }
  const made = await deps.madeReport(sub, period, lang);
  const url = made ? await deps.reportLink(made.workbookKey, sub, lang) : null;
  // The chat already has this report's message (the morning's): its page, and nothing to make.
  if (
    made &&
    url &&
    made.postedTo.some((c) => sameChat(c, command.chat.id) && (c.thread_id ?? null) === command.threadId)
  )
    return said(botAnswers.done(lang, period, url), 'done');
  const taken = await deps.cooldown.take(sub.id, deps.now);
  if (!taken.ok) {
    const minutes = Math.max(1, Math.ceil((taken.retryAt - deps.now) / 60_000));
    return said(botAnswers.cooldown(lang, toWall(taken.retryAt, sub.timezone), minutes), 'cooldown');
  }
  try {
    await findOrStart(asked, deps, true);
  } catch (err) {
    await taken.release();
    throw err;
  }
  return said(botAnswers.starting(lang, period, url), 'started');
}

/** The answer when the chat's job is there: running, done, or failed less than 10 minutes ago. */
async function jobAnswer(
  job: Job,
  lang: Language,
  period: Period,
  sub: Subscription,
  deps: WebhookDeps,
): Promise<{ message: BotAnswer; result: WebhookResult } | null> {
  if (job.status === 'queued' || job.status === 'running')
    return { message: botAnswers.running(lang, period), result: 'running' };
  if (job.status === 'done' && job.result) {
    const url = await deps.reportLink(job.result.workbook_key, sub, lang);
    return { message: botAnswers.done(lang, period, url), result: 'done' };
  }
  const retryAt = Date.parse(job.updated_at) + QUICK_REUSE_MS;
  if (job.status === 'failed' && retryAt > deps.now) {
    return {
      message: botAnswers.failed(lang, period, failureOf(job).kind, toWall(retryAt, sub.timezone)),
      result: 'failed',
    };
  }
  return null;
}
