/**
 * cdk-nag 3 (AwsSolutions) runs as a CDK policy-validation plugin: these tests
 * synthesize with it and assert that nothing is reported, that every
 * acknowledgement carries a reason and matches a real finding, and (negative
 * control) that the plugin does fail a non-compliant stack.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, type IPolicyValidationPlugin, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { HouseFunction } from '../../infra/constructs/house-function.ts';
import { listAcknowledgements } from '../../infra/constructs/nag.ts';
import { PROJECT_ROOT } from '../../infra/stack.ts';
import { buildApp, cdkContext, exampleConfig } from './support.ts';

interface ValidationReport {
  pluginReports: Array<{ pluginName: string; conclusion: string; violations: unknown[] }>;
}

const outdirs: string[] = [];
function outdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'call-reports-nag-'));
  outdirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** Synthesizes with the AwsSolutions plugin; returns the report CDK wrote and the plugin's own verdict. */
function synthWithNag(app: App, dir: string) {
  const plugin = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(plugin);
  app.synth(); // throws with the formatted report on any finding (in-memory app mode, NODE_ENV=test)
  const report = JSON.parse(readFileSync(join(dir, 'validation-report.json'), 'utf8')) as ValidationReport;
  return { report, direct: new AwsSolutionsChecks().validateScope(app) };
}

/** Every finding the pack would report if nothing were acknowledged. */
function rawFindings(root: IConstruct): Array<{ ruleName: string; paths: string[] }> {
  const pack = new AwsSolutionsChecks();
  (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  return pack.validateScope(root).violations.map((v) => ({
    ruleName: v.ruleName,
    paths: v.violatingResources.map((r) => r.constructPath ?? ''),
  }));
}

describe('cdk-nag AwsSolutions', () => {
  const variants: Array<[string, Record<string, unknown>]> = [
    ['the example config', {}],
    [
      'an existing SES identity, no reserved concurrency, no alarm email, a fixed environment',
      {
        sesIdentity: false,
        maxConcurrentReports: false,
        alarmEmail: undefined,
        account: '123456789012',
        region: 'eu-central-1',
      },
    ],
    ['an address identity', { sesIdentity: 'address' }],
    [
      'a subscription with Telegram chats',
      {
        subscriptions: [
          { id: 'sales', recipients: ['a@example.com'], telegram: [{ chat_id: -1001234567890 }] },
        ],
      },
    ],
  ];

  for (const [name, overrides] of variants) {
    it(`reports no finding for ${name}`, () => {
      const dir = outdir();
      const { app } = buildApp(exampleConfig(overrides), { outdir: dir });
      const { report, direct } = synthWithNag(app, dir);
      const violations = report.pluginReports.flatMap((r) =>
        r.violations.map((v) => ({ plugin: r.pluginName, ...(v as object) })),
      );
      expect(violations).toEqual([]);
      expect(report.pluginReports.filter((r) => r.conclusion !== 'success')).toEqual([]);
      expect(direct.violations).toEqual([]);
      expect(direct.success).toBe(true);
    });
  }

  it('acknowledges each finding with a reason, and no acknowledgement is stale', () => {
    const { app } = buildApp(exampleConfig(), { outdir: outdir() });
    app.synth();
    const acks = listAcknowledgements(app);
    expect(acks.length).toBeGreaterThan(10);
    const raw = rawFindings(app);
    for (const ack of acks) {
      expect(ack.reason.trim().length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
      const matched = raw.some(
        (f) => f.ruleName === ack.id && f.paths.some((p) => p === ack.path || p.startsWith(`${ack.path}/`)),
      );
      expect(matched, `stale acknowledgement ${ack.id} at ${ack.path}`).toBe(true);
    }
    // And every raw finding is covered by an acknowledgement at or above it.
    for (const f of raw) {
      for (const p of f.paths) {
        const covered = acks.some((a) => a.id === f.ruleName && (p === a.path || p.startsWith(`${a.path}/`)));
        expect(covered, `${f.ruleName} at ${p}`).toBe(true);
      }
    }
  });

  it('acknowledges only what is listed in the review (ids)', () => {
    const { app } = buildApp(exampleConfig(), { outdir: outdir() });
    app.synth();
    const ids = [...new Set(listAcknowledgements(app).map((a) => a.id.replace(/\[.*\]$/, '')))].sort();
    expect(ids).toEqual([
      'AwsSolutions-APIG3',
      'AwsSolutions-APIG4',
      'AwsSolutions-COG4',
      'AwsSolutions-DDB3',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
    ]);
    const iam5 = listAcknowledgements(app)
      .filter((a) => a.id.startsWith('AwsSolutions-IAM5'))
      .map((a) => a.id);
    // Granular: wildcard resources by name (a prefix of the bucket, a function's versions, the
    // accounts' key secrets), never Action::*.
    const accountKeys =
      'Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:call-reports/data-api/*';
    for (const id of iam5.filter((i) => i !== `AwsSolutions-IAM5[${accountKeys}]`))
      expect(id).toMatch(/^AwsSolutions-IAM5\[Resource::<[A-Za-z0-9]+\.Arn>(\/(reports|jobs)\/\*|:\*)\]$/);
    expect(iam5).toContain(`AwsSolutions-IAM5[${accountKeys}]`);
  });

  it('fails synth on a finding that is not acknowledged (negative control)', () => {
    const dir = outdir();
    const app = new App({ context: { ...cdkContext(), 'aws:cdk:bundling-stacks': [] }, outdir: dir });
    new Bucket(new Stack(app, 'Careless'), 'OpenBucket');
    const plugin: IPolicyValidationPlugin = new AwsSolutionsChecks(app);
    Validations.of(app).addPlugins(plugin);
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
    const report = JSON.parse(readFileSync(join(dir, 'validation-report.json'), 'utf8')) as ValidationReport;
    const rules = report.pluginReports.flatMap((r) =>
      r.violations.map((v) => (v as { ruleName: string }).ruleName),
    );
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});

describe('the house function on its own', () => {
  it('is nag-clean with X-Ray tracing on, its one wildcard acknowledged', () => {
    const dir = outdir();
    const app = new App({ context: { ...cdkContext(), 'aws:cdk:bundling-stacks': [] }, outdir: dir });
    const stack = new Stack(app, 'Traced');
    const fn = new HouseFunction(stack, 'Fn', {
      projectRoot: PROJECT_ROOT,
      entry: 'functions/authorizer/handler.ts',
      description: 'traced',
      memorySize: 256,
      timeout: Duration.seconds(5),
      environment: {},
      logRetention: RetentionDays.ONE_WEEK,
      tracing: true,
    });
    const { report, direct } = synthWithNag(app, dir);
    expect(report.pluginReports).toEqual([]);
    expect(direct.violations).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
    });
    expect(listAcknowledgements(fn).map((a) => a.id)).toEqual(['AwsSolutions-IAM5[Resource::*]']);
  });
});
