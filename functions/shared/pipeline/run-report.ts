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
 * The claim on the report (lease + heartbeat) is claim.ts; the manifest and its
 * state transitions are manifest.ts. The pipeline knows its collaborators only
 * by their ports (ports.ts); the adapters are in adapters/, chosen by the caller.
 */
import type { CallSource, FetchedCalls } from '../calls/source.ts';
import type { FetchProgress } from '../dataapi/client.ts';
import type { Language } from '../language.ts';
import { buildEmail, type EmailContent } from '../report/email/build-email.ts';
import { summarise } from '../report/figures/summarise.ts';
import { workbookFileName } from '../report/format.ts';
import { DEFAULT_SETTINGS, type ReportSettings, type Summary } from '../report/types.ts';
import { writeWorkbook } from '../report/workbook/write-workbook.ts';
import { type Period, periodBounds, previousPeriod, toWall } from '../time.ts';
import { claimKey, LOCK_LEASE_MS, withClaim } from './claim.ts';
import {
  emailed,
  keepsSent,
  type Manifest,
  needsSending,
  nextStep,
  type RunWish,
  retried,
  sendFailed,
  storedManifest,
} from './manifest.ts';
import type { Clock, Mailer, ReportLocation, ReportLock, ReportStorage, StoredObject } from './ports.ts';

/**
 * The attachment limit lives here: the pipeline decides whether the workbook is
 * attached (at most `attachLimitBytes`, this by default; the link is always in
 * the email) and hands the mailer only what it should attach. A mailer guards
 * nothing but its service's own cap (SES's 40 MB message, adapters/aws/ses-mailer.ts).
 */
export const DEFAULT_ATTACH_LIMIT_BYTES = 5 * 1024 * 1024;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

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
}

export interface PipelineDeps {
  source: CallSource;
  storage: ReportStorage;
  mailer?: Mailer;
  clock: Clock;
  /** Turns a stored workbook into the link the email carries. */
  linkFor?: (stored: StoredObject) => Promise<{ url: string; expiresAt?: string }>;
  onProgress?: (event: PipelineProgress) => void;
  /** Claims the report for this run, so concurrent deliveries do the work once. */
  lock?: ReportLock;
  /** The claim's lease (default LOCK_LEASE_MS, claim.ts). */
  lockLeaseMs?: number;
}

export type PipelineProgress =
  | ({ phase: 'fetch' } & FetchProgress)
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
}

/** The report is stored, but the email could not be sent: retry the job to send it. */
export class EmailFailedError extends Error {
  readonly manifest: Manifest;
  constructor(manifest: Manifest, cause: unknown) {
    super(
      `The report for ${manifest.period.from}..${manifest.period.till} is stored, but the email failed: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
    this.name = 'EmailFailedError';
    this.manifest = manifest;
  }
}

export async function runReport(request: ReportRequest, deps: PipelineDeps): Promise<ReportResult> {
  if (!deps.lock) return runClaimed(request, deps);
  const key = claimKey(request.subscription, request.period);
  return withClaim(deps.lock, key, deps.lockLeaseMs ?? LOCK_LEASE_MS, () => runClaimed(request, deps));
}

async function runClaimed(request: ReportRequest, deps: PipelineDeps): Promise<ReportResult> {
  const loc: ReportLocation = { subscription: request.subscription, period: request.period };
  const recipients = request.recipients ?? [];
  const wish: RunWish = {
    recipients,
    wantsEmail: deps.mailer !== undefined && recipients.length > 0,
    force: request.force ?? false,
  };
  const previous = await deps.storage.loadJson<Manifest>(loc, 'manifest');
  const step = nextStep(previous, wish);

  if (previous && step === 'already_sent') {
    const summary = await deps.storage.loadJson<Summary>(loc, 'summary');
    if (summary) return { outcome: 'already_sent', summary, manifest: previous, email: null, fetched: null };
  }
  if (previous && step === 'send_stored') {
    // A retry after a failed send: the report is stored, only the email is left to do.
    const [summary, content] = await Promise.all([
      deps.storage.loadJson<Summary>(loc, 'summary'),
      deps.storage.loadJson<EmailContent>(loc, 'email'),
    ]);
    if (summary && content) {
      const sent = await send(request, deps, loc, retried(previous), content, recipients);
      return { outcome: 'sent_stored', summary, manifest: sent.manifest, email: sent.email, fetched: null };
    }
  }
  return build(request, deps, loc, previous, wish);
}

async function build(
  request: ReportRequest,
  deps: PipelineDeps,
  loc: ReportLocation,
  previous: Manifest | null,
  wish: RunWish,
): Promise<ReportResult> {
  const { period } = request;
  const settings: ReportSettings = { ...DEFAULT_SETTINGS, ...request.settings };
  const generatedAt = deps.clock.now();
  const nowWall = toWall(generatedAt, period.timezone);
  const { start, end } = periodBounds(period);
  if (start > nowWall) throw new RangeError(`The period ${period.from}..${period.till} has not started yet`);

  // One fetch covers the period and its follow-up horizon (never past now).
  const horizon = Math.min(end + settings.callback_horizon_hours * 3_600_000, nowWall);
  const range = { from: start, till: Math.max(start, horizon) };
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
  const prevPeriod = previousPeriod(period);
  const prev = await deps.storage.loadJson<Summary>(
    { subscription: request.subscription, period: prevPeriod },
    'summary',
  );
  const { summary, missed } = summarise({
    period,
    calls,
    followUps,
    settings,
    generatedAt,
    nowWall,
    source: {
      report_id: deps.source.reportId,
      filter: request.filter ?? null,
      duplicate_rows: fetchInfo.stats.duplicateRows,
    },
    previous: prev ? { period: prevPeriod, totals: prev.totals } : null,
  });
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
  });
  await deps.storage.saveJson(loc, 'email', content);
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
    return { outcome: 'built', summary, manifest, email: null, fetched: fetchInfo };
  }
  const sent = await send(request, deps, loc, manifest, content, [...wish.recipients]);
  return {
    outcome: 'built_and_sent',
    summary,
    manifest: sent.manifest,
    email: sent.email,
    fetched: fetchInfo,
  };
}

/**
 * Sends the stored email and saves the manifest's new state: emailed, or
 * email_failed (then EmailFailedError carries it).
 */
async function send(
  request: ReportRequest,
  deps: PipelineDeps,
  loc: ReportLocation,
  manifest: Manifest,
  content: EmailContent,
  recipients: string[],
): Promise<{ manifest: Manifest; email: { messageId: string; location?: string } }> {
  const mailer = deps.mailer as Mailer;
  // The pipeline's decision (see DEFAULT_ATTACH_LIMIT_BYTES): the mailer attaches what it is given.
  const limit = request.attachLimitBytes ?? DEFAULT_ATTACH_LIMIT_BYTES;
  let current = manifest;
  try {
    const attachments =
      manifest.workbook.bytes <= limit
        ? [
            {
              fileName: workbookFileName(request.period, request.language),
              contentType: XLSX_TYPE,
              content: await deps.storage.readObject(manifest.workbook.key),
            },
          ]
        : [];
    const sent = await mailer.send({
      from: request.from ?? 'reports@localhost',
      to: recipients,
      ...content,
      attachments,
    });
    current = emailed(manifest, recipients, sent.messageId, new Date(deps.clock.now()).toISOString());
    await deps.storage.saveJson(loc, 'manifest', current);
    deps.onProgress?.({ phase: 'mailed', to: recipients.length });
    return { manifest: current, email: sent };
  } catch (err) {
    // Also when the email went but its record could not be saved: the manifest then says both.
    const failed = sendFailed(current, recipients, err, new Date(deps.clock.now()).toISOString());
    await deps.storage.saveJson(loc, 'manifest', failed).catch(() => {
      // The manifest could not be updated either; the error below still tells the truth.
    });
    throw new EmailFailedError(failed, err);
  }
}
