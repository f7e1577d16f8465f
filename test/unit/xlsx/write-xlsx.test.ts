import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XlsxBook } from '../../../functions/shared/report/xlsx/book.ts';
import { safeSheetName } from '../../../functions/shared/report/xlsx/sheet-name.ts';
import { BAD_STRONG_STYLE, BAD_STYLE, NUM_FMT, STYLE } from '../../../functions/shared/report/xlsx/styles.ts';
import type { ColumnSpec, TableRow, Value } from '../../../functions/shared/report/xlsx/types.ts';
import { excelDate, excelDuration } from '../../../functions/shared/report/xlsx/values.ts';
import { measureWidths } from '../../../functions/shared/report/xlsx/widths.ts';
import { writeXlsx, type XlsxResult } from '../../../functions/shared/report/xlsx/write-xlsx.ts';
import { zipText } from '../../support/zip-parts.ts';

// The engine alone: small sheets written through it and read back with exceljs.

const COLUMNS: ColumnSpec[] = [
  { header: 'Text', kind: 'text' },
  { header: 'Count', kind: 'count' },
  { header: 'When', kind: 'datetime' },
  { header: 'Took', kind: 'duration' },
  { header: 'Share', kind: 'rate' },
  { header: 'Id', kind: 'id' },
];
const WHEN = Date.UTC(2025, 2, 1, 9, 15, 30);
const ROW: Value[] = ['plain', 1234, excelDate(WHEN), excelDuration(65), 0.25, 42];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileNo = 0;
async function write(
  body: (book: XlsxBook) => Promise<void>,
  onProgress?: (rows: number) => void,
): Promise<{ wb: ExcelJS.Workbook; parts: Map<string, string>; result: XlsxResult }> {
  const path = join(dir, `book-${++fileNo}.xlsx`);
  const result = await writeXlsx(
    { output: path, creator: 'test', ...(onProgress ? { onProgress } : {}) },
    body,
  );
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return { wb, parts: zipText(await readFile(path)), result };
}

function sheetData(parts: Map<string, string>, n: number): string {
  const xml = parts.get(`xl/worksheets/sheet${n}.xml`) ?? '';
  return /<sheetData>.*<\/sheetData>/s.exec(xml)?.[0] ?? '';
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

describe('the XLSX engine', () => {
  it.each([
    ['through exceljs rows', false],
    ['as XML text', true],
  ])('writes values with the number format of their kind (%s)', async (_how, xml) => {
    const { wb } = await write((book) => book.table('T', COLUMNS, [{ values: ROW }], { xml }));
    const row = sheet(wb, 'T').getRow(2);
    expect(row.getCell(1).value).toBe('plain');
    expect(row.getCell(2).value).toBe(1234);
    expect(row.getCell(2).numFmt).toBe(NUM_FMT.count);
    expect((row.getCell(3).value as Date).getTime()).toBe(WHEN);
    expect(row.getCell(3).numFmt).toBe(NUM_FMT.datetime);
    // exceljs reads any format with h/m/s as a date counted from Excel's epoch.
    expect((row.getCell(4).value as Date).getTime()).toBe(Date.UTC(1899, 11, 30, 0, 1, 5));
    expect(row.getCell(4).numFmt).toBe(NUM_FMT.duration);
    expect(row.getCell(5).value).toBe(0.25);
    expect(row.getCell(5).numFmt).toBe(NUM_FMT.rate);
    expect(row.getCell(6).value).toBe(42);
    expect(row.getCell(6).numFmt).toBe(NUM_FMT.id);
  });

  it('writes rows as XML text byte for byte as exceljs writes the same rows', async () => {
    const texts = [
      'repeated',
      'a<b>&"\'',
      'ctl\x01\x1f\x7f',
      'tab\tand\nlines\r\n',
      'Ёлка ёж 😀',
      'x'.repeat(300),
    ];
    const rows: TableRow[] = Array.from({ length: 3000 }, (_, i) => ({
      values: [
        i % 7 === 0 ? null : (texts[i % texts.length] as string),
        i % 5 === 0 ? undefined : i * 1001,
        excelDate(WHEN + i * 61_000),
        i % 3 === 0 ? null : excelDuration(i),
        i / 3000,
        // Texts that do not repeat: the writer stops remembering them.
        `+7 916 ${String(i * 7919).padStart(7, '0')}`,
      ],
      ...(i % 11 === 0
        ? { styles: COLUMNS.map((c, k) => (k === 0 ? BAD_STRONG_STYLE[c.kind] : BAD_STYLE[c.kind])) }
        : {}),
    }));
    const columns: ColumnSpec[] = COLUMNS.map((c, i) => (i === 5 ? { header: 'Client', kind: 'text' } : c));
    const { parts } = await write(async (book) => {
      await book.table('exceljs', columns, rows, { xml: false });
      await book.table('xml', columns, rows, { xml: true });
    });
    const ours = sheetData(parts, 2);
    expect(ours).toContain('<row r="3001"');
    expect(ours).toBe(sheetData(parts, 1));
  });

  it('escapes XML-special characters and drops control characters in text cells', async () => {
    const text = ['a<b>&"\'c', 'x\x00\x01\x08\x0b\x1f\x7fy', 'tab\there\nnext', 'Ёлка ёж 😀'];
    const { wb, parts } = await write((book) =>
      book.table(
        'T',
        [{ header: 'Text', kind: 'text' }],
        text.map((t) => ({ values: [t] })),
        { xml: true },
      ),
    );
    const ws = sheet(wb, 'T');
    expect([2, 3, 4, 5].map((r) => ws.getRow(r).getCell(1).value)).toEqual([
      'a<b>&"\'c',
      'xy',
      'tab\there\nnext',
      'Ёлка ёж 😀',
    ]);
    expect(sheetData(parts, 1)).toContain('<v>a&lt;b&gt;&amp;&quot;&apos;c</v>');
  });

  it('leaves a null value an empty cell and writes no cell for undefined', async () => {
    const { wb, parts } = await write((book) =>
      book.table('T', COLUMNS, [{ values: ['a', null, undefined, null, 0.5, 1] }], { xml: true }),
    );
    const row = sheet(wb, 'T').getRow(2);
    expect(row.getCell(2).value).toBeNull();
    expect(row.getCell(2).numFmt).toBe(NUM_FMT.count); // still styled
    expect(row.getCell(3).value).toBeNull();
    const data = sheetData(parts, 1);
    expect(data).toMatch(/<c r="B2" s="\d+"\/>/);
    expect(data).not.toContain('r="C2"');
  });

  it('fits column widths to the header and the values, within 6 and the cap', async () => {
    const columns: ColumnSpec[] = [
      { header: 'A', kind: 'text' },
      { header: 'Long', kind: 'text' },
      { header: 'Wider cap', kind: 'text', maxWidth: 100 },
      { header: 'When', kind: 'datetime' },
    ];
    const rows: TableRow[] = [{ values: ['x', 'y'.repeat(90), 'z'.repeat(90), excelDate(WHEN)] }];
    const { wb } = await write((book) => book.table('T', columns, rows));
    const ws = sheet(wb, 'T');
    expect([1, 2, 3, 4].map((c) => ws.getColumn(c).width)).toEqual([6, 60, 92, 21]);
    expect(measureWidths(columns, rows)).toEqual([6, 60, 92, 21]);
  });

  it('freezes a bold header row and puts an autoFilter over each table, also named for LibreOffice', async () => {
    const { wb, parts } = await write(async (book) => {
      await book.table('First', COLUMNS, [{ values: ROW }, { values: ROW }]);
      await book.table("It's", COLUMNS.slice(0, 2), [{ values: ROW }]);
    });
    const ws = sheet(wb, 'First');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getRow(1).values).toEqual([undefined, 'Text', 'Count', 'When', 'Took', 'Share', 'Id']);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.autoFilter).toBe('A1:F3');
    expect(sheet(wb, "It's").autoFilter).toBe('A1:B2');
    const book = parts.get('xl/workbook.xml') ?? '';
    expect(book).toContain(
      `<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">'First'!$1:$1</definedName>` +
        `<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'First'!$A$1:$F$3</definedName>` +
        `<definedName name="_xlnm.Print_Titles" localSheetId="1">'It''s'!$1:$1</definedName>` +
        `<definedName name="_xlnm._FilterDatabase" localSheetId="1" hidden="1">'It''s'!$A$1:$B$2</definedName></definedNames>`,
    );
  });

  it('makes sheet names Excel accepts', async () => {
    expect(safeSheetName('a/b\\c:d*e?f[g]h')).toBe('a_b_c_d_e_f_g_h');
    expect(safeSheetName("'quoted'")).toBe('quoted');
    expect(safeSheetName('x'.repeat(40))).toBe('x'.repeat(31));
    expect(safeSheetName("''")).toBe('Sheet');
    const { wb, result } = await write((book) => book.table('Calls: 1/2', COLUMNS, []));
    expect(result.sheets).toEqual(['Calls_ 1_2']);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Calls_ 1_2']);
  });

  it('continues a long sheet on numbered sheets with the same header at the row cap given', async () => {
    const widths = measureWidths(COLUMNS, []);
    const { wb, result } = await write(async (book) => {
      const long = book.continued('Calls', COLUMNS, widths, 3);
      for (let i = 1; i <= 7; i++) {
        if (long.add(['call', i, excelDate(WHEN), excelDuration(i), 0, i])) await long.breathe();
      }
      long.close();
    });
    expect(result.sheets).toEqual(['Calls', 'Calls 2', 'Calls 3']);
    const parts = result.sheets.map((n) => sheet(wb, n));
    expect(parts.map((w) => w.rowCount - 1)).toEqual([3, 3, 1]);
    expect(parts.flatMap((w) => w.getColumn(6).values.slice(2))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const w of parts) {
      expect(w.getRow(1).values).toEqual(parts[0]?.getRow(1).values);
      expect(w.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(w.getColumn(1).width).toBe(widths[0]);
    }
    expect(sheet(wb, 'Calls 3').autoFilter).toBe('A1:F2');
    expect(result.rows).toBe(7);
  });

  it('puts a green-to-red colour scale over the column asked for, when there are rows', async () => {
    const { parts, wb } = await write(async (book) => {
      await book.table('T', COLUMNS, [{ values: ROW }, { values: ROW }], { colourScale: 4 });
      await book.table('Empty', COLUMNS, [], { colourScale: 4 });
    });
    const cf = (
      sheet(wb, 'T') as unknown as { conditionalFormattings: ExcelJS.ConditionalFormattingOptions[] }
    ).conditionalFormattings;
    expect(cf[0]?.ref).toBe('E2:E3');
    expect(cf[0]?.rules[0]?.type).toBe('colorScale');
    expect(parts.get('xl/worksheets/sheet1.xml')).toMatch(
      /<conditionalFormatting sqref="E2:E3"><cfRule type="colorScale"/,
    );
    expect(parts.get('xl/worksheets/sheet2.xml')).not.toContain('conditionalFormatting');
  });

  it('counts the data rows of all sheets and reports progress at the end', async () => {
    const progress: number[] = [];
    const rows = Array.from({ length: 2500 }, () => ({ values: ROW }));
    const { result } = await write(
      async (book) => {
        await book.table('A', COLUMNS, rows, { xml: true });
        await book.table('B', COLUMNS, [{ values: ROW, styles: COLUMNS.map((c) => STYLE[c.kind]) }]);
      },
      (n) => progress.push(n),
    );
    expect(result.rows).toBe(2501);
    expect(progress.at(-1)).toBe(2501);
    expect(progress.slice(0, -1).every((n) => n < 2501)).toBe(true);
  });

  it('removes the partial file when the sheets fail', async () => {
    const path = join(dir, 'broken.xlsx');
    await expect(
      writeXlsx({ output: path, creator: 'test' }, async (book) => {
        await book.table('T', COLUMNS, [{ values: ROW }]);
        throw new Error('rows broke');
      }),
    ).rejects.toThrow('rows broke');
    expect(existsSync(path)).toBe(false);
  });

  it('rejects, and destroys the stream, when the destination fails', async () => {
    const failing = new Writable({
      write(_chunk, _enc, cb) {
        cb(new Error('disk full'));
      },
    });
    await expect(
      writeXlsx({ output: failing, creator: 'test' }, (book) => book.table('T', COLUMNS, [{ values: ROW }])),
    ).rejects.toThrow('disk full');
    expect(failing.destroyed).toBe(true);
  });
});
