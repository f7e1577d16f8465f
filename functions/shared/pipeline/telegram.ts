/**
 * The Telegram channel, beside email: after the report is stored (and its
 * email sent or failed), one message per chat of the subscription, made from
 * the summary (report/email/telegram.ts) with a button to the report's link,
 * and the workbook after it when the subscription asks for it (under the Bot
 * API's 50 MB).
 *
 * Exactly once, like the email: the run holds the report's claim (claim.ts)
 * and proves it before each post; the manifest keeps one record per chat
 * (manifest.ts `TelegramRecord`) with the message's id, saved after each
 * post, so a retried or duplicated run posts only to the chats still missing.
 * A forced run posts again, as it emails again.
 *
 * A Telegram failure never loses the email: the email goes first, and a
 * failure here is recorded in the manifest and reported with the subscription,
 * the chat and what to do. A chat that blocked the bot, a wrong id or token,
 * or a message Telegram refuses cannot succeed on retry: the run ends normally
 * and the runner counts it (metric `TelegramFailed`, with an alarm). When
 * Telegram did not answer (429 or 5xx past the client's deadline), the run
 * throws TelegramFailedError after trying every chat, so the invocation is
 * retried and the retry posts what is missing. A group that became a
 * supergroup is posted to under its new id, with a warning to change the config.
 */
import { telegramMessage } from '../report/email/telegram.ts';
import { workbookFileName } from '../report/format.ts';
import type { Summary } from '../report/types.ts';
import { proveClaim } from './claim.ts';
import type { Manifest, TelegramRecord } from './manifest.ts';
import type {
  ReportLocation,
  StoredObject,
  TelegramChat,
  TelegramErrorKind,
  TelegramPoster,
} from './ports.ts';
import type { PipelineDeps, ReportRequest, ReportResult, TelegramOutcome } from './request.ts';
import { EmailFailedError } from './send.ts';

export type { TelegramErrorKind } from './ports.ts';
export type { TelegramFailure, TelegramOutcome } from './request.ts';

/** The Bot API's limit on a file a bot sends. */
export const TELEGRAM_FILE_LIMIT_BYTES = 50 * 1024 * 1024;

/** A Bot API call that failed; its message never holds the token or a URL. */
export class TelegramApiError extends Error {
  readonly kind: TelegramErrorKind;
  readonly migrateTo: number | null;
  constructor(kind: TelegramErrorKind, message: string, migrateTo: number | null = null) {
    super(message);
    this.name = 'TelegramApiError';
    this.kind = kind;
    this.migrateTo = migrateTo;
  }
}

/** Telegram did not answer for some chats; the report and its email are done. Retry the run to post them. */
export class TelegramFailedError extends Error {
  readonly manifest: Manifest;
  readonly outcome: TelegramOutcome;
  constructor(manifest: Manifest, outcome: TelegramOutcome) {
    super(
      `The report for ${manifest.period.from}..${manifest.period.till} is stored, but Telegram did not take it: ${outcome.failed
        .map((f) => f.message)
        .join('; ')}`,
    );
    this.name = 'TelegramFailedError';
    this.manifest = manifest;
    this.outcome = outcome;
  }
}

const sameChat = (r: TelegramRecord, c: TelegramChat): boolean =>
  String(r.chat_id) === String(c.chat_id) && r.thread_id === (c.thread_id ?? null);

function chatName(subscription: string, c: TelegramChat): string {
  return `Telegram chat ${c.chat_id}${c.thread_id === undefined ? '' : ` (topic ${c.thread_id})`} of subscription "${subscription}"`;
}

/** What to do about a failure, for the person who reads the log or the manifest. */
function advice(e: TelegramApiError, c: TelegramChat): string {
  switch (e.kind) {
    case 'blocked':
      return 'add the bot to the chat again and let it post messages, or take the chat out of the subscription\'s "telegram" list';
    case 'migrated':
      return `the group became a supergroup whose chat_id is ${e.migrateTo}: put ${e.migrateTo} in place of ${c.chat_id} in the subscription's "telegram" list and deploy again`;
    case 'not_found':
      return 'check chat_id (and thread_id) in the subscription\'s "telegram" list: the bot must be a member of that chat, and the topic must exist';
    case 'unauthorized':
      return 'the bot token in the Telegram bot token secret is not accepted: put the token @BotFather gave into it (README, "Telegram")';
    case 'rejected':
      return 'Telegram refused the message itself; report this as a bug';
    case 'unavailable':
      return 'Telegram did not answer in time; a retry of the run posts it';
  }
}

interface Posting {
  request: ReportRequest;
  deps: PipelineDeps;
  loc: ReportLocation;
  summary: Summary;
}

/** Posts to every chat not yet posted to, saving the manifest after each post. */
async function postAll(
  p: Posting,
  start: Manifest,
  poster: TelegramPoster,
): Promise<{ manifest: Manifest; outcome: TelegramOutcome }> {
  const { request, deps, loc } = p;
  const chats = request.telegram ?? [];
  const outcome: TelegramOutcome = { posted: 0, already: 0, failed: [], warnings: [] };
  let manifest = start;
  const now = () => new Date(deps.clock.now()).toISOString();
  const save = async (rec: TelegramRecord) => {
    const others = (manifest.telegram ?? []).filter(
      (r) => !sameChat(r, { chat_id: rec.chat_id, thread_id: rec.thread_id ?? undefined }),
    );
    const ordered = [...others, rec].sort(
      (a, b) => chats.findIndex((c) => sameChat(a, c)) - chats.findIndex((c) => sameChat(b, c)),
    );
    manifest = { ...manifest, telegram: ordered, updated_at: now() };
    await deps.storage.saveJson(loc, 'manifest', manifest);
  };
  let message: ReturnType<typeof telegramMessage> | null = null;
  let workbook: Buffer | null = null;
  const wantsWorkbook = request.telegramWorkbook === true;
  const fits = manifest.workbook.bytes <= TELEGRAM_FILE_LIMIT_BYTES;
  if (wantsWorkbook && !fits) {
    outcome.warnings.push(
      `The workbook for subscription "${request.subscription}" is ${Math.ceil(manifest.workbook.bytes / 1048576)} MB, over the 50 MB Telegram takes from a bot: the chats get the message with its link only`,
    );
  }

  for (const chat of chats) {
    const before = (manifest.telegram ?? []).find((r) => sameChat(r, chat));
    if (before?.status === 'posted') {
      outcome.already++;
      continue;
    }
    let rec: TelegramRecord = before
      ? { ...before, attempts: before.attempts + 1 }
      : {
          chat_id: chat.chat_id,
          thread_id: chat.thread_id ?? null,
          status: 'failed',
          message_id: null,
          document_message_id: null,
          migrated_to: null,
          posted_at: null,
          attempts: 1,
          last_error: null,
        };
    const target = (): TelegramChat => ({
      chat_id: rec.migrated_to ?? chat.chat_id,
      thread_id: chat.thread_id,
    });
    /** One call, once more under the new id when Telegram says the group moved. */
    const call = async <T>(send: (c: TelegramChat) => Promise<T>): Promise<T> => {
      try {
        return await send(target());
      } catch (e) {
        if (!(e instanceof TelegramApiError) || e.kind !== 'migrated' || e.migrateTo === null) throw e;
        rec = { ...rec, migrated_to: e.migrateTo };
        outcome.warnings.push(`${chatName(request.subscription, chat)}: ${advice(e, chat)}`);
        return send(target());
      }
    };
    try {
      if (rec.message_id === null) {
        message ??= await composed(p, manifest.workbook);
        const built = message;
        await proveClaim(deps.fence, 'telegram');
        const sent = await call((c) => poster.sendMessage(c, built));
        rec = { ...rec, message_id: sent.messageId, posted_at: now(), last_error: null };
        await save(rec);
      }
      if (wantsWorkbook && fits && rec.document_message_id === null) {
        workbook ??= await deps.storage.readObject(manifest.workbook.key);
        const content = workbook;
        const fileName = workbookFileName(request.period, request.language);
        await proveClaim(deps.fence, 'telegram');
        const sent = await call((c) => poster.sendDocument(c, { fileName, content, caption: fileName }));
        rec = { ...rec, document_message_id: sent.messageId };
      }
      rec = { ...rec, status: 'posted', last_error: null };
      await save(rec);
      outcome.posted++;
    } catch (e) {
      if (!(e instanceof TelegramApiError)) throw e;
      const failure = {
        chat,
        kind: e.kind,
        message: `${chatName(request.subscription, chat)}: ${e.message}: ${advice(e, chat)}`,
      };
      outcome.failed.push(failure);
      rec = { ...rec, status: 'failed', last_error: failure.message };
      await save(rec).catch(() => {
        // The manifest could not be updated; the failure is still reported.
      });
    }
  }
  return { manifest, outcome };
}

/** The message of the stored report, with the link the email carries (made afresh). */
async function composed(p: Posting, workbook: StoredObject): Promise<ReturnType<typeof telegramMessage>> {
  const { deps, summary, request } = p;
  const link = deps.linkFor ? await deps.linkFor(workbook) : { url: workbook.location };
  return telegramMessage({
    summary,
    language: request.language,
    link: link.url,
    ...(link.expiresAt ? { linkExpiresAt: link.expiresAt } : {}),
  });
}

/** The report's location, as run-report.ts made it: its summary says `as_of`. */
function locationOf(request: ReportRequest, summary: Summary, variant: string | null): ReportLocation {
  return { subscription: request.subscription, period: request.period, as_of: summary.period.as_of, variant };
}

/**
 * Runs the email's flow (`work`), then posts to the subscription's chats:
 * after a success, and after a failed email too (the report is stored), whose
 * error then stands. Without chats or a poster it is the email's flow alone.
 */
export async function withTelegram(
  request: ReportRequest,
  deps: PipelineDeps,
  variant: string | null,
  work: () => Promise<ReportResult>,
): Promise<ReportResult> {
  const poster = deps.telegram;
  if (!poster || !request.telegram?.length) return work();
  let result: ReportResult;
  try {
    result = await work();
  } catch (err) {
    if (!(err instanceof EmailFailedError)) throw err;
    const summary = JSON.parse(
      (await deps.storage.readObject(err.manifest.summary.key)).toString('utf8'),
    ) as Summary;
    const loc = locationOf(request, summary, variant);
    const current = (await deps.storage.loadJson<Manifest>(loc, 'manifest')) ?? err.manifest;
    await postAll({ request, deps, loc, summary }, current, poster).catch(() => {
      // The email's failure is what this run reports; the chats are tried again with it.
    });
    throw err;
  }
  const loc = locationOf(request, result.summary, variant);
  const { manifest, outcome } = await postAll(
    { request, deps, loc, summary: result.summary },
    result.manifest,
    poster,
  );
  if (outcome.failed.some((f) => f.kind === 'unavailable')) throw new TelegramFailedError(manifest, outcome);
  return { ...result, manifest, telegram: outcome };
}
