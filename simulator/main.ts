/**
 * Runs the Data API simulator standalone:
 *
 *   node simulator/main.ts --port 8080 --seed 1 --from 2024-10-01 --till 2024-10-31 --calls-per-day 500
 *
 * Without --from/--till it serves the last 30 days up to today (account wall
 * clock), so "yesterday" always has calls; `--rows FILE` serves a JSON array of
 * raw rows instead. As the API does, it returns a few calls in a thousand twice
 * (`--repeat-rows`, default 0.003; 0 switches it off). Prints the URL, token and
 * report id.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DAY_MS, DEFAULT_TIMEZONE, formatWallDate, toWall } from '../functions/shared/time.ts';
import type { MgfCallRow } from './columns.ts';
import type { Faults } from './server.ts';
import { startSimulator } from './server.ts';

const USAGE = `Usage: node simulator/main.ts [options]
  --port N              port (default 8080; 0 = any free port)
  --host H              interface (default 127.0.0.1)
  --seed N              generator seed (default 1)
  --from YYYY-MM-DD     first day (default: 30 days ago)
  --till YYYY-MM-DD     last day (default: today)
  --rows FILE           serve this JSON array of raw rows instead of generated ones
  --repeat-rows SHARE   share of calls returned twice, id once as a string (default 0.003; 0: none)
  --calls-per-day N     mean rows on a weekday (default 200)
  --total N             exactly N rows over the period instead
  --employees N         5..50 (default 12)
  --lines N             virtual numbers, 1..10 (default 4)
  --token T             access token (default test-token)
  --timezone Z          account time zone (default Europe/Moscow)
  --minute-limit N      calls per minute (default 150)
  --day-limit N         calls per day (default 10000)
  --faults JSON         fault switches, e.g. '{"http500Every":5}'
  --warm                serialise every row before listening (faster first reads)
  --help`;

function intOption(values: Record<string, unknown>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new RangeError(`--${name} must be a number, got ${String(v)}`);
  return n;
}

/** Calls in a thousand the API returns twice, as the demo simulator does by default. */
const DEFAULT_REPEAT_ROWS = 0.003;

/** The rows of a JSON file: an array of raw `get.mgf_calls` rows (repeats in it are served as they are). */
async function readRows(file: string): Promise<MgfCallRow[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new RangeError(`--rows ${file}: cannot read it as JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data) || !data.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
    throw new RangeError(`--rows ${file}: must hold a JSON array of row objects`);
  }
  return data as MgfCallRow[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      from: { type: 'string' },
      till: { type: 'string' },
      rows: { type: 'string' },
      'repeat-rows': { type: 'string' },
      'calls-per-day': { type: 'string' },
      total: { type: 'string' },
      employees: { type: 'string' },
      lines: { type: 'string' },
      token: { type: 'string' },
      timezone: { type: 'string' },
      'minute-limit': { type: 'string' },
      'day-limit': { type: 'string' },
      faults: { type: 'string' },
      warm: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const timezone = values.timezone ?? DEFAULT_TIMEZONE;
  const today = Math.floor(toWall(Date.now(), timezone) / DAY_MS) * DAY_MS;
  const from = values.from ?? formatWallDate(today - 30 * DAY_MS);
  const till = values.till ?? formatWallDate(today);
  const faults: Faults = values.faults ? (JSON.parse(values.faults) as Faults) : {};
  // The API repeats a few calls in a thousand: so does the simulator, unless told otherwise.
  faults.repeatRows = intOption(values, 'repeat-rows') ?? faults.repeatRows ?? DEFAULT_REPEAT_ROWS;
  const rows = values.rows === undefined ? undefined : await readRows(values.rows);

  const started = performance.now();
  const sim = await startSimulator({
    host: values.host,
    port: intOption(values, 'port') ?? 8080,
    accessToken: values.token,
    timezone,
    rows,
    generator: {
      seed: intOption(values, 'seed') ?? 1,
      from,
      till,
      callsPerDay: intOption(values, 'calls-per-day'),
      totalCalls: intOption(values, 'total'),
      employees: intOption(values, 'employees'),
      lines: intOption(values, 'lines'),
    },
    limits: { minuteLimit: intOption(values, 'minute-limit'), dayLimit: intOption(values, 'day-limit') },
    faults,
    warmCache: values.warm,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const what = rows === undefined ? `${from}..${till}` : `from ${values.rows}`;
  console.log(
    `Data API simulator: ${sim.rowCount - sim.repeatedRows} calls ${what} (${timezone}), ${sim.repeatedRows} of them returned twice, ready in ${seconds} s`,
  );
  console.log(`URL:       ${sim.url}`);
  console.log(`Token:     ${sim.accessToken}`);
  console.log(`Report id: ${sim.reportId}`);
  console.log(`Faults:    ${JSON.stringify(faults)}`);

  const stop = (): void => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  console.error(USAGE);
  process.exit(2);
});
