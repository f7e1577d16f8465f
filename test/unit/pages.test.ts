/**
 * The pages behind a link, as HTML (report/page/): the report page says what
 * the email says, with its words and forms, runs under its CSP (no script, no
 * style attribute, one stylesheet whose hash the policy names), escapes what
 * comes from data; every refusal page has its status and the report's
 * language; the progress page reloads itself without a script.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildEmail } from '../../functions/shared/report/email/build-email.ts';
import { dictionary } from '../../functions/shared/report/i18n.ts';
import { PAGE_CSP, pageHtml } from '../../functions/shared/report/page/layout.ts';
import {
  progressPage,
  REFUSAL_STATUS,
  type RefusalKind,
  refusalPage,
} from '../../functions/shared/report/page/notice-page.ts';
import { renderReportPage } from '../../functions/shared/report/page/report-page.ts';
import { PAGE_CSS, PAGE_CSS_HASH } from '../../functions/shared/report/page/style.ts';
import { client, clients, withClients } from '../support/clients.ts';

const text = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&middot;/g, '·')
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/\s+/g, ' ');

describe('the report page', () => {
  const summary = withClients(clients(3));
  const html = renderReportPage({
    summary,
    language: 'ru',
    xlsxHref: '?format=xlsx',
    linkExpiresAt: '2024-11-04T06:00:00.000Z',
  });

  it('says what the email says: its title, tiles, clients to call, figures and hours, in its words', () => {
    const email = buildEmail({
      summary,
      language: 'ru',
      link: 'https://x/download/t',
      linkExpiresAt: '2024-11-04T06:00:00.000Z',
    });
    const page = text(html);
    const mail = text(email.html);
    for (const phrase of [
      'Звонки за 21.10.2024',
      'Часы и даты — по московскому времени',
      'Не перезвонили: 3 номера',
      'С этими клиентами так и не поговорили — позвоните им первыми.',
      '+7 495 111-00-01',
      'Главные цифры',
      'Звонки по часам',
      'Скачать отчёт (XLSX)',
      'Ссылка действует до 04.11.2024',
    ]) {
      expect(page).toContain(phrase);
      expect(mail).toContain(phrase);
    }
    expect(html).toContain(`<title>${email.subject}</title>`);
  });

  it('links every number a phone can dial as tel:+digits and the button to the file', () => {
    const tel = [...html.matchAll(/href="(tel:[^"]*)"/g)].map((m) => m[1]);
    expect(tel).toEqual(['tel:+74951110001', 'tel:+74951110002', 'tel:+74951110003']);
    expect(html).toMatch(/<a class="button" href="\?format=xlsx" download>Скачать отчёт \(XLSX\)<\/a>/);
    // And at the top, so a phone need not scroll past the clients for it.
    expect(html.indexOf('class="top-file" href="?format=xlsx"')).toBeLessThan(html.indexOf('data-tiles'));
  });

  it('has no script, no style attribute, and one stylesheet: the one the policy allows by hash', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    const sheets = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    expect(sheets).toEqual([PAGE_CSS]);
    const hash = createHash('sha256').update(PAGE_CSS).digest('base64');
    expect(PAGE_CSS_HASH).toBe(`sha256-${hash}`);
    expect(PAGE_CSP).toContain(`style-src 'sha256-${hash}'`);
    expect(PAGE_CSP).toContain("default-src 'none'");
    expect(PAGE_CSP).not.toMatch(/script-src|unsafe/);
  });

  it('loads nothing from anywhere: no src, no stylesheet link, no absolute URL but the data', () => {
    expect(html).not.toMatch(/\ssrc=|<link|<img|<iframe|url\(/i);
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
  });

  it('escapes what comes from the data', () => {
    const hostile = renderReportPage({
      summary: withClients([
        client(1, { line_comment: '<script>alert(1)</script>', employees: ['"><img src=x>'] }),
      ]),
      language: 'ru',
      xlsxHref: '?format=xlsx',
    });
    expect(hostile).not.toContain('<script>alert');
    expect(hostile).not.toContain('<img');
    expect(hostile).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('lists up to 100 clients, then says how many more', () => {
    const many = renderReportPage({ summary: withClients(clients(130)), language: 'ru', xlsxHref: '?' });
    expect(many.match(/<li data-client=/g)).toHaveLength(100);
    expect(text(many)).toContain('… и ещё 30 номеров');
  });

  it('shows the quick links by their names', () => {
    const withQuick = renderReportPage({
      summary,
      language: 'en',
      xlsxHref: '?format=xlsx',
      quick: [
        { rule: 'this_week', href: '/q/a' },
        { rule: 'last_month', href: '/q/b' },
      ],
    });
    expect(text(withQuick)).toContain('Another period: This week · Last month');
  });

  it('in English says nothing in Russian but the customer’s own data', () => {
    const en = renderReportPage({
      summary: withClients(clients(2)),
      language: 'en',
      xlsxHref: '?format=xlsx',
    });
    const own = ['Реклама в Яндексе', 'Иванов Иван'];
    const rest = own.reduce((t, w) => t.replaceAll(w, ''), text(en));
    expect(rest).not.toMatch(/[А-Яа-яЁё]/);
    expect(en).toContain('<html lang="en">');
  });

  it('says all were called back on a calm day', () => {
    const calm = renderReportPage({ summary: withClients([]), language: 'ru', xlsxHref: '?' });
    expect(calm).toContain('data-calm="1"');
    expect(calm).not.toContain('data-call-first');
  });
});

describe('the refusal pages', () => {
  const KINDS = Object.keys(REFUSAL_STATUS) as RefusalKind[];

  it.each(KINDS.flatMap((k) => [[k, 'ru'] as const, [k, 'en'] as const]))(
    '%s in %s: its status, its language, its title and what to do',
    (kind, lang) => {
      const p = refusalPage(kind, lang, { reason: 'r', subscription: 's', retryAt: 0, requestId: 'q' });
      const words = dictionary(lang).pages.errors[kind];
      expect(p.status).toBe(REFUSAL_STATUS[kind]);
      expect(p.html).toContain(`<html lang="${lang}">`);
      expect(p.html).toContain(`<h1>${words.title}</h1>`);
      expect(p.html).toContain(`data-refusal="${kind}"`);
      expect(p.html).not.toMatch(/<script|\sstyle=/i);
    },
  );

  it('gives each refusal the status of what happened', () => {
    expect(REFUSAL_STATUS).toMatchObject({
      expired: 410,
      revoked: 410,
      tampered: 403,
      failed: 500,
      unknownSubscription: 404,
      cooldown: 429,
    });
  });

  it('says when an expired link stopped working, in the language’s date form', () => {
    expect(text(refusalPage('expired', 'ru', { expiredOn: '2024-11-04' }).html)).toContain(
      'Срок действия этой ссылки истёк 04.11.2024.',
    );
    expect(text(refusalPage('expired', 'en', { expiredOn: '2024-11-04' }).html)).toContain(
      'This link stopped working on 2024-11-04.',
    );
    expect(text(refusalPage('expired', 'ru').html)).toContain('Срок действия этой ссылки истёк.');
  });

  it('gives a failed report’s technical reason only in the administrator’s line, escaped, and when sending is allowed again', () => {
    const failed = refusalPage('failed', 'ru', { reason: 'ip_not_whitelisted <b>' });
    expect(failed.html).toContain(
      '<p class="muted small" data-admin="1">Для администратора: <span lang="en">ip_not_whitelisted &#60;b&#62;</span></p>',
    );
    const cooldown = refusalPage('cooldown', 'ru', { retryAt: Date.UTC(2024, 9, 22, 9, 40), back: '?' });
    expect(text(cooldown.html)).toContain('Повторить отправку можно после 09:40.');
    expect(cooldown.html).toContain('href="?"');
  });
});

describe('the progress page', () => {
  const html = progressPage({
    lang: 'ru',
    status: 'running',
    period: 'за 01.10.2024–31.10.2024',
    elapsedSeconds: 42,
    refreshSeconds: 5,
  });

  it('reloads itself by <meta http-equiv="refresh">, with no script', () => {
    expect(html).toContain('<meta http-equiv="refresh" content="5">');
    expect(html).not.toMatch(/<script/i);
  });

  it('says the report is being made, for which period, how far and for how long', () => {
    const t = text(html);
    expect(t).toContain('Отчёт готовится…');
    expect(t).toContain('Звонки за 01.10.2024–31.10.2024');
    expect(t).toContain('Собираем звонки и считаем цифры.');
    expect(t).toContain('Идёт 42 с');
    expect(html).toContain('<progress max="3" value="2">');
  });

  it('has no refresh on a page that is not waiting', () => {
    expect(pageHtml({ lang: 'ru', title: 't', body: '', name: 'x' })).not.toContain('http-equiv');
  });
});

describe('the quick links in the email', () => {
  const quickLinks = [
    { rule: 'this_week', href: 'https://x/v1/q/a' },
    { rule: 'last_week', href: 'https://x/v1/q/b' },
    { rule: 'this_month', href: 'https://x/v1/q/c' },
    { rule: 'last_month', href: 'https://x/v1/q/d' },
  ] as const;
  const email = buildEmail({
    summary: withClients(clients(1)),
    language: 'ru',
    link: 'https://x/d/t',
    quickLinks,
  });

  it('are under the button, named by their periods, each its own link', () => {
    const t = text(email.html);
    expect(t).toContain('Другой период: Эта неделя · Прошлая неделя · Этот месяц · Прошлый месяц');
    expect(t.indexOf('Другой период')).toBeGreaterThan(t.indexOf('Скачать отчёт (XLSX)'));
    for (const q of quickLinks) expect(email.html).toContain(`href="${q.href}"`);
  });

  it('are in the plain text too, each with its address', () => {
    expect(email.text).toContain(
      'Другой период:\n  Эта неделя: https://x/v1/q/a\n  Прошлая неделя: https://x/v1/q/b',
    );
  });

  it('are left out when there are none', () => {
    const plain = buildEmail({ summary: withClients(clients(1)), language: 'ru', link: 'https://x/d/t' });
    expect(plain.html).not.toContain('data-quick');
    expect(plain.text).not.toContain('Другой период');
  });
});
