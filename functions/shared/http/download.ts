/**
 * The download route's logic: check the link, then redirect to a presigned URL
 * made now (valid for minutes). A tampered or malformed link is refused (403),
 * an expired one says it expired (410): a small Russian page for people, JSON
 * for programs (chosen by the `Accept` header).
 */
import type { LinkCheck } from './links.ts';
import { errorResponse, type HttpResponse, htmlResponse, redirectResponse } from './response.ts';
import { type OpenDeps, openLink } from './revocations.ts';

export interface DownloadDeps extends OpenDeps {
  /** A short-lived URL for the object key. */
  presign: (key: string) => Promise<string>;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>` +
  `<body style="font-family:Arial,Helvetica,sans-serif;max-width:36em;margin:3em auto;color:#222"><h1 style="font-size:1.4em">${title}</h1><p>${text}</p></body></html>`;

function refuse(
  status: number,
  code: string,
  title: string,
  text: string,
  message: string,
  wantsJson: boolean,
): HttpResponse {
  return wantsJson
    ? errorResponse(status, { code, message, field: 'token' })
    : htmlResponse(status, PAGE(title, text));
}

function ruDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).split('-').reverse().join('.');
}

/** Whether the client prefers JSON to HTML (programs send `Accept: application/json`). */
export function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const a = accept.toLowerCase();
  return a.includes('application/json') && !a.includes('text/html');
}

export async function downloadResponse(
  token: string | undefined,
  accept: string | undefined,
  deps: DownloadDeps,
): Promise<HttpResponse> {
  return (await openDownload(token, accept, deps)).response;
}

/** The answer and the link check it came from (for the access log: lambda/download.ts). */
export async function openDownload(
  token: string | undefined,
  accept: string | undefined,
  deps: DownloadDeps,
): Promise<{ response: HttpResponse; check: LinkCheck }> {
  const check = await openLink(token ?? '', deps, 'report');
  return { response: await answer(check, accept, deps), check };
}

async function answer(
  check: LinkCheck,
  accept: string | undefined,
  deps: DownloadDeps,
): Promise<HttpResponse> {
  const json = prefersJson(accept);
  if (!check.ok) {
    if (check.reason === 'revoked') {
      return refuse(
        410,
        'link_revoked',
        'Ссылка отозвана',
        'Эта ссылка больше не действует: её отозвали. Отчёт можно запросить заново или дождаться следующего письма.',
        'This link was revoked; request the report again',
        json,
      );
    }
    if (check.reason === 'expired') {
      const when = check.expiresAt ? ruDate(check.expiresAt) : '';
      return refuse(
        410,
        'link_expired',
        'Ссылка устарела',
        `Срок действия ссылки истёк${when ? ` ${when}` : ''}. Отчёт можно запросить заново или дождаться следующего письма.`,
        `This link expired${check.expiresAt ? ` on ${new Date(check.expiresAt).toISOString()}` : ''}; request the report again`,
        json,
      );
    }
    return refuse(
      403,
      'link_invalid',
      'Ссылка недействительна',
      'Ссылка повреждена или изменена. Откройте её из письма целиком, не редактируя.',
      'This link is not valid (damaged or altered); use the link from the email as it is',
      json,
    );
  }
  if (check.claims.kind !== 'report') throw new Error('openLink(…, "report") answered another kind');
  return redirectResponse(await deps.presign(check.claims.key));
}
