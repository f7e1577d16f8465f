/**
 * The morning message for a Telegram chat (issue 16, item 1 and "must show"):
 * the period, the three figures, the first 15 clients to call with their
 * numbers as plain text, HTML escaped so that Telegram's parser (test/support,
 * written from the Bot API's rules) reads back exactly the data, the 4 096
 * limit counted as Telegram counts it, the list cut and never the markup.
 */
import { describe, expect, it } from 'vitest';
import {
  escapeTelegramHtml,
  TELEGRAM_TEXT_LIMIT,
  type TelegramInput,
  telegramMessage,
} from '../../functions/shared/report/email/telegram.ts';
import { client, clients, withClients } from '../support/clients.ts';
import { parseTelegramHtml } from '../support/telegram-html.ts';

const LINK = 'https://abc.execute-api.eu-central-1.amazonaws.com/v1/download/eyJrIjoi.c2ln?x=1&y=2';

function message(over: Partial<TelegramInput> = {}) {
  return telegramMessage({
    summary: withClients(clients(3)),
    language: 'ru',
    link: LINK,
    linkExpiresAt: '2024-11-20T09:00:00.000Z',
    ...over,
  });
}

/** The text Telegram shows, and proof the HTML parses. */
const shown = (html: string) => parseTelegramHtml(html).text;

describe('the Telegram message', () => {
  it('says the period, the three figures and the clients to call, each number plain text, whom it rang', () => {
    const m = message();
    expect(shown(m.html).split('\n')).toEqual([
      'Звонки за 21.10.2024',
      'Часы и даты — по московскому времени',
      '',
      'Входящие: 240',
      'Пропущенные: 12 (5% входящих)',
      'Не перезвонили: 3 (3 пропущенных звонка)',
      '',
      'Не перезвонили: 3 номера',
      '09:01  +7 495 111-00-01 — Реклама в Яндексе; кому звонил: Иванов Иван',
      '09:02  +7 495 111-00-02 — Реклама в Яндексе; кому звонил: Иванов Иван',
      '09:03  +7 495 111-00-03 — Реклама в Яндексе; кому звонил: Иванов Иван',
      '',
      'Ссылка действует до 20.11.2024',
    ]);
    // Only the headings are bold; a number is never inside a tag, so the phone app finds it.
    expect(parseTelegramHtml(m.html).entities.map((e) => e.type)).toEqual(['b', 'b', 'b', 'b', 'b']);
    expect(m.html).toContain('\n09:01  +7 495 111-00-01 — ');
    expect(m.button).toEqual({ text: 'Скачать отчёт (XLSX)', url: LINK });
    expect(m).toMatchObject({ listed: 3, clients: 3 });
  });

  it('lists the first 15 clients and counts the rest in "… and N more"', () => {
    const m = message({ summary: withClients(clients(40)) });
    const lines = shown(m.html).split('\n');
    expect(lines.filter((l) => /^\d\d:\d\d {2}\+7 /.test(l))).toHaveLength(15);
    expect(lines).toContain('09:15  +7 495 111-00-15 — Реклама в Яндексе; кому звонил: Иванов Иван');
    expect(lines).not.toContain('09:16  +7 495 111-00-16 — Реклама в Яндексе; кому звонил: Иванов Иван');
    expect(lines).toContain('… и ещё 25 номеров');
    expect(m).toMatchObject({ listed: 15, clients: 40 });
  });

  it('speaks English for an English subscription, with the same figures', () => {
    const lines = shown(message({ language: 'en' }).html).split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'Calls on 2024-10-21',
      'Times are Moscow time',
      '',
      'Incoming: 240',
      'Missed: 12 (5% of incoming)',
      'Not called back: 3 (3 missed calls)',
    ]);
  });

  it('says every missed client was called back when nobody is left to call', () => {
    const lines = shown(message({ summary: withClients([]) }).html).split('\n');
    expect(lines).toContain('Всем перезвонили');
    expect(lines.some((l) => l.startsWith('Не перезвонили: '))).toBe(true);
  });

  it('has no button for a link that is not an http(s) URL (a local file), nor its expiry', () => {
    const m = message({ link: '/home/me/reports/calls.xlsx' });
    expect(m.button).toBeNull();
    expect(shown(m.html)).not.toContain('Ссылка действует');
  });
});

describe('hostile names and comments', () => {
  const hostile = client(1, {
    line_comment: '<b>Акция</b> & "скидки" <a href="javascript:x">тут</a> &amp; &lt;',
    employees: ['Иванов </b><i>Иван', 'O\'Neil "Boss" & Co 😀👨‍👩‍👧‍👦', '<script>alert(1)</script>'],
    formatted: '+7 495 111-00-01 <x>',
  });

  it('are escaped, so Telegram reads back exactly the data and no tag of it', () => {
    const m = message({ summary: withClients([hostile]) });
    const parsed = parseTelegramHtml(m.html);
    const row = parsed.text.split('\n').find((l) => l.startsWith('09:01')) as string;
    expect(row).toBe(
      '09:01  +7 495 111-00-01 <x> — <b>Акция</b> & "скидки" <a href="javascript:x">тут</a> &amp; &lt;; ' +
        'кому звонил: Иванов </b><i>Иван, O\'Neil "Boss" & Co 😀👨‍👩‍👧‍👦, <script>alert(1)</script>',
    );
    expect(parsed.entities.every((e) => e.type === 'b' && e.url === undefined)).toBe(true);
    expect(m.html).not.toMatch(/<(?!\/?b>)/);
  });

  it('escape the four characters Telegram names, and nothing else', () => {
    expect(escapeTelegramHtml(`a<b>&"c'😀`)).toBe("a&lt;b&gt;&amp;&quot;c'😀");
  });

  it('lose their line breaks, control characters and lone surrogates, which would break the message', () => {
    const odd = client(1, { line_comment: 'Линия\nвторая\u0000\ud800', employees: ['Пётр\r\nПетров'] });
    const text = shown(message({ summary: withClients([odd]) }).html);
    const row = text.split('\n').find((l) => l.startsWith('09:01')) as string;
    expect(row).toBe('09:01  +7 495 111-00-01 — Линия вторая \ufffd; кому звонил: Пётр Петров');
    expect(text.isWellFormed()).toBe(true);
  });

  it('a very long comment is shortened on the client’s line, never through an emoji', () => {
    const long = client(1, { line_comment: '👨‍👩‍👧‍👦'.repeat(500), employees: [] });
    const row = shown(message({ summary: withClients([long]) }).html)
      .split('\n')
      .find((l) => l.startsWith('09:01')) as string;
    expect(row.endsWith('👨‍👩‍👧‍👦…')).toBe(true);
    expect([...new Intl.Segmenter().segment(row.split(' — ')[1] as string)]).toHaveLength(200);
  });
});

describe('the 4 096-character limit', () => {
  // Each client's line is ~2 200 UTF-16 code units: 200 family emoji of 11 units each.
  const heavy = Array.from({ length: 15 }, (_, i) =>
    client(i + 1, { line_comment: '👨‍👩‍👧‍👦'.repeat(300), employees: ['<&>'] }),
  );

  it('is counted as Telegram counts it: UTF-16 code units of the text after entity parsing', () => {
    const m = message({ summary: withClients([client(1, { employees: ['😀 & <Ёж>'] })]) });
    expect(m.length).toBe(shown(m.html).length);
    expect(m.length).toBeLessThan([...shown(m.html)].length + 2);
  });

  it('cuts the list, never the markup, and counts the clients left off', () => {
    const m = message({ summary: withClients(heavy) });
    const text = shown(m.html);
    expect(text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(m.length).toBe(text.length);
    expect(m.listed).toBe(1);
    expect(text.split('\n')).toContain('… и ещё 14 номеров');
  });

  it('keeps as many clients as fit: one more would pass the limit', () => {
    const limit = 700;
    const m = message({ summary: withClients(clients(15)), textLimit: limit });
    expect(m.length).toBeLessThanOrEqual(limit);
    expect(m.listed).toBeGreaterThan(0);
    expect(m.listed).toBeLessThan(15);
    const more = message({ summary: withClients(clients(15)), textLimit: 100_000, listLimit: m.listed + 1 });
    // With one more client listed (and one fewer counted as more) the text passes the limit.
    expect(more.length).toBeGreaterThan(limit);
  });
});
