/**
 * The house Lambda: every function of the stack is built the same way.
 *
 * - `nodejs24.x` on arm64 (Graviton: cheaper per GB-second, same code).
 * - esbuild bundling with the project's own esbuild, never Docker.
 * - ESM output with a `createRequire` banner: some CommonJS dependencies
 *   (exceljs and its helpers) call `require()` for Node built-ins, which an
 *   ES module does not have.
 * - The AWS SDK is BUNDLED (`externalModules: []`), not taken from the
 *   runtime: the runtime's SDK is whatever version Lambda ships that week,
 *   while the bundle holds exactly the version in package-lock.json that the
 *   tests ran against (s3rver, SES and client-mock tests). A few hundred KB
 *   more to load, no surprise upgrades.
 * - Source maps shipped beside each bundle (`index.mjs.map`), but NOT read at
 *   start: `--enable-source-maps` made Node read and parse the map in every
 *   cold start (~130-280 ms of a report function's ~385-640 ms import with the 3.3 MB
 *   map of the time, still ~20-40 ms and +8 MB RSS with today's 2 MB one;
 *   bench/README.md). A minified trace is mapped with the shipped map, or the
 *   flag is added to NODE_OPTIONS while chasing a bug.
 * - Its own role (no AWS managed policy) and an explicit log group with
 *   retention; the role may write to that log group only.
 * - Lambda allows 4 KB of environment variables: the construct fails synth
 *   with a message naming the largest variable when they would not fit.
 */
import { join } from 'node:path';
import { type Duration, RemovalPolicy, Tokenization } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type IDestination, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  LogLevel,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

/** Lambda's limit on the total size of a function's environment variables. */
export const LAMBDA_ENV_LIMIT_BYTES = 4096;
/** What an unresolved token (an ARN, a bucket name, an API id) is counted as before deployment. */
export const TOKEN_SIZE_ESTIMATE = 128;

/** ESM has no `require`; CommonJS dependencies in the bundle get one back. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __houseCreateRequire } from 'node:module'; const require = __houseCreateRequire(import.meta.url);";

/** Every function's NODE_OPTIONS (measured in npm run bench: bench/README.md). */
export const LAMBDA_NODE_OPTIONS = '--max-semi-space-size=8';

/** How every function is bundled; `npm run bench` builds them the same way (bench/functions.ts). */
export const HOUSE_BUNDLING = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  // Bundle the AWS SDK: see the comment at the top of this file.
  externalModules: [],
  logLevel: LogLevel.ERROR,
} satisfies BundlingOptions;

export interface AsyncInvokeOptions {
  /** Retries after a function error (0–2). */
  retryAttempts: number;
  /** How long an event may wait (throttled by reserved concurrency, or between retries). */
  maxEventAge: Duration;
  /** Where an event goes when the retries are used up. */
  onFailure: IDestination;
}

export interface HouseFunctionProps {
  /** Repository root (holds package.json, package-lock.json, tsconfig.json). */
  projectRoot: string;
  /** Entry file relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  memorySize: number;
  timeout: Duration;
  /** The function's own variables (the house ones are added). */
  environment: Record<string, string>;
  logRetention: RetentionDays;
  reservedConcurrentExecutions?: number | undefined;
  tracing?: boolean;
  async?: AsyncInvokeOptions;
}

export class HouseFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);

    const environment: Record<string, string> = {
      ...props.environment,
      // A smaller young generation: about a fifth less peak memory for ~8 % more time (bench/README.md).
      NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
    };
    assertEnvironmentFits(this.node.path, environment);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      // Logs go with the stack; the reports themselves are retained in the bucket.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (execution role)`,
    });
    // Instead of AWSLambdaBasicExecutionRole (logs:* on every log group): this log group only.
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      entry: join(props.projectRoot, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      environment,
      tracing: props.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      ...(props.async === undefined
        ? {}
        : {
            retryAttempts: props.async.retryAttempts,
            maxEventAge: props.async.maxEventAge,
            onFailure: props.async.onFailure,
          }),
      bundling: HOUSE_BUNDLING,
    });

    if (props.tracing) {
      acknowledge(
        this.role,
        'AwsSolutions-IAM5[Resource::*]',
        'X-Ray PutTraceSegments and PutTelemetryRecords do not support resource-level permissions.',
      );
    }
  }
}

/** Size of a value before deployment: literal bytes plus an estimate per unresolved token. */
function estimatedBytes(value: string): number {
  const tokens = Tokenization.reverseString(value).tokens.length;
  const literal = value.replace(/\$\{Token\[[^\]]*\]\}/g, '');
  return Buffer.byteLength(literal, 'utf8') + tokens * TOKEN_SIZE_ESTIMATE;
}

/** Throws when the variables would exceed Lambda's 4 KB, naming the largest. */
export function assertEnvironmentFits(path: string, environment: Record<string, string>): void {
  const sizes = Object.entries(environment).map(([key, value]) => ({
    key,
    bytes: Buffer.byteLength(key, 'utf8') + estimatedBytes(value),
  }));
  const total = sizes.reduce((n, s) => n + s.bytes, 0);
  if (total <= LAMBDA_ENV_LIMIT_BYTES) return;
  const largest = [...sizes].sort((a, b) => b.bytes - a.bytes)[0];
  const hint =
    largest?.key === 'SUBSCRIPTIONS'
      ? ' The subscriptions are too many or too long for one function: shorten them (fewer recipients or filters, defaults left out) or split them over two deployments.'
      : '';
  throw new Error(
    `${path}: the function's environment variables would take about ${total} bytes, over Lambda's limit of ${LAMBDA_ENV_LIMIT_BYTES} bytes in total; ` +
      `the largest is ${largest?.key} (${largest?.bytes} bytes).${hint}`,
  );
}
