/**
 * The suite on a busy machine: `npm run test:stress` runs the whole suite
 * (`npx vitest run`) three times with four CPU-bound processes beside it, says
 * how long each run took and how it ended, and exits non-zero when any run
 * failed. The busy processes are killed at the end, whatever happens.
 *
 *   npm run test:stress                       three runs, four busy processes
 *   npm run test:stress -- --runs 1 --load 6  other counts
 *   npm run test:stress -- -- test/reliability/   arguments after `--` go to vitest
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

interface Options {
  runs: number;
  load: number;
  vitestArgs: string[];
}

function parseArgs(argv: string[]): Options {
  const o: Options = { runs: 3, load: 4, vitestArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      o.vitestArgs = argv.slice(i + 1);
      break;
    }
    const value = Number(argv[i + 1]);
    if ((a === '--runs' || a === '--load') && Number.isInteger(value) && value >= (a === '--runs' ? 1 : 0)) {
      o[a === '--runs' ? 'runs' : 'load'] = value;
      i++;
    } else {
      console.error(
        `test:stress: unknown or bad argument "${a}"; allowed: --runs N (≥ 1), --load N (≥ 0), -- <vitest args>`,
      );
      process.exit(2);
    }
  }
  return o;
}

/** The busy processes: each spins one CPU until it is killed. */
const busy: ChildProcess[] = [];
function stopLoad(): void {
  for (const p of busy) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}
process.on('exit', stopLoad);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    stopLoad();
    process.exit(130);
  });
}

interface JsonReport {
  numTotalTests: number;
  numFailedTests: number;
  numPassedTests: number;
  testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
}

interface RunResult {
  seconds: number;
  code: number | null;
  tests: string;
  failed: string[];
}

async function runSuite(vitestArgs: string[], reportFile: string): Promise<RunResult> {
  const started = performance.now();
  const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`];
  // The suite runs on this script's Node (node@24 under npm run), whatever `node` is first on PATH.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
  const child = spawn('npx', [...args, ...vitestArgs], { stdio: 'inherit', env });
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (c, s) => resolve(s ? 128 : c));
    child.on('error', () => resolve(127));
  });
  const seconds = (performance.now() - started) / 1000;
  try {
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as JsonReport;
    const failed = report.testResults.flatMap((f) =>
      f.assertionResults.filter((t) => t.status === 'failed').map((t) => `${f.name}: ${t.fullName}`),
    );
    const tests = `${report.numPassedTests}/${report.numTotalTests} passed`;
    return { seconds, code, tests, failed };
  } catch {
    return { seconds, code, tests: 'no report', failed: [] };
  }
}

const opts = parseArgs(process.argv.slice(2));
const dir = await mkdtemp(join(tmpdir(), 'stress-'));
for (let i = 0; i < opts.load; i++) {
  busy.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}
console.log(`test:stress: ${opts.runs} run(s) of the suite beside ${opts.load} CPU-bound process(es)`);

const results: RunResult[] = [];
try {
  for (let i = 1; i <= opts.runs; i++) {
    console.log(`\n=== test:stress run ${i} of ${opts.runs} ===`);
    results.push(await runSuite(opts.vitestArgs, join(dir, `run-${i}.json`)));
  }
} finally {
  stopLoad();
  await rm(dir, { recursive: true, force: true });
}

console.log(`\ntest:stress: ${opts.load} CPU-bound process(es) beside each run`);
results.forEach((r, i) => {
  const verdict = r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`;
  console.log(`  run ${i + 1}: ${r.seconds.toFixed(0)} s, ${verdict}, ${r.tests}`);
  for (const f of r.failed) console.log(`    ✗ ${f}`);
});
process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
