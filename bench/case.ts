/**
 * One measurement of the benchmark, in a process of its own so that its peak
 * RSS is its own (`bench/run.ts` starts it). Prints one JSON line.
 *
 *   node bench/case.ts '{"kind":"pipeline","url":…,"token":…,"reportId":…,"from":…,"till":…,"dir":…}'
 *
 * kinds:
 * - `pipeline`: the report end to end: `runReport` with the Data API source
 *   (paging, range splitting, the normaliser, the compact table), the figures,
 *   the full workbook, the local folder storage and the outbox mailer.
 * - `baselineA`: exceljs's streaming writer writing only the "All calls" sheet
 *   the simple way: default options, one row added and committed per call in a
 *   tight loop, then commit. The calls (fetched first, untimed) are the same,
 *   and so are the cells; making the cells is timed on its own and taken off.
 * - `baselineB`: the fetch and JSON parse of the same pages alone (the same
 *   client: paging, parallel pages, range splitting), the rows dropped.
 * - `baselineC`: the compression floor: `node:zlib` at the product's level
 *   (`ZIP_LEVEL`) deflating the "All calls" sheet's XML (each of its parts) exactly as the
 *   product wrote it for these calls (read from the pipeline's XLSX of the
 *   same run and inflated in memory before the clock starts), in one call.
 * - `warmup`: `baselineB`, to fill the simulator's caches; not reported.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { LocalFolderStorage } from '../functions/shared/adapters/local/folder-storage.ts';
import { OutboxMailer } from '../functions/shared/adapters/local/outbox.ts';
import { DataApiCallSource, type FetchedCalls } from '../functions/shared/calls/source.ts';
import { DataApiClient } from '../functions/shared/dataapi/client.ts';
import { runReport } from '../functions/shared/pipeline/run-report.ts';
import { dictionary } from '../functions/shared/report/i18n.ts';
import { DEFAULT_SETTINGS } from '../functions/shared/report/types.ts';
import { callSheet } from '../functions/shared/report/workbook/calls-sheet.ts';
import { ZIP_LEVEL } from '../functions/shared/report/xlsx/write-xlsx.ts';
import { DEFAULT_TIMEZONE, periodBounds } from '../functions/shared/time.ts';
import { occurrences, type ZipEntry, zipEntries } from './zip.ts';

export type CaseKind = 'pipeline' | 'baselineA' | 'baselineB' | 'baselineC' | 'warmup';

export interface CaseArgs {
  kind: CaseKind;
  url: string;
  token: string;
  reportId: number;
  /** The period, `YYYY-MM-DD`, Europe/Moscow. */
  from: string;
  till: string;
  /** A scratch folder for the files written. */
  dir: string;
  /** Baseline C: the pipeline's XLSX of this run. */
  xlsx?: string;
  /** Page bodies the client holds at once (its `pagesHeld`); default the client's. */
  pagesHeld?: number;
}

export interface CaseResult {
  kind: CaseKind;
  /** Seconds of the measured work (modules loaded and, for baseline A, the calls fetched before). */
  wallSeconds: number;
  /** Peak resident set of the whole process, MB. */
  peakRssMb: number;
  /** Calls in the period (rows of "All calls"), or rows fetched for baseline B. */
  rows: number;
  xlsxBytes: number | null;
  /** The compact record: the call table's bytes per call (pipeline only). */
  tableBytesPerCall: number | null;
  /** Baseline A: seconds spent making the cells (taken off `wallSeconds`). */
  cellsSeconds?: number;
  /** Baseline C: bytes of the sheet's XML deflated, and of the deflated result. */
  sheetXmlBytes?: number;
  deflatedBytes?: number;
  /** Resident set when the measured work began, MB. */
  startRssMb: number;
  /** CPU seconds (user + system, all threads: deflate on libuv's pool too) of the measured work. */
  cpuSeconds: number;
  /** Pipeline: seconds spent in the source's fetch (until the calls were all in). */
  fetchSeconds?: number;
}

/** Far after any benchmark period: "now" never shortens the follow-up day. */
const NOW = Date.UTC(2025, 5, 1);
const TIMEZONE = DEFAULT_TIMEZONE;

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;
const peakRssMb = (): number => Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
/** CPU seconds since `from` (a `process.cpuUsage()`). */
const cpuSince = (from: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
};

function source(a: CaseArgs): DataApiCallSource {
  const client = new DataApiClient({
    url: a.url,
    accessToken: a.token,
    ...(a.pagesHeld === undefined ? {} : { pagesHeld: a.pagesHeld }),
  });
  return new DataApiCallSource(client, {
    reportId: a.reportId,
  });
}

/** The range the pipeline fetches: the period and its follow-up day. */
function range(a: CaseArgs): { from: number; till: number; start: number; end: number } {
  const { start, end } = periodBounds({ from: a.from, till: a.till, timezone: TIMEZONE });
  return { from: start, till: end + DEFAULT_SETTINGS.callback_horizon_hours * 3_600_000, start, end };
}

async function pipeline(a: CaseArgs): Promise<CaseResult> {
  const src = source(a);
  let tableBytesPerCall: number | null = null;
  let fetchSeconds = 0;
  const fetch = src.fetch.bind(src);
  src.fetch = async (r, onProgress, onArrived): Promise<FetchedCalls> => {
    const t = performance.now();
    const fetched = await fetch(r, onProgress, onArrived);
    fetchSeconds += (performance.now() - t) / 1000;
    const f = fetched.calls.footprint();
    tableBytesPerCall = f.rows > 0 ? Math.round(f.bytes / f.rows) : null;
    return fetched;
  };
  const startRssMb = mb(process.memoryUsage().rss);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await runReport(
    {
      subscription: 'bench',
      period: { from: a.from, till: a.till, timezone: TIMEZONE },
      language: 'ru',
      recipients: ['head@example.com'],
      from: 'reports@example.com',
    },
    {
      source: src,
      storage: new LocalFolderStorage(a.dir),
      mailer: new OutboxMailer(join(a.dir, 'outbox'), () => NOW),
      clock: { now: () => NOW },
    },
  );
  const wallSeconds = (performance.now() - t0) / 1000;
  return {
    kind: a.kind,
    wallSeconds,
    peakRssMb: peakRssMb(),
    rows: result.summary.totals.calls,
    xlsxBytes: result.manifest.workbook.bytes,
    tableBytesPerCall,
    startRssMb,
    cpuSeconds: cpuSince(cpu0),
    fetchSeconds,
  };
}

async function baselineA(a: CaseArgs): Promise<CaseResult> {
  // The same calls, fetched as the pipeline fetches them (not timed).
  const r = range(a);
  const { calls: table } = await source(a).fetch({ from: r.from, till: r.till });
  const order = table.select(r.start, r.end, true);
  const sheet = callSheet('ru');
  // Making the cells alone, to take it off the writer's time.
  let t = performance.now();
  let cells = 0;
  for (let i = 0; i < order.length; i++) cells += sheet.cells(table.at(order[i] as number)).length;
  const cellsSeconds = (performance.now() - t) / 1000;

  const file = join(a.dir, 'baseline-a.xlsx');
  const startRssMb = mb(process.memoryUsage().rss);
  const cpu0 = process.cpuUsage();
  t = performance.now();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file });
  const ws = wb.addWorksheet('Все звонки');
  ws.columns = sheet.headers.map((header) => ({ header, width: 16 }));
  for (let i = 0; i < order.length; i++) {
    ws.addRow(sheet.cells(table.at(order[i] as number))).commit();
  }
  ws.commit();
  await wb.commit();
  const total = (performance.now() - t) / 1000;
  return {
    kind: a.kind,
    wallSeconds: Math.max(0, total - cellsSeconds),
    cellsSeconds,
    peakRssMb: peakRssMb(),
    rows: cells > 0 ? order.length : 0,
    xlsxBytes: (await stat(file)).size,
    tableBytesPerCall: null,
    startRssMb,
    cpuSeconds: cpuSince(cpu0),
  };
}

async function baselineB(a: CaseArgs): Promise<CaseResult> {
  const r = range(a);
  const startRssMb = mb(process.memoryUsage().rss);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const stats = await source(a).fetchRows({ from: r.from, till: r.till }, () => {});
  return {
    kind: a.kind,
    wallSeconds: (performance.now() - t0) / 1000,
    peakRssMb: peakRssMb(),
    rows: stats.rows,
    xlsxBytes: null,
    tableBytesPerCall: null,
    startRssMb,
    cpuSeconds: cpuSince(cpu0),
  };
}

/**
 * The parts of the "All calls" sheet in the workbook ("Все звонки", and
 * "Все звонки 2"… past a sheet's rows), by the names in xl/workbook.xml.
 */
function callSheetParts(entries: readonly ZipEntry[]): ZipEntry[] {
  const text = (name: string): string =>
    entries
      .find((e) => e.name === name)
      ?.read()
      .toString('utf8') ?? '';
  const base = dictionary('ru').sheets.calls;
  const rels = text('xl/_rels/workbook.xml.rels');
  const targets = new Map(
    [...rels.matchAll(/<Relationship [^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"/g)].map((m) => [m[1], m[2]]),
  );
  const parts = [...text('xl/workbook.xml').matchAll(/<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"/g)]
    .filter((m) => m[1] === base || m[1]?.startsWith(`${base} `))
    .map((m) => `xl/${(targets.get(m[2]) ?? '').replace(/^\/?xl\//, '')}`);
  return parts.map((p) => {
    const e = entries.find((x) => x.name === p);
    if (e === undefined) throw new Error(`no ${p} in the workbook`);
    return e;
  });
}

async function baselineC(a: CaseArgs): Promise<CaseResult> {
  if (a.xlsx === undefined) throw new Error('baselineC needs the pipeline\'s XLSX ("xlsx")');
  const parts = callSheetParts(zipEntries(await readFile(a.xlsx)));
  if (parts.length === 0) throw new Error(`no "All calls" sheet in ${a.xlsx}`);
  const xmls = parts.map((p) => p.read());
  const rows = xmls.reduce((n, x) => n + occurrences(x, '<row '), 0);
  const startRssMb = mb(process.memoryUsage().rss);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let deflatedBytes = 0;
  for (const xml of xmls) deflatedBytes += deflateRawSync(xml, { level: ZIP_LEVEL }).length;
  const wallSeconds = (performance.now() - t0) / 1000;
  return {
    kind: a.kind,
    wallSeconds,
    peakRssMb: peakRssMb(),
    rows,
    xlsxBytes: null,
    tableBytesPerCall: null,
    sheetXmlBytes: xmls.reduce((n, x) => n + x.length, 0),
    deflatedBytes,
    startRssMb,
    cpuSeconds: cpuSince(cpu0),
  };
}

export async function runCase(a: CaseArgs): Promise<CaseResult> {
  switch (a.kind) {
    case 'pipeline':
      return pipeline(a);
    case 'baselineA':
      return baselineA(a);
    case 'baselineC':
      return baselineC(a);
    case 'baselineB':
    case 'warmup':
      return baselineB(a);
  }
}

if (import.meta.main) {
  const args = JSON.parse(process.argv[2] ?? '{}') as CaseArgs;
  runCase(args).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
    },
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exit(1);
    },
  );
}
