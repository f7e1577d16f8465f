/**
 * The benchmark harness runs end to end at a tiny size and writes results of
 * the documented shape. Not a timed test: speed is measured by `npm run bench`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npm run bench', () => {
  it('measures the pipeline, the baselines and each function bundle, and writes results.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-'));
    try {
      const out = join(dir, 'results.json');
      const { stdout } = await run(
        process.execPath,
        ['bench/run.ts', '--sizes', '2000', '--runs', '1', '--function-runs', '1', '--out', out],
        {
          timeout: 400_000, // a hang guard: 16 s beside four busy processes, 48 s at a load of 17
        },
      );
      expect(stdout).toContain('| calls |');
      const results = JSON.parse(await readFile(out, 'utf8'));
      expect(results.cases).toHaveLength(1);
      const c = results.cases[0];
      expect(c.calls).toBe(2000);
      for (const part of [c.pipeline, c.baselineA, c.baselineB, c.baselineC]) {
        expect(part.wallSeconds).toBeGreaterThan(0);
        expect(part.peakRssMb).toBeGreaterThan(0);
      }
      expect(c.pipeline.xlsxBytes).toBeGreaterThan(0);
      expect(c.ratios.pipelineToBaselineA).toBeGreaterThan(0);
      expect(c.ratios.pipelineToBaselineB).toBeGreaterThan(0);
      expect(c.baselineC.sheetXmlBytes).toBeGreaterThan(2000 * 500); // the sheet of 2 000 calls, inflated
      expect(c.floorSeconds).toBeCloseTo(c.baselineB.wallSeconds + c.baselineC.wallSeconds, 2);
      expect(c.ratios.pipelineToBaselineC).toBeGreaterThan(0);
      expect(c.ratios.pipelineToFloor).toBeGreaterThan(0);
      expect(results.functions.map((f: { name: string }) => f.name)).toEqual([
        'dailyReport',
        'reportWorker',
        'reportsApi',
        'download',
        'authorizer',
      ]);
      for (const f of results.functions) {
        expect(f.bundleBytes).toBeGreaterThan(100_000);
        expect(f.initMs).toBeGreaterThan(0);
        expect(f.initMsDefault).toBeGreaterThan(0);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 420_000);
});
