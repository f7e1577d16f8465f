/**
 * One measured process: `node <args>` with `env`, its stdout and stderr
 * collected, and the last line of its stdout (where a measured process prints
 * its result as JSON). The bench runs every case and every import in a fresh
 * one (run.ts, functions.ts), so no run warms the next.
 */
import { spawn } from 'node:child_process';

export interface ChildResult {
  code: number | null;
  /** The last non-empty line of stdout ('' when none). */
  last: string;
  out: string;
  err: string;
}

export function runNode(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildResult> {
  return new Promise((resolveResult, reject) => {
    const child = spawn(process.execPath, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      resolveResult({ code, last: out.trim().split('\n').pop() ?? '', out, err });
    });
  });
}
