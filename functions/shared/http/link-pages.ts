/**
 * What the routes behind a link (the download route, the quick-link route)
 * answer a person and a program alike: a page for a browser (one that asks
 * for `text/html`), the JSON error envelope for anything else, in the
 * report's language, with the refusal's status. A refusal names what
 * happened and what to do (report/page/notice-page.ts).
 */
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../language.ts';
import { VARIANT_RE } from '../pipeline/location.ts';
import { dayInZone } from '../report/format.ts';
import { PAGE_CSP } from '../report/page/layout.ts';
import { type RefusalDetails, type RefusalKind, refusalPage } from '../report/page/notice-page.ts';
import { DEFAULT_TIMEZONE } from '../time.ts';
import type { LinkCheck } from './links.ts';
import { errorResponse, type HttpResponse, jsonResponse, pageResponse } from './response.ts';

/** Whether the client reads pages: browsers ask for `text/html`; curl (`*\/*`) and scripts do not. */
export function wantsPage(accept: string | undefined): boolean {
  return (accept ?? '').toLowerCase().includes('text/html');
}

/** The first of our languages the reader's `Accept-Language` names, else the default. */
export function readerLanguage(acceptLanguage: string | undefined): Language {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().split(';')[0]?.split('-')[0]?.toLowerCase();
    if (isLanguage(tag)) return tag;
  }
  return DEFAULT_LANGUAGE;
}

/**
 * The language of a stored report by its workbook key: the variant of its
 * folder (pipeline/location.ts) starts with the language when it is not the
 * default; for links minted before they carried their language.
 */
export function languageOfKey(key: string): Language {
  const folder = key.split('/').at(-2) ?? '';
  for (const part of folder.split('_').reverse()) {
    const lang = part.slice(0, 2);
    if (VARIANT_RE.test(part) && isLanguage(lang)) return lang;
  }
  return DEFAULT_LANGUAGE;
}

/** The language a link's pages speak: the link's own (its claims are signed), else the reader's. */
export function linkLanguage(check: LinkCheck, acceptLanguage: string | undefined): Language {
  if ('claims' in check) {
    const link = check.claims;
    if (link.language) return link.language;
    if (link.kind === 'report') return languageOfKey(link.key);
  }
  return readerLanguage(acceptLanguage);
}

export interface Refusal {
  kind: RefusalKind;
  /** The JSON error's stable code and message, for programs. */
  code: string;
  message: string;
  details?: RefusalDetails;
  headers?: Record<string, string>;
  /** More top-level members of the JSON answer, beside `error` (a failed report's `error_kind`). */
  extra?: Record<string, unknown>;
}

/** A refusal as a page (browsers) or as the JSON error envelope (programs), with its status. */
export function refuse(r: Refusal, lang: Language, page: boolean): HttpResponse {
  const answer = refusalPage(r.kind, lang, r.details);
  if (!page && r.extra) {
    const error = { code: r.code, message: r.message, field: 'token' };
    return jsonResponse(answer.status, { error, ...r.extra }, r.headers);
  }
  if (!page)
    return errorResponse(answer.status, { code: r.code, message: r.message, field: 'token' }, r.headers);
  return pageResponse(answer.status, answer.html, PAGE_CSP, r.headers);
}

/** The refusal of a link that did not open: expired or revoked (410), damaged or altered (403). */
export function linkRefusal(check: Exclude<LinkCheck, { ok: true }>, timezone = DEFAULT_TIMEZONE): Refusal {
  if (check.reason === 'expired') {
    const iso = new Date(check.expiresAt).toISOString();
    return {
      kind: 'expired',
      code: 'link_expired',
      message: `This link expired on ${iso}; a fresh one comes with the next report email`,
      details: { expiredOn: dayInZone(iso, timezone) },
    };
  }
  if (check.reason === 'revoked') {
    return {
      kind: 'revoked',
      code: 'link_revoked',
      message: 'This link was revoked; open the report from a newer email',
    };
  }
  return {
    kind: 'tampered',
    code: 'link_invalid',
    message: 'This link is not valid (damaged or altered); use the link from the email as it is',
  };
}

/** A page (200 unless told) under the pages' CSP. */
export function page(html: string, status = 200, headers: Record<string, string> = {}): HttpResponse {
  return pageResponse(status, html, PAGE_CSP, headers);
}
