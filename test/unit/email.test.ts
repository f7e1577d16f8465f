import { describe, expect, it } from 'vitest';
import {
  buildEmail,
  type EmailInput,
  emailSubject,
} from '../../functions/shared/report/email/build-email.ts';
import { chartHours } from '../../functions/shared/report/email/hours.ts';
import { countOf } from '../../functions/shared/report/format.ts';
import { dictionaries } from '../../functions/shared/report/i18n.ts';
import { client, clients, withClients } from '../support/clients.ts';
import { previousDay } from '../support/previous.ts';
import { makeHours, makeSummary, makeTotals } from '../support/summaries.ts';

// ---------------------------------------------------------------------------
// Hand-made inputs: a day with 240 incoming calls, 12 missed (5%), 3 clients to call.

const LINK = 'https://reports.example.com/d/eyJrIjoiY2FsbHMifQ.c2ln?x=1&y=2';

function input(over: Partial<EmailInput> = {}): EmailInput {
  return {
    summary: withClients([...clients(3)]),
    language: 'ru',
    link: LINK,
    linkExpiresAt: '2024-11-20T09:00:00.000Z',
    ...over,
  };
}

/** The visible text of an HTML fragment: tags dropped, entities decoded, spaces collapsed. */
function visible(html: string): string {
  return html
    .replace(/<div style="display:none[^>]*>.*?<\/div>/s, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&middot;/g, '·')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function rowsOf(html: string, marker: string): string[] {
  const table = html.slice(html.indexOf(marker));
  return table.slice(0, table.indexOf('</table>\n')).match(/<tr data-hour="\d+">/g) ?? [];
}

// ---------------------------------------------------------------------------

describe('the subject carries the news', () => {
  it('says the day, missed of incoming with the rate, and how many were not called back, in Russian', () => {
    expect(emailSubject(makeSummary(), 'ru')).toBe(
      'Звонки за 21.10.2024: пропущено 12 из 240 (5%), не перезвонили 3',
    );
  });

  it('says the same in English', () => {
    expect(emailSubject(makeSummary(), 'en')).toBe(
      'Calls on 2024-10-21: 12 of 240 missed (5%), 3 not called back',
    );
  });

  it('names a multi-day period by its first and last day', () => {
    const summary = makeSummary({
      period: {
        from: '2024-10-01',
        till: '2024-10-31',
        timezone: 'Europe/Moscow',
        partial: false,
        as_of: null,
      },
    });
    expect(emailSubject(summary, 'ru')).toBe(
      'Звонки за 01.10.2024–31.10.2024: пропущено 12 из 240 (5%), не перезвонили 3',
    );
    expect(emailSubject(summary, 'en')).toMatch(/^Calls for 2024-10-01–2024-10-31: /);
  });

  it('never rounds a small nonzero missed rate down to 0%', () => {
    const summary = makeSummary({
      totals: makeTotals({ incoming: 400, incoming_missed: 1, missed_rate: 1 / 400 }),
    });
    expect(emailSubject(summary, 'ru')).toContain('пропущено 1 из 400 (<1%)');
  });

  it('is the subject of the built email', () => {
    expect(buildEmail(input()).subject).toBe(emailSubject(makeSummary(), 'ru'));
  });
});

describe('Russian plural forms follow Intl.PluralRules', () => {
  const calls = dictionaries.ru.email.nouns.calls;

  it.each([
    [1, '1 звонок'],
    [3, '3 звонка'],
    [5, '5 звонков'],
    [11, '11 звонков'],
    [21, '21 звонок'],
    [22, '22 звонка'],
    [0, '0 звонков'],
    [111, '111 звонков'],
  ])('%i → %s', (n, want) => {
    expect(countOf(n, calls, 'ru')).toBe(want);
  });

  it('uses English one/other forms', () => {
    expect(countOf(1, dictionaries.en.email.nouns.calls, 'en')).toBe('1 call');
    expect(countOf(2, dictionaries.en.email.nouns.calls, 'en')).toBe('2 calls');
  });

  it('agrees the unreturned heading and the times-called note with their counts', () => {
    const twice = client(1, {
      misses: 2,
      first_missed_at: '2024-10-21 09:01:00',
      last_missed_at: '2024-10-21 09:11:00',
    });
    const email = buildEmail(input({ summary: withClients([twice, client(2)]) }));
    expect(email.text).toContain('НЕ ПЕРЕЗВОНИЛИ: 2 НОМЕРА (3 ПРОПУЩЕННЫХ ЗВОНКА)');
    expect(email.text).toContain('звонил 2 раза');
    expect(visible(email.html)).toContain('Не перезвонили: 2 номера (3 пропущенных звонка)');
  });
});

describe('the headline figures', () => {
  const figures = ['240', '12 (5%)', '7', '1', '3', '25 с', '90%', '18 ч 45 мин', '85 (60 с ответом)'];
  const labels = [
    'Входящие',
    'Пропущенные',
    'Перезвонили',
    'Клиент дозвонился сам',
    'Не дозвонились',
    'Не перезвонили',
    'Среднее ожидание ответа',
    'Уровень обслуживания (ответ за 20 с)',
    'Время разговоров',
    'Исходящие',
  ];

  it('are all in the HTML and in the plain text, with their labels', () => {
    const email = buildEmail(input());
    const html = visible(email.html);
    for (const s of [...figures, ...labels]) {
      expect(html).toContain(s);
      expect(email.text).toContain(s);
    }
    expect(email.text).toContain('Пропущенные: 12 (5%)');
    expect(email.text).toContain('Исходящие: 85 (60 с ответом)');
  });

  it('show their change against the previous period, with signs, arrows and points for rates', () => {
    const summary = makeSummary({
      previous: previousDay(
        '2024-10-20',
        makeTotals({
          incoming: 220,
          incoming_missed: 14,
          missed_rate: 0.07,
          avg_wait_seconds: 30,
          sla_rate: 0.85,
          talk_seconds: 67_500,
          outgoing: 80,
        }),
      ),
    });
    const email = buildEmail(input({ summary }));
    expect(email.text).toContain('по сравнению с периодом за 20.10.2024');
    expect(email.text).toContain('Входящие: 240  (▲ +20)');
    expect(email.text).toContain('Пропущенные: 12 (5%)  (▼ −2 · ▼ −2 п.п.)');
    expect(email.text).toContain('Среднее ожидание ответа: 25 с  (▼ −5 с)');
    expect(email.text).toContain('Уровень обслуживания (ответ за 20 с): 90%  (▲ +5 п.п.)');
    expect(email.text).toContain('Время разговоров: 18 ч 45 мин  (без изменений)');
    expect(email.text).toContain('Исходящие: 85 (60 с ответом)  (▲ +5)');
    // Colour means good or bad per figure: fewer missed and a shorter wait are good, a higher SLA is good.
    const good = '#188038';
    expect(email.html).toContain(`<span style="color:${good};white-space:nowrap">▼&nbsp;−2 п.п.</span>`);
    expect(email.html).toContain(`<span style="color:${good};white-space:nowrap">▼&nbsp;−5 с</span>`);
    expect(email.html).toContain(`<span style="color:${good};white-space:nowrap">▲&nbsp;+5 п.п.</span>`);
  });

  it('colour a rise in missed calls as bad', () => {
    const summary = makeSummary({
      previous: previousDay('2024-10-20', makeTotals({ incoming_missed: 9, missed_rate: 0.04 })),
    });
    const html = buildEmail(input({ summary })).html;
    expect(html).toContain('<span style="color:#c5221f;white-space:nowrap">▲&nbsp;+3</span>');
    expect(html).toContain('<span style="color:#c5221f;white-space:nowrap">▲&nbsp;+1 п.п.</span>');
  });

  it('show no change column when there is no previous report', () => {
    const email = buildEmail(input());
    expect(email.text).not.toContain('по сравнению');
    expect(email.text).not.toMatch(/[▲▼]/);
  });

  it('are in English on request', () => {
    const email = buildEmail(input({ language: 'en' }));
    for (const s of [
      'Incoming: 240',
      'Missed: 12 (5%)',
      'Average wait: 25 s',
      'Outgoing: 85 (60 answered)',
    ]) {
      expect(email.text).toContain(s);
    }
    expect(email.html).toContain('<html lang="en">');
  });
});

describe('the unreturned numbers', () => {
  it('come first, before the button and the figures, with time, number and line', () => {
    const email = buildEmail(input());
    const text = email.text;
    expect(text.indexOf('НЕ ПЕРЕЗВОНИЛИ')).toBeLessThan(text.indexOf('Скачать отчёт'));
    expect(text.indexOf('Скачать отчёт')).toBeLessThan(text.indexOf('Главные цифры'));
    const html = email.html;
    expect(html.indexOf('data-call-first')).toBeLessThan(html.indexOf(LINK.replace(/&/g, '&#38;')));
    expect(html.indexOf('data-call-first')).toBeLessThan(html.indexOf('data-figures'));
    expect(text).toMatch(
      / {2}\d\d:\d\d {2}\+7 495 111-00-\d\d {2}— Реклама в Яндексе; кому звонил: Иванов Иван/,
    );
  });

  it('are capped at twenty, with "… и ещё N" for the rest', () => {
    const email = buildEmail(input({ summary: withClients(clients(23)) }));
    const listed = email.text.split('\n').filter((l) => /^ {2}\d\d:\d\d {2}\+7 495/.test(l));
    expect(listed).toHaveLength(20);
    expect(email.text).toContain('… и ещё 3 номера');
    expect(visible(email.html)).toContain('… и ещё 3 номера');
    expect(email.html.match(/href="tel:/g)).toHaveLength(20);
    expect(buildEmail(input({ summary: withClients(clients(25)) })).text).toContain('… и ещё 5 номеров');
    expect(buildEmail(input({ summary: withClients(clients(21)), language: 'en' })).text).toContain(
      '… and 1 more number',
    );
  });

  it('keep the order of call_first and show the date when the period has several days', () => {
    const more = client(2, {
      formatted: '+7 900 000-00-02',
      misses: 3,
      first_missed_at: '2024-10-03 17:45:00',
      last_missed_at: '2024-10-03 17:45:00',
    });
    const early = client(1, {
      formatted: '+7 900 000-00-01',
      first_missed_at: '2024-10-02 08:05:00',
      last_missed_at: '2024-10-02 08:05:00',
    });
    const summary = withClients([more, early], {
      period: {
        from: '2024-10-01',
        till: '2024-10-07',
        timezone: 'Europe/Moscow',
        partial: false,
        as_of: null,
      },
    });
    const text = buildEmail(input({ summary })).text;
    expect(text).toContain('  02.10.2024 08:05  +7 900 000-00-01');
    expect(text.indexOf('+7 900 000-00-02')).toBeLessThan(text.indexOf('+7 900 000-00-01'));
  });

  it('give way to a reassuring line when everyone was called back', () => {
    const summary = withClients([]);
    const email = buildEmail(input({ summary }));
    expect(email.text).toContain('Всем перезвонили');
    expect(visible(email.html)).toContain('Всем перезвонили');
    expect(email.html).not.toContain('data-call-first');
  });
});

describe('the link', () => {
  it('is the button and a copyable fallback in the HTML, and a line in the text', () => {
    const email = buildEmail(input());
    const href = `href="${LINK.replace(/&/g, '&#38;')}"`;
    expect(email.html.split(href)).toHaveLength(3);
    expect(email.html).toMatch(/<td align="center" bgcolor="#1a73e8"[^>]*><a href=/);
    expect(email.text).toContain(`Скачать отчёт (XLSX): ${LINK}`);
  });

  it("says until when it works, as a date in the report's time zone", () => {
    // 21:30 UTC on the 20th is already the 21st in Moscow.
    const email = buildEmail(input({ linkExpiresAt: '2024-11-20T21:30:00.000Z' }));
    expect(email.text).toContain('Ссылка действует до 21.11.2024');
    expect(visible(email.html)).toContain('Ссылка действует до 21.11.2024');
    const en = buildEmail(input({ language: 'en', linkExpiresAt: '2024-11-20T09:00:00.000Z' }));
    expect(en.text).toContain('The link works until 2024-11-20');
  });

  it('has no expiry line when the link does not expire (a local file)', () => {
    const email = buildEmail(input({ link: '/tmp/reports/calls.xlsx', linkExpiresAt: undefined }));
    expect(email.text).not.toContain('действует до');
    expect(email.html).toContain('href="file:///tmp/reports/calls.xlsx"');
  });
});

describe('the HTML is safe and reads in any mail client', () => {
  it('escapes names, comments and numbers from the data', () => {
    const hostile = client(1, {
      employees: ['<script>alert("name")</script>'],
      line_comment: '"><img src=x onerror=alert(1)> & Co',
      formatted: '<b>+7</b>',
    });
    const email = buildEmail(input({ summary: withClients([hostile]) }));
    expect(email.html).not.toContain('<script');
    expect(email.html).not.toContain('<img');
    expect(email.html).not.toContain('<b>+7</b>');
    expect(email.html).toContain('&#60;script&#62;alert(&#34;name&#34;)&#60;/script&#62;');
    expect(email.html).toContain('&#34;&#62;&#60;img src=x onerror=alert(1)&#62; &#38; Co');
    expect(visible(email.html)).toContain('"><img src=x onerror=alert(1)> & Co');
    expect(email.text).toContain('<script>alert("name")</script>');
  });

  it('has no images, no style block and no flex or grid layout', () => {
    const { html } = buildEmail(input({ summary: withClients(clients(12)) }));
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/background-image|url\(/i);
    expect(html).not.toMatch(/display:\s*(flex|grid)/i);
    expect(html).not.toMatch(/class=/);
  });
});

describe('calls by hour, as a chart of table cells', () => {
  it('has a row for each hour from the first with calls to the last, gaps included', () => {
    const { html, text } = buildEmail(input());
    const rows = rowsOf(html, 'data-chart="hours"');
    expect(rows).toHaveLength(10); // 09:00–18:00, the empty 13:00 too
    expect(rows[0]).toBe('<tr data-hour="9">');
    expect(rows[9]).toBe('<tr data-hour="18">');
    expect(text).toMatch(/ {2}13:00 {2}\s+0 \/ 0 \/ 0/);
    expect(text).toMatch(/ {2}10:00 {2}█+▒+░+\s+40 \/ 3 \/ 12/);
  });

  it('has all 24 rows when calls came round the clock', () => {
    const summary = makeSummary({ hours: makeHours({ 0: [1, 1, 0], 23: [2, 0, 1] }) });
    expect(chartHours(summary)).toHaveLength(24);
    expect(rowsOf(buildEmail(input({ summary })).html, 'data-chart="hours"')).toHaveLength(24);
  });

  it('draws each bar from coloured cells whose widths add up to 100%, the longest bar full width', () => {
    const { html } = buildEmail(input());
    const chart = html.slice(html.indexOf('data-chart="hours"'));
    const busiest = chart.slice(chart.indexOf('<tr data-hour="10">'), chart.indexOf('<tr data-hour="11">'));
    expect(busiest).toContain(
      '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%">',
    );
    const widths = [...busiest.matchAll(/<td width="(\d+)%" height="14" bgcolor="(#[0-9a-f]{6})"/g)];
    expect(widths.map((w) => w[2])).toEqual(['#1a73e8', '#d93025', '#9aa0a6']);
    expect(widths.reduce((s, w) => s + Number(w[1]), 0)).toBe(100);
  });

  it('says there were no calls instead of drawing an empty chart', () => {
    const summary = makeSummary({ hours: makeHours({}) });
    const email = buildEmail(input({ summary }));
    expect(email.html).not.toContain('data-chart');
    expect(email.text).toContain('Звонков за период не было');
  });
});
