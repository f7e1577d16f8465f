/**
 * Fetch and write overlapped (issue 19): the "All calls" rows of the windows
 * already read go into the workbook while later windows are still fetched. A
 * source that holds its second day back until the workbook's file has grown
 * proves it: without the overlap the report would never finish.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalFolderStorage } from '../../functions/shared/adapters/local/folder-storage.ts';
import type { CallSource, FetchedCalls } from '../../functions/shared/calls/source.ts';
import { CallTable } from '../../functions/shared/calls/table.ts';
import type { ReportLocation, StoredObject } from '../../functions/shared/pipeline/ports.ts';
import { type PipelineProgress, runReport } from '../../functions/shared/pipeline/run-report.ts';
import { blankCall, wall } from '../support/calls.ts';

const PERIOD = { from: '2024-10-14', till: '2024-10-15', timezone: 'Europe/Moscow' };
const NOW = Date.UTC(2024, 9, 20, 9, 0, 0);
const PER_DAY = 3000;

/** A day's calls, every 20 s from 07:00, with a comment long enough to fill the sheet's buffers. */
function day(date: string, firstId: number) {
  return Array.from({ length: PER_DAY }, (_, i) =>
    blankCall(firstId + i, wall(`${date} 07:00:00`) + i * 20_000, {
      comment: `Звонок ${firstId + i}: перезвонить по поводу заказа`,
    }),
  );
}

/**
 * More than the zip's parts before any sheet (the theme, the relations: under
 * 2 KB deflated): only rows make this many bytes.
 */
const ROWS_BYTES = 32 * 1024;

/** Local storage whose workbook output is counted on its way to the file, and tells when rows make it grow past `ROWS_BYTES`. */
class WatchedStorage extends LocalFolderStorage {
  bytes = 0;
  readonly grew: Promise<void>;
  private tell: () => void = () => {};
  constructor(dir: string) {
    super(dir);
    this.grew = new Promise((resolve) => {
      this.tell = resolve;
    });
  }
  override saveWorkbook(
    loc: ReportLocation,
    fileName: string,
    write: (out: NodeJS.WritableStream) => Promise<void>,
  ): Promise<StoredObject> {
    return super.saveWorkbook(loc, fileName, (out) => {
      const pass = out.write.bind(out) as (chunk: Buffer, ...rest: unknown[]) => boolean;
      out.write = ((chunk: Buffer, ...rest: unknown[]) => {
        this.bytes += chunk.length;
        if (this.bytes > ROWS_BYTES) this.tell();
        return pass(chunk, ...rest);
      }) as typeof out.write;
      return write(out);
    });
  }
}

let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

describe('fetch and write overlapped', () => {
  // Without the overlap the fetch would wait for ever: a broken overlap fails by this test's timeout.
  it('writes the "All calls" rows of the calls already in while the rest are still fetched', {
    timeout: 30_000,
  }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'overlap-'));
    const storage = new WatchedStorage(dir);
    let bytesWhileFetching = 0;
    const source: CallSource = {
      reportId: 1015,
      async fetch(_range, _progress, onArrived): Promise<FetchedCalls> {
        const table = new CallTable({ distinctIds: true });
        // The like period (fetched first, without a listener): no calls.
        if (onArrived) {
          for (const c of day('2024-10-14', 1)) table.push(c);
          onArrived(table, wall('2024-10-14 23:59:59'));
          // The second day comes only once the first day's rows are on their way into the file.
          await storage.grew;
          bytesWhileFetching = storage.bytes;
          for (const c of day('2024-10-15', 1 + PER_DAY)) table.push(c);
        }
        return fetched(table);
      },
    };
    const phases: PipelineProgress['phase'][] = [];
    const rows: { rows: number; total: number }[] = [];
    await runReport(
      { subscription: 'overlap', period: PERIOD, language: 'ru' },
      {
        source,
        storage,
        clock: { now: () => NOW },
        onProgress: (p) => {
          phases.push(p.phase);
          if (p.phase === 'workbook') rows.push({ rows: p.rows, total: p.total });
        },
      },
    );
    expect(bytesWhileFetching).toBeGreaterThan(ROWS_BYTES);
    expect(phases).toContain('workbook');
    // The rows told count up to the calls, never past them (the small sheets come after "All calls").
    expect(rows.at(-1)).toEqual({ rows: 2 * PER_DAY, total: 2 * PER_DAY });
    expect(rows.every((r, i) => r.rows <= r.total && (i === 0 || r.rows >= (rows[i - 1]?.rows ?? 0)))).toBe(
      true,
    );
    // The progress still reads fetch, then figures, then workbook.
    const order = ['fetch', 'figures', 'workbook', 'stored'];
    const seen = phases.filter((p) => order.includes(p)).map((p) => order.indexOf(p));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    const file = (await readdir(dir)).find((f) => f.endsWith('.xlsx')) as string;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, file));
    expect(wb.worksheets.at(-1)?.name).toBe('Все звонки');
    const all = wb.getWorksheet('Все звонки') as ExcelJS.Worksheet;
    const ids: unknown[] = [];
    for (let r = 2; r <= all.rowCount; r++) ids.push(all.getRow(r).getCell(1).value);
    expect(ids).toEqual(Array.from({ length: 2 * PER_DAY }, (_, i) => i + 1));
  });

  it('tells the fetch’s own error when the fetch fails after the rows began, and leaves no file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'overlap-'));
    const storage = new WatchedStorage(dir);
    const broken = new Error('Data API went away');
    const source: CallSource = {
      reportId: 1015,
      async fetch(_range, _progress, onArrived): Promise<FetchedCalls> {
        if (!onArrived) return fetched(new CallTable({ distinctIds: true }));
        const table = new CallTable({ distinctIds: true });
        for (const c of day('2024-10-14', 1)) table.push(c);
        onArrived(table, wall('2024-10-14 23:59:59'));
        await storage.grew;
        throw broken;
      },
    };
    const run = runReport(
      { subscription: 'overlap', period: PERIOD, language: 'ru' },
      { source, storage, clock: { now: () => NOW } },
    );
    await expect(run).rejects.toBe(broken);
    expect(await readdir(dir)).toEqual([]);
  });

  it('ends the fetch at its next window with the storage’s error when the workbook cannot be stored', async () => {
    dir = await mkdtemp(join(tmpdir(), 'overlap-'));
    const refused = new Error('S3 refused the upload');
    let refusal: () => void = () => {};
    const refusedOnce = new Promise<void>((resolve) => {
      refusal = resolve;
    });
    const storage = new (class extends LocalFolderStorage {
      override saveWorkbook(
        loc: ReportLocation,
        fileName: string,
        write: (out: NodeJS.WritableStream) => Promise<void>,
      ): Promise<StoredObject> {
        // The upload refuses its first part (the file the folder opened stays empty, and is removed).
        const upload = new Writable({
          write: (_chunk, _encoding, done) => {
            done(refused);
            refusal();
          },
        });
        return super.saveWorkbook(loc, fileName, () => write(upload));
      }
    })(dir);
    // After the first window, the fetch waits for the upload to refuse (its first part is the zip's
    // theme, written at once), and one turn of the event loop for the error to travel.
    const { source, told } = hourlySource(200, async (hour) => {
      if (hour > 0) return;
      await refusedOnce;
      await new Promise<void>((resolve) => setImmediate(resolve));
    });
    const run = runReport(
      { subscription: 'overlap', period: PERIOD, language: 'ru' },
      { source, storage, clock: { now: () => NOW } },
    );
    await expect(run).rejects.toBe(refused);
    // The window after the refusal is refused: the writer, still waiting for the 2 000 calls its
    // widths are sampled from, heard of the failure and gave up, and the fetch ended there.
    expect(told() - 1).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('ends the fetch at its next window when the storage fails before the workbook begins', async () => {
    dir = await mkdtemp(join(tmpdir(), 'overlap-'));
    const refused = new Error('the bucket is gone');
    const storage = new (class extends LocalFolderStorage {
      override async saveWorkbook(): Promise<StoredObject> {
        throw refused;
      }
    })(dir);
    const { source, told } = hourlySource(1, () => new Promise<void>((resolve) => setImmediate(resolve)));
    await expect(
      runReport(
        { subscription: 'overlap', period: PERIOD, language: 'ru' },
        { source, storage, clock: { now: () => NOW } },
      ),
    ).rejects.toBe(refused);
    // The storage's rejection was heard within the first window's turn.
    expect(told()).toBeLessThanOrEqual(2);
  });
});

/**
 * A source of the period in windows of an hour, `perHour` calls each (the like
 * period, asked without a listener, has none); `after(hour)` runs once a window
 * is handed on. `told()`: the windows handed on, the one refused included.
 */
function hourlySource(
  perHour: number,
  after: (hour: number) => Promise<void>,
): { source: CallSource; told: () => number } {
  let told = 0;
  const source: CallSource = {
    reportId: 1015,
    async fetch(_range, _progress, onArrived): Promise<FetchedCalls> {
      const table = new CallTable({ distinctIds: true });
      if (!onArrived) return fetched(table);
      for (let hour = 0; hour < 48; hour++) {
        const from = wall('2024-10-14 00:00:00') + hour * 3_600_000;
        for (let i = 0; i < perHour; i++) table.push(blankCall(hour * 1000 + i + 1, from + i * 10_000));
        told++;
        onArrived(table, from + 3_599_000);
        await after(hour);
      }
      return fetched(table);
    },
  };
  return { source, told: () => told };
}

function fetched(table: CallTable): FetchedCalls {
  return {
    calls: table,
    rejectedCount: 0,
    rejected: [],
    droppedParts: [],
    stats: { rows: table.length, duplicateRows: 0, pages: 1, windows: 1, requests: 1, anomalies: [] },
  };
}
