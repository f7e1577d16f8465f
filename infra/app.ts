/**
 * The CDK app (`cdk.json`: `node infra/app.ts`, Node 24 type stripping).
 *
 * The environment is read here and nowhere else: `CALL_REPORTS_CONFIG` names
 * the configuration file; without it `infra/config.json` when it exists, else
 * the committed example (so `npx cdk synth` works on a fresh clone, with a
 * warning on stderr). Synth needs no AWS account, no Docker and makes no
 * look-ups: the same commit and config always give the same template.
 */
import { existsSync } from 'node:fs';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, loadConfigFile } from './config.ts';
import { CallReportsStack } from './stack.ts';

const USER_CONFIG = 'infra/config.json';
const EXAMPLE_CONFIG = 'infra/config.example.json';
const configPath =
  process.env.CALL_REPORTS_CONFIG ?? (existsSync(USER_CONFIG) ? USER_CONFIG : EXAMPLE_CONFIG);
if (configPath === EXAMPLE_CONFIG) {
  console.error(
    `call-reports: using ${EXAMPLE_CONFIG} (example.com addresses). Write ${USER_CONFIG} or set CALL_REPORTS_CONFIG before deploying.`,
  );
}

let config: ReturnType<typeof loadConfigFile>;
try {
  config = loadConfigFile(configPath);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}

const app = new App();
new CallReportsStack(app, 'CallReports', {
  config,
  ...(config.account || config.region ? { env: { account: config.account, region: config.region } } : {}),
});
// cdk-nag 3 runs as a policy-validation plugin: any unacknowledged finding fails synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
