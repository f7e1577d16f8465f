/**
 * The workbook as issue 14 lays it out, read back with exceljs: the sheets in
 * the order a manager reads them, the clients to call as `tel:` links, named
 * fonts on every style, the print setup, the summary without a filter, the
 * multi-day sheets, blank cells where there is nothing to show.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallTable } from '../../functions/shared/calls/table.ts';
import { NO_EMPLOYEE } from '../../functions/shared/report/figures/employees.ts';
import type { CallFirstEntry, Summary, WeekHourFigures } from '../../functions/shared/report/types.ts';
import { writeWorkbook } from '../../functions/shared/report/workbook/write-workbook.ts';
import { FONT_NAME } from '../../functions/shared/report/xlsx/styles.ts';
import { makeCall } from '../support/calls.ts';
import { sheetPart } from '../support/sheet-part.ts';
import { makeDay, makeHours, smallDaySummary } from '../support/summaries.ts';
import { zipText } from '../support/zip-parts.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workbook-layout-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileNo = 0;
async function write(
  summary: Summary,
  language: 'ru' | 'en' = 'ru',
): Promise<{ wb: ExcelJS.Workbook; parts: Map<string, string> }> {
  const path = join(dir, `book-${++fileNo}.xlsx`);
  const calls = CallTable.from([
    makeCall('2025-03-01 09:00:00'),
    makeCall('2025-03-01 10:00:00', { lost: true }),
  ]);
  await writeWorkbook({ output: path, summary, missed: [], calls, language });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return { wb, parts: zipText(await readFile(path)) };
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

/** Values of a sheet's row, without exceljs's leading hole. */
const rowValues = (ws: ExcelJS.Worksheet, r: number): unknown[] =>
  (ws.getRow(r).values as unknown[]).slice(1);

/** A client to call, with every field set (long names and comments, to test the widths). */
function client(n: number, over: Partial<CallFirstEntry> = {}): CallFirstEntry {
  const number = `7916${String(10_000_000 + n).slice(1)}`;
  return {
    number,
    display: number,
    formatted: `+7 916 ${number.slice(4, 7)}-${number.slice(7, 9)}-${number.slice(9)}`,
    outcome: n % 4 === 3 ? 'callback_failed' : 'unreturned',
    misses: 1 + (n % 3),
    first_missed_at: '2025-03-01 09:05:00',
    last_missed_at: '2025-03-01 17:45:10',
    longest_ring_seconds: 45,
    attempts: n % 4 === 3 ? 2 : 0,
    line: '74951234567',
    line_comment: 'Реклама в поисковых системах, весенняя кампания',
    employees: ['Константинопольская Александра', 'Петрова Мария', 'Иванов Иван'],
    ...over,
  };
}

/** A summary of two days with `week_hours`, Monday 10:00 the only hour with calls. */
function twoDays(): Summary {
  const base = smallDaySummary();
  const cells: WeekHourFigures[] = [];
  for (let weekday = 1; weekday <= 7; weekday++)
    for (let hour = 0; hour < 24; hour++) {
      const busy = weekday === 1 && hour === 10;
      cells.push({ weekday, hour, incoming: busy ? 4 : 0, incoming_missed: busy ? 1 : 0 });
    }
  return {
    ...base,
    period: { ...base.period, from: '2025-03-03', till: '2025-03-04' },
    days: [makeDay({ date: '2025-03-03' }), makeDay({ date: '2025-03-04', incoming: 0, incoming_missed: 0 })],
    week_hours: cells,
  };
}

describe('the workbook a manager acts on', () => {
  it('puts "Call back" first, then the summary; the multi-day sheets after the employees', async () => {
    const { wb } = await write(twoDays());
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Перезвонить',
      'Сводка',
      'Пропущенные',
      'Сотрудники',
      'По дням',
      'Дни недели и часы',
      'По часам',
      'Линии',
      'Все звонки',
    ]);
    const en = await write(twoDays(), 'en');
    expect(en.wb.worksheets.map((w) => w.name).slice(0, 6)).toEqual([
      'Call back',
      'Summary',
      'Missed calls',
      'Employees',
      'Days',
      'Weekdays and hours',
    ]);
  });

  it('lists the clients to call in their order, each number a tel: HYPERLINK, the outcome in red or amber', async () => {
    const callFirst = [client(0), client(3), client(5, { number: '1234', formatted: '1234' })];
    const summary = smallDaySummary();
    const { wb } = await write({ ...summary, missed: { ...summary.missed, call_first: callFirst } });
    const ws = sheet(wb, 'Перезвонить');
    expect(ws.rowCount).toBe(4);
    const link = ws.getRow(2).getCell(1);
    expect(link.value).toEqual({
      formula: 'HYPERLINK("tel:+79160000000","+7 916 000-00-00")',
      result: '+7 916 000-00-00',
    });
    expect(link.font).toMatchObject({ underline: true, color: { argb: 'FF0563C1' } });
    // A number too short to have a country code is shown, not linked.
    expect(ws.getRow(4).getCell(1).value).toBe('1234');
    const outcome = (r: number) => ws.getRow(r).getCell(2);
    expect([outcome(2).value, outcome(3).value]).toEqual(['не перезвонили', 'не дозвонились']);
    expect(outcome(2).fill).toMatchObject({ fgColor: { argb: 'FFFFC7CE' } });
    expect(outcome(3).fill).toMatchObject({ fgColor: { argb: 'FFFFEB9C' } });
    expect(ws.getRow(3).getCell(7).value).toBe(2); // attempts
    expect(ws.getRow(2).getCell(10).value).toBe('Константинопольская Александра, Петрова Мария, Иванов Иван');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBe('A1:J4');
  });

  it.each(['ru', 'en'] as const)(
    'keeps "Call back" within 180 characters of columns, however long the names (%s)',
    async (language) => {
      const summary = smallDaySummary();
      const callFirst = Array.from({ length: 40 }, (_, i) => client(i));
      const { wb } = await write(
        { ...summary, missed: { ...summary.missed, call_first: callFirst } },
        language,
      );
      const ws = wb.worksheets[0] as ExcelJS.Worksheet;
      let total = 0;
      for (let c = 1; c <= ws.getRow(1).cellCount; c++) total += ws.getColumn(c).width ?? 9;
      expect(total).toBeLessThanOrEqual(180);
    },
  );

  it('names a font, with its size, on every style of every sheet, bold headers included', async () => {
    const { wb, parts } = await write(twoDays());
    for (const ws of wb.worksheets) {
      ws.eachRow((row) => {
        row.eachCell({ includeEmpty: false }, (cell) => {
          // A cell of the default style (s="0") takes font 0, checked below.
          if (cell.font === undefined && Object.keys(cell.style).length === 0) return;
          expect(cell.font?.name, `${ws.name}!${cell.address}`).toBe(FONT_NAME);
          expect(cell.font?.size, `${ws.name}!${cell.address}`).toBeGreaterThan(0);
        });
      });
    }
    const fonts = /<fonts[^>]*>(.*)<\/fonts>/s.exec(parts.get('xl/styles.xml') ?? '')?.[1] ?? '';
    const each = fonts.match(/<font>.*?<\/font>/gs) ?? [];
    expect(each.length).toBeGreaterThan(3);
    for (const font of each) {
      expect(font).toContain(`<name val="${FONT_NAME}"/>`);
      expect(font).toMatch(/<sz val="\d+"\/>/);
      expect(font).not.toContain('scheme'); // a theme font would override the name in Excel
    }
  });

  it('prints every sheet landscape, one page wide (fitToPage), its header row on every page', async () => {
    const { wb, parts } = await write(twoDays());
    for (const ws of wb.worksheets) {
      const summary = ws.name === 'Сводка';
      expect(ws.pageSetup, ws.name).toMatchObject({
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: summary ? 1 : 0,
        paperSize: 9,
      });
      expect(ws.pageSetup.printTitlesRow, ws.name).toBe(summary ? '2:2' : '1:1');
      expect(ws.headerFooter.oddFooter, ws.name).toContain('&A');
    }
    expect(parts.get(sheetPart(parts, 'Перезвонить'))).toContain('<pageSetUpPr fitToPage="1"/>');
  });

  it('leads the summary with its title and the three answers, without a filter', async () => {
    const { wb } = await write(smallDaySummary());
    const s = sheet(wb, 'Сводка');
    expect(s.autoFilter).toBeUndefined();
    expect(s.getRow(1).getCell(1).value).toBe('Отчёт по звонкам за 01.03.2025, по московскому времени');
    expect(s.getRow(1).getCell(1).font).toMatchObject({ bold: true, size: 14, name: FONT_NAME });
    const labels = [3, 4, 5, 6, 7, 8, 9, 10].map((r) => s.getRow(r).getCell(1).value);
    expect(labels).toEqual([
      'Главное',
      'Пропущенные',
      'Доля пропущенных',
      'Клиентов ждут звонка',
      'Не перезвонили',
      'Перезвонили',
      'Среднее ожидание ответа',
      'Уровень обслуживания',
    ]);
    // Clients to call: 1 against 1 before; the settings come last.
    expect(rowValues(s, 6).slice(1, 4)).toEqual([1, 1, 0]);
    expect(s.getRow(s.rowCount).getCell(1).value).toBe('Рабочие часы');
  });

  it('colours a change by what it means for the team: more misses red, more answered green', async () => {
    const summary = smallDaySummary();
    const previous = summary.previous;
    if (!previous) throw new Error('the fixture compares');
    const { wb } = await write({
      ...summary,
      previous: { ...previous, totals: { ...previous.totals, incoming_missed: 1, incoming_answered: 6 } },
    });
    const s = sheet(wb, 'Сводка');
    const find = (label: string): ExcelJS.Row => {
      for (let r = 1; r <= s.rowCount; r++) if (s.getRow(r).getCell(1).value === label) return s.getRow(r);
      throw new Error(label);
    };
    const missed = find('Пропущенные').getCell(4);
    expect(missed.value).toBe(1);
    expect(missed.font?.color?.argb).toBe('FF9C0006');
    const answered = find('Входящие принятые').getCell(4);
    expect(answered.value).toBe(-2);
    expect(answered.font?.color?.argb).toBe('FF9C0006'); // fewer answered: bad
    const wait = find('Среднее ожидание ответа').getCell(4);
    expect(wait.font?.color?.argb).toBe('FF006100'); // a shorter wait: good
    expect(find('Всего звонков').getCell(4).font?.color).toBeUndefined(); // neither
  });

  it('shows days, and a weekday × hour heatmap whose cells without calls are blank', async () => {
    const { wb, parts } = await write(twoDays());
    const days = sheet(wb, 'По дням');
    expect(days.rowCount).toBe(3);
    expect(days.getRow(2).getCell(2).value).toBe('понедельник');
    expect(days.getRow(3).getCell(5).value).toBeNull(); // no incoming calls: no rate
    const heat = sheet(wb, 'Дни недели и часы');
    expect(rowValues(heat, 1)).toEqual([
      'День недели',
      ...Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')),
    ]);
    expect(heat.getRow(2).getCell(1).value).toBe('понедельник');
    expect(heat.getRow(2).getCell(12).value).toBe(0.25); // Monday 10:00
    for (let r = 2; r <= 8; r++)
      for (let c = 2; c <= 25; c++) {
        if (r === 2 && c === 12) continue;
        expect(heat.getRow(r).getCell(c).value, `${r}:${c}`).toBeNull();
      }
    expect(heat.autoFilter).toBeUndefined();
    expect(parts.get(sheetPart(parts, 'Дни недели и часы'))).toMatch(
      /<conditionalFormatting sqref="B2:Y8"><cfRule type="colorScale"/,
    );
    // One day: neither sheet.
    const one = await write(smallDaySummary());
    expect(one.wb.worksheets.map((w) => w.name)).not.toContain('По дням');
  });

  it('leaves hours without calls blank and greys the hours the team did not work', async () => {
    const summary = smallDaySummary({
      settings: { ...smallDaySummary().settings, working_hours: 'mon-sat 09:00-18:00' },
      hours: makeHours({ 9: [4, 1, 0], 11: [0, 0, 3], 20: [2, 2, 0] }),
    });
    const { wb } = await write(summary);
    const hours = sheet(wb, 'По часам');
    const row = (h: number) => hours.getRow(2 + h);
    expect([1, 2, 3, 4, 5].map((c) => row(3).getCell(c).value)).toEqual([
      '03:00–03:59',
      null,
      null,
      null,
      null,
    ]);
    expect(row(11).getCell(4).value).toBeNull(); // outgoing only: no missed rate
    expect(row(11).getCell(5).value).toBe(3);
    expect(row(9).getCell(4).value).toBe(0.25);
    // 2025-03-01 is a Saturday, worked 09:00-18:00: 20:00 and 03:00 are grey, 09:00 is not.
    expect(row(20).getCell(1).font?.color?.argb).toBe('FF808080');
    expect(row(3).getCell(1).font?.color?.argb).toBe('FF808080');
    expect(row(9).getCell(1).font?.color).toBeUndefined();
  });

  it('lists the calls that reached no employee last, in grey, with who let clients go', async () => {
    const summary = smallDaySummary();
    const employees = [...summary.employees].reverse(); // the no-employee row first
    expect(employees[0]?.name).toBe(NO_EMPLOYEE);
    const { wb } = await write({ ...summary, employees });
    const e = sheet(wb, 'Сотрудники');
    expect(rowValues(e, 1).slice(0, 3)).toEqual(['Сотрудник', 'Пропущено', 'Не перезвонили']);
    expect(rowValues(e, 2).slice(0, 3)).toEqual(['Иванов Иван', 2, 1]);
    expect(e.getRow(3).getCell(1).value).toBe('(звонки, не дошедшие до сотрудника)');
    expect(e.getRow(3).getCell(1).font?.color?.argb).toBe('FF808080');
  });

  it('puts the outcome and the callback beside the time and number of a missed call, the time frozen', async () => {
    const { wb } = await write(smallDaySummary());
    const m = sheet(wb, 'Пропущенные');
    expect(rowValues(m, 1).slice(0, 7)).toEqual([
      'Время звонка',
      'Номер клиента',
      'Итог',
      'Когда связались',
      'Через сколько',
      'Кто перезвонил',
      'Попыток перезвонить',
    ]);
    expect(m.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 1 });
  });

  it("writes a missed call's number for reading, and keeps the API's own form on All calls", async () => {
    const path = join(dir, 'numbers.xlsx');
    const call = makeCall('2025-03-01 10:00:00', { contactNumber: '84951234567' });
    const missed = [
      {
        call,
        outcome: 'unreturned' as const,
        times_missed_in_period: 1,
        resolved_by: null,
        delay_seconds: null,
        callback_employee: null,
        attempts: 0,
      },
    ];
    const calls = CallTable.from([call]);
    await writeWorkbook({ output: path, summary: smallDaySummary(), missed, calls, language: 'ru' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const m = sheet(wb, 'Пропущенные');
    expect(m.getRow(2).getCell(rowValues(m, 1).indexOf('Номер клиента') + 1).value).toBe('+7 495 123-45-67');
    const all = sheet(wb, 'Все звонки');
    expect(rowValues(all, 2)).toContain('84951234567');
  });

  it("says finish reasons and call types in the language by their value_id, the API's label for an unknown id", async () => {
    const path = join(dir, 'words.xlsx');
    const calls = CallTable.from([
      makeCall('2025-03-01 09:00:00', {
        type: { id: 'va', label: 'Звонок ВАТС' },
        finishReason: { id: 'subscriber_disconnects', label: 'Абонент положил трубку' },
      }),
      makeCall('2025-03-01 09:05:00', {
        type: { id: 'new_kind', label: 'Новый вид' },
        finishReason: { id: 'new_reason', label: 'Новая причина' },
      }),
    ]);
    await writeWorkbook({ output: path, summary: smallDaySummary(), missed: [], calls, language: 'en' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const all = sheet(wb, 'All calls');
    const at = (r: number, header: string) =>
      all.getRow(r).getCell(rowValues(all, 1).indexOf(header) + 1).value;
    expect([at(2, 'Type'), at(2, 'Finish reason')]).toEqual(['Cloud PBX call', 'Client hung up']);
    expect([at(3, 'Type'), at(3, 'Finish reason')]).toEqual(['Новый вид', 'Новая причина']);
  });

  it('writes dates in the one form of each language', async () => {
    const ru = await write(smallDaySummary());
    const en = await write(smallDaySummary(), 'en');
    const from = (wb: ExcelJS.Workbook, label: string) => {
      const s = wb.worksheets[1] as ExcelJS.Worksheet;
      for (let r = 1; r <= s.rowCount; r++)
        if (s.getRow(r).getCell(1).value === label) return s.getRow(r).getCell(2);
      throw new Error(label);
    };
    expect(from(ru.wb, 'Начало периода').numFmt).toBe('dd.mm.yyyy');
    expect(from(en.wb, 'Period from').numFmt).toBe('yyyy-mm-dd');
    expect(sheet(en.wb, 'All calls').getRow(2).getCell(2).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(from(en.wb, 'Time zone').value).toBe('Moscow time');
  });
});
