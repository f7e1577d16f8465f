/**
 * Builds the stack the way `infra/app.ts` does, with the feature flags of
 * `cdk.json` (so tests and `cdk synth` agree), bundling skipped unless asked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type DeployConfig, parseConfig } from '../../infra/config.ts';
import { CallReportsStack, PROJECT_ROOT } from '../../infra/stack.ts';

export const EXAMPLE_CONFIG_PATH = join(PROJECT_ROOT, 'infra/config.example.json');

const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
  app: string;
  context: Record<string, unknown>;
};

export function cdkContext(): Record<string, unknown> {
  return { ...cdkJson.context };
}

export function cdkAppCommand(): string {
  return cdkJson.app;
}

/** The committed example, parsed as JSON (not validated). */
export function exampleRaw(): Record<string, unknown> {
  return JSON.parse(readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')) as Record<string, unknown>;
}

export function exampleConfig(overrides: Record<string, unknown> = {}): DeployConfig {
  return parseConfig({ ...exampleRaw(), ...overrides });
}

export interface Built {
  app: App;
  stack: CallReportsStack;
  template: Template;
}

/** The app and stack without bundling, not yet synthesized. */
export function buildApp(
  config: DeployConfig = exampleConfig(),
  options: { outdir?: string } = {},
): { app: App; stack: CallReportsStack } {
  const app = new App({
    context: { ...cdkContext(), 'aws:cdk:bundling-stacks': [] },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const env =
    config.account || config.region ? { env: { account: config.account, region: config.region } } : {};
  const stack = new CallReportsStack(app, 'CallReports', { config, ...env });
  return { app, stack };
}

/** The stack's template, bundling skipped (template tests). */
export function buildStack(config: DeployConfig = exampleConfig()): Built {
  const { app, stack } = buildApp(config);
  return { app, stack, template: Template.fromStack(stack) };
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/**
 * A template value with its intrinsics replaced by plausible stand-ins, as a
 * deployed function would see them (`Ref` to a resource → a fake name).
 */
export function fakeResolve(value: Json): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const ref = value.Ref;
    if (typeof ref === 'string') {
      if (ref === 'AWS::Region') return 'eu-central-1';
      if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
      if (ref === 'AWS::AccountId') return '123456789012';
      if (ref === 'AWS::Partition') return 'aws';
      return `fake-${ref.toLowerCase()}`;
    }
    const join = value['Fn::Join'];
    if (Array.isArray(join)) {
      const [sep, parts] = join as [string, Json[]];
      return parts.map(fakeResolve).join(sep);
    }
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt))
      return `arn:aws:fake:eu-central-1:123456789012:${String(getAtt[0]).toLowerCase()}`;
  }
  throw new Error(`fakeResolve: unsupported value ${JSON.stringify(value)}`);
}

/** Every Lambda function of a template: logical id → properties. */
export function lambdaFunctions(template: Template): Record<string, { Properties: Record<string, Json> }> {
  return template.findResources('AWS::Lambda::Function') as Record<
    string,
    { Properties: Record<string, Json> }
  >;
}

/** The environment variables of one function, resolved with `fakeResolve`. */
export function fakeEnvironment(properties: Record<string, Json>): Record<string, string> {
  const env = (properties.Environment as { Variables?: Record<string, Json> } | undefined)?.Variables ?? {};
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, fakeResolve(v)]));
}
