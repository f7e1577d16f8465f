/**
 * The benchmark: the report end to end at 10 000, 100 000 and 1 000 000 calls,
 * against three baselines on the same rows (see bench/README.md).
 *
 *   npm run bench [-- --sizes 10000,100000,1000000] [--runs N] [--out FILE]
 *                    [--plain | --node-flags="--flag …" --env "KEY=VALUE …"]
 *                    [--function-runs N] [--pages-held N]
 *
 * For each size a simulator (a child process, its dataset generated and
 * serialised before it listens) serves the calls over loopback HTTP; one
 * untimed fetch warms its caches; then each run measures, each in a fresh
 * process (`bench/case.ts`) so that peak RSS is its own: the pipeline,
 * baseline (a) exceljs alone writing the per-call sheet naively, baseline (b)
 * the fetch and JSON parse alone, baseline (c) zlib alone deflating the
 * pipeline's own "All calls" sheet XML; the floor is (b) + (c). Runs default to 3 up to 100 000 calls and 1
 * above; the median of each figure is reported. Writes `bench/results.json`
 * (or `--out`) and prints a table; progress goes to stderr when it is a terminal.
 *
 * Every measured process runs with the Lambdas' NODE_OPTIONS, the baselines too;
 * `--plain` measures with Node's defaults instead, `--node-flags` / `--env`
 * with others. First, each function is bundled as the stack bundles it and its
 * import timed, with and without its NODE_OPTIONS (`bench/functions.ts`).
 */
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DAY_MS, formatWallDate, parseWall } from '../functions/shared/time.ts';
import { LAMBDA_NODE_OPTIONS } from '../infra/constructs/house-function.ts';
import { spawnSimulator } from '../simulator/spawn.ts';
import type { CaseArgs, CaseKind, CaseResult } from './case.ts';
import { runNode } from './child.ts';
import { type FunctionResult, formatFunctions, measureFunctions } from './functions.ts';

const CASE = fileURLToPath(new URL('./case.ts', import.meta.url));
const DEFAULT_OUT = fileURLToPath(new URL('./results.json', import.meta.url));
export const DEFAULT_SIZES = [10_000, 100_000, 1_000_000];
/** The first day of every benchmark period (2024 is a leap year: 366 days fit in it). */
const FIRST_DAY = '2024-01-01';

/**
 * V8 flags for every measured process: the Lambdas' own `NODE_OPTIONS`
 * (infra/constructs/house-function.ts), so that what is measured is what runs there.
 */
export const DEFAULT_NODE_FLAGS: readonly string[] = LAMBDA_NODE_OPTIONS.split(/\s+/).filter(Boolean);

/** Environment for every measured process: none beyond the Lambdas' (`--env` adds some, e.g. glibc's). */
export const DEFAULT_CHILD_ENV: Readonly<Record<string, string>> = {};

/** Days a size is spread over: a month, a quarter, a year. */
export function daysFor(calls: number): number {
  return calls <= 10_000 ? 30 : calls <= 100_000 ? 92 : 366;
}

export interface Figures {
  wallSeconds: number;
  /** CPU seconds of the measured work, all threads (what a Lambda's share of a vCPU must do). */
  cpuSeconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  xlsxBytes: number | null;
}

export interface CaseSummary {
  calls: number;
  days: number;
  period: { from: string; till: string };
  runs: number;
  pipeline: Figures & {
    /** The compact record: bytes the call table holds per call. */
    tableBytesPerCall: number | null;
    /** Peak RSS per call, bytes (fixed costs included: meaningful for big sizes). */
    peakRssBytesPerCall: number;
    /** Seconds until the calls were all in (the fetch); the rest is figures, workbook, storage, mail. */
    fetchSeconds: number;
  };
  baselineA: Figures;
  baselineB: Figures;
  /** The compression floor: deflating the product's "All calls" sheet XML alone. */
  baselineC: Figures & { sheetXmlBytes: number };
  /** The floor is baseline (b) then baseline (c): fetch-and-parse alone, then compression alone. */
  floorSeconds: number;
  ratios: {
    pipelineToBaselineA: number;
    pipelineToBaselineB: number;
    pipelineToBaselineC: number;
    pipelineToFloor: number;
  };
  /** Every run, as measured. */
  samples: Record<'pipeline' | 'baselineA' | 'baselineB' | 'baselineC', CaseResult[]>;
}

export interface BenchResults {
  date: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; platform: string; node: string };
  /** What every measured process ran with. */
  nodeFlags: string[];
  env: Record<string, string>;
  /** The client's `pagesHeld` when `--pages-held` set it (absent: the client's default). */
  pagesHeld?: number;
  cases: CaseSummary[];
  /** Peak RSS added per extra call between consecutive sizes (the pipeline's). */
  marginalBytesPerCall: { from: number; to: number; bytesPerCall: number }[];
  /** Each function bundled as the stack bundles it: size and import time (bench/functions.ts). */
  functions: FunctionResult[];
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  if (s.length === 0) return Number.NaN;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

function figures(samples: readonly CaseResult[], calls: number): Figures {
  const wall = median(samples.map((s) => s.wallSeconds));
  const bytes = samples.map((s) => s.xlsxBytes).filter((b): b is number => b !== null);
  return {
    wallSeconds: round(wall, 3),
    cpuSeconds: round(median(samples.map((s) => s.cpuSeconds)), 3),
    rowsPerSecond: Math.round(calls / wall),
    peakRssMb: round(median(samples.map((s) => s.peakRssMb)), 1),
    xlsxBytes: bytes.length > 0 ? Math.round(median(bytes)) : null,
  };
}

/** Runs one case in a fresh process. */
function runChild(
  args: CaseArgs,
  nodeFlags: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<CaseResult> {
  return runNode([...nodeFlags, CASE, JSON.stringify(args)], { ...process.env, ...env }).then(
    ({ code, last, out, err }) => {
      if (code !== 0 || last === '') {
        throw new Error(`bench case ${args.kind} failed (exit ${code}): ${err.trim()}`);
      }
      try {
        return JSON.parse(last) as CaseResult;
      } catch {
        throw new Error(`bench case ${args.kind} printed no result: ${out}`);
      }
    },
  );
}

export interface BenchOptions {
  sizes?: readonly number[];
  /** Runs per size; default 3 up to 100 000 calls, 1 above. */
  runs?: number;
  out?: string;
  nodeFlags?: readonly string[];
  env?: Readonly<Record<string, string>>;
  /** Imports per function and per set of flags for the cold-start figures (default 7; 0: not measured). */
  functionRuns?: number;
  /** Progress lines (default: when stderr is a terminal). */
  progress?: (line: string) => void;
  /** The client's `pagesHeld` in the measured processes (default: the client's own). */
  pagesHeld?: number;
}

export async function runBench(options: BenchOptions = {}): Promise<BenchResults> {
  const sizes = options.sizes ?? DEFAULT_SIZES;
  const nodeFlags = [...(options.nodeFlags ?? DEFAULT_NODE_FLAGS)];
  const env = { ...(options.env ?? DEFAULT_CHILD_ENV) };
  const say = options.progress ?? (() => {});
  const cases: CaseSummary[] = [];
  const functionRuns = options.functionRuns ?? 7;
  const functions = functionRuns > 0 ? await measureFunctions({ runs: functionRuns, progress: say }) : [];
  const scratch = await mkdtemp(join(tmpdir(), 'bench-'));
  try {
    for (const calls of sizes) {
      const days = daysFor(calls);
      const till = formatWallDate((parseWall(FIRST_DAY) as number) + (days - 1) * DAY_MS);
      const runs = options.runs ?? (calls <= 100_000 ? 3 : 1);
      say(`${calls} calls: starting the simulator`);
      const sim = await spawnSimulator({
        seed: 1,
        from: FIRST_DAY,
        till,
        total: calls,
        warm: true,
        minuteLimit: 1_000_000_000,
        dayLimit: 1_000_000_000,
      });
      const samples: CaseSummary['samples'] = { pipeline: [], baselineA: [], baselineB: [], baselineC: [] };
      /** The pipeline's XLSX of the current run, kept for baseline (c). */
      const sheetFile = join(scratch, `${calls}.xlsx`);
      try {
        let n = 0;
        const one = async (kind: CaseKind): Promise<CaseResult> => {
          const dir = join(scratch, `${calls}-${kind}-${n++}`);
          await mkdir(dir, { recursive: true });
          try {
            return await runChild(
              {
                kind,
                url: sim.url,
                token: sim.accessToken,
                reportId: sim.reportId,
                from: FIRST_DAY,
                till,
                dir,
                ...(kind === 'baselineC' ? { xlsx: sheetFile } : {}),
                ...(options.pagesHeld === undefined ? {} : { pagesHeld: options.pagesHeld }),
              },
              nodeFlags,
              env,
            );
          } finally {
            if (kind === 'pipeline') {
              const xlsx = (await readdir(dir)).find((f) => f.endsWith('.xlsx'));
              if (xlsx !== undefined) await rename(join(dir, xlsx), sheetFile);
            }
            await rm(dir, { recursive: true, force: true });
          }
        };
        say(`${calls} calls: warming the simulator's caches`);
        await one('warmup');
        for (let run = 1; run <= runs; run++) {
          for (const kind of ['pipeline', 'baselineC', 'baselineA', 'baselineB'] as const) {
            say(`${calls} calls: run ${run}/${runs}: ${kind}`);
            samples[kind].push(await one(kind));
          }
        }
      } finally {
        await sim.stop();
      }
      const pipeline = figures(samples.pipeline, calls);
      const a = figures(samples.baselineA, calls);
      const b = figures(samples.baselineB, calls);
      const c = {
        ...figures(samples.baselineC, calls),
        sheetXmlBytes: Math.round(median(samples.baselineC.map((s) => s.sheetXmlBytes ?? 0))),
      };
      for (const s of samples.baselineC) {
        // The sheet read has a row per call (and a header row in each of its parts).
        if (s.rows < calls || s.rows > calls + 10) {
          throw new Error(`baseline (c) read a sheet of ${s.rows} rows for ${calls} calls`);
        }
      }
      const floorSeconds = b.wallSeconds + c.wallSeconds;
      const table = samples.pipeline.map((s) => s.tableBytesPerCall).filter((x): x is number => x !== null);
      cases.push({
        calls,
        days,
        period: { from: FIRST_DAY, till },
        runs,
        pipeline: {
          ...pipeline,
          tableBytesPerCall: table.length > 0 ? Math.round(median(table)) : null,
          peakRssBytesPerCall: Math.round((pipeline.peakRssMb * 1048576) / calls),
          fetchSeconds: round(median(samples.pipeline.map((s) => s.fetchSeconds ?? 0)), 3),
        },
        baselineA: a,
        baselineB: b,
        baselineC: c,
        floorSeconds: round(floorSeconds, 3),
        ratios: {
          pipelineToBaselineA: round(pipeline.wallSeconds / a.wallSeconds, 2),
          pipelineToBaselineB: round(pipeline.wallSeconds / b.wallSeconds, 2),
          pipelineToBaselineC: round(pipeline.wallSeconds / c.wallSeconds, 2),
          pipelineToFloor: round(pipeline.wallSeconds / floorSeconds, 2),
        },
        samples,
      });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const marginalBytesPerCall = [];
  for (let i = 1; i < cases.length; i++) {
    const lo = cases[i - 1] as CaseSummary;
    const hi = cases[i] as CaseSummary;
    if (hi.calls <= lo.calls) continue;
    marginalBytesPerCall.push({
      from: lo.calls,
      to: hi.calls,
      bytesPerCall: Math.round(
        ((hi.pipeline.peakRssMb - lo.pipeline.peakRssMb) * 1048576) / (hi.calls - lo.calls),
      ),
    });
  }
  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: round(totalmem() / 1024 ** 3, 1),
      platform: `${process.platform} ${process.arch}`,
      node: process.version,
    },
    nodeFlags,
    env,
    ...(options.pagesHeld === undefined ? {} : { pagesHeld: options.pagesHeld }),
    cases,
    marginalBytesPerCall,
    functions,
  };
  const out = resolve(options.out ?? DEFAULT_OUT);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  return results;
}

/** A Markdown table: the head's cells, then one row of cells per item. */
function markdown(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---:').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** The results as Markdown tables (medians): time and memory, then the ratios. */
export function formatTable(r: BenchResults): string {
  const s = (v: number): string => v.toFixed(2);
  const mb = (v: number): string => (v / 1048576).toFixed(1);
  const speed = markdown(
    [
      'calls',
      'days',
      'pipeline s',
      'of it fetch s',
      'pipeline CPU s',
      'calls/s',
      'peak RSS MB',
      'XLSX MB',
      'table B/call',
      '(a) exceljs s',
      '(a) peak MB',
      '(b) fetch s',
      '(b) peak MB',
      '(c) deflate s',
      'sheet XML MB',
    ],
    r.cases.map((c) => [
      c.calls.toLocaleString('en'),
      c.days,
      s(c.pipeline.wallSeconds),
      s(c.pipeline.fetchSeconds),
      s(c.pipeline.cpuSeconds),
      c.pipeline.rowsPerSecond.toLocaleString('en'),
      c.pipeline.peakRssMb.toFixed(0),
      mb(c.pipeline.xlsxBytes ?? 0),
      c.pipeline.tableBytesPerCall ?? '–',
      s(c.baselineA.wallSeconds),
      c.baselineA.peakRssMb.toFixed(0),
      s(c.baselineB.wallSeconds),
      c.baselineB.peakRssMb.toFixed(0),
      s(c.baselineC.wallSeconds),
      mb(c.baselineC.sheetXmlBytes),
    ]),
  );
  const ratios = markdown(
    ['calls', 'floor (b)+(c) s', 'pipeline/(a)', 'pipeline/(b)', 'pipeline/(c)', 'pipeline/floor'],
    r.cases.map((c) => [
      c.calls.toLocaleString('en'),
      s(c.floorSeconds),
      s(c.ratios.pipelineToBaselineA),
      s(c.ratios.pipelineToBaselineB),
      s(c.ratios.pipelineToBaselineC),
      s(c.ratios.pipelineToFloor),
    ]),
  );
  const marginal = r.marginalBytesPerCall.map(
    (m) =>
      `peak RSS per extra call, ${m.from.toLocaleString('en')} → ${m.to.toLocaleString('en')}: ${m.bytesPerCall} B`,
  );
  const functions = r.functions.length > 0 ? [formatFunctions(r.functions)] : [];
  return [speed, ratios, ...(marginal.length > 0 ? [marginal.join('\n')] : []), ...functions].join('\n\n');
}

/** `KEY=VALUE KEY2=VALUE2` → an object. */
function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of text.split(/\s+/).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new RangeError(`--env takes KEY=VALUE pairs, got "${pair}"`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string' },
      runs: { type: 'string' },
      out: { type: 'string' },
      plain: { type: 'boolean' },
      'node-flags': { type: 'string' },
      env: { type: 'string' },
      'function-runs': { type: 'string' },
      'pages-held': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      'Usage: npm run bench -- [--sizes 10000,100000,1000000] [--runs N] [--out FILE] [--plain | --node-flags="--flag …" --env "KEY=VALUE …"] [--function-runs N] [--pages-held N]',
    );
    return;
  }
  const sizes = values.sizes?.split(',').map((s) => Number(s.trim()));
  if (sizes?.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    throw new RangeError(`--sizes must list whole numbers ≥ 1, got "${values.sizes}"`);
  }
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (runs !== undefined && (!Number.isSafeInteger(runs) || runs < 1)) {
    throw new RangeError(`--runs must be a whole number ≥ 1, got "${values.runs}"`);
  }
  const functionRuns = values['function-runs'] === undefined ? undefined : Number(values['function-runs']);
  if (functionRuns !== undefined && (!Number.isSafeInteger(functionRuns) || functionRuns < 0)) {
    throw new RangeError(`--function-runs must be a whole number ≥ 0, got "${values['function-runs']}"`);
  }
  const pagesHeld = values['pages-held'] === undefined ? undefined : Number(values['pages-held']);
  if (pagesHeld !== undefined && (!Number.isSafeInteger(pagesHeld) || pagesHeld < 1)) {
    throw new RangeError(`--pages-held must be a whole number ≥ 1, got "${values['pages-held']}"`);
  }
  const tty = process.stderr.isTTY === true;
  const started = performance.now();
  const results = await runBench({
    ...(sizes ? { sizes } : {}),
    ...(runs !== undefined ? { runs } : {}),
    ...(functionRuns !== undefined ? { functionRuns } : {}),
    ...(pagesHeld !== undefined ? { pagesHeld } : {}),
    ...(values.out ? { out: values.out } : {}),
    ...(values.plain ? { nodeFlags: [], env: {} } : {}),
    ...(values['node-flags'] !== undefined
      ? { nodeFlags: values['node-flags'].split(/\s+/).filter(Boolean) }
      : {}),
    ...(values.env !== undefined ? { env: parseEnv(values.env) } : {}),
    ...(tty
      ? {
          progress: (line: string) => {
            const s = ((performance.now() - started) / 1000).toFixed(0);
            process.stderr.write(`\r\x1b[2K[${s} s] ${line}`);
          },
        }
      : {}),
  });
  if (tty) process.stderr.write('\r\x1b[2K');
  console.log(formatTable(results));
  console.log(`\n${resolve(values.out ?? DEFAULT_OUT)}`);
}

if (import.meta.main) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
