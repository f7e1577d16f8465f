/**
 * The download route as a person and a script meet it: a browser gets the
 * report page (in the report's language, with the pages' security headers),
 * `?format=xlsx` and any client that does not ask for HTML get the file (302
 * to a presigned URL, as before); a link that does not open gets a page
 * saying why (browsers) or the JSON error (scripts), with its status.
 */
import { describe, expect, it } from 'vitest';
import { type DownloadDeps, openDownload, summaryKeyOf } from '../../functions/shared/http/download.ts';
import { languageOfKey, readerLanguage } from '../../functions/shared/http/link-pages.ts';
import { signQuickLink, signReportLink } from '../../functions/shared/http/links.ts';
import type { Summary } from '../../functions/shared/report/types.ts';
import { clients, withClients } from '../support/clients.ts';
import { MemoryRevocations, RING_AFTER, RING_BEFORE } from '../support/links.ts';

const NOW = Date.UTC(2024, 9, 22, 6);
const DAY = 86_400_000;
const KEY = 'reports/sales/2024-10-21_2024-10-21/report.xlsx';
const EN_KEY = 'reports/sales/2024-10-21_2024-10-21_en/report.xlsx';
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

const link = (over: { key?: string; language?: 'ru' | 'en' | null; issued?: number } = {}) =>
  signReportLink(
    {
      key: over.key ?? KEY,
      subscription: 'sales',
      language: over.language === undefined ? 'ru' : over.language,
      expiresAt: (over.issued ?? NOW) + 14 * DAY,
    },
    RING_BEFORE,
    over.issued ?? NOW,
  );

function deps(summaries: Record<string, Summary> = {}, over: Partial<DownloadDeps> = {}) {
  const read: string[] = [];
  const d: DownloadDeps = {
    ring: RING_AFTER,
    now: NOW,
    revocations: new MemoryRevocations(),
    presign: async (key) => `https://bucket.s3.amazonaws.com/${key}?X-Amz-Signature=abc`,
    readSummary: async (key) => {
      read.push(key);
      return summaries[key] ?? null;
    },
    ...over,
  };
  return { d, read };
}

const stored = {
  [summaryKeyOf(KEY)]: withClients(clients(3)),
  [summaryKeyOf(EN_KEY)]: withClients(clients(1)),
};

describe('the download route', () => {
  it('shows a browser the report page from the summary beside the workbook', async () => {
    const { d, read } = deps(stored);
    const { response } = await openDownload({ token: link(), accept: BROWSER }, d);
    expect(response.statusCode).toBe(200);
    expect(read).toEqual(['reports/sales/2024-10-21_2024-10-21/summary.json']);
    expect(response.body).toContain('<main data-page="report">');
    expect(response.body).toContain('Звонки за 21.10.2024');
    expect(response.body).toContain('href="?format=xlsx"');
  });

  it('gives every page its security headers', async () => {
    const { d } = deps(stored);
    for (const token of [link(), `${link()}x`]) {
      const { response } = await openDownload({ token, accept: BROWSER }, d);
      expect(response.headers).toMatchObject({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'private, no-store',
        'Referrer-Policy': 'no-referrer',
        'X-Content-Type-Options': 'nosniff',
        'X-Frame-Options': 'DENY',
      });
      expect(response.headers['Content-Security-Policy']).toMatch(
        /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'$/,
      );
    }
  });

  it.each([
    ['?format=xlsx from a browser', BROWSER, 'xlsx'],
    ['Accept: application/json', 'application/json', undefined],
    ["curl's */*", '*/*', undefined],
    ['no Accept at all', undefined, undefined],
  ])('gives %s the file: a 302 to a URL presigned now, telling S3 nothing', async (_what, accept, format) => {
    const { d, read } = deps(stored);
    const { response } = await openDownload({ token: link(), accept, format }, d);
    expect(response.statusCode).toBe(302);
    expect(response.headers.Location).toBe(`https://bucket.s3.amazonaws.com/${KEY}?X-Amz-Signature=abc`);
    expect(response.headers['Referrer-Policy']).toBe('no-referrer');
    expect(read).toEqual([]);
  });

  it('shows the page to a script that asks for it with ?format=html', async () => {
    const { d } = deps(stored);
    const { response } = await openDownload({ token: link(), accept: '*/*', format: 'html' }, d);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('data-page="report"');
  });

  it('refuses another format, naming the allowed ones', async () => {
    const { d } = deps(stored);
    const { response } = await openDownload({ token: link(), accept: BROWSER, format: 'pdf' }, d);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).error.message).toBe('format must be "xlsx" or "html", got "pdf"');
  });

  it('speaks the report’s language: the link’s own, else its key’s variant', async () => {
    const { d } = deps(stored);
    const en = await openDownload({ token: link({ key: EN_KEY, language: 'en' }), accept: BROWSER }, d);
    expect(en.response.body).toContain('<html lang="en">');
    const old = await openDownload({ token: link({ key: EN_KEY, language: null }), accept: BROWSER }, d);
    expect(old.response.body).toContain('<html lang="en">');
    expect(
      languageOfKey('reports/s/2024-10-21_2024-10-21_as-of_2024-10-21_13-05-00_en_s-0123abcd/report.xlsx'),
    ).toBe('en');
    expect(languageOfKey('reports/s/2024-10-21_2024-10-21_s-0123abcd/report.xlsx')).toBe('ru');
  });

  it('says an expired link expired, on which day, with 410', async () => {
    const { d } = deps(stored, { now: NOW + 20 * DAY });
    const { response } = await openDownload({ token: link(), accept: BROWSER }, d);
    expect(response.statusCode).toBe(410);
    expect(response.body).toContain('data-refusal="expired"');
    expect(response.body).toContain('Срок действия этой ссылки истёк 05.11.2024.');
  });

  it('says a revoked link was switched off, with 410', async () => {
    const { d } = deps(stored);
    const token = link({ issued: NOW - DAY });
    await d.revocations.revoke({ kind: 'key', key: KEY }, NOW - 1000);
    const { response } = await openDownload({ token, accept: BROWSER }, d);
    expect(response.statusCode).toBe(410);
    expect(response.body).toContain('data-refusal="revoked"');
  });

  it('says a damaged link is not valid, with 403, in the reader’s language (nothing of it can be trusted)', async () => {
    const { d } = deps(stored);
    for (const tail of ['=', '==', '!', 'x']) {
      const ru = await openDownload({ token: `${link()}${tail}`, accept: BROWSER }, d);
      expect(ru.response.statusCode).toBe(403);
      expect(ru.response.body).toContain('Ссылка недействительна');
    }
    const en = await openDownload(
      { token: `${link()}x`, accept: BROWSER, acceptLanguage: 'en-GB,en;q=0.9,ru;q=0.5' },
      d,
    );
    expect(en.response.body).toContain('This link is not valid');
    expect(readerLanguage('de-DE, fr;q=0.8')).toBe('ru');
  });

  it('answers a script with the JSON error instead of a page', async () => {
    const { d } = deps(stored, { now: NOW + 20 * DAY });
    const { response } = await openDownload({ token: link(), accept: 'application/json' }, d);
    expect(response.statusCode).toBe(410);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'link_expired', field: 'token' } });
  });

  it('says a report past its retention is no longer kept, with 404', async () => {
    const { d } = deps({});
    const { response } = await openDownload({ token: link(), accept: BROWSER }, d);
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('data-refusal="gone"');
  });

  it('refuses a quick link: it names no workbook', async () => {
    const { d } = deps(stored);
    const quick = signQuickLink(
      { subscription: 'sales', rule: 'this_week', language: 'ru', expiresAt: NOW + DAY },
      RING_BEFORE,
      NOW,
    );
    const { response } = await openDownload({ token: quick, accept: BROWSER }, d);
    expect(response.statusCode).toBe(403);
  });
});
