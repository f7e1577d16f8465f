/**
 * The command line: the report on a laptop.
 *
 *   npm run report -- [--date YYYY-MM-DD | --from YYYY-MM-DD --till YYYY-MM-DD]
 *                     [--out DIR] [--lang ru|en] [--report-id N] [--working-hours TEXT]
 *
 * Environment: MGF_API_URL, MGF_ACCESS_TOKEN, MGF_REPORT_ID, REPORT_TIMEZONE,
 * WORKING_HOURS (the flag wins), MAIL_TO (recipients shown in the outbox email), TELEGRAM_BOT_TOKEN and
 * TELEGRAM_CHAT_ID (post the message to that chat; cli/telegram.ts). Without MGF_ACCESS_TOKEN it runs
 * on the built-in simulator with synthetic data, and says so on its first line.
 *
 * Exit codes: 0 done; 2 bad input (nothing was requested); 1 the run failed.
 */
import { parseArgs } from 'node:util';
import { htmlBeside } from '../functions/shared/adapters/local/outbox.ts';
import { describeDroppedParts } from '../functions/shared/calls/normalise/normaliser.ts';
import { DataApiCallSource } from '../functions/shared/calls/source.ts';
import { DEFAULT_DATA_API_URL, normalWorkingHours } from '../functions/shared/config.ts';
import { DataApiClient } from '../functions/shared/dataapi/client.ts';
import { DataApiError } from '../functions/shared/dataapi/errors.ts';
import { parseLanguage, resolvePeriod } from '../functions/shared/period-input.ts';
import { type Clock, systemClock } from '../functions/shared/pipeline/ports.ts';
import { type PipelineProgress, runReport } from '../functions/shared/pipeline/run-report.ts';
import { DEFAULT_SETTINGS } from '../functions/shared/report/types.ts';
import {
  assertTimeZone,
  comparisonPeriod,
  DAY_MS,
  DEFAULT_TIMEZONE,
  formatWallDate,
  parseWall,
} from '../functions/shared/time.ts';
import { parseWorkingHours } from '../functions/shared/working-hours/parse.ts';
import { effectiveStart } from '../functions/shared/working-hours/schedule.ts';
import { generateCalls } from '../simulator/generator.ts';
import { startSimulator } from '../simulator/server.ts';
import { chooseAdapters } from './adapters.ts';
import { LOCAL_CHAT, telegramInput } from './telegram.ts';

export const DEMO_TOKEN = 'demo-token';
/** The demo's simulator returns this share of calls twice, as the API does (data-api.md, "Paging"). */
export const DEMO_REPEAT_ROWS = 0.003;
/** The demo's calls on an ordinary working day (weekends and holidays are quieter). */
export const DEMO_CALLS_PER_DAY = 400;

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  clock?: Clock;
}

const USAGE = `Usage: npm run report -- [--date YYYY-MM-DD | --from YYYY-MM-DD --till YYYY-MM-DD] [--out DIR] [--lang ru|en] [--report-id N] [--working-hours TEXT]`;

class UsageError extends Error {}

interface CliOptions {
  date?: string;
  from?: string;
  till?: string;
  out: string;
  lang?: string;
  reportId?: string;
  workingHours?: string;
}

function parse(argv: string[]): CliOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        date: { type: 'string' },
        from: { type: 'string' },
        till: { type: 'string' },
        out: { type: 'string', default: './reports' },
        lang: { type: 'string' },
        'report-id': { type: 'string' },
        'working-hours': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}. ${USAGE}`);
  }
  if (values.help) return 'help';
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const opts: CliOptions = { out: str('out') ?? './reports' };
  for (const [k, v] of [
    ['date', str('date')],
    ['from', str('from')],
    ['till', str('till')],
    ['lang', str('lang')],
    ['reportId', str('report-id')],
    ['workingHours', str('working-hours')],
  ] as const) {
    if (v !== undefined) opts[k] = v;
  }
  return opts;
}

function parseReportId(value: string | undefined, name: string): number | null {
  if (value === undefined || value === '') return null;
  if (!/^\d{1,12}$/.test(value) || Number(value) === 0) {
    throw new UsageError(`${name} must be a positive whole number, got "${value}"`);
  }
  return Number(value);
}

/**
 * The working hours of the run in their normal form (null: none): the flag's,
 * else WORKING_HOURS (an empty text means none, so `--working-hours ''` turns
 * off the environment's). The message names where the bad text came from.
 */
function parseWorkingHoursInput(flag: string | undefined, env: string | undefined): string | null {
  const [text, name] = flag !== undefined ? [flag, '--working-hours'] : [env ?? '', 'WORKING_HOURS'];
  try {
    return normalWorkingHours(text);
  } catch (err) {
    throw new UsageError(`${name}: ${(err as Error).message}`);
  }
}

/**
 * The last day the demo's simulator holds calls for: the day after the
 * period, or, with working hours, the day of the latest horizon a missed call
 * of the period can have (the next opening after the period's end + 24 h), so
 * a Friday evening's miss can be called back on Monday.
 */
function demoTill(period: { till: string }, workingHours: string | null): string {
  const end = (parseWall(period.till) ?? 0) + DAY_MS - 1000;
  const opening = effectiveStart(parseWorkingHours(workingHours ?? ''), end) ?? end;
  const horizon = opening + DEFAULT_SETTINGS.callback_horizon_hours * 3_600_000;
  return formatWallDate(Math.max(end + 1000, horizon));
}

function progressPrinter(stderr: CliIo['stderr']): ((e: PipelineProgress) => void) | undefined {
  if (!stderr.isTTY) return undefined; // quiet when not a terminal
  let last = 0;
  return (e) => {
    const now = Date.now();
    // Lines that say a phase ended are never dropped by the throttle.
    const final = e.phase === 'stored' || e.phase === 'figures' || e.phase === 'mailed';
    if (!final && now - last < 200) return;
    last = now;
    let line = '';
    if (e.phase === 'fetch') line = `Fetching calls: ${e.pages} pages, ${e.rows.toLocaleString('en')} calls`;
    else if (e.phase === 'figures') line = `Computing figures for ${e.calls.toLocaleString('en')} calls`;
    else if (e.phase === 'workbook')
      line = `Writing the workbook: ${e.rows.toLocaleString('en')} / ${e.total.toLocaleString('en')} rows`;
    else if (e.phase === 'stored') line = 'Report stored';
    else line = `Email written for ${e.to} recipient(s)`;
    // "stored" and "mailed" are the last lines of their phases: each ends its line.
    stderr.write(`\r\x1b[2K${line}${e.phase === 'stored' || e.phase === 'mailed' ? '\n' : ''}`);
  };
}

/** Runs the CLI; returns the exit code. Never throws. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const clock = io.clock ?? systemClock;
  let opts: CliOptions;
  let period: ReturnType<typeof resolvePeriod>;
  let language: ReturnType<typeof parseLanguage>;
  let reportId: number | null;
  let workingHours: string | null;
  let telegram: ReturnType<typeof telegramInput>;
  const timezone = env.REPORT_TIMEZONE || DEFAULT_TIMEZONE;
  const token = env.MGF_ACCESS_TOKEN || '';
  const apiUrl = env.MGF_API_URL || DEFAULT_DATA_API_URL;
  try {
    const parsed = parse(argv);
    if (parsed === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    opts = parsed;
    try {
      assertTimeZone(timezone);
    } catch (err) {
      throw new UsageError(`REPORT_TIMEZONE: ${(err as Error).message}`);
    }
    period = resolvePeriod(
      { date: opts.date, from: opts.from, till: opts.till },
      timezone,
      clock.now(),
      (f) => `--${f}`,
    );
    language = parseLanguage(opts.lang, '--lang');
    reportId =
      parseReportId(opts.reportId, '--report-id') ?? parseReportId(env.MGF_REPORT_ID, 'MGF_REPORT_ID');
    workingHours = parseWorkingHoursInput(opts.workingHours, env.WORKING_HOURS);
    telegram = telegramInput(env);
    if (token && !/^https?:\/\/[^\s]+$/.test(apiUrl)) {
      throw new UsageError(
        `MGF_API_URL must be an http(s) URL such as ${DEFAULT_DATA_API_URL}, got "${apiUrl}"`,
      );
    }
  } catch (err) {
    // Everything in this block is about the input (flags, environment): exit 2, one line.
    io.stderr.write(`Error: ${(err as Error).message}\n`);
    return 2;
  }

  let simulator: Awaited<ReturnType<typeof startSimulator>> | null = null;
  try {
    let url = apiUrl;
    let accessToken = token;
    if (!token) {
      // The demo: synthetic calls for the period and the days after it (for callbacks).
      io.stdout.write(
        `No MGF_ACCESS_TOKEN set: running on the built-in simulator with synthetic data (${period.from}..${period.till}).\n`,
      );
      simulator = await startSimulator({
        accessToken: DEMO_TOKEN,
        timezone,
        rows: generateCalls({
          seed: 1,
          // From the like period's first day, so the comparison the pipeline
          // computes reads the same world, not an empty week.
          from: comparisonPeriod(period).from,
          till: demoTill(period, workingHours),
          // One density for every period, so a day of the demo is the same day in a
          // daily, weekly, monthly or yearly run (a year is ~120 000 calls: seconds).
          callsPerDay: DEMO_CALLS_PER_DAY,
        }),
        faults: { repeatRows: DEMO_REPEAT_ROWS },
      });
      url = simulator.url;
      accessToken = DEMO_TOKEN;
    }
    const client = new DataApiClient({ url, accessToken });
    const source = new DataApiCallSource(client, { reportId });
    const outDir = opts.out;
    const adapters = chooseAdapters(env, outDir, () => clock.now(), telegram);
    for (const note of adapters.notes) io.stdout.write(`${note}\n`);
    const result = await runReport(
      {
        subscription: 'local',
        period,
        language,
        settings: { working_hours: workingHours },
        recipients: (env.MAIL_TO || 'manager@example.com')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        from: env.MAIL_FROM || 'reports@example.com',
        // A person running the command wants a fresh report (and its email) every time.
        force: true,
        ...(adapters.telegram ? { telegram: [telegram.chat ?? LOCAL_CHAT] } : {}),
      },
      {
        source,
        storage: adapters.storage,
        mailer: adapters.mailer,
        clock,
        linkFor: adapters.linkFor,
        ...(adapters.telegram ? { telegram: adapters.telegram } : {}),
        onProgress: progressPrinter(io.stderr),
      },
    );
    const t = result.summary.totals;
    const m = result.summary.missed;
    io.stdout.write(
      `Calls ${period.from}..${period.till}: ${t.calls} (incoming ${t.incoming}, missed ${t.incoming_missed}, not called back ${m.unreturned})\n`,
    );
    if (result.fetched && result.fetched.rejectedCount > 0) {
      io.stderr.write(
        `Warning: ${result.fetched.rejectedCount} call row(s) could not be understood and were left out; first: ${result.fetched.rejected
          .slice(0, 3)
          .map((r) => `call ${r.id ?? '?'}: ${r.reason}`)
          .join('; ')}\n`,
      );
    }
    if (result.fetched && result.fetched.droppedParts.length > 0) {
      io.stderr.write(`Warning: ${describeDroppedParts(result.fetched.droppedParts)}\n`);
    }
    io.stdout.write(`${result.manifest.workbook.location}\n${result.manifest.summary.location}\n`);
    if (result.email?.location) {
      io.stdout.write(`${result.email.location}\n`);
      // The outbox's email as a person reads it: open it in a browser.
      if (result.email.location.endsWith('.eml')) io.stdout.write(`${htmlBeside(result.email.location)}\n`);
    }
    // The message the bot would post, beside the outbox's email; a chat that refused it, said.
    for (const file of adapters.telegramOutbox?.written ?? []) io.stdout.write(`${file}\n`);
    for (const f of result.telegram?.failed ?? []) io.stderr.write(`Warning: ${f.message}\n`);
    for (const w of result.telegram?.warnings ?? []) io.stderr.write(`Warning: ${w}\n`);
    // Last, so it is what the user reads: the API repeated itself, and nothing was counted twice.
    const repeated = result.fetched?.stats.duplicateRows ?? 0;
    if (repeated > 0) {
      io.stdout.write(
        `The API repeated ${repeated} row${repeated === 1 ? '' : 's'} (a call sent twice, its id once as a number, once as a string); each call was counted once.\n`,
      );
    }
    return 0;
  } catch (err) {
    const msg = err instanceof DataApiError || err instanceof Error ? err.message : String(err);
    io.stderr.write(`${io.stderr.isTTY ? '\n' : ''}Error: ${msg}\n`);
    return 1;
  } finally {
    await simulator?.close();
  }
}
