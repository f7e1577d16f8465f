/**
 * The quick-link route: `GET /q/{token}` makes (or finds) the subscription's
 * report of the link's period rule and shows it; `POST /q/{token}` emails it
 * to the subscription's own recipients, when asked on the page. The token
 * names the subscription and a rule ("last week"), never dates, so it cannot
 * be widened; it is checked like every link (signature, expiry, revocation)
 * and by its scopes (create and read to open, email to send).
 *
 * The job path is the Reports API's (pipeline/jobs.ts, the worker): opening
 * the link queues a job under an id made from what it asks for, so opening it
 * ten times finds one job:
 *   - a whole period (last week, last month): one job, reused for as long as
 *     its report is kept; a failed one is tried again when it is 10 minutes old;
 *   - a period that is not over (today, this week, this month): one job per
 *     10 minutes, so a report "so far" is reused while it is under 10 minutes
 *     old, and a link makes at most one job in 10 minutes;
 *   - an emailed run: one per 10 minutes, and only past the subscription's
 *     email cooldown (429 otherwise).
 * While the job runs the page says so and refreshes itself
 * (`<meta http-equiv="refresh">`); then it is the report page.
 */
import type { Subscription } from '../config.ts';
import { failureOf } from '../pipeline/failure.ts';
import type { Job, JobStore } from '../pipeline/jobs.ts';
import { formatPeriod } from '../report/format.ts';
import { dictionary } from '../report/i18n.ts';
import { emailFormHtml } from '../report/page/email-form.ts';
import { progressPage } from '../report/page/notice-page.ts';
import { renderReportPage } from '../report/page/report-page.ts';
import type { Summary } from '../report/types.ts';
import { toWall } from '../time.ts';
import { type Cooldowns, cooldownRefusal } from './cooldown.ts';
import { linkLanguage, linkRefusal, page, type Refusal, refuse, wantsPage } from './link-pages.ts';
import type { LinkSettings } from './link-urls.ts';
import type { LinkCheck, QuickLink } from './links.ts';
import { periodOfRule } from './period-rules.ts';
import { type Asked, findOrStart, QUICK_REUSE_MS } from './quick-jobs.ts';
import { emailQuickLinks } from './quick-urls.ts';
import { type HttpResponse, jsonResponse } from './response.ts';
import { type OpenDeps, openLink } from './revocations.ts';
import type { Scope } from './scopes.ts';

export { QUICK_REUSE_MS, quickJobId } from './quick-jobs.ts';
export { EMAIL_QUICK_RULES, emailQuickLinks, quickBaseUrl } from './quick-urls.ts';

/** How often the progress page reloads itself. */
export const DEFAULT_REFRESH_SECONDS = 5;

export interface QuickDeps extends OpenDeps {
  subscriptions: readonly Subscription[];
  jobs: JobStore;
  startWorker: (jobId: string) => Promise<void>;
  /** The stored summary of a finished job's report, null when it is gone. */
  loadSummary: (job: Job) => Promise<Summary | null>;
  /** A download link (the report route) to a finished job's workbook. */
  reportLink: (job: Job) => Promise<{ url: string; expiresAt: string }>;
  /** The subscription's cooldown on emailed runs (http/cooldown.ts), shared with the Reports API. */
  cooldown: Cooldowns;
  /** Where the links go (DOWNLOAD_BASE_URL, TTL): with it, the report page links the subscription's other periods. */
  links?: LinkSettings;
  refreshSeconds?: number;
}

export interface QuickRequest {
  method: string;
  token: string | undefined;
  accept?: string | undefined;
  acceptLanguage?: string | undefined;
  /** `?sent=1`: the page after an emailed run was asked for. */
  sent?: boolean;
}

function lacks(link: QuickLink, ...wanted: Scope[]): boolean {
  return wanted.some((s) => !link.scopes.includes(s));
}

/** The answer to one request, and the link check it came from (for the access log). */
export async function openQuickLink(
  req: QuickRequest,
  deps: QuickDeps,
): Promise<{ response: HttpResponse; check: LinkCheck }> {
  const check = await openLink(req.token ?? '', deps, 'quick');
  return { response: await answer(check, req, deps), check };
}

async function answer(check: LinkCheck, req: QuickRequest, deps: QuickDeps): Promise<HttpResponse> {
  const lang = linkLanguage(check, req.acceptLanguage);
  const html = wantsPage(req.accept);
  const no = (r: Refusal) => refuse(r, lang, html);
  if (!check.ok) return no(linkRefusal(check));
  const link = check.claims;
  if (link.kind !== 'quick') throw new Error('openLink(…, "quick") answered another kind');
  const method = req.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST') {
    return no({
      kind: 'notAllowed',
      code: 'method_not_allowed',
      message: `${method} is not allowed here; use GET or POST`,
      headers: { Allow: 'GET, POST' },
    });
  }
  const sub = deps.subscriptions.find((s) => s.id === link.subscription);
  if (!sub) {
    return no({
      kind: 'unknownSubscription',
      code: 'unknown_subscription',
      message: `The subscription "${link.subscription}" of this link no longer exists`,
      details: { subscription: link.subscription },
    });
  }
  const period = periodOfRule(link.rule, sub.timezone, deps.now);
  const asked: Asked = { link, sub, period, email: method === 'POST' };
  const forbidden = (scope: Scope): Refusal => ({
    kind: 'forbidden',
    code: 'insufficient_scope',
    message: `This link does not carry the scope ${scope}`,
  });
  if (lacks(link, 'reports:read')) return no(forbidden('reports:read'));
  if (lacks(link, 'reports:create')) return no(forbidden('reports:create'));
  if (asked.email) return emailRun(asked, link, lang, html, deps);

  const job = (await findOrStart(asked, deps, true)) as Job;
  if (job.status === 'queued' || job.status === 'running') {
    if (!html) return jsonResponse(202, { id: job.id, status: job.status, period });
    return page(
      progressPage({
        lang,
        status: job.status,
        period: formatPeriod(period, dictionary(lang), lang),
        elapsedSeconds: Math.max(0, (deps.now - Date.parse(job.created_at)) / 1000),
        refreshSeconds: deps.refreshSeconds ?? DEFAULT_REFRESH_SECONDS,
      }),
    );
  }
  if (job.status === 'failed') {
    const reason = job.error ?? 'unknown';
    // The kind in plain words for a person; the technical text only in the administrator's line.
    const failure = failureOf(job);
    return no({
      kind: 'failed',
      code: 'report_failed',
      message: reason,
      details: {
        reason,
        failure: failure.kind,
        now: toWall(deps.now, sub.timezone),
        ...(failure.retryAt === null ? {} : { retryAt: toWall(failure.retryAt, sub.timezone) }),
      },
      extra: { error_kind: failure.kind },
    });
  }
  const [summary, download] = await Promise.all([deps.loadSummary(job), deps.reportLink(job)]);
  if (!summary) return no({ kind: 'gone', code: 'report_gone', message: 'This report is no longer kept' });
  if (!html) return jsonResponse(200, { id: job.id, status: job.status, period, download: download.url });
  const emailJob = req.sent ? await findOrStart({ ...asked, email: true }, deps, false) : null;
  return page(
    renderReportPage({
      summary,
      language: link.language,
      xlsxHref: `${download.url}?format=xlsx`,
      linkExpiresAt: download.expiresAt,
      quick: deps.links
        ? emailQuickLinks(sub, link.language, deps.links, deps.ring, deps.now).filter(
            (q) => q.rule !== link.rule,
          )
        : [],
      ...(lacks(link, 'reports:email')
        ? {}
        : { after: emailFormHtml(lang, req.sent ? (emailJob?.status ?? 'queued') : null) }),
    }),
  );
}

/** POST: an emailed run of the same period, past the cooldown; then back to the page (303). */
async function emailRun(
  a: Asked,
  link: QuickLink,
  lang: QuickLink['language'],
  html: boolean,
  deps: QuickDeps,
): Promise<HttpResponse> {
  const no = (r: Refusal) => refuse(r, lang, html);
  if (lacks(link, 'reports:email')) {
    return no({
      kind: 'forbidden',
      code: 'insufficient_scope',
      message: 'This link does not carry the scope reports:email',
    });
  }
  const existing = await findOrStart(a, deps, false);
  if (!existing || Date.parse(existing.created_at) + QUICK_REUSE_MS <= deps.now) {
    const taken = await deps.cooldown.take(a.sub.id, deps.now);
    if (!taken.ok) {
      const r = cooldownRefusal(a.sub.id, 'Emailing the report', taken.retryAt, deps.now);
      return no({
        kind: 'cooldown',
        code: r.code,
        message: r.message,
        details: { retryAt: toWall(taken.retryAt, a.sub.timezone), back: '?' },
        headers: r.headers,
      });
    }
    try {
      await findOrStart(a, deps, true);
    } catch (err) {
      await taken.release();
      throw err;
    }
  }
  if (!html) return jsonResponse(202, { status: 'email_queued', period: a.period });
  return {
    statusCode: 303,
    headers: { Location: '?sent=1', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' },
    body: '',
  };
}
