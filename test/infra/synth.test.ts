/**
 * The real thing, once: `npx cdk synth --quiet` as a user runs it (the CLI,
 * cdk.json, `node infra/app.ts`, the example config, cdk-nag, local esbuild
 * bundling of every function), offline. Then each bundle is checked and
 * loaded in Node 24 with the environment the template gives it: the handler's
 * own start-up validation of its configuration must pass.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/stack.ts';
import { fakeEnvironment, lambdaFunctions } from './support.ts';

/**
 * Hang guards, not speed checks: a synth (esbuild bundles five functions, then
 * cdk-nag) took over two minutes on a busy 2-core machine and is still right.
 */
const SYNTH_TIMEOUT_MS = 600_000;
const LOAD_TIMEOUT_MS = 60_000;

let out: string;
let template: Template;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'call-reports-synth-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    CDK_DISABLE_VERSION_CHECK: 'true',
  };
  env.CALL_REPORTS_CONFIG = 'infra/config.example.json'; // as on a fresh clone, whatever infra/config.json holds
  delete env.NODE_ENV; // the app runs as under the CLI, not as a test
  execFileSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--output', out], {
    cwd: PROJECT_ROOT,
    env,
    stdio: 'pipe',
    timeout: SYNTH_TIMEOUT_MS,
  });
  template = Template.fromJSON(JSON.parse(readFileSync(join(out, 'CallReports.template.json'), 'utf8')));
}, SYNTH_TIMEOUT_MS + 10_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npx cdk synth (bundling, offline)', () => {
  it('writes the template and a clean validation report', () => {
    const report = JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8')) as {
      pluginReports: unknown[];
    };
    expect(report.pluginReports).toEqual([]);
    expect(Object.keys(lambdaFunctions(template))).toHaveLength(5);
  });

  it('bundles every function: ESM with a source map, the AWS SDK inside', () => {
    const assets = JSON.parse(readFileSync(join(out, 'CallReports.assets.json'), 'utf8')) as {
      files: Record<string, { source: { path: string; packaging: string } }>;
    };
    for (const [id, fn] of Object.entries(lambdaFunctions(template))) {
      const key = (fn.Properties.Code as { S3Key: string }).S3Key;
      const asset = assets.files[key.replace(/\.zip$/, '')];
      expect(asset, id).toBeDefined();
      const dir = join(out, asset?.source.path as string);
      const entry = join(dir, 'index.mjs');
      expect(existsSync(entry), `${id}: ${entry}`).toBe(true);
      expect(existsSync(`${entry}.map`), `${id}: source map`).toBe(true);
      const code = readFileSync(entry, 'utf8');
      expect(code.startsWith('import { createRequire as __houseCreateRequire }'), `${id}: banner`).toBe(true);
      expect(code).toContain('//# sourceMappingURL=index.mjs.map');
      expect(code, `${id}: bundled AWS SDK`).toContain('aws-sdk-js');
      expect(code).not.toMatch(/from\s*["']@aws-sdk\//); // nothing left to the runtime's SDK
      expect(statSync(entry).size, `${id}: size`).toBeLessThan(8 * 1024 * 1024);
    }
  });

  it('each bundle loads in Node 24 and its handler accepts the environment the template gives it', () => {
    const assets = JSON.parse(readFileSync(join(out, 'CallReports.assets.json'), 'utf8')) as {
      files: Record<string, { source: { path: string } }>;
    };
    for (const [id, fn] of Object.entries(lambdaFunctions(template))) {
      const key = (fn.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
      const entry = join(out, assets.files[key]?.source.path as string, 'index.mjs');
      const script = `const m = await import(${JSON.stringify(pathToFileURL(entry).href)}); console.log(typeof m.handler);`;
      const run = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'eu-central-1',
          AWS_LAMBDA_FUNCTION_NAME: id,
          ...fakeEnvironment(fn.Properties),
        },
        encoding: 'utf8',
        timeout: LOAD_TIMEOUT_MS,
      });
      expect(run.status, `${id}: ${run.stderr}`).toBe(0);
      expect(run.stdout.trim().split('\n').at(-1), id).toBe('function');
    }
  });
});
