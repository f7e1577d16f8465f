/**
 * Bundle size and cold start of each function (bench/README.md, "Cold start").
 *
 * Each function is bundled with esbuild exactly as the stack's NodejsFunction
 * bundles it (`HOUSE_BUNDLING` in infra/constructs/house-function.ts, turned
 * into the same esbuild options the CDK passes on its command line). Then the
 * bundled handler is imported in fresh Node 24 processes, each with the
 * environment the stack's template gives that function (intrinsics replaced by
 * stand-ins, as in test/infra/synth.test.ts), with Node's default flags and
 * with the function's own `NODE_OPTIONS`. `initMs` is the median time of the
 * `import()` of the bundle, measured inside the child: module load, the source
 * map when `--enable-source-maps` asks for it, and the handler's start-up
 * (configuration checked, clients made; no request is sent).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CfnElement } from 'aws-cdk-lib';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { HOUSE_BUNDLING } from '../infra/constructs/house-function.ts';
import { FUNCTION_ENTRIES, PROJECT_ROOT } from '../infra/stack.ts';
import { buildStack, fakeEnvironment, lambdaFunctions } from '../test/infra/support.ts';
import { runNode } from './child.ts';

export type FunctionName = keyof typeof FUNCTION_ENTRIES;

/** The esbuild options NodejsFunction derives from `HOUSE_BUNDLING` (aws-lambda-nodejs/lib/bundling.js). */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  const b = HOUSE_BUNDLING;
  return {
    entryPoints: [join(PROJECT_ROOT, entry)],
    bundle: true,
    platform: 'node',
    target: b.target,
    format: b.format,
    outfile,
    minify: b.minify,
    sourcemap: b.sourceMap ? (b.sourceMapMode === 'default' ? true : b.sourceMapMode) : false,
    sourcesContent: b.sourcesContent,
    external: [...b.externalModules],
    banner: { js: b.banner },
    mainFields: [...b.mainFields],
    logLevel: 'error',
    metafile: true,
  };
}

export interface Bundle {
  name: FunctionName;
  file: string;
  bundleBytes: number;
  mapBytes: number;
  metafile: Metafile;
}

/** Bundles one function into `dir` (index.mjs and its map). */
export async function bundle(name: FunctionName, dir: string): Promise<Bundle> {
  const file = join(dir, name, 'index.mjs');
  const { metafile } = await build(esbuildOptions(FUNCTION_ENTRIES[name], file));
  if (metafile === undefined) throw new Error('bench: esbuild returned no metafile');
  const mapBytes = await stat(`${file}.map`).then(
    (s) => s.size,
    () => 0,
  );
  return { name, file, bundleBytes: (await stat(file)).size, mapBytes, metafile };
}

/** Bytes of the bundle's output that come from each npm package (own code as `(own)`), largest first. */
export function bytesByPackage(metafile: Metafile): { pkg: string; bytes: number }[] {
  const out = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  const sums = new Map<string, number>();
  for (const [path, input] of Object.entries(out?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? '(own)';
    sums.set(pkg, (sums.get(pkg) ?? 0) + input.bytesInOutput);
  }
  return [...sums].map(([pkg, bytes]) => ({ pkg, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** Each function's environment as the template gives it, stand-ins for what is known only when deployed. */
export function functionEnvironments(): Record<FunctionName, Record<string, string>> {
  const { stack, template } = buildStack();
  const resources = lambdaFunctions(template);
  const env = {} as Record<FunctionName, Record<string, string>>;
  for (const name of Object.keys(FUNCTION_ENTRIES) as FunctionName[]) {
    const id = stack.getLogicalId(stack.functions[name].fn.node.defaultChild as CfnElement);
    const fn = resources[id];
    if (fn === undefined) throw new Error(`bench: no Lambda function ${id} (${name}) in the template`);
    env[name] = {
      AWS_REGION: 'eu-central-1',
      AWS_LAMBDA_FUNCTION_NAME: id,
      ...fakeEnvironment(fn.Properties),
    };
  }
  return env;
}

/** Imports the bundle in a fresh process; resolves with the milliseconds the `import()` took. */
export function importMs(file: string, env: Readonly<Record<string, string>>): Promise<number> {
  const script = [
    'const t0 = performance.now();',
    `const m = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const ms = performance.now() - t0;',
    "if (typeof m.handler !== 'function') throw new Error('no handler exported');",
    'console.log(JSON.stringify({ ms }));',
  ].join(' ');
  return runNode(['--input-type=module', '-e', script], { PATH: process.env.PATH ?? '', ...env }).then(
    ({ code, last, err }) => {
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        return (JSON.parse(last) as { ms: number }).ms;
      } catch (e) {
        // The last lines only: an error in a minified bundle quotes its whole line.
        const tail = err.trim().split('\n').slice(-8).join('\n').slice(-2000);
        throw new Error(`bench: importing ${file} failed (${(e as Error).message}): ${tail}`);
      }
    },
  );
}

export interface FunctionResult {
  name: FunctionName;
  entry: string;
  /** The minified bundle (index.mjs), bytes. */
  bundleBytes: number;
  /** Its source map, shipped beside it, bytes. */
  mapBytes: number;
  /** Bytes of the bundle from exceljs, from zod (esbuild's metafile). */
  exceljsBytes: number;
  zodBytes: number;
  /** The largest contributors, bytes. */
  largest: { pkg: string; bytes: number }[];
  /** The function's NODE_OPTIONS in the template. */
  nodeOptions: string;
  /** Median ms to import the bundled handler with the function's NODE_OPTIONS. */
  initMs: number;
  /** The same with Node's default flags (no NODE_OPTIONS). */
  initMsDefault: number;
  samples: { lambda: number[]; default: number[] };
}

export interface FunctionsOptions {
  /** Imports per function and per set of flags (default 7). */
  runs?: number;
  progress?: (line: string) => void;
}

const median = (values: readonly number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/**
 * Bundles every function and times its import. The imports are interleaved
 * (each run goes through every function, with and without its flags, in
 * alternating order) so that a busy moment of the machine falls on all alike.
 */
export async function measureFunctions(options: FunctionsOptions = {}): Promise<FunctionResult[]> {
  const runs = options.runs ?? 7;
  const say = options.progress ?? (() => {});
  const names = Object.keys(FUNCTION_ENTRIES) as FunctionName[];
  const dir = await mkdtemp(join(tmpdir(), 'bench-functions-'));
  try {
    say('functions: bundling');
    const bundles = await Promise.all(names.map((name) => bundle(name, dir)));
    const envs = functionEnvironments();
    const samples = names.map(() => ({ lambda: [] as number[], default: [] as number[] }));
    for (let run = 0; run < runs; run++) {
      say(`functions: import run ${run + 1}/${runs}`);
      for (const [i, b] of bundles.entries()) {
        const env = envs[b.name];
        const { NODE_OPTIONS: _flags, ...plain } = env;
        const order =
          (run + i) % 2 === 0 ? (['lambda', 'default'] as const) : (['default', 'lambda'] as const);
        for (const kind of order) {
          (samples[i] as (typeof samples)[number])[kind].push(
            await importMs(b.file, kind === 'lambda' ? env : plain),
          );
        }
      }
    }
    return bundles.map((b, i) => {
      const s = samples[i] as (typeof samples)[number];
      const packages = bytesByPackage(b.metafile);
      const of = (pkg: string): number => packages.find((p) => p.pkg === pkg)?.bytes ?? 0;
      return {
        name: b.name,
        entry: FUNCTION_ENTRIES[b.name],
        bundleBytes: b.bundleBytes,
        mapBytes: b.mapBytes,
        exceljsBytes: of('exceljs'),
        zodBytes: of('zod'),
        largest: packages.slice(0, 6),
        nodeOptions: envs[b.name].NODE_OPTIONS ?? '',
        initMs: Math.round(median(s.lambda)),
        initMsDefault: Math.round(median(s.default)),
        samples: { lambda: s.lambda.map(Math.round), default: s.default.map(Math.round) },
      };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The functions as a Markdown table. */
export function formatFunctions(functions: readonly FunctionResult[]): string {
  const kb = (n: number): string => (n / 1024).toFixed(0);
  return [
    '| function | bundle KB | map KB | exceljs KB | zod KB | import ms (Lambda flags) | import ms (defaults) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...functions.map(
      (f) =>
        `| ${f.name} | ${kb(f.bundleBytes)} | ${kb(f.mapBytes)} | ${kb(f.exceljsBytes)} | ${kb(f.zodBytes)} | ${f.initMs} | ${f.initMsDefault} |`,
    ),
  ].join('\n');
}

if (import.meta.main) {
  const runs = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  const functions = await measureFunctions({
    ...(runs === undefined ? {} : { runs }),
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  console.log(formatFunctions(functions));
  console.log(JSON.stringify(functions.map(({ name, samples }) => ({ name, samples }))));
}
