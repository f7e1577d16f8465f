/**
 * The pipeline: source → figures → workbook → storage → mailer, for one report
 * request. The same function runs in the Lambdas, the CLI and the tests; its
 * collaborators are passed in.
 *
 * Nothing is lost and nothing is sent twice:
 * - the workbook, the summary and the rendered email are stored before anything
 *   is mailed; the manifest beside them says what happened;
 * - a report already emailed to the same recipients is not emailed again (unless
 *   `force`): a duplicate delivery of the same job does nothing;
 * - if storing fails, nothing is emailed; if emailing fails after storing, the
 *   manifest says so and `EmailFailedError` propagates (so the invocation is
 *   retried), and the retry only sends the stored email.
 *
 * What is fetched (the period and the latest follow-up horizon of its misses,
 * never past now) is fetch-range.ts; the like period it is compared with,
 * stored or computed, comparison.ts; the email's send, send.ts. A report made
 * before its period ends is partial (`as_of` = that moment) and stored under
 * its own location, so it never replaces, or is taken for, the whole period's.
 *
 * The claim on the report (lease + heartbeat) is claim.ts; the manifest and its
 * state transitions are manifest.ts. The pipeline knows its collaborators only
 * by their ports (ports.ts); the adapters are in adapters/, chosen by the caller.
 */
import type { CallSource, FetchedCalls } from '../calls/source.ts';
import type { FetchProgress } from '../dataapi/client.ts';
import type { Language } from '../language.ts';
import { buildEmail, type EmailContent } from '../report/email/build-email.ts';
import type { QuickLinkInput } from '../report/email/model.ts';
import { summarise } from '../report/figures/summarise.ts';
import { workbookFileName } from '../report/format.ts';
import type { ReportSettings, Summary } from '../report/types.ts';
import { writeWorkbook } from '../report/workbook/write-workbook.ts';
import { type Period, periodBounds, toWall } from '../time.ts';
import {
  type ClaimFence,
  claimKey,
  type HeartbeatTimer,
  LOCK_LEASE_MS,
  proveClaim,
  withClaim,
} from './claim.ts';
import { type Comparison, comparison } from './comparison.ts';
import { fetchRange } from './fetch-range.ts';
import { reportLocation, reportVariant } from './location.ts';
import {
  checkedManifest,
  keepsSent,
  type Manifest,
  needsSending,
  nextStep,
  type RunWish,
  retried,
  storedManifest,
} from './manifest.ts';
import type {
  Clock,
  Mailer,
  ReportLocation,
  ReportLock,
  ReportStorage,
  StoredObject,
  TelegramChat,
  TelegramPoster,
} from './ports.ts';
import { send } from './send.ts';
import { reportSettings } from './settings.ts';
import { type TelegramOutcome, withTelegram } from './telegram.ts';

// The email's part of the flow lives in send.ts; its names are the pipeline's.
export { DEFAULT_ATTACH_LIMIT_BYTES, EmailFailedError } from './send.ts';

export interface ReportRequest {
  /** Subscription id (the CLI uses "local"). */
  subscription: string;
  period: Period;
  settings?: Partial<ReportSettings>;
  language: Language;
  /** Recipients; no email when empty or absent. */
  recipients?: string[];
  /** Sender address. */
  from?: string;
  /** Filter sent to the Data API, recorded in the summary's `source`. */
  filter?: unknown;
  /** Build and send again even when this report was already emailed to these recipients. */
  force?: boolean;
  /** Attach the workbook when it is at most this big (default 5 MB); the link is always there. */
  attachLimitBytes?: number;
  /** Telegram chats to post the report to after its email (pipeline/telegram.ts); none when empty or absent. */
  telegram?: TelegramChat[];
  /** Post the workbook to the chats too (under Telegram's 50 MB). */
  telegramWorkbook?: boolean;
}

export interface PipelineDeps {
  source: CallSource;
  storage: ReportStorage;
  mailer?: Mailer;
  clock: Clock;
  /** Turns a stored workbook into the link the email carries. */
  linkFor?: (
    stored: StoredObject,
  ) => Promise<{ url: string; expiresAt?: string; quick?: readonly QuickLinkInput[] }>;
  onProgress?: (event: PipelineProgress) => void;
  /** Claims the report for this run, so concurrent deliveries do the work once. */
  lock?: ReportLock;
  /** The claim's lease (default LOCK_LEASE_MS, claim.ts). */
  lockLeaseMs?: number;
  /** What beats the claim's heartbeat (default a timer; a test beats it by hand). */
  lockTimer?: HeartbeatTimer;
  /**
   * Set by runReport while it holds the claim, never by a caller: the fence
   * every step proves (`proveClaim`) before anything others see (the manifest,
   * an email, any later channel).
   */
  fence?: ClaimFence;
  /** Posts to Telegram chats (the Bot API, or the local demo's files). */
  telegram?: TelegramPoster;
}

export type PipelineProgress =
  /** `comparison`: the fetch of the like period, when it is computed (it comes first). */
  | ({ phase: 'fetch'; comparison?: boolean } & FetchProgress)
  | { phase: 'figures'; calls: number }
  | { phase: 'workbook'; rows: number; total: number }
  | { phase: 'stored'; key: string }
  | { phase: 'mailed'; to: number };

/** What a run did: built (and maybe sent), only sent a stored report, or nothing because it was already sent. */
export type ReportOutcome = 'built' | 'built_and_sent' | 'sent_stored' | 'already_sent';

export interface ReportResult {
  outcome: ReportOutcome;
  summary: Summary;
  manifest: Manifest;
  email: { messageId: string; location?: string } | null;
  /** What the fetch brought (absent when nothing was fetched). */
  fetched: Omit<FetchedCalls, 'calls'> | null;
  /** How `summary.previous` was made, and what its fetch brought (null when nothing was built). */
  comparison: Pick<Comparison, 'made' | 'fetched'> | null;
  /** What the Telegram chats got (absent when the request names none). */
  telegram?: TelegramOutcome;
}

/**
 * The moment a report is made: the real instant, its wall clock in the
 * report's zone, and, when the period ends after it (it includes today), the
 * report's `as_of`: that wall clock (report-metrics.md, "Partial periods").
 */
interface Moment {
  generatedAt: number;
  nowWall: number;
  asOf: number | null;
}

/**
 * The claim is one per subscription and period, partial runs included: runs
 * of one period never overlap, so two deliveries of one job cannot both make
 * and send it, each with its own `as_of`.
 */
export async function runReport(request: ReportRequest, deps: PipelineDeps): Promise<ReportResult> {
  if (!deps.lock) return delivered(request, deps);
  const key = claimKey(request.subscription, request.period, locationVariant(request));
  return withClaim(
    deps.lock,
    key,
    deps.lockLeaseMs ?? LOCK_LEASE_MS,
    (fence) => delivered(request, { ...deps, fence }),
    deps.lockTimer,
    deps.clock,
  );
}

/** The request's variant (location.ts): its language and settings when not the defaults. */
function locationVariant(request: ReportRequest): string | null {
  return reportVariant(request.language, reportSettings(request.settings));
}

/** The email's flow, then the Telegram chats' (telegram.ts): a Telegram failure never loses the email. */
function delivered(request: ReportRequest, deps: PipelineDeps): Promise<ReportResult> {
  return withTelegram(request, deps, locationVariant(request), () => runClaimed(request, deps));
}

async function runClaimed(request: ReportRequest, deps: PipelineDeps): Promise<ReportResult> {
  const { period } = request;
  const generatedAt = deps.clock.now();
  const nowWall = toWall(generatedAt, period.timezone);
  const { start, end } = periodBounds(period);
  if (start > nowWall) throw new RangeError(`The period ${period.from}..${period.till} has not started yet`);
  const moment: Moment = { generatedAt, nowWall, asOf: end > nowWall ? nowWall : null };
  // A partial report has its own place (by as_of): it never replaces, or stands for, the whole period's.
  const loc = reportLocation(request.subscription, period, moment.asOf, locationVariant(request));
  const recipients = request.recipients ?? [];
  const wish: RunWish = {
    recipients,
    wantsEmail: deps.mailer !== undefined && recipients.length > 0,
    force: request.force ?? false,
  };
  const previous = checkedManifest(
    await deps.storage.loadJson<unknown>(loc, 'manifest'),
    `${request.subscription} ${period.from}..${period.till}`,
  );
  const step = nextStep(previous, wish);

  if (previous && step === 'already_sent') {
    const summary = await deps.storage.loadJson<Summary>(loc, 'summary');
    if (summary) {
      return {
        outcome: 'already_sent',
        summary,
        manifest: previous,
        email: null,
        fetched: null,
        comparison: null,
      };
    }
  }
  if (previous && step === 'send_stored') {
    // A retry after a failed send: the report is stored, only the email is left to do.
    const [summary, content] = await Promise.all([
      deps.storage.loadJson<Summary>(loc, 'summary'),
      deps.storage.loadJson<EmailContent>(loc, 'email'),
    ]);
    if (summary && content) {
      const sent = await send(request, deps, loc, retried(previous), content, recipients);
      return {
        outcome: 'sent_stored',
        summary,
        manifest: sent.manifest,
        email: sent.email,
        fetched: null,
        comparison: null,
      };
    }
  }
  return build(request, deps, loc, moment, previous, wish);
}

async function build(
  request: ReportRequest,
  deps: PipelineDeps,
  loc: ReportLocation,
  moment: Moment,
  previous: Manifest | null,
  wish: RunWish,
): Promise<ReportResult> {
  const { period } = request;
  const { generatedAt, nowWall, asOf } = moment;
  const settings = reportSettings(request.settings);
  const { end } = periodBounds(period);

  // The like period first, so only one period's calls are held at a time.
  const compared = await comparison(
    {
      subscription: request.subscription,
      variant: loc.variant ?? null,
      period,
      settings,
      filter: request.filter ?? null,
      generatedAt,
      nowWall,
      asOf,
    },
    {
      source: deps.source,
      storage: deps.storage,
      onFetch: (p) => deps.onProgress?.({ phase: 'fetch', comparison: true, ...p }),
    },
  );
  // One fetch covers the period and the latest follow-up horizon of its misses (never past now).
  const range = fetchRange(period, settings, nowWall);
  const onFetch = (p: FetchProgress): void => deps.onProgress?.({ phase: 'fetch', ...p });
  // The calls come in a table, so a year of a big centre fits in little memory:
  // calls are made one at a time from it, for the figures and then for the
  // workbook (see calls/table.ts).
  const { calls: table, ...fetchInfo } = await deps.source.fetch(range, onFetch);
  // The figures read the calls in the order they came, the workbook by start.
  const { upTo, after } = table.partition(end);
  const calls = table.view(upTo);
  const followUps = table.view(after);
  const sortCalls = () => table.view(table.sortByStart(upTo));

  deps.onProgress?.({ phase: 'figures', calls: calls.length });
  const { summary, missed } = summarise({
    period,
    calls,
    followUps,
    settings,
    generatedAt,
    nowWall,
    asOf,
    source: {
      report_id: deps.source.reportId,
      filter: request.filter ?? null,
      duplicate_rows: fetchInfo.stats.duplicateRows,
    },
    previous: compared.previous,
  });
  const comparisonInfo = { made: compared.made, fetched: compared.fetched };
  const sorted = sortCalls();
  const workbook = await deps.storage.saveWorkbook(
    loc,
    workbookFileName(period, request.language),
    async (out) => {
      await writeWorkbook({
        output: out,
        summary,
        missed,
        calls: sorted,
        language: request.language,
        onProgress: (rows) => deps.onProgress?.({ phase: 'workbook', rows, total: sorted.length }),
      });
    },
  );
  const summaryFile = await deps.storage.saveJson(loc, 'summary', summary);
  const link = deps.linkFor ? await deps.linkFor(workbook) : { url: workbook.location };
  const content = buildEmail({
    summary,
    language: request.language,
    link: link.url,
    ...(link.expiresAt ? { linkExpiresAt: link.expiresAt } : {}),
    ...('quick' in link && link.quick?.length ? { quickLinks: link.quick } : {}),
  });
  await deps.storage.saveJson(loc, 'email', content);
  // A run that lost its claim must not write over the manifest of the run that holds it.
  await proveClaim(deps.fence, 'manifest');
  const manifest = storedManifest(previous, {
    subscription: request.subscription,
    period,
    workbook,
    summary: summaryFile,
    recipients: [...wish.recipients],
    force: wish.force,
    now: new Date(deps.clock.now()).toISOString(),
  });
  await deps.storage.saveJson(loc, 'manifest', manifest);
  deps.onProgress?.({ phase: 'stored', key: workbook.key });

  if (!needsSending(manifest, keepsSent(previous, wish.force), wish)) {
    return {
      outcome: 'built',
      summary,
      manifest,
      email: null,
      fetched: fetchInfo,
      comparison: comparisonInfo,
    };
  }
  const sent = await send(request, deps, loc, manifest, content, [...wish.recipients]);
  return {
    outcome: 'built_and_sent',
    summary,
    manifest: sent.manifest,
    email: sent.email,
    fetched: fetchInfo,
    comparison: comparisonInfo,
  };
}
