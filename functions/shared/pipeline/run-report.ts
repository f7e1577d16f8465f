import { ArrivingCalls } from '../calls/arriving-calls.ts';
import type { FetchProgress } from '../dataapi/client.ts';
import { buildEmail, type EmailContent } from '../report/email/build-email.ts';
import { summarise } from '../report/figures/summarise.ts';
import { workbookFileName } from '../report/format.ts';
import type { Summary } from '../report/types.ts';
import { writeArrivingWorkbook } from '../report/workbook/write-workbook.ts';
import { periodBounds, toWall } from '../time.ts';
import { claimKey, LOCK_LEASE_MS, proveClaim, withClaim } from './claim.ts';
import { comparison } from './comparison.ts';
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
import type { ReportLocation } from './ports.ts';
import type { PipelineDeps, ReportRequest, ReportResult } from './request.ts';
import { send } from './send.ts';
import { reportSettings } from './settings.ts';
import { withTelegram } from './telegram.ts';

// The email's part of the flow lives in send.ts; its names, and the request's and result's types (request.ts), are the pipeline's.
export type {
  PipelineDeps,
  PipelineProgress,
  ReportOutcome,
  ReportRequest,
  ReportResult,
} from './request.ts';
export { DEFAULT_ATTACH_LIMIT_BYTES, EmailFailedError } from './send.ts';

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
  // calls are made one at a time from it, for the figures and for the workbook
  // (see calls/table.ts). The workbook's "All calls" rows are written while the
  // fetch goes on, window by window (calls/arriving-calls.ts); its other sheets
  // wait for the figures, which need the whole period.
  const arriving = new ArrivingCalls(end);
  const fetching = deps.source.fetch(range, onFetch, (table, till) => arriving.arrived(table, till));
  let total: number | null = null;
  const figures = fetching.then(
    ({ calls: table, ...fetchInfo }) => {
      arriving.complete(table);
      // The figures read the calls in the order they came.
      const { upTo, after } = table.partition(end);
      total = upTo.length;
      deps.onProgress?.({ phase: 'figures', calls: upTo.length });
      const made = summarise({
        period,
        calls: table.view(upTo),
        followUps: table.view(after),
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
      return { ...made, fetchInfo };
    },
    (error: unknown) => {
      arriving.fail(error);
      throw error;
    },
  );
  const writing = Promise.resolve().then(() =>
    deps.storage.saveWorkbook(loc, workbookFileName(period, request.language), async (out) => {
      await writeArrivingWorkbook({
        output: out,
        calls: arriving,
        figures,
        language: request.language,
        // Rows written while the calls arrive are told once the fetch is over (the phases stay in order).
        // "All calls" goes first; the small sheets' rows after it are not counted past the calls.
        onProgress: (rows) => {
          if (total !== null) deps.onProgress?.({ phase: 'workbook', rows: Math.min(rows, total), total });
        },
      });
    }),
  );
  // A storage that fails, even before the workbook began, ends the fetch at its next window.
  writing.catch((error: unknown) => arriving.abandon(error));
  // Both settle before either's failure is told: a failed fetch ends the write, and its partial file is gone.
  const [made, saved] = await Promise.allSettled([figures, writing]);
  if (made.status === 'rejected') throw made.reason;
  if (saved.status === 'rejected') throw saved.reason;
  const { summary, fetchInfo } = made.value;
  const workbook = saved.value;
  const comparisonInfo = { made: compared.made, fetched: compared.fetched };
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
