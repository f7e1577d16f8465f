/**
 * The workbook opens in LibreOffice: every sheet converts to CSV and the per-call
 * sheet has one line per call. Run by `npm run test:office` (needs LibreOffice:
 * `apt-get install libreoffice-calc-nogui`); `.ci/run` installs it and runs this.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFolderStorage } from '../../functions/shared/adapters/local/folder-storage.ts';
import type { CallSource } from '../../functions/shared/calls/source.ts';
import { CallTable } from '../../functions/shared/calls/table.ts';
import { runReport } from '../../functions/shared/pipeline/run-report.ts';
import { makeCall } from '../support/calls.ts';

function soffice(): string {
  for (const name of ['soffice', 'libreoffice']) {
    try {
      const path = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (path) return path;
    } catch {
      // try the next name
    }
  }
  throw new Error('LibreOffice is not installed: apt-get install libreoffice-calc-nogui');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'office-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the workbook in LibreOffice', () => {
  it.each(['ru', 'en'] as const)('opens with every sheet readable (%s)', async (language) => {
    const calls = Array.from({ length: 300 }, (_, i) =>
      makeCall(`2024-10-21 ${String(8 + (i % 12)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`, {
        lost: i % 5 === 0,
        direction: i % 3 === 0 ? 'out' : 'in',
        contactNumber: `7900${String(i % 40).padStart(7, '0')}`,
      }),
    );
    const source: CallSource = {
      reportId: 1,
      fetch: async () => ({
        calls: CallTable.from(calls),
        rejectedCount: 0,
        rejected: [],
        droppedParts: [],
        stats: { rows: 300, duplicateRows: 0, pages: 1, windows: 1, requests: 1, anomalies: [] },
      }),
    };
    const out = join(dir, language);
    const r = await runReport(
      {
        subscription: 'office',
        period: { from: '2024-10-21', till: '2024-10-21', timezone: 'Europe/Moscow' },
        language,
      },
      { source, storage: new LocalFolderStorage(out), clock: { now: () => Date.UTC(2024, 9, 22, 6) } },
    );
    // The CSV filter's last token (-1) exports every sheet to its own file.
    execFileSync(
      soffice(),
      [
        '--headless',
        `-env:UserInstallation=file://${join(dir, `profile-${language}`)}`,
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
        '--outdir',
        out,
        r.manifest.workbook.location,
      ],
      { timeout: 120_000, stdio: 'pipe' },
    );
    const csvs = (await readdir(out)).filter((f) => f.endsWith('.csv')).sort();
    expect(csvs).toHaveLength(7);
    const callsSheet = csvs.find((f) => f.includes(language === 'ru' ? 'Все звонки' : 'All calls'));
    expect(callsSheet).toBeDefined();
    const lines = (await readFile(join(out, callsSheet ?? ''), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(301);
  });
});
