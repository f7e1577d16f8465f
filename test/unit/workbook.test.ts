import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipEntries } from '../../bench/zip.ts';
import type { Call } from '../../functions/shared/calls/call.ts';
import type { CallList } from '../../functions/shared/calls/call-list.ts';
import { CallTable } from '../../functions/shared/calls/table.ts';
import { dictionaries } from '../../functions/shared/report/i18n.ts';
import type { MissedCallResolution } from '../../functions/shared/report/types.ts';
import { type WorkbookInput, writeWorkbook } from '../../functions/shared/report/workbook/write-workbook.ts';
import { NUM_FMT } from '../../functions/shared/report/xlsx/styles.ts';
import { blankCall } from '../support/calls.ts';
import { sheetPart } from '../support/sheet-part.ts';
import { smallDaySummary } from '../support/summaries.ts';

// ---------------------------------------------------------------------------
// Hand-made inputs

const wall = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi, s);

function makeCall(id: number, over: Partial<Call> = {}): Call {
  const start = wall(2025, 3, 1, 9, 0, 0) + id * 60_000;
  return blankCall(id, start, {
    finish: start + 65_000,
    directionLabel: 'Входящий звонок',
    statusLabel: 'Принятый',
    type: { id: 'normal', label: 'Обычный' },
    finishReason: { id: 'subscriber_disconnects', label: 'Абонент положил трубку' },
    contactNumber: '+7 (916) 123-45-67',
    contactNormal: '79161234567',
    virtualNumber: '74951234567',
    virtualNumberComment: 'Основная линия',
    employees: ['Иванов Иван', 'Петрова Мария'],
    receivedCall: 'Иванов Иван',
    coachHandled: { id: 'false', label: 'Нет' },
    totalSeconds: 65,
    awaitSeconds: 7,
    talkSeconds: 58,
    tags: ['VIP'],
    records: ['rec-1'],
    ...over,
  });
}

const missedCallback = makeCall(100, {
  lost: true,
  start: wall(2025, 3, 1, 9, 15, 30),
  finish: wall(2025, 3, 1, 9, 16, 0),
  contactNumber: '8 (999) 000-00-01',
  totalSeconds: 30,
  talkSeconds: 0,
  receivedCall: null,
});
const callback = makeCall(101, {
  direction: 'out',
  start: wall(2025, 3, 1, 9, 25, 30),
  contactNumber: '79990000001',
  receivedCall: 'Иванов Иван',
});
const missedUnreturned = makeCall(102, {
  lost: true,
  start: wall(2025, 3, 1, 10, 0, 0),
  contactNumber: '+7 999 000-00-02',
  virtualNumberComment: null,
  employees: [],
  receivedCall: null,
  finishReason: null,
  totalSeconds: 3,
});

const missed: MissedCallResolution[] = [
  {
    call: missedCallback,
    outcome: 'called_back',
    times_missed_in_period: 1,
    resolved_by: callback,
    delay_seconds: 600,
    callback_employee: 'Иванов Иван',
    attempts: 1,
  },
  {
    call: missedUnreturned,
    outcome: 'unreturned',
    times_missed_in_period: 2,
    resolved_by: null,
    delay_seconds: null,
    callback_employee: null,
    attempts: 0,
  },
];

const calls: Call[] = [
  makeCall(1),
  makeCall(2, { finish: null, comment: 'Перезвонить завтра', commentAuthor: 'Петрова Мария', rating: 5 }),
  makeCall(3, { direction: 'out', tags: [], records: [] }),
  makeCall(4, {
    internal: true,
    contactNumber: null,
    firstEmployeeInternal: 'Иванов Иван',
    secondEmployeeInternal: 'Петрова Мария',
    blacklisted: { id: 'true', label: 'Да' },
  }),
  missedCallback,
  callback,
  missedUnreturned,
];

// ---------------------------------------------------------------------------
// Helpers

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workbook-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileNo = 0;
/** Writes the workbook of `calls` (or `over.calls`, in a table) to a file and reads it back. */
async function writeAndRead(
  over: Partial<Omit<WorkbookInput, 'calls'>> & { calls?: Call[] } = {},
): Promise<{ wb: ExcelJS.Workbook; path: string; result: Awaited<ReturnType<typeof writeWorkbook>> }> {
  const path = join(dir, `report-${++fileNo}.xlsx`);
  const result = await writeWorkbook({
    output: path,
    summary: smallDaySummary(),
    missed,
    language: 'ru',
    ...over,
    calls: CallTable.from(over.calls ?? calls),
  });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return { wb, path, result };
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

function headerIndex(ws: ExcelJS.Worksheet, header: string): number {
  const values = ws.getRow(1).values as unknown[];
  const i = values.indexOf(header);
  if (i < 1) throw new Error(`no column "${header}" in ${ws.name}`);
  return i;
}

/**
 * Seconds held by a duration cell. exceljs's reader takes any format with h/m/s
 * for a date and hands back a Date counted from Excel's epoch (1899-12-30).
 */
function durationSeconds(value: ExcelJS.CellValue): number {
  if (value instanceof Date) return Math.round((value.getTime() - Date.UTC(1899, 11, 30)) / 1000);
  if (typeof value === 'number') return Math.round(value * 86400);
  throw new Error(`not a duration: ${String(value)}`);
}

/** Row of a sheet whose first cell is `label`. */
function rowByLabel(ws: ExcelJS.Worksheet, label: string): ExcelJS.Row {
  for (let r = 1; r <= ws.rowCount; r++) {
    if (ws.getRow(r).getCell(1).value === label) return ws.getRow(r);
  }
  throw new Error(`no row "${label}" in ${ws.name}`);
}

/** Entries of a zip file, checked against their sizes and CRC-32. */
function readZip(buf: Buffer): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  for (const e of zipEntries(buf)) {
    const data = e.read();
    expect(data.length, e.name).toBe(e.size);
    expect(crc32(data) >>> 0, e.name).toBe(e.crc);
    entries.set(e.name, data);
  }
  return entries;
}

// ---------------------------------------------------------------------------

describe('writeWorkbook', () => {
  it('names the sheets in Russian, in order', async () => {
    const { wb, result } = await writeAndRead();
    const names = ['Перезвонить', 'Сводка', 'Пропущенные', 'Сотрудники', 'По часам', 'Линии', 'Все звонки'];
    expect(wb.worksheets.map((w) => w.name)).toEqual(names);
    expect(result.sheets).toEqual(names);
  });

  it('names the sheets in English when asked', async () => {
    const { wb } = await writeAndRead({ language: 'en' });
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Call back',
      'Summary',
      'Missed calls',
      'Employees',
      'Hours',
      'Lines',
      'All calls',
    ]);
    const ws = sheet(wb, 'Missed calls');
    expect(ws.getRow(3).getCell(headerIndex(ws, 'Outcome')).value).toBe('not called back');
  });

  it('writes one "All calls" row per call under one header row, and counts the rows', async () => {
    const progress: number[] = [];
    const { wb, result } = await writeAndRead({ onProgress: (n) => progress.push(n) });
    const ws = sheet(wb, 'Все звонки');
    expect(ws.rowCount).toBe(calls.length + 1);
    const id = headerIndex(ws, 'ID звонка');
    expect(ws.getColumn(id).values.slice(2)).toEqual(calls.map((c) => c.id));
    // The summary's title line is not a data row.
    const dataRows = wb.worksheets.reduce((sum, w) => sum + w.rowCount - (w.name === 'Сводка' ? 2 : 1), 0);
    expect(result.rows).toBe(dataRows);
    expect(progress.at(-1)).toBe(result.rows);
  });

  it('continues "All calls" on numbered sheets with the same header past maxRowsPerSheet', async () => {
    const { wb, result } = await writeAndRead({ maxRowsPerSheet: 3 });
    expect(result.sheets.slice(6)).toEqual(['Все звонки', 'Все звонки 2', 'Все звонки 3']);
    const parts = ['Все звонки', 'Все звонки 2', 'Все звонки 3'].map((n) => sheet(wb, n));
    expect(parts.map((w) => w.rowCount - 1)).toEqual([3, 3, 1]);
    const header = parts[0]?.getRow(1).values;
    for (const w of parts) expect(w.getRow(1).values).toEqual(header);
    const ids = parts.flatMap((w) => w.getColumn(1).values.slice(2));
    expect(ids).toEqual(calls.map((c) => c.id));
    expect(parts[1]?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('writes an "All calls" sheet with only its header when there are no calls', async () => {
    const { wb } = await writeAndRead({ calls: [], missed: [] });
    expect(sheet(wb, 'Все звонки').rowCount).toBe(1);
    expect(sheet(wb, 'Пропущенные').rowCount).toBe(1);
  });

  it('writes durations as numbers (seconds / 86400) formatted [h]:mm:ss', async () => {
    const { wb, path } = await writeAndRead();
    const all = sheet(wb, 'Все звонки');
    const column = headerIndex(all, 'Длительность');
    const cell = all.getRow(2).getCell(column);
    expect(cell.numFmt).toBe('[h]:mm:ss');
    expect(durationSeconds(cell.value)).toBe(65);
    // In the file it is a plain number (no t="s"/"str"), so Excel can sum it.
    const zipped = readZip(await readFile(path));
    const xml = zipped.get(sheetPart(zipped, 'Все звонки'))?.toString('utf8') ?? '';
    const ref = `${all.getColumn(column).letter}2`;
    const raw = new RegExp(`<c r="${ref}" s="\\d+"><v>([^<]+)</v></c>`).exec(xml);
    expect(Number(raw?.[1])).toBeCloseTo(65 / 86400, 15);

    const m = sheet(wb, 'Пропущенные');
    const delay = m.getRow(2).getCell(headerIndex(m, 'Через сколько'));
    expect(delay.numFmt).toBe(NUM_FMT.duration);
    expect(durationSeconds(delay.value)).toBe(600);

    const s = sheet(wb, 'Сводка');
    const talk = rowByLabel(s, 'Время разговоров').getCell(2);
    expect(talk.numFmt).toBe('[h]:mm:ss');
    expect(durationSeconds(talk.value)).toBe(3725);
    const e = sheet(wb, 'Сотрудники');
    expect(durationSeconds(e.getRow(2).getCell(headerIndex(e, 'Время разговоров')).value)).toBe(3000);
  });

  it('writes times as Date cells equal to the wall clock', async () => {
    const { wb } = await writeAndRead();
    const all = sheet(wb, 'Все звонки');
    const start = all.getRow(2).getCell(headerIndex(all, 'Начало'));
    expect(start.value).toBeInstanceOf(Date);
    expect((start.value as Date).getTime()).toBe(calls[0]?.start);
    expect(start.numFmt).toBe('dd.mm.yyyy hh:mm:ss');

    const m = sheet(wb, 'Пропущенные');
    const time = m.getRow(2).getCell(headerIndex(m, 'Время звонка')).value as Date;
    expect(time.toISOString()).toBe('2025-03-01T09:15:30.000Z');
    const back = m.getRow(2).getCell(headerIndex(m, 'Когда связались')).value as Date;
    expect(back.getTime()).toBe(callback.start);
  });

  it('shows the period as dates and generated_at in the period time zone', async () => {
    const { wb } = await writeAndRead();
    const s = sheet(wb, 'Сводка');
    const from = rowByLabel(s, 'Начало периода');
    expect((from.getCell(2).value as Date).getTime()).toBe(wall(2025, 3, 1));
    expect(from.getCell(2).numFmt).toBe('dd.mm.yyyy');
    expect((from.getCell(3).value as Date).getTime()).toBe(wall(2025, 2, 28));
    // 03:04:05 UTC is 06:04:05 in Moscow
    const generated = rowByLabel(s, 'Отчёт сформирован').getCell(2).value as Date;
    expect(generated.getTime()).toBe(wall(2025, 3, 2, 6, 4, 5));
    expect(rowByLabel(s, 'Часовой пояс').getCell(2).value).toBe('по московскому времени');
  });

  it('writes rates as fractions with a percent format', async () => {
    const { wb } = await writeAndRead();
    const hours = sheet(wb, 'По часам');
    const rate = hours.getRow(2 + 10).getCell(headerIndex(hours, 'Доля пропущенных'));
    expect(rate.value).toBe(0.5);
    expect(rate.numFmt).toBe('0.0%');
    const s = sheet(wb, 'Сводка');
    const missedRate = rowByLabel(s, 'Доля пропущенных');
    expect(missedRate.getCell(2).value).toBeCloseTo(2 / 6, 12);
    expect(missedRate.getCell(2).numFmt).toBe('0.0%');
    const lines = sheet(wb, 'Линии');
    expect(lines.getRow(2).getCell(headerIndex(lines, 'Доля пропущенных')).numFmt).toBe('0.0%');
  });

  it('compares the headline figures with the previous period', async () => {
    const { wb } = await writeAndRead();
    const s = sheet(wb, 'Сводка');
    // The title line first, then the header, whose comparison column names the like period.
    expect(s.getRow(1).getCell(1).value).toBe('Отчёт по звонкам за 01.03.2025, по московскому времени');
    expect(s.getRow(2).values).toEqual([
      undefined,
      'Показатель',
      'Значение',
      'Сравнение: 28.02.2025',
      'Изменение',
      'Что это значит',
    ]);
    const total = rowByLabel(s, 'Всего звонков');
    expect([total.getCell(2).value, total.getCell(3).value, total.getCell(4).value]).toEqual([10, 8, 2]);
    expect(total.getCell(5).value).toBe('Все звонки за период, включая внутренние');
    const rate = rowByLabel(s, 'Доля пропущенных');
    expect(rate.getCell(4).value).toBeCloseTo((2 / 6 - 0.25) * 100, 9);
    expect(rate.getCell(4).numFmt).toContain('п.п.');
    // A change of a duration is a duration: 12 s against 15 s.
    const wait = rowByLabel(s, 'Среднее ожидание ответа');
    expect(durationSeconds(wait.getCell(4).value)).toBe(-3);
    expect(wait.getCell(4).numFmt).toBe('+[h]:mm:ss;-[h]:mm:ss;0:00:00');
    expect(rowByLabel(s, 'Уровень обслуживания').getCell(5).value).toContain('20 с');
  });

  it('drops the previous-period columns when there is nothing to compare with', async () => {
    const { wb } = await writeAndRead({ summary: smallDaySummary({ previous: null }) });
    const s = sheet(wb, 'Сводка');
    expect(s.getRow(2).values).toEqual([undefined, 'Показатель', 'Значение', 'Что это значит']);
  });

  it('freezes a bold header row and puts an autoFilter over every table', async () => {
    const { wb } = await writeAndRead({ maxRowsPerSheet: 4 });
    for (const ws of wb.worksheets) {
      // The summary: its title above the header, and no filter (a page to read).
      const summary = ws.name === 'Сводка';
      const header = summary ? 2 : 1;
      expect(ws.views[0], ws.name).toMatchObject({ state: 'frozen', ySplit: header });
      expect(ws.getRow(header).getCell(1).font?.bold, ws.name).toBe(true);
      const width = ws.getRow(header).cellCount;
      const last = ws.getColumn(width).letter;
      expect(ws.autoFilter, ws.name).toBe(summary ? undefined : `A1:${last}${ws.rowCount}`);
      for (let c = 1; c <= width; c++) {
        const w = ws.getColumn(c).width ?? 9;
        expect(w, `${ws.name} column ${c}`).toBeGreaterThanOrEqual(6);
        expect(w, `${ws.name} column ${c}`).toBeLessThanOrEqual(ws.name === 'Сводка' ? 100 : 60);
      }
    }
  });

  it('fits column widths to the content', async () => {
    const long = 'Очень длинный комментарий '.repeat(10);
    const { wb } = await writeAndRead({ calls: [makeCall(1, { comment: long })] });
    const all = sheet(wb, 'Все звонки');
    expect(all.getColumn(headerIndex(all, 'Комментарий')).width).toBe(60);
    expect(all.getColumn(headerIndex(all, 'Начало')).width).toBe(21);
  });

  it('fills unreturned missed calls light red with the outcome in bold', async () => {
    const { wb } = await writeAndRead();
    const m = sheet(wb, 'Пропущенные');
    const outcome = headerIndex(m, 'Итог');
    const returned = m.getRow(2);
    const unreturned = m.getRow(3);
    expect(returned.getCell(outcome).value).toBe('перезвонили');
    expect(unreturned.getCell(outcome).value).toBe('не перезвонили');
    expect(unreturned.getCell(outcome).font?.bold).toBe(true);
    for (let c = 1; c <= m.getRow(1).cellCount; c++) {
      expect(unreturned.getCell(c).fill, `column ${c}`).toMatchObject({
        type: 'pattern',
        pattern: 'solid',
        fgColor: { argb: 'FFFFC7CE' },
      });
      const plain = returned.getCell(c).fill as ExcelJS.FillPattern | undefined;
      expect(plain?.pattern ?? 'none', `column ${c}`).toBe('none');
    }
    expect(returned.getCell(outcome).font?.bold).toBeFalsy();
    expect(unreturned.getCell(headerIndex(m, 'Пропущено с номера за период')).value).toBe(2);
  });

  it('writes the outcome words of the dictionary', () => {
    expect(dictionaries.ru.outcomes).toEqual({
      called_back: 'перезвонили',
      client_called_again: 'клиент дозвонился сам',
      callback_failed: 'не дозвонились',
      unreturned: 'не перезвонили',
    });
  });

  it('leaves null values as empty cells, never the text "null"', async () => {
    const { wb } = await writeAndRead();
    const all = sheet(wb, 'Все звонки');
    const row = all.getRow(3); // call 2: finish null
    expect(row.getCell(headerIndex(all, 'Конец')).value).toBeNull();
    expect(all.getRow(2).getCell(headerIndex(all, 'Комментарий')).value).toBeNull();
    expect(all.getRow(2).getCell(headerIndex(all, 'Постобработка')).value).toBeNull();
    expect(row.getCell(headerIndex(all, 'Комментарий')).value).toBe('Перезвонить завтра');
    const m = sheet(wb, 'Пропущенные');
    expect(m.getRow(3).getCell(headerIndex(m, 'Когда связались')).value).toBeNull();
    expect(m.getRow(3).getCell(headerIndex(m, 'Кому звонил')).value).toBeNull();
    const lines = sheet(wb, 'Линии');
    expect(lines.getRow(3).getCell(1).value).toBeNull();
    const s = sheet(wb, 'Сводка');
    expect(rowByLabel(s, 'Средний исходящий разговор').getCell(2).value).toBeNull();
    for (const ws of wb.worksheets) {
      ws.eachRow((r) => {
        r.eachCell((cell) => {
          expect(String(cell.value), `${ws.name}!${cell.address}`).not.toMatch(/^(null|undefined|NaN)$/);
        });
      });
    }
  });

  it('writes every call field in words a person reads', async () => {
    const { wb } = await writeAndRead();
    const all = sheet(wb, 'Все звонки');
    const internal = all.getRow(5); // call 4
    const at = (h: string): unknown => internal.getCell(headerIndex(all, h)).value;
    expect(at('Внешний / внутренний')).toBe('внутренний');
    expect(at('Направление')).toBe('входящий');
    expect(at('Статус')).toBe('принят');
    expect(at('Номер в чёрном списке')).toBe('да');
    expect(at('Обработан наставником')).toBe('нет');
    expect(at('Первый сотрудник (внутр.)')).toBe('Иванов Иван');
    expect(at('Сотрудники')).toBe('Иванов Иван, Петрова Мария');
    expect(at('Причина завершения')).toBe('Абонент положил трубку');
    expect(at('Записей')).toBe(1);
    const missedRow = all.getRow(6); // missedCallback
    expect(missedRow.getCell(headerIndex(all, 'Статус')).value).toBe('пропущен');
    expect(missedRow.getCell(headerIndex(all, 'Номер клиента')).value).toBe('8 (999) 000-00-01');
    const e = sheet(wb, 'Сотрудники');
    expect(e.getRow(3).getCell(1).value).toBe('(звонки, не дошедшие до сотрудника)');
  });

  it('puts a green-to-red colour scale on the missed rate of each hour', async () => {
    const { wb, path } = await writeAndRead();
    const hours = sheet(wb, 'По часам');
    expect(hours.rowCount).toBe(25);
    const cf = (hours as unknown as { conditionalFormattings: ExcelJS.ConditionalFormattingOptions[] })
      .conditionalFormattings;
    expect(cf).toHaveLength(1);
    expect(cf[0]?.ref).toBe('D2:D25');
    expect(cf[0]?.rules[0]?.type).toBe('colorScale');
    const zipped = readZip(await readFile(path));
    const xml = zipped.get(sheetPart(zipped, 'По часам'))?.toString('utf8') ?? '';
    expect(xml).toMatch(/<conditionalFormatting sqref="D2:D25"><cfRule type="colorScale"/);
  });

  it('produces a valid zip holding the parts of an XLSX package', async () => {
    const { path } = await writeAndRead({ maxRowsPerSheet: 3 });
    const entries = readZip(await readFile(path));
    for (const part of [
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'docProps/app.xml',
      'docProps/core.xml',
      ...Array.from({ length: 9 }, (_, i) => `xl/worksheets/sheet${i + 1}.xml`),
    ]) {
      expect(entries.has(part), part).toBe(true);
    }
    // LibreOffice shows an autoFilter only with this hidden sheet-local name.
    const book = entries.get('xl/workbook.xml')?.toString('utf8') ?? '';
    expect(book).toContain(
      `<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'Перезвонить'!$A$1:$J$2</definedName>`,
    );
    expect(book).toContain(
      `<definedName name="_xlnm._FilterDatabase" localSheetId="7" hidden="1">'Все звонки 2'!$A$1:$AA$4</definedName>`,
    );
    expect(book.match(/_xlnm\._FilterDatabase/g)).toHaveLength(8);
    expect(book.indexOf('</definedNames>')).toBeLessThan(book.indexOf('<calcPr'));
    const types = entries.get('[Content_Types].xml')?.toString('utf8') ?? '';
    expect(types).toContain('/xl/worksheets/sheet9.xml');
    for (const [name, data] of entries) {
      if (name.endsWith('.xml')) expect(data.toString('utf8', 0, 5), name).toBe('<?xml');
    }
  });

  it('writes to a stream, ends it and reports the bytes written', async () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((resolve) => sink.on('end', resolve));
    const result = await writeWorkbook({
      output: sink,
      summary: smallDaySummary(),
      missed,
      calls: CallTable.from(calls),
      language: 'en',
    });
    await ended;
    const buf = Buffer.concat(chunks);
    expect(result.bytes).toBe(buf.length);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.getWorksheet('All calls')?.rowCount).toBe(calls.length + 1);
  });

  it('stops writing rows while the destination does not read (backpressure)', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let received = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, cb) {
        received += chunk.length;
        released.then(() => cb());
      },
    });
    // Comments that barely compress, so that the zip's own buffers (archiver
    // keeps up to ~1 MB per stage) hold few rows and the stall shows early.
    const many = Array.from({ length: 40_000 }, (_, i) =>
      makeCall(i + 1, { comment: randomBytes(400).toString('base64') }),
    );
    let rows = 0;
    const done = writeWorkbook({
      output: slow,
      summary: smallDaySummary(),
      missed,
      calls: CallTable.from(many),
      language: 'ru',
      onProgress: (n) => {
        rows = n;
      },
    });
    // Let the writer run until it is stuck on the blocked destination.
    let before = -1;
    while (rows !== before) {
      before = rows;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(rows).toBeLessThan(many.length / 2);
    expect(received).toBeLessThan(1024 * 1024);
    release();
    const result = await done;
    expect(result.rows).toBeGreaterThan(many.length);
    expect(received).toBe(result.bytes);
  });

  it('rejects, and destroys the stream, when the destination fails', async () => {
    const failing = new Writable({
      write(_chunk, _enc, cb) {
        cb(new Error('disk full'));
      },
    });
    await expect(
      writeWorkbook({
        output: failing,
        summary: smallDaySummary(),
        missed,
        calls: CallTable.from(calls),
        language: 'ru',
      }),
    ).rejects.toThrow('disk full');
    expect(failing.destroyed).toBe(true);
  });

  it('rejects when the destination closes before the workbook is complete', async () => {
    const quitter = new Writable({
      write(_chunk, _enc, cb) {
        cb();
        this.destroy();
      },
    });
    await expect(
      writeWorkbook({
        output: quitter,
        summary: smallDaySummary(),
        missed,
        calls: CallTable.from(calls),
        language: 'ru',
      }),
    ).rejects.toThrow('closed before the workbook was complete');
  });

  it('removes the partial file when writing fails', async () => {
    const path = join(dir, 'broken.xlsx');
    // A list whose second call cannot be read.
    const two = CallTable.from([makeCall(1), makeCall(2)]);
    const broke = (): never => {
      throw new Error('source broke');
    };
    const bad: CallList = {
      length: two.length,
      distinctIds: true,
      each: (fn, from = 0) => {
        if (from === 0) fn(two.look(0), 0);
        return broke();
      },
      look: (i) => (i === 0 ? two.look(0) : broke()),
      at: (i) => (i === 0 ? two.at(0) : broke()),
    };
    await expect(
      writeWorkbook({ output: path, summary: smallDaySummary(), missed, calls: bad, language: 'ru' }),
    ).rejects.toThrow('source broke');
    expect(existsSync(path)).toBe(false);
  });
});

describe('i18n dictionaries', () => {
  function keys(o: unknown, prefix = ''): string[] {
    if (o === null || typeof o !== 'object') return [prefix];
    return Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  }

  it('have the same keys in Russian and English, none empty', () => {
    expect(keys(dictionaries.en).sort()).toEqual(keys(dictionaries.ru).sort());
    for (const lang of ['ru', 'en'] as const) {
      for (const k of keys(dictionaries[lang])) {
        const value = k
          .split('.')
          .reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], dictionaries[lang]);
        expect(typeof value === 'string' && value.length > 0, `${lang}.${k}`).toBe(true);
      }
    }
  });
});
