/**
 * The workbook as a manager prints it, reads it in another program and in
 * English: the synthetic day of the demo (`npm start`'s simulator, through the
 * command line) converted to PDF by LibreOffice, counted page by page (each
 * page's footer names its sheet), and rendered to PNG in test/office/artifacts/
 * (git-ignored) for a person to look at; the same workbook read by Gnumeric,
 * whose figures on the summary must be the summary JSON's; the English report
 * with no Russian outside the customer's own data. Run by `npm run test:office`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallTable } from '../../functions/shared/calls/table.ts';
import { dictionaries } from '../../functions/shared/report/i18n.ts';
import type { CallFirstEntry, Summary } from '../../functions/shared/report/types.ts';
import { writeWorkbook } from '../../functions/shared/report/workbook/write-workbook.ts';
import { makeCall } from '../support/calls.ts';
import { smallDaySummary } from '../support/summaries.ts';
import { gnumericSheets, pagesPerSheet, pdfPages, renderPages, toPdf } from './readers.ts';

const run = promisify(execFile);
/** A Monday: a typical working day of the demo's world. */
const DAY = '2024-10-21';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'office-print-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The demo's report of `DAY` in `language`, made by the command line on its simulator: the workbook and the summary. */
async function demoDay(language: 'ru' | 'en'): Promise<{ xlsx: string; summary: Summary; work: string }> {
  const work = join(dir, `demo-${language}`);
  const env = { ...process.env };
  delete env.MGF_ACCESS_TOKEN;
  delete env.WORKING_HOURS;
  await run(process.execPath, ['cli/report.ts', '--date', DAY, '--lang', language, '--out', work], {
    env,
    timeout: 120_000,
  });
  const files = await readdir(work);
  const xlsx = files.find((f) => f.endsWith('.xlsx'));
  const json = files.find((f) => f.endsWith('.summary.json'));
  if (!xlsx || !json) throw new Error(`the command line wrote ${files.join(', ')}`);
  return { xlsx: join(work, xlsx), summary: JSON.parse(await readFile(join(work, json), 'utf8')), work };
}

describe('the demo day printed from LibreOffice', () => {
  it('prints the summary and "Call back" on one landscape page each, the rest but "All calls" on a few', async () => {
    const { xlsx, work } = await demoDay('ru');
    const pdf = await toPdf(xlsx, work);
    await renderPages(pdf, 'demo-day-ru');
    const pages = await pdfPages(pdf);
    const per = pagesPerSheet(pages);
    const s = dictionaries.ru.sheets;
    expect([...per.keys()].slice(0, 2)).toEqual([s.callBack, s.summary]);
    expect(per.get(s.summary)).toBe(1);
    expect(per.get(s.callBack)).toBe(1);
    expect(pages.every((p) => p.landscape)).toBe(true);
    const notAllCalls = pages.filter((p) => !p.sheet.startsWith(s.calls)).length;
    expect(notAllCalls).toBeLessThanOrEqual(8);
  });
});

/** A client to call with long names and comments, as a busy day has them. */
function client(n: number): CallFirstEntry {
  const number = `7916${String(10_000_000 + n * 7919).slice(1)}`;
  return {
    number,
    display: number,
    formatted: `+7 916 ${number.slice(4, 7)}-${number.slice(7, 9)}-${number.slice(9)}`,
    outcome: n % 5 === 4 ? 'callback_failed' : 'unreturned',
    misses: 1 + (n % 3),
    first_missed_at: `2025-03-01 ${String(8 + (n % 10)).padStart(2, '0')}:05:00`,
    last_missed_at: `2025-03-01 ${String(9 + (n % 10)).padStart(2, '0')}:45:10`,
    longest_ring_seconds: 20 + n,
    attempts: n % 5 === 4 ? 2 : 0,
    line: '74951234567',
    line_comment: n % 2 ? 'Реклама Яндекс' : 'Отдел продаж',
    employees: n % 3 ? ['Константинопольская Александра', 'Петрова Мария'] : ['Иванов Иван'],
  };
}

describe('"Call back" with 40 clients', () => {
  it('fits on one landscape page', async () => {
    const work = join(dir, 'forty');
    const xlsx = join(dir, 'forty.xlsx');
    const summary = smallDaySummary();
    const callFirst = Array.from({ length: 40 }, (_, i) => client(i));
    await writeWorkbook({
      output: xlsx,
      summary: { ...summary, missed: { ...summary.missed, call_first: callFirst } },
      missed: [],
      calls: CallTable.from([makeCall('2025-03-01 09:00:00')]),
      language: 'ru',
    });
    const pdf = await toPdf(xlsx, work);
    await renderPages(pdf, 'call-back-40');
    const pages = (await pdfPages(pdf)).filter((p) => p.sheet === dictionaries.ru.sheets.callBack);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.landscape).toBe(true);
  });
});

/** Rows of a sheet by their first cell. */
function byLabel(rows: readonly string[][]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const r of rows) if (r[0] && !map.has(r[0])) map.set(r[0], r);
  return map;
}

describe('the demo day in Gnumeric', () => {
  it('converts every sheet to CSV, and reads the summary JSON’s figures on the summary', async () => {
    const { xlsx, summary, work } = await demoDay('ru');
    const { sheets, messages } = await gnumericSheets(xlsx, work);
    // Its notes about what it lacks (colour scales) are fine; nothing else.
    const other = messages.split('\n').filter((l) => l.trim() && !/unhandled conditional format/.test(l));
    expect(other).toEqual([]);
    const d = dictionaries.ru;
    expect([...sheets.keys()].slice(0, 2)).toEqual([d.sheets.callBack, d.sheets.summary]);
    expect(sheets.get(d.sheets.callBack)?.length).toBe(summary.missed.call_first.length + 1);

    const rows = byLabel(sheets.get(d.sheets.summary) ?? []);
    const seconds = (label: string, column = 1): number | null => {
      const v = rows.get(label)?.[column];
      return v === undefined || v === '' ? null : Math.round(Number(v) * 86400);
    };
    const number = (label: string, column = 1): number => Number(rows.get(label)?.[column]);
    const t = summary.totals;
    const m = summary.missed;
    const f = d.figures;
    expect(number(f.incoming_missed.label)).toBe(t.incoming_missed);
    expect(number(f.missed_rate.label)).toBeCloseTo(t.missed_rate, 12);
    expect(number(d.workbook.clientsToCall.label)).toBe(m.call_first.length);
    expect(number(d.missedFigures.unreturned.label)).toBe(m.unreturned);
    expect(number(d.missedFigures.called_back.label)).toBe(m.called_back);
    expect(seconds(f.avg_wait_seconds.label)).toBe(t.avg_wait_seconds);
    expect(number(f.sla_rate.label)).toBeCloseTo(t.sla_rate, 12);
    for (const key of [
      'calls',
      'internal',
      'incoming',
      'incoming_answered',
      'outgoing',
      'short_missed',
    ] as const)
      expect(number(f[key].label), key).toBe(t[key]);
    for (const key of ['talk_seconds', 'avg_talk_seconds_incoming', 'max_wait_seconds'] as const)
      expect(seconds(f[key].label), key).toBe(t[key]);
    expect(number(d.missedFigures.numbers.label)).toBe(m.numbers);
    expect(number(d.missedFigures.callback_failed.label)).toBe(m.callback_failed);
    expect(seconds(d.missedFigures.avg_callback_delay_seconds.label)).toBe(m.avg_callback_delay_seconds);
    for (const key of ['le_15m', 'le_1h', 'le_4h', 'later'] as const)
      expect(number(d.buckets[key].label), key).toBe(m.callback_delay_buckets[key]);
    const prev = summary.previous;
    if (prev) {
      expect(number(f.incoming_missed.label, 2)).toBe(prev.totals.incoming_missed);
      expect(number(f.incoming_missed.label, 3)).toBe(t.incoming_missed - prev.totals.incoming_missed);
      expect(number(d.workbook.clientsToCall.label, 2)).toBe(prev.missed.call_first_count);
    }
  });
});

const CYRILLIC = /[А-Яа-яЁё]/;

describe('the English demo day', () => {
  it('has no Russian outside the customer’s own data (names, line comments, tags, comments)', async () => {
    const { xlsx, work } = await demoDay('en');
    const pdf = await toPdf(xlsx, work);
    await renderPages(pdf, 'demo-day-en');
    const { sheets } = await gnumericSheets(xlsx, work);
    // The customer's data, from the "All calls" columns that hold it.
    const all = sheets.get(dictionaries.en.sheets.calls) ?? [];
    const header = all[0] ?? [];
    const c = dictionaries.en.columns.calls;
    const theirs = [
      c.lineComment,
      c.employees,
      c.receivedCall,
      c.firstEmployee,
      c.secondEmployee,
      c.coaches,
      c.tags,
      c.comment,
      c.commentAuthor,
    ].map((h) => header.indexOf(h));
    expect(theirs.every((i) => i >= 0)).toBe(true);
    const data = new Set<string>();
    for (const row of all.slice(1))
      for (const i of theirs) for (const part of (row[i] ?? '').split(', ')) if (part) data.add(part);
    const known = [...data].sort((a, b) => b.length - a.length);
    const left: string[] = [];
    for (const [name, rows] of sheets) {
      expect(CYRILLIC.test(name), name).toBe(false);
      rows.forEach((row, r) => {
        for (const cell of row) {
          let text = cell;
          for (const k of known) if (text.includes(k)) text = text.split(k).join('');
          if (CYRILLIC.test(text)) left.push(`${name}:${r + 1}: ${cell}`);
        }
      });
    }
    expect(left.slice(0, 10)).toEqual([]);
  });
});
