/**
 * Runs the simulator CLI (`main.ts`) in a child process. For benchmarks: a
 * million rows in the same heap as the client under test makes every garbage
 * collection of the client's pages walk the simulator's rows too, and both
 * would share one thread. A child process has its own heap and its own core.
 * (In-process `startSimulator` remains the tool for tests that need faults,
 * stats or drift at run time.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Faults } from './server.ts';

export interface SpawnOptions {
  seed?: number;
  /** `YYYY-MM-DD`; default: the CLI's (last 30 days up to today). */
  from?: string;
  till?: string;
  callsPerDay?: number;
  /** Exactly this many rows over the period. */
  total?: number;
  /** Serve this JSON file of raw rows instead of generated ones (`--rows`). */
  rowsFile?: string;
  employees?: number;
  lines?: number;
  accessToken?: string;
  timezone?: string;
  minuteLimit?: number;
  dayLimit?: number;
  faults?: Faults;
  /** Share of calls returned twice (`--repeat-rows`); default 0 here, unlike the CLI's 0.003: an exact world to measure. */
  repeatRows?: number;
  /** Serialise every row before listening. */
  warm?: boolean;
  /** Give up when not listening after this long (default 180 s). */
  startTimeoutMs?: number;
}

export interface SpawnedSimulator {
  url: string;
  accessToken: string;
  reportId: number;
  pid: number;
  /** Stops the child and waits for it to exit. */
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

function cliArgs(o: SpawnOptions): string[] {
  const args = ['--port', '0'];
  const add = (flag: string, v: string | number | undefined): void => {
    if (v !== undefined) args.push(flag, String(v));
  };
  add('--seed', o.seed);
  add('--from', o.from);
  add('--till', o.till);
  add('--calls-per-day', o.callsPerDay);
  add('--total', o.total);
  add('--rows', o.rowsFile);
  add('--employees', o.employees);
  add('--lines', o.lines);
  add('--token', o.accessToken);
  add('--timezone', o.timezone);
  add('--minute-limit', o.minuteLimit);
  add('--day-limit', o.dayLimit);
  if (o.faults) add('--faults', JSON.stringify(o.faults));
  add('--repeat-rows', o.repeatRows ?? o.faults?.repeatRows ?? 0);
  if (o.warm) args.push('--warm');
  return args;
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Starts `node simulator/main.ts` with the same Node binary and resolves once it listens. */
export function spawnSimulator(options: SpawnOptions = {}): Promise<SpawnedSimulator> {
  const child = spawn(process.execPath, [MAIN, ...cliArgs(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(`simulator did not start: ${why}\n${err}`));
    };
    const timer = setTimeout(() => fail('timed out'), options.startTimeoutMs ?? 180_000);
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.once('exit', (code) => fail(`exited with code ${code}`));
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const url = /^URL:\s+(\S+)/m.exec(out)?.[1];
      const token = /^Token:\s+(\S+)/m.exec(out)?.[1];
      const report = /^Report id:\s+(\d+)/m.exec(out)?.[1];
      if (url === undefined || token === undefined || report === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolve({
        url,
        accessToken: token,
        reportId: Number(report),
        pid: child.pid ?? -1,
        stop: async () => {
          child.kill('SIGTERM');
          await waitForExit(child);
        },
      });
    });
  });
}
