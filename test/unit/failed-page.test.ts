/**
 * A failed report's page (report/page/notice-page.ts) in the report's
 * language: what happened in plain words and what to do, by the failure's
 * kind; when the quota resets, said in the report's zone; the technical text
 * (English) only in the small line for the administrator, escaped, with
 * anything like a phone number taken out. A Russian page has no English
 * outside that line.
 */
import { describe, expect, it } from 'vitest';
import { FAILURE_KINDS } from '../../functions/shared/report/i18n/failure-kinds.ts';
import { pagesEn } from '../../functions/shared/report/i18n/pages-en.ts';
import { pagesRu } from '../../functions/shared/report/i18n/pages-ru.ts';
import { adminText, refusalPage } from '../../functions/shared/report/page/notice-page.ts';

const REFUSED =
  'Data API get.mgf_calls failed: invalid_parameter_value (parameter "report_id"). API said: Report 424242 is not a report of type mgf_calls';
const LIMIT =
  "The account's daily API quota is used up (5000 requests a day); it resets at 2026-12-02 00:00 Europe/Moscow (2026-12-01T21:00:00.000Z)";
/** Wall instants (ms "as if UTC") in the report's zone. */
const NOW_WALL = Date.UTC(2026, 11, 1, 14, 5);
const MIDNIGHT_WALL = Date.UTC(2026, 11, 2, 0, 0);

/** The page's visible text, without the administrator's line. */
function personText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<p[^>]*data-admin="1"[^>]*>[\s\S]*?<\/p>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/\s+/g, ' ');
}

const adminLine = (html: string) => /<p[^>]*data-admin="1"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';

describe('a failed report, in Russian', () => {
  it('a refused request: what happened and whom to ask, in Russian; the API’s words only for the administrator', () => {
    const p = refusalPage('failed', 'ru', { failure: 'data_api_refused', reason: REFUSED, now: NOW_WALL });
    expect(p.status).toBe(500);
    const words = personText(p.html);
    expect(words).toContain('Отчёт не получилось сделать');
    expect(words).toContain('Телефония отказалась выдать звонки: в настройках отчёта что-то указано неверно');
    expect(words).toContain(
      'Повторная попытка не поможет. Перешлите эту страницу тому, кто настраивал отчёты',
    );
    expect(words).not.toMatch(/[A-Za-z]/);
    expect(adminLine(p.html)).toBe(
      'Для администратора: <span lang="en">Data API get.mgf_calls failed: invalid_parameter_value (parameter &#34;report_id&#34;). API said: Report 424242 is not a report of type mgf_calls</span>',
    );
    expect(p.html).toContain('data-failure="data_api_refused"');
  });

  it('the day quota: when it opens again, with the day when that is not today', () => {
    const p = refusalPage('failed', 'ru', {
      failure: 'data_api_limit',
      reason: LIMIT,
      now: NOW_WALL,
      retryAt: MIDNIGHT_WALL,
    });
    const words = personText(p.html);
    expect(words).toContain('Исчерпан лимит запросов к телефонии');
    expect(words).toContain(
      'Лимит снова откроется после 02.12.2026 00:00 — тогда откройте эту ссылку ещё раз.',
    );
    expect(words).not.toMatch(/[A-Za-z]/);
    expect(adminLine(p.html)).toContain('daily API quota is used up (5000 requests a day)');
    const today = refusalPage('failed', 'ru', {
      failure: 'data_api_limit',
      now: NOW_WALL,
      retryAt: NOW_WALL + 60_000,
    });
    expect(personText(today.html)).toContain('Лимит снова откроется после 14:06');
    const unknown = refusalPage('failed', 'ru', { failure: 'data_api_limit', now: NOW_WALL });
    expect(personText(unknown.html)).toContain('лимит на день — на следующий день');
  });

  it('a job with no kind (made before kinds) reads as our error, try again in 10 minutes', () => {
    const words = personText(refusalPage('failed', 'ru', { reason: 'boom' }).html);
    expect(words).toContain('на нашей стороне произошла ошибка');
    expect(words).toContain('через 10 минут');
  });
});

describe('a failed report, in English', () => {
  it('a refused request and the day quota, in English words, the technical text apart', () => {
    const refused = refusalPage('failed', 'en', { failure: 'data_api_refused', reason: REFUSED });
    expect(refused.html).toContain('<html lang="en">');
    expect(personText(refused.html)).toContain(
      'The telephony service refused to give the calls: a setting of the report is wrong',
    );
    expect(personText(refused.html)).not.toContain('invalid_parameter_value');
    expect(adminLine(refused.html)).toContain(
      'For the administrator: <span lang="en">Data API get.mgf_calls',
    );
    const limit = refusalPage('failed', 'en', {
      failure: 'data_api_limit',
      reason: LIMIT,
      now: NOW_WALL,
      retryAt: MIDNIGHT_WALL,
    });
    expect(personText(limit.html)).toContain(
      'The limit opens again after 2026-12-02 00:00; open this link again then.',
    );
  });
});

describe('the administrator’s line', () => {
  it('escapes markup and takes out anything like a phone number, keeping ids and dates', () => {
    const p = refusalPage('failed', 'ru', { reason: '<script>x</script> 79161234567 +7 (916) 123-45-67' });
    expect(p.html).not.toContain('<script>');
    expect(adminLine(p.html)).toContain('&#60;script&#62;');
    expect(adminLine(p.html)).not.toMatch(/9161234567|123-45-67/);
    expect(adminText(REFUSED)).toBe(REFUSED);
    expect(adminText(LIMIT)).toBe(LIMIT);
  });

  it('is left out when there is no technical text', () => {
    expect(refusalPage('failed', 'en', { failure: 'busy' }).html).not.toContain('data-admin');
  });
});

describe('the words of the failures', () => {
  it('has words in both languages for every kind, and no words for a kind that is not one', () => {
    expect(Object.keys(pagesRu.errors.failures).sort()).toEqual([...FAILURE_KINDS].sort());
    expect(Object.keys(pagesEn.errors.failures).sort()).toEqual([...FAILURE_KINDS].sort());
  });

  it('says every kind in Russian with no English word, whatever the failure', () => {
    for (const kind of FAILURE_KINDS) {
      const p = refusalPage('failed', 'ru', {
        failure: kind,
        reason: REFUSED,
        now: NOW_WALL,
        retryAt: NOW_WALL,
      });
      expect(personText(p.html), kind).not.toMatch(/[A-Za-z]/);
    }
  });
});
