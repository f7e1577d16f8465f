/**
 * Where the admin CLI finds the deployment: the outputs file `cdk deploy
 * --outputs-file` writes (`{"CallReports": {"CatalogTableName": …, …}}`), or
 * the environment (CATALOG_TABLE, SCHEDULE_GROUP, DAILY_REPORT_FUNCTION_ARN,
 * SCHEDULER_ROLE_ARN, SCHEDULE_DLQ_ARN, SCHEDULE_WINDOW_MINUTES,
 * DATA_API_TOKEN_SECRET_ARN); `--table` wins for the table.
 */
import { readFileSync } from 'node:fs';
import type { ScheduleTarget } from '../functions/shared/pipeline/schedules.ts';

export class UsageError extends Error {}

export interface AdminSettings {
  table: string;
  /** Null when the schedules' settings are not known: the CLI then says how to sync them. */
  schedules: ScheduleTarget | null;
  /** The stack's own Data API key secret: the default account's. */
  defaultKeySecretArn: string | null;
}

function readOutputs(path: string): Record<string, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--outputs ${path}: cannot read it as JSON (${(err as Error).message})`);
  }
  const stack = (raw as Record<string, unknown> | null)?.CallReports;
  if (stack === null || typeof stack !== 'object')
    throw new UsageError(
      `--outputs ${path}: no "CallReports" stack in it (write it with cdk deploy --outputs-file)`,
    );
  return stack as Record<string, string>;
}

export function adminSettings(
  values: { table?: string; outputs?: string },
  env: NodeJS.ProcessEnv,
): AdminSettings {
  const out = values.outputs ? readOutputs(values.outputs) : {};
  const pick = (output: string, variable: string) => out[output] ?? env[variable] ?? null;
  const table = values.table ?? pick('CatalogTableName', 'CATALOG_TABLE');
  if (!table)
    throw new UsageError(
      'give the catalog table: --outputs <cdk outputs file>, --table <CatalogTableName output> or CATALOG_TABLE',
    );
  const group = pick('ScheduleGroupName', 'SCHEDULE_GROUP');
  const functionArn = pick('DailyReportFunctionArn', 'DAILY_REPORT_FUNCTION_ARN');
  const roleArn = pick('SchedulerRoleArn', 'SCHEDULER_ROLE_ARN');
  const deadLetterArn = pick('ScheduleDeadLetterQueueArn', 'SCHEDULE_DLQ_ARN');
  const window = pick('ScheduleWindowMinutes', 'SCHEDULE_WINDOW_MINUTES');
  if (window !== null && !/^\d+$/.test(window))
    throw new UsageError(`SCHEDULE_WINDOW_MINUTES must be whole minutes 1–1440, got "${window}"`);
  return {
    table,
    schedules:
      group && functionArn && roleArn && deadLetterArn
        ? {
            group,
            functionArn,
            roleArn,
            deadLetterArn,
            ...(window === null ? {} : { flexibleWindowMinutes: Number(window) }),
          }
        : null,
    defaultKeySecretArn: pick('DataApiTokenSecretArn', 'DATA_API_TOKEN_SECRET_ARN'),
  };
}
