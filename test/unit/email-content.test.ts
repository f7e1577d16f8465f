/**
 * What the email says of the clients to call and the headline (issue 14, item
 * 4): the call-first list with its tel: links, "not called back" as clients to
 * call, the in-hours rate when working hours are set, "so far" of a partial
 * report, the zone in words, no mixed signals, and a size Gmail never clips.
 */
import { describe, expect, it } from 'vitest';
import {
  buildEmail,
  type EmailInput,
  emailSubject,
} from '../../functions/shared/report/email/build-email.ts';
import type { Summary } from '../../functions/shared/report/types.ts';
import { client, clients, withClients } from '../support/clients.ts';
import { previousDay } from '../support/previous.ts';
import { makeHours, makeSummary, makeTotals } from '../support/summaries.ts';

function email(summary: Summary, over: Partial<EmailInput> = {}) {
  return buildEmail({ summary, language: 'ru', link: 'https://example.com/r', ...over });
}

/** The `<tr data-client>` rows of the call-first list. */
function listRows(html: string): string[] {
  return html.match(/<tr data-client="[a-z_]+">.*?<\/tr>/gs) ?? [];
}

const WORKING_HOURS = 'mon-fri 09:00-19:00';

describe('the clients to call', () => {
  it('are call_first in its order, a failed callback marked in amber with our attempts', () => {
    const failed = client(3, { outcome: 'callback_failed', attempts: 2 });
    const rows = listRows(email(withClients([client(1), client(2), failed])).html);
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => /data-client="(\w+)"/.exec(r)?.[1])).toEqual([
      'unreturned',
      'unreturned',
      'callback_failed',
    ]);
    expect(rows[2]).toContain(
      '<div style="font-size:13px;color:#a05a00">перезванивали 2 раза, не дозвонились</div>',
    );
    expect(rows[0]).not.toContain('#a05a00');
    expect(email(withClients([failed])).text).toContain(
      '  09:03  +7 495 111-00-03  — перезванивали 2 раза, не дозвонились; Реклама в Яндексе',
    );
  });

  it('show each formatted number as a tel: link to its normal form, and a number a phone cannot dial as text', () => {
    const local = client(2, { number: '4951234567', formatted: '(495) 123-45-67' });
    const { html } = email(withClients([client(1), local]));
    expect(html).toContain(
      '<a href="tel:+74951110001" style="color:#202124;text-decoration:none;white-space:nowrap">+7 495 111-00-01</a>',
    );
    expect(html).toContain('<b style="font-size:16px">(495) 123-45-67</b>');
    expect(html.match(/href="tel:/g)).toHaveLength(1);
  });

  it('say when the latest miss was, and how often and since when the client called', () => {
    const twice = client(1, {
      misses: 2,
      first_missed_at: '2024-10-21 09:01:00',
      last_missed_at: '2024-10-21 16:40:12',
      line_comment: null,
      line: '74959473048',
    });
    expect(email(withClients([twice])).text).toContain(
      '  16:40  +7 495 111-00-01  — +7 495 947-30-48; звонил 2 раза, первый раз в 09:01; кому звонил: Иванов Иван',
    );
  });
});

describe('the headline', () => {
  const three = withClients([
    client(1, { misses: 3 }),
    client(2),
    client(3, { outcome: 'callback_failed', attempts: 1 }),
  ]);

  it('"not called back" is the number of clients to call, with the missed calls behind them beside it', () => {
    const e = email(three);
    expect(e.subject).toMatch(/, не перезвонили 3$/);
    expect(e.text).toContain('Не перезвонили: 3 (5 пропущенных звонков)');
    expect(e.html).toContain('Не перезвонили: 3 номера (5 пропущенных звонков)');
    expect(emailSubject(withClients(clients(12)), 'en')).toMatch(/, 12 not called back$/);
  });

  it('is the in-hours missed rate when working hours are set, named so, with the out-of-hours misses beside it', () => {
    const summary = withClients(clients(2), {
      settings: {
        sla_seconds: 20,
        short_call_seconds: 5,
        callback_horizon_hours: 24,
        working_hours: WORKING_HOURS,
      },
      totals: makeTotals({ incoming_in_hours: 200, incoming_missed_in_hours: 8, missed_rate_in_hours: 0.04 }),
    });
    const ru = email(summary);
    expect(ru.subject).toBe(
      'Звонки за 21.10.2024: в рабочее время пропущено 8 из 200 (4%), не перезвонили 2',
    );
    expect(ru.text).toContain('Пропущено в рабочее время: 8 (4% входящих, и 4 вне рабочего времени)');
    const en = email(summary, { language: 'en' });
    expect(en.subject).toBe('Calls on 2024-10-21: 8 of 200 missed in working hours (4%), 2 not called back');
    expect(en.text).toContain('Missed in working hours: 8 (4% of incoming, and 4 out of hours)');
  });

  it('is the whole day’s missed rate without working hours', () => {
    expect(email(three).text).toContain('Пропущенные: 12 (5% входящих)');
    expect(email(three).text).not.toContain('рабочее время');
  });

  it('says "so far, as of HH:MM" in the subject and the title of a partial report', () => {
    const today = withClients(clients(1), {
      period: {
        from: '2024-10-21',
        till: '2024-10-21',
        timezone: 'Europe/Moscow',
        partial: true,
        as_of: '2024-10-21 13:05:42',
      },
    });
    const ru = email(today);
    expect(ru.subject).toMatch(/^Звонки за 21\.10\.2024 \(пока, на 13:05\): пропущено/);
    expect(ru.html).toContain('<title>Звонки за 21.10.2024 (пока, на 13:05):');
    expect(ru.text.split('\n')[0]).toBe('Звонки за 21.10.2024 (пока, на 13:05)');
    const en = email(today, { language: 'en' });
    expect(en.subject).toMatch(/^Calls on 2024-10-21 \(so far, as of 13:05\): /);
    const month = withClients(clients(1), {
      period: {
        from: '2024-10-01',
        till: '2024-10-31',
        timezone: 'Europe/Moscow',
        partial: true,
        as_of: '2024-10-15 13:05:00',
      },
    });
    expect(email(month).text.split('\n')[0]).toBe(
      'Звонки за 01.10.2024–31.10.2024 (пока, на 15.10.2024 13:05)',
    );
    expect(email(makeSummary()).subject).not.toContain('пока');
  });

  it('says the zone in words, else by its IANA id', () => {
    expect(email(makeSummary()).text.split('\n')[1]).toBe('Часы и даты — по московскому времени');
    expect(email(makeSummary(), { language: 'en' }).text.split('\n')[1]).toBe('Times are Moscow time');
    const dubai = makeSummary({ period: { ...makeSummary().period, timezone: 'Asia/Dubai' } });
    expect(email(dubai).text.split('\n')[1]).toBe('Часы и даты — по часовому поясу Asia/Dubai');
    expect(email(dubai, { language: 'en' }).text.split('\n')[1]).toBe('Times are Asia/Dubai time');
  });
});

describe('no mixed signals', () => {
  const red = '#c5221f';
  const green = '#188038';

  it('a row whose changes disagree (more missed calls, a lower missed rate) colours neither', () => {
    const summary = makeSummary({
      previous: previousDay(
        '2024-10-14',
        makeTotals({ incoming: 100, incoming_missed: 10, missed_rate: 0.1 }),
      ),
    });
    const { html, text } = email(summary);
    expect(text).toContain('Пропущенные: 12 (5%)  (▲ +2 · ▼ −5 п.п.)');
    const row = html.slice(
      html.indexOf('>Пропущенные</td>'),
      html.indexOf('</tr>', html.indexOf('>Пропущенные</td>')),
    );
    expect(row).not.toContain(red);
    expect(row).not.toContain(green);
  });

  it('no row of the email has both red and green in it', () => {
    const summaries = [
      makeSummary({
        previous: previousDay(
          '2024-10-14',
          makeTotals({
            incoming_missed: 20,
            missed_rate: 0.04,
            avg_wait_seconds: 10,
            sla_rate: 0.95,
          }),
        ),
      }),
      withClients([]),
      withClients(clients(5)),
    ];
    for (const s of summaries) {
      for (const row of email(s).html.match(/<tr[ >].*?<\/tr>/gs) ?? []) {
        if (row.includes('<table')) continue; // a row that holds a whole section
        expect(row.includes(red) && row.includes(green)).toBe(false);
      }
    }
  });
});

describe('the size', () => {
  it('stays well under Gmail’s 102 KB clipping with 2 000 missed clients, busy hours and long names', () => {
    const names = [
      'Константинопольский Вячеслав Александрович',
      'Лебедева Анна-Мария Сергеевна',
      'Попова Екатерина',
    ];
    const many = Array.from({ length: 2000 }, (_, k) =>
      client(k + 1, {
        misses: 1 + (k % 3),
        employees: names,
        line_comment: 'Реклама в Яндексе — Москва и Московская область, осенняя кампания',
      }),
    );
    const summary = withClients(many, {
      totals: makeTotals({ incoming: 12_400, incoming_missed: 2_000, missed_rate: 2_000 / 12_400 }),
      hours: makeHours(Object.fromEntries(Array.from({ length: 24 }, (_, h) => [h, [900, 80, 400]]))),
      previous: previousDay('2024-10-14', makeTotals({ incoming: 11_000 })),
    });
    for (const language of ['ru', 'en'] as const) {
      const { html } = email(summary, { language });
      const bytes = Buffer.byteLength(html, 'utf8');
      // Gmail clips at 102 KB; this worst case (24 busy hours, 20 long rows, the rest counted) is about 55 KB.
      expect(bytes).toBeLessThan(64 * 1024);
      expect(listRows(html)).toHaveLength(20);
      expect(html).toContain(language === 'ru' ? '… и ещё 1\u00a0980 номеров' : '… and 1,980 more numbers');
    }
  });
});
