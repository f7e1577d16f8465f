/**
 * The pages a link shows when it does not show a report: every refusal a
 * person may meet (what happened, in the report's language, and what to do),
 * and the progress page of a report that is being made, which refreshes
 * itself until it is done. Each refusal comes with its HTTP status. A failed
 * report is told by the kind of its failure; its technical text (English)
 * only follows in a small line for the administrator.
 */

import { formatWallDate } from '../../time.ts';
import { escapeHtml } from '../email/html.ts';
import { clock, formatDay, formatDayTime, humanDuration } from '../format.ts';
import type { FailureKind } from '../i18n/failure-kinds.ts';
import { dictionary, fill, type Language } from '../i18n.ts';
import { pageHtml } from './layout.ts';

export type RefusalKind =
  | 'expired'
  | 'revoked'
  | 'tampered'
  | 'failed'
  | 'unknownSubscription'
  | 'gone'
  | 'cooldown'
  | 'forbidden'
  | 'notAllowed'
  | 'internal';

/** The status of each refusal: 410 for a link that worked once, 403 for one that never did. */
export const REFUSAL_STATUS: Readonly<Record<RefusalKind, number>> = {
  expired: 410,
  revoked: 410,
  tampered: 403,
  failed: 500,
  unknownSubscription: 404,
  gone: 404,
  cooldown: 429,
  forbidden: 403,
  notAllowed: 405,
  internal: 500,
};

export interface RefusalDetails {
  /** expired: the day it stopped working, `YYYY-MM-DD` in the report's zone. */
  expiredOn?: string | null;
  /** failed: the failure's technical text, shown only in the administrator's line. */
  reason?: string;
  /** failed: the kind of the failure (failure-kinds.ts); absent: internal. */
  failure?: FailureKind;
  /** failed on the quota: the wall instant now, so that a reset today is said by its time alone. */
  now?: number;
  /** unknownSubscription: the id the link names. */
  subscription?: string;
  /** cooldown: when sending is allowed again; failed on the quota: when it resets (when known). A wall instant (ms "as if UTC") in the report's zone. */
  retryAt?: number;
  /** internal: the request id to quote. */
  requestId?: string;
  /** A link back to the report, when there is one (cooldown). */
  back?: string;
}

export interface PageAnswer {
  status: number;
  html: string;
}

/** A refusal page in `lang`, with its status. */
export function refusalPage(kind: RefusalKind, lang: Language, d: RefusalDetails = {}): PageAnswer {
  if (kind === 'failed') return failedPage(lang, d);
  const dict = dictionary(lang);
  const p = dict.pages.errors;
  const words = p[kind];
  const text =
    kind === 'expired' && !d.expiredOn
      ? p.expiredNoDate
      : fill(words.text, {
          date: d.expiredOn ? formatDay(d.expiredOn, lang) : '',
          reason: d.reason ?? '',
          subscription: d.subscription ?? '',
          request: d.requestId ?? '',
        });
  const todo = fill(words.todo, { at: d.retryAt === undefined ? '' : clock(d.retryAt) });
  const body =
    `<div class="notice" data-refusal="${kind}"><div class="kicker">${escapeHtml(dict.title)}</div>` +
    `<h1>${escapeHtml(words.title)}</h1><p>${escapeHtml(text)}</p><p>${escapeHtml(todo)}</p>` +
    (d.back
      ? `<p><a class="button secondary" href="${escapeHtml(d.back)}">${escapeHtml(p.back)}</a></p>`
      : '') +
    '</div>';
  return { status: REFUSAL_STATUS[kind], html: pageHtml({ lang, title: words.title, body, name: kind }) };
}

/** The technical text with anything like a phone number taken out (the texts hold none; this keeps it so). */
export function adminText(text: string): string {
  const masked = text.replace(/\+\d[\d ()-]{8,}\d|\d{10,}/g, '***');
  return masked.length > 500 ? `${masked.slice(0, 499)}…` : masked;
}

/** A failed report: what happened and what to do for its kind, then the technical text for the administrator. */
function failedPage(lang: Language, d: RefusalDetails): PageAnswer {
  const dict = dictionary(lang);
  const p = dict.pages.errors;
  const kind = d.failure ?? 'internal';
  const words = p.failures[kind];
  const at = d.retryAt;
  const sameDay = at !== undefined && d.now !== undefined && formatWallDate(at) === formatWallDate(d.now);
  const todo =
    kind === 'data_api_limit' && at !== undefined
      ? fill(p.failureRetryAt, { at: sameDay ? clock(at) : formatDayTime(at, lang) })
      : words.todo;
  const admin = d.reason
    ? `<p class="muted small" data-admin="1">${escapeHtml(p.adminDetail)} ` +
      `<span lang="en">${escapeHtml(adminText(d.reason))}</span></p>`
    : '';
  const body =
    `<div class="notice" data-refusal="failed" data-failure="${kind}"><div class="kicker">${escapeHtml(dict.title)}</div>` +
    `<h1>${escapeHtml(p.failed.title)}</h1><p class="reason" data-reason="1">${escapeHtml(words.text)}</p>` +
    `<p>${escapeHtml(todo)}</p>${admin}</div>`;
  return {
    status: REFUSAL_STATUS.failed,
    html: pageHtml({ lang, title: p.failed.title, body, name: 'failed' }),
  };
}

export interface ProgressInput {
  lang: Language;
  status: 'queued' | 'running';
  /** The period as a phrase (format.ts formatPeriod). */
  period: string;
  /** Seconds since the job was queued. */
  elapsedSeconds: number;
  /** Seconds until the page reloads itself. */
  refreshSeconds: number;
  /** A line above the progress (the email was asked for). */
  note?: string;
}

/** "Готовится…": where the job is, how long it has run; reloads itself by `<meta http-equiv="refresh">`. */
export function progressPage(p: ProgressInput): string {
  const dict = dictionary(p.lang);
  const w = dict.pages.progress;
  const step = p.status === 'queued' ? 1 : 2;
  const body =
    `<div class="notice" data-progress="${p.status}"><div class="kicker">${escapeHtml(dict.title)}</div>` +
    `<h1>${escapeHtml(w.title)}</h1>` +
    `<p class="muted">${escapeHtml(fill(dict.email.title, { period: p.period }))}</p>` +
    (p.note ? `<p data-note="1">${escapeHtml(p.note)}</p>` : '') +
    `<progress max="3" value="${step}">${step}/3</progress>` +
    `<p>${escapeHtml(p.status === 'queued' ? w.queued : w.running)}</p>` +
    `<p class="muted">${escapeHtml(fill(w.elapsed, { time: humanDuration(p.elapsedSeconds, dict, p.lang) }))}</p>` +
    `<p class="muted">${escapeHtml(w.refresh)}</p>` +
    `<p><a class="button secondary" href="">${escapeHtml(w.reload)}</a></p></div>`;
  return pageHtml({ lang: p.lang, title: w.title, body, refreshSeconds: p.refreshSeconds, name: 'progress' });
}
