/**
 * The command line end to end, as a real child process against the simulator:
 * the summary JSON is compared with figures computed here, independently and
 * naively, from the simulator's own rows.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../functions/shared/calls/call.ts';
import { normaliseRow } from '../../functions/shared/calls/normalise/normaliser.ts';
import type { Summary } from '../../functions/shared/report/types.ts';
import { parseWall } from '../../functions/shared/time.ts';
import { generateCalls } from '../../simulator/generator.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { S3RVER_CREDENTIALS, startS3rver } from '../support/s3rver.ts';
import { startSesLocal } from '../support/ses-local.ts';
import { WORKING_HOURS_REFUSALS } from '../support/working-hours-refusals.ts';

const run = promisify(execFile);
const TOKEN = 'cli-test-token';
let sim: Simulator;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({
    accessToken: TOKEN,
    rows: generateCalls({ seed: 11, from: '2024-10-21', till: '2024-10-22', callsPerDay: 600 }),
  });
  dir = await mkdtemp(join(tmpdir(), 'cli-test-'));
});

afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, ['cli/report.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', REPORT_TIMEZONE: 'Europe/Moscow', ...env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function calls(): Call[] {
  const out: Call[] = [];
  for (const row of sim.rows) {
    const r = normaliseRow(row);
    if (!r.ok) throw new Error(r.reason);
    out.push(r.call);
  }
  return out;
}

describe('npm run report', () => {
  it('makes one workbook and one summary whose figures match an independent count', async () => {
    const out = join(dir, 'day');
    const r = await cli(['--date', '2024-10-21', '--out', out], {
      MGF_API_URL: sim.url,
      MGF_ACCESS_TOKEN: TOKEN,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = (await readdir(out)).sort();
    expect(files.filter((f) => f.endsWith('.xlsx'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.summary.json'))).toHaveLength(1);
    expect((await readdir(join(out, 'outbox'))).some((f) => f.endsWith('.eml'))).toBe(true);
    const xlsx = files.find((f) => f.endsWith('.xlsx')) ?? '';
    expect(r.stdout).toContain(join(out, xlsx));

    const summaryFile = files.find((f) => f.endsWith('.summary.json')) ?? '';
    const s = JSON.parse(await readFile(join(out, summaryFile), 'utf8')) as Summary;

    // Independent, naive figures.
    const all = calls();
    const dayStart = parseWall('2024-10-21 00:00:00') ?? 0;
    const dayEnd = parseWall('2024-10-21 23:59:59') ?? 0;
    const horizon = dayEnd + 24 * 3600_000;
    const inDay = all.filter((c) => c.start >= dayStart && c.start <= dayEnd);
    const ext = inDay.filter((c) => !c.internal);
    const missed = ext.filter((c) => c.direction === 'in' && c.lost);
    const outcome = (m: Call) => {
      const later = all
        .filter((c) => !c.internal && c.contactNormal === m.contactNormal && m.contactNormal !== null)
        .filter((c) => c.start > m.start && c.start <= horizon)
        .sort((a, b) => a.start - b.start || a.id - b.id);
      const answered = later.find((c) => !c.lost);
      if (answered) return answered.direction === 'out' ? 'called_back' : 'client_called_again';
      return later.some((c) => c.direction === 'out') ? 'callback_failed' : 'unreturned';
    };
    const outcomes = missed.map(outcome);
    const count = (o: string) => outcomes.filter((x) => x === o).length;

    expect(s.period).toEqual({
      from: '2024-10-21',
      till: '2024-10-21',
      timezone: 'Europe/Moscow',
      partial: false,
      as_of: null,
    });
    expect(s.totals.calls).toBe(inDay.length);
    expect(s.totals.internal).toBe(inDay.length - ext.length);
    expect(s.totals.incoming).toBe(ext.filter((c) => c.direction === 'in').length);
    expect(s.totals.incoming_missed).toBe(missed.length);
    expect(s.totals.outgoing).toBe(ext.filter((c) => c.direction === 'out').length);
    expect(s.totals.talk_seconds).toBe(
      ext.filter((c) => !c.lost).reduce((a, c) => a + (c.talkSeconds ?? 0), 0),
    );
    expect(s.missed).toMatchObject({
      total: missed.length,
      called_back: count('called_back'),
      client_called_again: count('client_called_again'),
      callback_failed: count('callback_failed'),
      unreturned: count('unreturned'),
    });
    expect(s.missed.unreturned_numbers).toEqual(
      [...new Set(missed.filter((_m, i) => outcomes[i] === 'unreturned').map((m) => m.contactNormal))]
        .filter((n) => n !== null)
        .sort(),
    );
    expect(count('called_back')).toBeGreaterThan(0);
    expect(count('unreturned')).toBeGreaterThan(0);
    expect(s.hours).toHaveLength(24);
  });

  it('stores in S3 and sends through SES when REPORTS_BUCKET, MAIL_FROM and MAIL_TO are set', async () => {
    const s3 = await startS3rver();
    const ses = await startSesLocal();
    try {
      const before = (await ses.emails()).length;
      const r = await cli(['--date', '2024-10-21', '--out', join(dir, 'aws')], {
        MGF_API_URL: sim.url,
        MGF_ACCESS_TOKEN: TOKEN,
        REPORTS_BUCKET: s3.bucket,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_ENDPOINT_URL_SESV2: ses.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        MAIL_FROM: 'reports@example.com',
        MAIL_TO: 'head@example.com',
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`s3://${s3.bucket}/reports/local/2024-10-21_2024-10-21/report.xlsx`);
      const mails = (await ses.emails()).slice(before);
      expect(mails).toHaveLength(1);
      expect(mails[0]?.to).toEqual(['head@example.com']);
      expect(mails[0]?.html).toContain('X-Amz-Signature');
      await expect(readdir(join(dir, 'aws'))).rejects.toThrow(); // nothing written locally
    } finally {
      await Promise.all([s3.dispose(), ses.stop()]);
    }
  });

  it('runs the demo on the built-in simulator without a token and says so first', async () => {
    const out = join(dir, 'demo');
    const r = await cli(['--date', '2024-10-21', '--out', out, '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/No MGF_ACCESS_TOKEN.*simulator/);
    expect((await readdir(out)).filter((f) => f.endsWith('.xlsx'))).toHaveLength(1);
    // The demo's API repeats a few calls, as the real one does, and the run copes.
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(
      /^The API repeated [1-9]\d* rows? \(.*\); each call was counted once\.$/,
    );
  });

  it('says on its last line how many rows the API repeated, and counts each call once', async () => {
    const repeating = await startSimulator({
      accessToken: TOKEN,
      rows: generateCalls({ seed: 12, from: '2024-10-21', till: '2024-10-22', callsPerDay: 600 }),
      faults: { repeatRows: 0.01 },
    });
    try {
      const env = { MGF_API_URL: repeating.url, MGF_ACCESS_TOKEN: TOKEN };
      const summaryOf = async (out: string) => {
        const file = (await readdir(out)).find((f) => f.endsWith('.summary.json')) ?? '';
        const { generated_at: _g, ...s } = JSON.parse(await readFile(join(out, file), 'utf8')) as Summary;
        return s;
      };
      const sent = repeating.repeatedRows; // every row of both days is in the day's fetch
      expect(sent).toBeGreaterThan(5);
      const r = await cli(['--date', '2024-10-21', '--out', join(dir, 'repeated')], env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split('\n').at(-1)).toBe(
        `The API repeated ${sent} rows (a call sent twice, its id once as a number, once as a string); each call was counted once.`,
      );
      const repeated = await summaryOf(join(dir, 'repeated'));
      expect(repeated.source.duplicate_rows).toBe(sent);

      repeating.clearFaults();
      const clean = await cli(['--date', '2024-10-21', '--out', join(dir, 'once')], env);
      expect(clean.code).toBe(0);
      expect(clean.stdout).not.toMatch(/repeated/);
      const once = await summaryOf(join(dir, 'once'));
      expect(once.source.duplicate_rows).toBe(0);
      expect({ ...repeated, source: once.source }).toEqual(once);
    } finally {
      await repeating.close();
    }
  });

  it.each([
    [['--date', '2024-13-01'], /--date must be a real date YYYY-MM-DD/],
    [['--from', '2024-10-22', '--till', '2024-10-21'], /--from 2024-10-22 is after --till 2024-10-21/],
    [['--from', '2023-01-01', '--till', '2024-10-21'], /at most 366/],
    [['--date', '2999-01-01'], /in the future/],
    [['--date', '2024-10-21', '--lang', 'de'], /--lang must be one of ru, en/],
    [['--from', '2024-10-21'], /--till is missing/],
    [['--date', '2024-10-21', '--report-id', 'abc'], /--report-id must be a positive whole number/],
    [['--bogus'], /Unknown option/],
  ])('refuses %j before any request, with exit code 2 and one line', async (args, message) => {
    sim.resetStats();
    const r = await cli(args, { MGF_API_URL: sim.url, MGF_ACCESS_TOKEN: TOKEN });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(sim.stats.requests).toBe(0);
  });

  it.each(WORKING_HOURS_REFUSALS)(
    'refuses --working-hours with %s before any request, with exit code 2 and the parser’s line',
    async (_what, text, message) => {
      sim.resetStats();
      const r = await cli(['--date', '2024-10-21', '--working-hours', text], {
        MGF_API_URL: sim.url,
        MGF_ACCESS_TOKEN: TOKEN,
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`Error: --working-hours: ${message}\n`);
      expect(sim.stats.requests).toBe(0);
    },
  );

  it('takes WORKING_HOURS, names it when it is bad, and lets --working-hours win over it', async () => {
    const env = { MGF_API_URL: sim.url, MGF_ACCESS_TOKEN: TOKEN };
    const [, badText, badMessage] = WORKING_HOURS_REFUSALS[0] ?? [];
    sim.resetStats();
    const bad = await cli(['--date', '2024-10-21'], { ...env, WORKING_HOURS: badText ?? '' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`Error: WORKING_HOURS: ${badMessage}\n`);
    expect(sim.stats.requests).toBe(0);

    const settingsOf = async (args: string[], extra: Record<string, string>) => {
      const out = join(dir, `hours-${args.length}-${Object.keys(extra).length}`);
      const r = await cli(['--date', '2024-10-21', '--out', out, ...args], { ...env, ...extra });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const file = (await readdir(out)).find((f) => f.endsWith('.summary.json')) ?? '';
      return (JSON.parse(await readFile(join(out, file), 'utf8')) as Summary).settings;
    };
    // The environment's, in the normal form.
    expect(
      (await settingsOf([], { WORKING_HOURS: 'Sat 10:00-16:00; mon-FRI 9:00-19:00;' })).working_hours,
    ).toBe('mon-fri 09:00-19:00; sat 10:00-16:00');
    // The flag wins, even over a bad WORKING_HOURS; an empty flag means none.
    const flagged = await settingsOf(['--working-hours', 'mon-sun 08:00-20:00'], {
      WORKING_HOURS: badText ?? '',
    });
    expect(flagged.working_hours).toBe('mon-sun 08:00-20:00');
    expect(
      (await settingsOf(['--working-hours', ''], { WORKING_HOURS: 'mon-fri 09:00-19:00' })).working_hours,
    ).toBeNull();
  });

  it('exits non-zero with the client’s message and writes no summary when the API refuses', async () => {
    const out = join(dir, 'refused');
    const r = await cli(['--date', '2024-10-21', '--out', out], {
      MGF_API_URL: sim.url,
      MGF_ACCESS_TOKEN: 'wrong',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/access_token_invalid/);
    expect(r.stderr).not.toContain('wrong\n');
    const files = await readdir(out).catch(() => []);
    expect(files.filter((f) => f.endsWith('.summary.json'))).toEqual([]);
  });
});
