/**
 * The Telegram channel inside a Lambda: the Bot API client with the bot token
 * from its own secret (read only when a subscription's run posts), and what
 * the run tells of it (log lines and the metrics `TelegramPosted`,
 * `TelegramFailed`; the stack alarms on the second). The token and the Bot
 * API's URLs, which hold it, are never logged.
 *
 * When the bot cannot even be set up (no secret configured, its value not
 * set), the report and its email still go: the run logs why, counts every
 * chat as failed, and goes on without Telegram.
 */
import { TelegramBotApi } from '../adapters/telegram/bot-api.ts';
import type { ReportConfig, Subscription } from '../config.ts';
import type { TelegramPoster } from '../pipeline/ports.ts';
import type { TelegramOutcome } from '../pipeline/telegram.ts';
import { type Logger, type Metrics, MetricUnit } from './observability.ts';
import type { Secrets } from './secrets.ts';

interface TelegramRuntime {
  config: ReportConfig;
  secrets: Secrets;
  logger: Logger;
  metrics: Metrics;
  clock: { now(): number };
  sleep?: (ms: number) => Promise<void>;
}

/** The poster for this subscription's run, or null (logged and counted) when the bot cannot be set up. */
export async function telegramPoster(rt: TelegramRuntime, sub: Subscription): Promise<TelegramPoster | null> {
  const arn = rt.config.TELEGRAM_BOT_TOKEN_SECRET_ARN;
  try {
    if (!arn) {
      throw new Error(
        'this function has no TELEGRAM_BOT_TOKEN_SECRET_ARN: deploy the stack again (it creates the bot token secret when a subscription names a chat)',
      );
    }
    const token = await rt.secrets.text(arn, 'Telegram bot token');
    return new TelegramBotApi({
      baseUrl: rt.config.TELEGRAM_API_URL,
      token,
      now: () => rt.clock.now(),
      ...(rt.sleep ? { sleep: rt.sleep } : {}),
      onRetry: (e) => rt.logger.warn('Telegram retry', { ...e }),
    });
  } catch (e) {
    rt.logger.error(
      `Subscription "${sub.id}" names ${sub.telegram.length} Telegram chat(s), but the bot cannot post: ${(e as Error).message}`,
    );
    rt.metrics.addMetric('TelegramFailed', MetricUnit.Count, sub.telegram.length);
    return null;
  }
}

/** Logs and counts what the chats got: each failure and warning as its own line, naming the chat and what to do. */
export function reportTelegram(
  rt: Pick<TelegramRuntime, 'logger' | 'metrics'>,
  outcome: TelegramOutcome,
): void {
  rt.metrics.addMetric('TelegramPosted', MetricUnit.Count, outcome.posted);
  rt.metrics.addMetric('TelegramFailed', MetricUnit.Count, outcome.failed.length);
  for (const f of outcome.failed) rt.logger.error(f.message, { telegramFailure: f.kind });
  for (const w of outcome.warnings) rt.logger.warn(w);
  if (outcome.posted + outcome.already > 0) {
    rt.logger.info('Telegram', { posted: outcome.posted, alreadyPosted: outcome.already });
  }
}
