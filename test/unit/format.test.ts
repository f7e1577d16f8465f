import { describe, expect, it } from 'vitest';
import { contentDisposition } from '../../functions/shared/adapters/aws/s3-storage.ts';
import { buildMime } from '../../functions/shared/adapters/mail/mime.ts';
import {
  asciiFileName,
  clock,
  contentDispositionFileName,
  countOf,
  DATE_FORMATS,
  dayInZone,
  decimal,
  formatDay,
  formatDayTime,
  formatPeriod,
  formatReportPeriod,
  hourLabel,
  humanDuration,
  integer,
  percent,
  percentPoints,
  pluralForm,
  shortList,
  signed,
  telUri,
  transliterate,
  wallInZone,
  workbookFileName,
  zoneInWords,
} from '../../functions/shared/report/format.ts';
import { dictionaries } from '../../functions/shared/report/i18n.ts';

const { ru, en } = dictionaries;
const NBSP = '\u00a0';

describe('numbers', () => {
  it('group thousands as each language does', () => {
    expect(integer(12_400, 'ru')).toBe(`12${NBSP}400`);
    expect(integer(12_400, 'en')).toBe('12,400');
    expect(integer(0, 'ru')).toBe('0');
  });

  it('keep at most one decimal, with the language’s decimal mark', () => {
    expect(decimal(1.5, 'ru')).toBe('1,5');
    expect(decimal(1.5, 'en')).toBe('1.5');
    expect(decimal(2, 'ru')).toBe('2');
    expect(decimal(0.25, 'en')).toBe('0.3');
  });

  it('write a change with a plus or a true minus sign', () => {
    expect(signed(3, '3')).toBe('+3');
    expect(signed(-2, '2 п.п.')).toBe('\u22122 п.п.');
  });
});

describe('percentages', () => {
  it.each([
    [0, '0%'],
    [0.05, '5%'],
    [0.985, '99%'],
    [1, '100%'],
  ])('rate %d → %s', (rate, want) => {
    expect(percent(rate)).toBe(want);
  });

  it('never say 0% or 100% when the rate is not', () => {
    expect(percent(1 / 400)).toBe('<1%');
    expect(percent(0.995)).toBe('>99%');
  });

  it('write percentage points unsigned, one decimal, with the unit', () => {
    expect(percentPoints(-1.5, ru, 'ru')).toBe('1,5 п.п.');
    expect(percentPoints(2, en, 'en')).toBe('2 pp');
  });
});

describe('Russian and English plurals', () => {
  const calls = ru.email.nouns.calls;

  it.each([
    [1, '1 звонок'],
    [2, '2 звонка'],
    [5, '5 звонков'],
    [11, '11 звонков'],
    [21, '21 звонок'],
  ])('%i → %s', (n, want) => {
    expect(countOf(n, calls, 'ru')).toBe(want);
  });

  it('choose the form alone too, and group the count', () => {
    expect(pluralForm(2, ru.email.nouns.numbers, 'ru')).toBe('номера');
    expect(pluralForm(5, ru.email.nouns.times, 'ru')).toBe('раз');
    expect(countOf(12_400, calls, 'ru')).toBe(`12${NBSP}400 звонков`);
    expect(countOf(1, en.email.nouns.numbers, 'en')).toBe('1 number');
    expect(countOf(21, en.email.nouns.numbers, 'en')).toBe('21 numbers');
  });

  it('shorten a list of names to three and a count of the rest', () => {
    expect(shortList(['А', 'Б', 'В'])).toBe('А, Б, В');
    expect(shortList(['А', 'Б', 'В', 'Г', 'Д'])).toBe('А, Б, В +2');
    expect(shortList([])).toBe('');
  });
});

describe('durations for people', () => {
  it.each([
    [0, '0 с'],
    [25, '25 с'],
    [59.4, '59 с'],
    [59.6, '1 мин'],
    [240, '4 мин'],
    [245, '4 мин 5 с'],
    [3600, '1 ч'],
    [67_500, '18 ч 45 мин'],
    [-5, '5 с'],
  ])('%d s → %s', (seconds, want) => {
    expect(humanDuration(seconds, ru, 'ru')).toBe(want);
  });

  it('use the English units and group many hours', () => {
    expect(humanDuration(245, en, 'en')).toBe('4 min 5 s');
    expect(humanDuration(3_700_123, en, 'en')).toBe('1,027 h 48 min');
    expect(humanDuration(3_700_123, ru, 'ru')).toBe(`1${NBSP}027 ч 48 мин`);
  });
});

describe('days, periods and clock times', () => {
  const wall = Date.UTC(2024, 9, 2, 8, 5);

  it('write a day as each language does', () => {
    expect(formatDay('2024-10-21', 'ru')).toBe('21.10.2024');
    expect(formatDay('2024-10-21', 'en')).toBe('2024-10-21');
  });

  it('write the clock time, the day with it, and the start of an hour', () => {
    expect(clock(wall)).toBe('08:05');
    expect(formatDayTime(wall, 'ru')).toBe('02.10.2024 08:05');
    expect(formatDayTime(wall, 'en')).toBe('2024-10-02 08:05');
    expect(hourLabel(9)).toBe('09:00');
    expect(hourLabel(23)).toBe('23:00');
  });

  it('name one day or a range of days', () => {
    const day = { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' };
    const month = { from: '2024-10-01', till: '2024-10-31', timezone: 'Europe/Moscow' };
    expect(formatPeriod(day, ru, 'ru')).toBe('за 21.10.2024');
    expect(formatPeriod(month, ru, 'ru')).toBe('за 01.10.2024–31.10.2024');
    expect(formatPeriod(day, en, 'en')).toBe('on 2024-10-21');
    expect(formatPeriod(month, en, 'en')).toBe('for 2024-10-01–2024-10-31');
  });

  it("give an instant's day in the report's time zone, and none for a missing or bad instant", () => {
    expect(dayInZone('2024-11-20T21:30:00.000Z', 'Europe/Moscow')).toBe('2024-11-21');
    expect(dayInZone('2024-11-20T21:30:00.000Z', 'UTC')).toBe('2024-11-20');
    expect(dayInZone(undefined, 'Europe/Moscow')).toBeNull();
    expect(dayInZone('not a date', 'Europe/Moscow')).toBeNull();
    expect(wallInZone('2024-10-22T04:00:00.000Z', 'Europe/Moscow')).toBe(Date.UTC(2024, 9, 22, 7, 0));
    expect(wallInZone('', 'Europe/Moscow')).toBeNull();
  });
});

describe('one date form per language, the zone in words, a partial period, phone links', () => {
  it('writes days by the Excel pattern the workbook uses too', () => {
    expect(DATE_FORMATS.ru).toEqual({
      date: 'dd.mm.yyyy',
      minute: 'dd.mm.yyyy hh:mm',
      datetime: 'dd.mm.yyyy hh:mm:ss',
    });
    expect(DATE_FORMATS.en).toEqual({
      date: 'yyyy-mm-dd',
      minute: 'yyyy-mm-dd hh:mm',
      datetime: 'yyyy-mm-dd hh:mm:ss',
    });
    expect(formatDay('2024-03-09', 'ru')).toBe('09.03.2024');
    expect(formatDay('2024-03-09', 'en')).toBe('2024-03-09');
  });

  it('names the zone in words, and one it has no name for by its IANA id', () => {
    expect(zoneInWords('Europe/Moscow', ru)).toBe('по московскому времени');
    expect(zoneInWords('Europe/Moscow', en)).toBe('Moscow time');
    expect(zoneInWords('Asia/Yekaterinburg', ru)).toBe('по екатеринбургскому времени');
    expect(zoneInWords('America/New_York', ru)).toBe('по часовому поясу America/New_York');
    expect(zoneInWords('America/New_York', en)).toBe('America/New_York time');
    expect(zoneInWords('toString', en)).toBe('toString time');
  });

  it('says "so far, as of" of a partial period only', () => {
    const day = { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' };
    expect(formatReportPeriod({ ...day, partial: true, as_of: '2024-10-21 13:05:59' }, ru, 'ru')).toBe(
      'за 21.10.2024 (пока, на 13:05)',
    );
    expect(formatReportPeriod({ ...day, partial: true, as_of: '2024-10-21 13:05:59' }, en, 'en')).toBe(
      'on 2024-10-21 (so far, as of 13:05)',
    );
    const month = { from: '2024-10-01', till: '2024-10-31', timezone: 'Europe/Moscow' };
    expect(formatReportPeriod({ ...month, partial: true, as_of: '2024-10-15 08:00:00' }, en, 'en')).toBe(
      'for 2024-10-01–2024-10-31 (so far, as of 2024-10-15 08:00)',
    );
    expect(formatReportPeriod({ ...day, partial: false, as_of: null }, ru, 'ru')).toBe('за 21.10.2024');
    expect(formatReportPeriod(day, ru, 'ru')).toBe('за 21.10.2024');
  });

  it('links a number with its country code as tel:+digits, and nothing shorter or longer', () => {
    expect(telUri('79161234567')).toBe('tel:+79161234567');
    expect(telUri('380501234567')).toBe('tel:+380501234567');
    expect(telUri('4951234567')).toBeNull();
    expect(telUri('1234')).toBeNull();
    expect(telUri('1234567890123456')).toBeNull();
    expect(telUri('07916123456')).toBeNull();
    expect(telUri(null)).toBeNull();
  });
});

describe('the workbook file name and its ASCII fallback', () => {
  it('names the workbook by language and period', () => {
    const day = { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' };
    const month = { from: '2024-10-01', till: '2024-10-31', timezone: 'Europe/Moscow' };
    expect(workbookFileName(day, 'ru')).toBe('Звонки 2024-10-21.xlsx');
    expect(workbookFileName(month, 'ru')).toBe('Звонки 2024-10-01_2024-10-31.xlsx');
    expect(workbookFileName(month, 'en')).toBe('Calls 2024-10-01_2024-10-31 (en).xlsx');
  });

  it('says the language when it is not the default, so the ru and en reports of a day never share a name', () => {
    const day = { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' };
    expect(workbookFileName(day, 'en')).toBe('Calls 2024-10-21 (en).xlsx');
    expect(workbookFileName(day, 'ru')).not.toBe(workbookFileName(day, 'en'));
    expect(asciiFileName(workbookFileName(day, 'ru'))).toBe('Zvonki 2024-10-21.xlsx');
    expect(asciiFileName(workbookFileName(day, 'en'))).toBe('Calls 2024-10-21 (en).xlsx');
  });

  it('transliterates Cyrillic into ASCII, keeping capitals', () => {
    expect(asciiFileName('Звонки 2024-10-21.xlsx')).toBe('Zvonki 2024-10-21.xlsx');
    expect(asciiFileName('Щука Ёж Объём.xlsx')).toBe('Shchuka Ezh Obem.xlsx');
    expect(transliterate('ЮЛЯ')).toBe('YuLYa');
  });

  it('replaces what it cannot write in ASCII, quotes, backslashes and line breaks with "_"', () => {
    expect(asciiFileName('通话 2024.xlsx')).toBe('__ 2024.xlsx');
    expect(asciiFileName('a"b\\c.xlsx')).toBe('a_b_c.xlsx');
    expect(asciiFileName('two\r\nlines.xlsx')).toBe('two__lines.xlsx');
    expect(asciiFileName('')).toBe('report.xlsx');
    expect(asciiFileName('   ')).toBe('report.xlsx');
  });

  it('gives the UTF-8 name percent-encoded beside the ASCII one', () => {
    expect(contentDispositionFileName('Звонки 2024-10-21.xlsx')).toBe(
      `filename="Zvonki 2024-10-21.xlsx"; filename*=UTF-8''%D0%97%D0%B2%D0%BE%D0%BD%D0%BA%D0%B8%202024-10-21.xlsx`,
    );
    expect(contentDispositionFileName("(it's).xlsx")).toBe(
      `filename="(it's).xlsx"; filename*=UTF-8''%28it%27s%29.xlsx`,
    );
  });

  it('is the same in S3 and in the email attachment, so one workbook never has two ASCII names', () => {
    const fileName = workbookFileName({ from: '2024-10-21', till: '2024-10-21', timezone: 'UTC' }, 'ru');
    const mime = buildMime({
      from: 'reports@example.com',
      to: ['manager@example.com'],
      subject: 'x',
      text: 'x',
      html: '<p>x</p>',
      attachments: [{ fileName, contentType: 'application/octet-stream', content: Buffer.from('x') }],
    });
    const mimeDisposition = /^Content-Disposition: (.*)$/m.exec(mime)?.[1]?.trimEnd();
    expect(mimeDisposition).toBe(contentDisposition(fileName));
    expect(mime).toContain('; name="Zvonki 2024-10-21.xlsx"');
  });

  it('carries the language into S3 and the email attachment alike', () => {
    const fileName = workbookFileName({ from: '2024-10-21', till: '2024-10-21', timezone: 'UTC' }, 'en');
    const mime = buildMime({
      from: 'reports@example.com',
      to: ['manager@example.com'],
      subject: 'x',
      text: 'x',
      html: '<p>x</p>',
      attachments: [{ fileName, contentType: 'application/octet-stream', content: Buffer.from('x') }],
    });
    expect(/^Content-Disposition: (.*)$/m.exec(mime)?.[1]?.trimEnd()).toBe(contentDisposition(fileName));
    expect(contentDisposition(fileName)).toBe(
      `attachment; filename="Calls 2024-10-21 (en).xlsx"; filename*=UTF-8''Calls%202024-10-21%20%28en%29.xlsx`,
    );
    expect(mime).toContain('; name="Calls 2024-10-21 (en).xlsx"');
  });
});
