/**
 * The workbook in the programs a manager opens it with, driven from the tests
 * (Debian's packages; `.ci/run` installs them): LibreOffice converts it to PDF
 * (`soffice --headless --convert-to pdf`), poppler reads the pages (`pdfinfo`,
 * `pdftotext`) and renders them to PNG (`pdftoppm`) for a person to look at,
 * and Gnumeric, a second reader written independently, converts every sheet to
 * CSV (`ssconvert -S`).
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where the pictures of the pages go (git-ignored), for a person to look at. */
export const ARTIFACTS = join(import.meta.dirname, 'artifacts');

async function which(names: readonly string[], hint: string): Promise<string> {
  for (const name of names) {
    try {
      const { stdout } = await run('which', [name]);
      if (stdout.trim()) return stdout.trim();
    } catch {
      // try the next name
    }
  }
  throw new Error(`${names[0]} is not installed: apt-get install ${hint}`);
}

/** Converts an XLSX to PDF with LibreOffice (its own profile in `workDir`); the PDF's path. */
export async function toPdf(xlsx: string, workDir: string): Promise<string> {
  const soffice = await which(['soffice', 'libreoffice'], 'libreoffice-calc-nogui');
  const out = join(workDir, 'pdf');
  await mkdir(out, { recursive: true });
  await run(
    soffice,
    [
      '--headless',
      `-env:UserInstallation=file://${join(workDir, 'lo-profile')}`,
      '--convert-to',
      'pdf',
      '--outdir',
      out,
      xlsx,
    ],
    { timeout: 120_000 },
  );
  return join(out, basename(xlsx).replace(/\.xlsx$/, '.pdf'));
}

export interface PdfPage {
  /** The sheet the page prints, read from its footer (the workbook's footer starts with the sheet's name). */
  sheet: string;
  landscape: boolean;
}

/** Every page of a PDF of the workbook: its sheet and orientation. */
export async function pdfPages(pdf: string): Promise<PdfPage[]> {
  await which(['pdfinfo'], 'poppler-utils');
  const info = (await run('pdfinfo', ['-l', '100000', pdf])).stdout;
  const sizes = [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)/gm)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
  const pages: PdfPage[] = [];
  for (let i = 0; i < sizes.length; i++) {
    const text = (await run('pdftotext', ['-f', `${i + 1}`, '-l', `${i + 1}`, '-layout', pdf, '-'])).stdout;
    const footer =
      text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .at(-1) ?? '';
    const [w = 0, h = 0] = sizes[i] ?? [];
    pages.push({ sheet: footer.trim().split(/\s{2,}/)[0] ?? '', landscape: w > h });
  }
  return pages;
}

/** Pages per sheet, in the order met. */
export function pagesPerSheet(pages: readonly PdfPage[]): Map<string, number> {
  const count = new Map<string, number>();
  for (const p of pages) count.set(p.sheet, (count.get(p.sheet) ?? 0) + 1);
  return count;
}

/** Renders a PDF's pages to `ARTIFACTS/<name>-N.png` at 60 dpi. */
export async function renderPages(pdf: string, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await run('pdftoppm', ['-png', '-r', '60', pdf, join(ARTIFACTS, name)], { timeout: 120_000 });
}

export interface GnumericSheets {
  /** Each sheet's cells as Gnumeric reads them (raw values: numbers unformatted), by sheet name. */
  sheets: Map<string, string[][]>;
  /** What ssconvert said on stderr. */
  messages: string;
}

/** Every sheet of the workbook as Gnumeric reads it (`ssconvert -S`, raw values); rejects when ssconvert fails. */
export async function gnumericSheets(xlsx: string, workDir: string): Promise<GnumericSheets> {
  const ssconvert = await which(['ssconvert'], 'gnumeric');
  const out = join(workDir, 'gnumeric');
  await mkdir(out, { recursive: true });
  const { stderr } = await run(
    ssconvert,
    [
      '-S',
      '--export-type=Gnumeric_stf:stf_assistant',
      '-O',
      'format=raw separator=, quoting-mode=always',
      xlsx,
      join(out, '%n.%s.csv'),
    ],
    { timeout: 120_000, env: { ...process.env, HOME: workDir } },
  );
  const sheets = new Map<string, string[][]>();
  const files = (await readdir(out)).filter((f) => f.endsWith('.csv'));
  files.sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
  for (const f of files) {
    const name = f.replace(/^\d+\./, '').replace(/\.csv$/, '');
    sheets.set(name, parseCsv(await readFile(join(out, f), 'utf8')));
  }
  return { sheets, messages: stderr };
}

/** RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (ch !== '\r') field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
