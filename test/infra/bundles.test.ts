/**
 * What each function's bundle carries, from esbuild's metafile, bundled the
 * way the stack bundles it (bench/functions.ts: HOUSE_BUNDLING). Sizes and
 * import times are measured by `npm run bench`; this only proves what is in.
 */
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions, type FunctionName } from '../../bench/functions.ts';
import { FUNCTION_ENTRIES } from '../../infra/stack.ts';

const inputs: Partial<Record<FunctionName, string[]>> = {};
const sizes: Partial<Record<FunctionName, number>> = {};
/** Issue 19's budget for a function's minified bundle, bytes. */
const BUNDLE_BUDGET = 1_500_000;

beforeAll(async () => {
  await Promise.all(
    (Object.keys(FUNCTION_ENTRIES) as FunctionName[]).map(async (name) => {
      const { metafile, outputFiles } = await build({
        ...esbuildOptions(FUNCTION_ENTRIES[name], `/nowhere/${name}/index.mjs`),
        write: false,
      });
      const out = Object.values((metafile as Metafile).outputs).find((o) => o.entryPoint !== undefined);
      inputs[name] = Object.keys(out?.inputs ?? {});
      sizes[name] = outputFiles?.find((f) => f.path.endsWith('.mjs'))?.contents.length;
    }),
  );
}, 120_000);

const from = (name: FunctionName, part: string): string[] =>
  (inputs[name] ?? []).filter((p) => p.includes(`node_modules/${part}`));

describe('function bundles', () => {
  it.each(Object.keys(FUNCTION_ENTRIES) as FunctionName[])('%s is at most 1.5 MB minified', (name) => {
    expect(sizes[name]).toBeGreaterThan(100_000);
    expect(sizes[name]).toBeLessThanOrEqual(BUNDLE_BUDGET);
  });

  it.each(['reportsApi', 'download', 'authorizer'] as const)('%s carries no exceljs', (name) => {
    expect(inputs[name]?.length).toBeGreaterThan(0);
    expect(from(name, 'exceljs/')).toEqual([]);
  });

  it.each(['dailyReport', 'reportWorker'] as const)(
    "%s carries exceljs's streaming writer, not its reader or in-memory workbook",
    (name) => {
      expect(from(name, 'exceljs/lib/stream/xlsx/workbook-writer.js')).toHaveLength(1);
      expect(from(name, 'exceljs/lib/stream/xlsx/workbook-reader.js')).toEqual([]);
      expect(from(name, 'exceljs/lib/doc/workbook.js')).toEqual([]);
    },
  );

  it.each(Object.keys(FUNCTION_ENTRIES) as FunctionName[])(
    "%s carries none of zod's locales but one",
    (name) => {
      // `import * as z from 'zod'` (not `{ z }`): zod's other languages' messages stay out.
      expect(from(name, 'zod/').length).toBeGreaterThan(0);
      expect(from(name, 'zod/v4/locales/').filter((p) => !p.endsWith('/en.js'))).toEqual([]);
    },
  );
});
