/**
 * The Telegram webhook as part of the reports-api function (`POST /telegram`,
 * no authorizer: Telegram's secret header is the authorisation): its runtime,
 * built once per container beside the Reports API's (the same job store,
 * worker and cooldown table as the quick links; the bot token from its own
 * secret, read when an update comes; the stored reports' manifests, to answer
 * at once with the page of a report already made), and the one function an
 * event of the route is handed to. What the route answers is
 * http/telegram-webhook.ts's; here each update writes one log line (`Telegram
 * update`: what became of it, the command and the subscription; never the
 * secret, the token, the text or who sent it) and is counted
 * (`TelegramCommands`, `TelegramWebhookRefused` for a wrong or missing secret,
 * `TelegramFailed` when the answer could not be posted).
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { TelegramBotApi } from '../adapters/telegram/bot-api.ts';
import { errorResponse, type HttpResponse, header } from '../http/response.ts';
import { SECRET_HEADER, telegramWebhookSecret } from '../http/telegram-update.ts';
import { handleTelegramUpdate, type WebhookDeps } from '../http/telegram-webhook.ts';
import { reportLocation, reportVariant } from '../pipeline/location.ts';
import type { Manifest } from '../pipeline/manifest.ts';
import { type Clock, systemClock } from '../pipeline/ports.ts';
import { reportSettings } from '../pipeline/settings.ts';
import type { ApiParts } from './api-parts.ts';
import { type Logger, type Metrics, MetricUnit } from './observability.ts';
import { SecretError } from './secrets.ts';

/** The API Gateway resource of the route. */
export const TELEGRAM_RESOURCE = '/telegram';
/** One Bot API call of the webhook, with its retries: well inside the function's 10 s. */
const ANSWER_DEADLINE_MS = 5_000;

export interface TelegramWebhookRuntime {
  clock: Clock;
  /** The deps of one update, but the instant. */
  deps: Omit<WebhookDeps, 'now'>;
}

export function createTelegramWebhookRuntime(parts: ApiParts): TelegramWebhookRuntime {
  const { config, secrets, storage } = parts;
  let rt: TelegramWebhookRuntime;
  const token = async () => {
    const arn = config.TELEGRAM_BOT_TOKEN_SECRET_ARN;
    if (!arn)
      throw new SecretError(
        'This function has no TELEGRAM_BOT_TOKEN_SECRET_ARN: no subscription names a chat',
      );
    return secrets.text(arn, 'Telegram bot token');
  };
  // One client and one getMe per token (a new token from @BotFather makes them again).
  let bot: { token: string; api: TelegramBotApi; username?: Promise<string> } | null = null;
  const botFor = async () => {
    const t = await token();
    if (bot?.token !== t) {
      bot = {
        token: t,
        api: new TelegramBotApi({
          baseUrl: config.TELEGRAM_API_URL,
          token: t,
          deadlineMs: ANSWER_DEADLINE_MS,
          requestTimeoutMs: ANSWER_DEADLINE_MS,
          now: () => rt.clock.now(),
        }),
      };
    }
    return bot;
  };
  const deps: TelegramWebhookRuntime['deps'] = {
    subscriptions: config.SUBSCRIPTIONS,
    jobs: parts.jobs,
    startWorker: parts.startWorker,
    cooldown: parts.cooldowns,
    secret: async () => telegramWebhookSecret(await token()),
    bot: {
      username: async () => {
        const b = await botFor();
        b.username ??= b.api.getMe().then((me) => me.username);
        return b.username.catch((e: unknown) => {
          if (bot === b) delete b.username;
          throw e;
        });
      },
      sendMessage: async (chat, message) => (await botFor()).api.sendMessage(chat, message),
    },
    madeReport: async (sub, period, language) => {
      const settings = reportSettings({ ...sub.settings, working_hours: sub.working_hours });
      const loc = reportLocation(sub.id, period, null, reportVariant(language, settings));
      const m = await storage.loadJson<Manifest>(loc, 'manifest');
      if (!m) return null;
      const posted = (m.telegram ?? []).filter((r) => r.status === 'posted');
      return {
        workbookKey: m.workbook.key,
        postedTo: posted.map((r) => ({
          chat_id: r.migrated_to ?? r.chat_id,
          thread_id: r.thread_id ?? undefined,
        })),
      };
    },
    reportLink: async (key, sub, language) =>
      (await parts.reportLink(key, sub, rt.clock.now(), language)).url,
  };
  rt = { clock: systemClock, deps };
  return rt;
}

function bodyOf(event: APIGatewayProxyEvent): string | null {
  if (event.body === null || event.body === undefined) return null;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export async function handleTelegramWebhook(
  event: APIGatewayProxyEvent,
  rt: TelegramWebhookRuntime,
  obs: { logger: Logger; metrics: Metrics },
): Promise<HttpResponse> {
  try {
    const outcome = await handleTelegramUpdate(
      {
        method: event.httpMethod ?? 'POST',
        secret: header(event.headers, SECRET_HEADER),
        body: bodyOf(event),
      },
      { ...rt.deps, now: rt.clock.now() },
    );
    const { response, ...what } = outcome;
    obs.logger.info('Telegram update', { ...what, status: response.statusCode });
    if (outcome.result === 'unauthorized' || outcome.result === 'forbidden') {
      obs.metrics.addMetric('TelegramWebhookRefused', MetricUnit.Count, 1);
    } else if (outcome.command) {
      obs.metrics.addMetric('TelegramCommands', MetricUnit.Count, 1);
    }
    if (outcome.answerError) {
      obs.logger.error('The bot could not answer in the chat', { answerError: outcome.answerError });
      obs.metrics.addMetric('TelegramFailed', MetricUnit.Count, 1);
    }
    return response;
  } catch (err) {
    if (err instanceof SecretError) {
      // The bot's token is not set: no secret to compare with, nothing done.
      obs.logger.error('Telegram webhook: the bot token cannot be read', { reason: err.message });
      return errorResponse(
        503,
        { code: 'bot_not_configured', message: 'The bot is not set up yet; try again later', field: null },
        { 'Retry-After': '60' },
      );
    }
    // Telegram sends the update again later; the job path makes one job of both.
    obs.logger.error('Telegram webhook failed', err as Error);
    obs.metrics.addMetric('ApiFailures', MetricUnit.Count, 1);
    return errorResponse(500, {
      code: 'internal_error',
      message: 'Something went wrong on our side',
      field: null,
    });
  }
}
