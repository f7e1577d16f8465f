/**
 * What the command line tells a person, run in-process on the demo (the
 * built-in simulator): the paths of what it wrote, the email's `.html` among
 * them (the file to open), and progress lines that each end where the next begins.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.ts';

let dir: string;
let stdout = '';
let stderr = '';
let code: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-output-'));
  code = await runCli(
    ['--date', '2026-11-26', '--out', dir],
    {},
    {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s), isTTY: true },
      clock: { now: () => Date.UTC(2026, 10, 27, 5, 0) },
    },
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the command line', () => {
  it('prints the workbook, the summary, the .eml, the .html a person opens and the Telegram message', async () => {
    expect(code).toBe(0);
    const paths = stdout.split('\n').filter((l) => l.startsWith(dir));
    expect(paths.map((p) => p.replace(/^.*\/[^.]*\./, '.'))).toEqual([
      '.xlsx',
      '.summary.json',
      '.eml',
      '.html',
      '.telegram.json',
    ]);
    const html = paths[3] ?? '';
    expect(html.replace(/\.html$/, '')).toBe((paths[2] ?? '').replace(/\.eml$/, ''));
    expect(await readFile(html, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('ends the "Email written" progress line, so nothing runs into it', () => {
    expect(stderr).toContain('Email written for 1 recipient(s)\n');
    expect(stderr.endsWith('\n')).toBe(true);
  });
});
