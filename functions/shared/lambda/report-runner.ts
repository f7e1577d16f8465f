/**
 * Builds and sends one subscription's report inside a Lambda: real clients in,
 * the shared pipeline does the work. Used by the daily report and the worker.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoReportLock } from '../adapters/aws/dynamo-lock.ts';
import { DynamoRateGate, type RatePriority } from '../adapters/aws/dynamo-rate-gate.ts';
import { S3ReportStorage } from '../adapters/aws/s3-storage.ts';
import { SesMailer } from '../adapters/aws/ses-mailer.ts';
import { maskEmails } from '../adapters/mail/mask.ts';
import { DataApiCallSource } from '../calls/source.ts';
import type { Account, ReportConfig, Subscription } from '../config.ts';
import { DataApiClient } from '../dataapi/client.ts';
import type { CallsFilter } from '../dataapi/filter.ts';
import { linkFor, linkSettings } from '../http/link-urls.ts';
import { emailQuickLinks } from '../http/quick-urls.ts';
import type { Language } from '../language.ts';
import type { CatalogEntry, CatalogReader } from '../pipeline/catalog.ts';
import type { HeartbeatTimer } from '../pipeline/claim.ts';
import type { Clock, TelegramChat } from '../pipeline/ports.ts';
import { type ReportResult, runReport } from '../pipeline/run-report.ts';
import { TelegramFailedError } from '../pipeline/telegram.ts';
import type { Period } from '../time.ts';
import { type Logger, type Metrics, MetricUnit } from './observability.ts';
import type { Secrets } from './secrets.ts';
import { reportTelegram, telegramPoster } from './telegram.ts';

export interface ReportRuntime {
  config: ReportConfig;
  /** The accounts and subscriptions (lambda/catalog.ts: the catalog table, cached; or the environment's one account). */
  catalog: CatalogReader;
  s3: S3Client;
  ses: SESv2Client;
  dynamo: DynamoDBClient;
  secrets: Secrets;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  /** How the rate gate waits for its next window (default a timer; a test on its own clock steps it). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** What beats the claim's heartbeat (default a real interval; a test on its own clock beats it on that clock). */
  lockTimer?: HeartbeatTimer;
}

export interface SubscriptionRun {
  subscription: Subscription;
  /** The Data API account it reads (the catalog's entry). */
  account: Account;
  period: Period;
  language?: Language;
  /** Email the subscription's recipients (never anyone else). */
  email: boolean;
  force?: boolean;
  /** Working hours in their normal text form, null for none; absent: the subscription's. */
  workingHours?: string | null;
  /** The Data API fetch's overall deadline, ms (from the invocation's remaining time; default the client's). */
  deadlineMs?: number;
  /** The scheduled daily reports go before on-demand ones at the account's rate gate (default daily). */
  priority?: RatePriority;
  /** The chats to post to instead of the subscription's (a bot command's chat); absent: its own, when emailed. */
  telegram?: TelegramChat[];
}

/** The subscription and its account from the catalog, or null when there is no such subscription. */
export function findEntry(rt: Pick<ReportRuntime, 'catalog'>, id: string): Promise<CatalogEntry | null> {
  return rt.catalog.entry(id);
}

export async function runSubscriptionReport(rt: ReportRuntime, run: SubscriptionRun): Promise<ReportResult> {
  const { config, logger, metrics } = rt;
  const sub = run.subscription;
  const account = run.account;
  const [token, linkKeys] = await Promise.all([
    rt.secrets.text(account.key_secret_arn, `Data API token of account "${account.id}"`),
    rt.secrets.keyRing(config.LINK_KEY_SECRET_ARN),
  ]);
  const client = new DataApiClient({
    url: account.api_url,
    accessToken: token,
    concurrency: config.DATA_API_CONCURRENCY,
    ...(run.deadlineMs === undefined ? {} : { deadlineMs: run.deadlineMs }),
    gate: new DynamoRateGate({
      client: rt.dynamo,
      table: config.LOCK_TABLE,
      // One account is one API host and key; the slots are named by a hash, never by the token.
      account: createHash('sha256').update(`${account.api_url}\n${token}`).digest('hex').slice(0, 16),
      limit: account.minute_limit,
      priority: run.priority ?? 'daily',
      ...(account.day_limit === undefined ? {} : { dayLimit: account.day_limit }),
      windowMs: config.DATA_API_RATE_WINDOW_SECONDS * 1000,
      now: () => rt.clock.now(),
      ...(rt.sleep ? { sleep: rt.sleep } : {}),
    }),
    onEvent: (e) => {
      logger.warn('Data API', { event: e });
      if (e.type === 'rate_limited') metrics.addMetric('DataApiRateLimited', MetricUnit.Count, 1);
    },
  });
  const source = new DataApiCallSource(client, {
    reportId: sub.report_id ?? account.report_id ?? null,
    ...(sub.filter === undefined ? {} : { filter: sub.filter as CallsFilter }),
  });
  const storage = new S3ReportStorage({ client: rt.s3, bucket: config.REPORTS_BUCKET });
  const mailer = new SesMailer({
    client: rt.ses,
    ...(config.SES_CONFIGURATION_SET ? { configurationSetName: config.SES_CONFIGURATION_SET } : {}),
    logger: {
      info: (message, data) => logger.info(message, { ...data }),
      warn: (message, data) => logger.warn(message, { ...data }),
    },
  });
  const recipients = run.email ? sub.recipients : [];
  // The subscription's chats get the report when its recipients do (lambda/telegram.ts); a command's chat, when asked.
  // A command's chat only while the subscription still lists it: a report goes to no chat outside its config.
  const listed = (c: TelegramChat) => sub.telegram.some((t) => String(t.chat_id) === String(c.chat_id));
  const chats = run.telegram ? run.telegram.filter(listed) : run.email ? sub.telegram : [];
  const telegram = chats.length > 0 ? await telegramPoster(rt, sub) : null;
  const started = Date.now();
  logger.info('Report started', { recipients: maskEmails(recipients), force: run.force ?? false });
  const result = await runReport(
    {
      subscription: sub.id,
      period: run.period,
      settings: {
        ...sub.settings,
        working_hours: run.workingHours === undefined ? sub.working_hours : run.workingHours,
      },
      language: run.language ?? sub.language,
      recipients,
      from: config.MAIL_FROM,
      filter: sub.filter,
      force: run.force ?? false,
      // Attachments are opt-in per subscription (config.ts `attach_workbook`); the link is always there.
      attachLimitBytes: sub.attach_workbook ? config.ATTACH_LIMIT_BYTES : 0,
      ...(telegram ? { telegram: chats, telegramWorkbook: sub.telegram_workbook } : {}),
    },
    {
      source,
      storage,
      mailer,
      clock: rt.clock,
      lock: new DynamoReportLock({ client: rt.dynamo, table: config.LOCK_TABLE, now: () => rt.clock.now() }),
      lockLeaseMs: config.LOCK_LEASE_SECONDS * 1000,
      ...(rt.lockTimer ? { lockTimer: rt.lockTimer } : {}),
      ...(telegram ? { telegram } : {}),
      linkFor: async (stored) => {
        const language = run.language ?? sub.language;
        const now = rt.clock.now();
        return {
          ...linkFor(stored.key, sub, linkSettings(config), linkKeys, now, language),
          quick: emailQuickLinks(sub, language, linkSettings(config), linkKeys, now),
        };
      },
    },
  ).catch((e: unknown) => {
    if (e instanceof TelegramFailedError) reportTelegram(rt, e.outcome);
    // The Data API did not answer within the retries or the time budget (alarmed).
    if ((e as { mnemonic?: unknown }).mnemonic === 'deadline_exceeded') {
      metrics.addMetric('DataApiRetriesExhausted', MetricUnit.Count, 1);
    }
    throw e;
  });
  if (result.telegram) reportTelegram(rt, result.telegram);
  const t = result.summary.totals;
  metrics.addMetric('ReportDuration', MetricUnit.Milliseconds, Date.now() - started);
  // The dashboard's daily run: reports made (built, not found already sent) and emails sent.
  if (result.outcome === 'built' || result.outcome === 'built_and_sent') {
    metrics.addMetric('ReportsMade', MetricUnit.Count, 1);
  }
  if (result.email) metrics.addMetric('EmailsSent', MetricUnit.Count, 1);
  if (result.fetched) {
    metrics.addMetric('CallsFetched', MetricUnit.Count, result.fetched.stats.rows);
    metrics.addMetric('RowsRejected', MetricUnit.Count, result.fetched.rejectedCount);
    const dropped = result.fetched.droppedParts.reduce((n, p) => n + p.count, 0);
    metrics.addMetric('RowPartsDropped', MetricUnit.Count, dropped);
  }
  metrics.addMetric('MissedCalls', MetricUnit.Count, t.incoming_missed);
  metrics.addMetric('UnreturnedCalls', MetricUnit.Count, result.summary.missed.unreturned);
  logger.info('Report finished', {
    outcome: result.outcome,
    calls: t.calls,
    missed: t.incoming_missed,
    unreturned: result.summary.missed.unreturned,
    rejectedRows: result.fetched?.rejectedCount ?? 0,
    droppedParts: result.fetched?.droppedParts ?? [],
    workbook: result.manifest.workbook.key,
  });
  return result;
}
