/**
 * The download route's logic, `GET /download/{token}`: check the link (its
 * signature, expiry and the revocation list), then
 *   - a browser (`Accept` with `text/html`) gets the report page, made from the
 *     stored summary in the report's language; its button asks for the file;
 *   - `?format=xlsx`, and any client that does not ask for HTML (curl's `*\/*`,
 *     `Accept: application/json`, scripts), gets the file: a 302 to an S3 URL
 *     presigned now (valid for minutes), as the route always answered.
 * A link that does not open gets a page saying why and what to do (a browser)
 * or the JSON error envelope (anything else): 403 damaged or altered, 410
 * expired or revoked, 404 when the report is no longer kept.
 */

import { renderReportPage } from '../report/page/report-page.ts';
import type { Summary } from '../report/types.ts';
import { languageOfKey, linkLanguage, linkRefusal, page, refuse, wantsPage } from './link-pages.ts';
import type { LinkCheck } from './links.ts';
import { errorResponse, type HttpResponse, redirectResponse } from './response.ts';
import { type OpenDeps, openLink } from './revocations.ts';

/** What the file answer needs: the link check's and presigning. */
export interface FileDeps extends OpenDeps {
  /** A short-lived URL for the object key. */
  presign: (key: string) => Promise<string>;
}

export interface DownloadDeps extends FileDeps {
  /** The stored summary JSON at `key`, or null when it is no longer there. */
  readSummary: (key: string) => Promise<Summary | null>;
}

/** What the route reads of a request. */
export interface DownloadRequest {
  token: string | undefined;
  accept?: string | undefined;
  acceptLanguage?: string | undefined;
  /** The `format` query parameter: `xlsx` (the file), `html` (the page), or absent (by `Accept`). */
  format?: string | undefined;
}

export const FORMATS = ['xlsx', 'html'] as const;

/** The summary kept beside a workbook (adapters/aws/s3-storage.ts: one folder per report). */
export function summaryKeyOf(workbookKey: string): string {
  if (!workbookKey.endsWith('/report.xlsx')) throw new RangeError(`Not a workbook key: ${workbookKey}`);
  return `${workbookKey.slice(0, -'report.xlsx'.length)}summary.json`;
}

/** The answer and the link check it came from (for the access log: lambda/download.ts). */
export async function openDownload(
  req: DownloadRequest,
  deps: DownloadDeps,
): Promise<{ response: HttpResponse; check: LinkCheck }> {
  const check = await openLink(req.token ?? '', deps, 'report');
  return { response: await answer(check, req, deps), check };
}

/** The file answer alone (what `?format=xlsx` gets): the 302, or the refusal as a page or JSON by `accept`. */
export async function downloadResponse(
  token: string | undefined,
  accept: string | undefined,
  deps: FileDeps,
): Promise<HttpResponse> {
  const noSummary = async () => null;
  return (await openDownload({ token, accept, format: 'xlsx' }, { ...deps, readSummary: noSummary }))
    .response;
}

async function answer(check: LinkCheck, req: DownloadRequest, deps: DownloadDeps): Promise<HttpResponse> {
  const lang = linkLanguage(check, req.acceptLanguage);
  const asPage = wantsPage(req.accept) && req.format !== 'xlsx';
  if (req.format !== undefined && !(FORMATS as readonly string[]).includes(req.format)) {
    return errorResponse(400, {
      code: 'invalid_format',
      message: `format must be ${FORMATS.map((f) => `"${f}"`).join(' or ')}, got "${req.format}"`,
      field: 'format',
    });
  }
  if (!check.ok) return refuse(linkRefusal(check), lang, wantsPage(req.accept));
  const link = check.claims;
  if (link.kind !== 'report') throw new Error('openLink(…, "report") answered another kind');
  if (!asPage && req.format !== 'html') return redirectResponse(await deps.presign(link.key));
  const summary = await deps.readSummary(summaryKeyOf(link.key));
  if (!summary) {
    return refuse(
      { kind: 'gone', code: 'report_gone', message: 'This report is no longer kept; make it again' },
      lang,
      true,
    );
  }
  const html = renderReportPage({
    summary,
    language: link.language ?? languageOfKey(link.key),
    xlsxHref: '?format=xlsx',
    linkExpiresAt: new Date(link.expiresAt).toISOString(),
  });
  return page(html);
}
