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
 */
import type { Call } from '../calls/call.ts';
import type { CallSource, FetchedCalls } from '../calls/source.ts';
import type { CallList } from '../calls/table.ts';
import type { FetchProgress } from '../dataapi/client.ts';
import type { Language } from '../language.ts';
import { buildEmail, type EmailContent } from '../report/email/build-email.ts';
import { summarise } from '../report/figures/summarise.ts';
import { workbookFileName } from '../report/format.ts';
import { DEFAULT_SETTINGS, type ReportSettings, type Summary } from '../report/types.ts';
import { writeWorkbook } from '../report/workbook/write-workbook.ts';
import { type Period, periodBounds, previousPeriod, toWall } from '../time.ts';
import type {
  Clock,
  Mailer,
  Manifest,
  ReportLocation,
  ReportLock,
  ReportStorage,
  StoredObject,
} from './ports.ts';

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
  /** The claim's lease (default LOCK_LEASE_MS). */
  lockLeaseMs?: number;
}

/**
 * A claim's lease, renewed every third of it while the run lives: a run that
 * dies frees its report within two minutes.
 */
export const LOCK_LEASE_MS = 2 * 60_000;

/**
 * Another live run holds the claim on this report and will make and send it.
 * Callers that can be retried should fail with it: if that other run dies, the
 * retry (after its lease ran out) does the work, so no report is lost.
 */
export class ReportInProgressError extends Error {
  constructor(key: string) {
    super(`Another run is making the report ${key} right now; try again in a few minutes`);
    this.name = 'ReportInProgressError';
  }
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

function sameRecipients(a: readonly string[], b: readonly string[]): boolean {
  const norm = (l: readonly string[]) => [...new Set(l.map((x) => x.trim().toLowerCase()))].sort().join(',');
  return norm(a) === norm(b);
}

export async function runReport(request: ReportRequest, deps: PipelineDeps): Promise<ReportResult> {
  if (!deps.lock) return runClaimed(request, deps);
  const key = `report/${request.subscription}/${request.period.from}_${request.period.till}`;
  const lock = deps.lock;
  const lease = deps.lockLeaseMs ?? LOCK_LEASE_MS;
  const token = await lock.acquire(key, lease);
  if (token === null) throw new ReportInProgressError(key);
  const heartbeat = setInterval(() => {
    lock.renew(key, token, lease).catch(() => {
      // A missed renewal is retried at the next beat; the lease has room for two.
    });
  }, lease / 3);
  heartbeat.unref();
  try {
    return await runClaimed(request, deps);
  } finally {
    clearInterval(heartbeat);
    await lock.release(key, token);
  }
}

async function runClaimed(request: ReportRequest, deps: PipelineDeps): Promise<ReportResult> {
  const loc: ReportLocation = { subscription: request.subscription, period: request.period };
  const recipients = request.recipients ?? [];
  const wantsEmail = deps.mailer !== undefined && recipients.length > 0;
  const previous = await deps.storage.loadJson<Manifest>(loc, 'manifest');

  if (previous && !request.force) {
    if (previous.status === 'emailed' && (!wantsEmail || sameRecipients(previous.recipients, recipients))) {
      const summary = await deps.storage.loadJson<Summary>(loc, 'summary');
      if (summary)
        return { outcome: 'already_sent', summary, manifest: previous, email: null, fetched: null };
    }
    if (previous.status !== 'emailed' && wantsEmail && sameRecipients(previous.recipients, recipients)) {
      // A retry after a failed send: the report is stored, only the email is left to do.
      const [summary, content] = await Promise.all([
        deps.storage.loadJson<Summary>(loc, 'summary'),
        deps.storage.loadJson<EmailContent>(loc, 'email'),
      ]);
      if (summary && content) {
        const manifest = { ...previous, attempts: previous.attempts + 1 };
        const email = await send(request, deps, loc, manifest, content, recipients);
        return { outcome: 'sent_stored', summary, manifest, email, fetched: null };
      }
    }
  }
  return build(request, deps, loc, previous, recipients, wantsEmail);
}

async function build(
  request: ReportRequest,
  deps: PipelineDeps,
  loc: ReportLocation,
  previous: Manifest | null,
  recipients: string[],
  wantsEmail: boolean,
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
  // A source that keeps calls in a table (the Data API) lets a year of a big
  // centre fit in little memory: calls are made one at a time from it, for the
  // figures and then for the workbook (see calls/table.ts).
  let calls: CallList;
  let followUps: CallList;
  let sortCalls: () => CallList;
  let fetchInfo: Omit<FetchedCalls, 'calls'>;
  if (deps.source.fetchTable) {
    const { table, ...info } = await deps.source.fetchTable(range, onFetch);
    fetchInfo = info;
    // The figures read the calls in the order they came (as from an array), the workbook by start.
    const { upTo, after } = table.partition(end);
    calls = table.view(upTo);
    followUps = table.view(after);
    sortCalls = () => table.view(table.sortByStart(upTo));
  } else {
    const { calls: all, ...info } = await deps.source.fetch(range, onFetch);
    fetchInfo = info;
    const period: Call[] = [];
    const after: Call[] = [];
    for (const c of all) (c.start <= end ? period : after).push(c);
    all.length = 0; // the two lists hold them now
    calls = period;
    followUps = after;
    sortCalls = () => period.sort((a, b) => a.start - b.start || a.id - b.id);
  }

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
    missed,
    language: request.language,
    link: link.url,
    ...(link.expiresAt ? { linkExpiresAt: link.expiresAt } : {}),
  });
  await deps.storage.saveJson(loc, 'email', content);
  const storedAt = new Date(deps.clock.now()).toISOString();
  // A rebuild keeps the record of an earlier send: the report was emailed, and stays so.
  const keepSent = previous?.status === 'emailed' && !request.force;
  const manifest: Manifest = {
    version: 1,
    subscription: request.subscription,
    period,
    status: keepSent ? 'emailed' : 'stored',
    attempts: (previous?.attempts ?? 0) + 1,
    workbook,
    summary: summaryFile,
    stored_at: storedAt,
    emailed_at: keepSent ? (previous?.emailed_at ?? null) : null,
    recipients: keepSent ? (previous?.recipients ?? []) : recipients,
    message_id: keepSent ? (previous?.message_id ?? null) : null,
    last_error: null,
    updated_at: storedAt,
  };
  await deps.storage.saveJson(loc, 'manifest', manifest);
  deps.onProgress?.({ phase: 'stored', key: workbook.key });

  if (!wantsEmail || (keepSent && sameRecipients(manifest.recipients, recipients))) {
    return { outcome: 'built', summary, manifest, email: null, fetched: fetchInfo };
  }
  manifest.recipients = recipients;
  const email = await send(request, deps, loc, manifest, content, recipients);
  return { outcome: 'built_and_sent', summary, manifest, email, fetched: fetchInfo };
}

/** Sends the stored email and records the result in the manifest (mutated and saved). */
async function send(
  request: ReportRequest,
  deps: PipelineDeps,
  loc: ReportLocation,
  manifest: Manifest,
  content: EmailContent,
  recipients: string[],
): Promise<{ messageId: string; location?: string }> {
  const mailer = deps.mailer as Mailer;
  // The pipeline's decision (see DEFAULT_ATTACH_LIMIT_BYTES): the mailer attaches what it is given.
  const limit = request.attachLimitBytes ?? DEFAULT_ATTACH_LIMIT_BYTES;
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
    const now = new Date(deps.clock.now()).toISOString();
    Object.assign(manifest, {
      status: 'emailed',
      emailed_at: now,
      recipients: recipients,
      message_id: sent.messageId,
      last_error: null,
      updated_at: now,
    } satisfies Partial<Manifest>);
    await deps.storage.saveJson(loc, 'manifest', manifest);
    deps.onProgress?.({ phase: 'mailed', to: recipients.length });
    return sent;
  } catch (err) {
    const now = new Date(deps.clock.now()).toISOString();
    Object.assign(manifest, {
      status: 'email_failed',
      recipients: recipients,
      last_error: err instanceof Error ? err.message : String(err),
      updated_at: now,
    } satisfies Partial<Manifest>);
    await deps.storage.saveJson(loc, 'manifest', manifest).catch(() => {
      // The manifest could not be updated either; the error below still tells the truth.
    });
    throw new EmailFailedError(manifest, err);
  }
}
