/**
 * `npm run admin`: the catalog of accounts and subscriptions (README, "Many
 * customers"), written with the same checks the config file gets at synth:
 *
 *   npm run admin -- accounts list
 *   npm run admin -- accounts add --json '{"id":"acme","api_url":"https://dataapi.comagic.ru/v2.0","key_secret_arn":"arn:…:secret:call-reports/data-api/acme-…","minute_limit":150,"day_limit":10000}'
 *   npm run admin -- accounts remove acme
 *   npm run admin -- subscriptions list [--account acme] [--json]
 *   npm run admin -- subscriptions add --file team.json      (or --json '{…}')
 *   npm run admin -- subscriptions remove sales-daily
 *   npm run admin -- schedules sync                          (the schedules made to match the catalog)
 *   npm run admin -- sync [--config infra/config.json]       (what npm run deploy runs after cdk deploy;
 *                                                             by default the file the CDK app reads)
 *
 * Where: `--outputs <file>` (`cdk deploy --outputs-file`), or `--table` and the
 * variables of admin-settings.ts. AWS credentials and region come from the
 * usual chain. A subscription added or removed gets its schedule at once when
 * the schedules' settings are known. Bad input: exit 2 with one line saying
 * what was wrong and what is allowed; a failed AWS call: exit 1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoCatalog } from '../functions/shared/adapters/aws/dynamo-catalog.ts';
import { reconcileSchedules } from '../functions/shared/adapters/aws/schedule-reconciler.ts';
import { ACCOUNT_SECRET_PREFIX, type Account, type Subscription } from '../functions/shared/config.ts';
import {
  accountIdOf,
  CatalogError,
  checkAccount,
  checkSubscription,
} from '../functions/shared/pipeline/catalog.ts';
import { ConfigError, loadConfigFile } from '../infra/config.ts';
import { type AdminSettings, adminSettings, UsageError } from './admin-settings.ts';
import { syncCatalog } from './admin-sync.ts';

export interface AdminIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

export interface AdminDeps {
  dynamo?: DynamoDBClient;
  scheduler?: SchedulerClient;
}

const USAGE =
  'usage: npm run admin -- accounts list|add|remove, subscriptions list|add|remove, schedules sync, or sync --config <file>';

type Values = Record<string, string | boolean | undefined>;

/** The file the CDK app reads (infra/app.ts): CALL_REPORTS_CONFIG, else infra/config.json, else the example. */
function deployConfigPath(env: NodeJS.ProcessEnv): string {
  return (
    env.CALL_REPORTS_CONFIG ??
    (existsSync('infra/config.json') ? 'infra/config.json' : 'infra/config.example.json')
  );
}

function readItemFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `--file ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

function documentOf(values: Values): unknown {
  const text =
    typeof values.json === 'string'
      ? values.json
      : typeof values.file === 'string'
        ? readItemFile(values.file)
        : null;
  if (text === null) throw new UsageError("give the item as --json '{…}' or --file <path to a JSON object>");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the item is not JSON: ${(err as Error).message}`);
  }
}

const idOf = (positionals: string[], what: string) => {
  const id = positionals[2];
  if (!id) throw new UsageError(`give the ${what}'s id: … ${what}s remove <id>`);
  return id;
};

const describeAccount = (a: Account) =>
  `${a.id}\t${a.api_url}\t${a.minute_limit}/min\t${a.day_limit === undefined ? '-' : `${a.day_limit}/day`}\t${a.key_secret_arn}\n`;
const describeSubscription = (s: Subscription) =>
  `${s.id}\taccount=${accountIdOf(s)}\t${s.schedule.time} ${s.schedule.days.join(',')}\t${s.timezone}\t${s.recipients.length} recipient(s)\n`;

export async function runAdmin(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: AdminIo,
  deps: AdminDeps = {},
): Promise<number> {
  let values: Values;
  let positionals: string[];
  let settings: AdminSettings;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        table: { type: 'string' },
        outputs: { type: 'string' },
        json: { type: 'string' },
        file: { type: 'string' },
        config: { type: 'string' },
        account: { type: 'string' },
        format: { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    }));
    settings = adminSettings(values as { table?: string; outputs?: string }, env);
  } catch (err) {
    io.stderr.write(`Error: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const store = new DynamoCatalog({ client: deps.dynamo ?? new DynamoDBClient({}), table: settings.table });
  const out = (s: string) => io.stdout.write(s);
  const syncSchedules = async () => {
    if (!settings.schedules) {
      out(
        'Schedules not synced: give --outputs <cdk outputs file> and run npm run admin -- schedules sync\n',
      );
      return;
    }
    const r = await reconcileSchedules(await store.subscriptions(), {
      client: deps.scheduler ?? new SchedulerClient({ maxAttempts: 10 }),
      target: settings.schedules,
    });
    out(
      `Schedules: ${r.created.length} created, ${r.updated.length} updated, ${r.deleted.length} deleted, ${r.unchanged} unchanged\n`,
    );
  };

  const [group, command] = positionals;
  try {
    switch (`${group} ${command}`) {
      case 'accounts list':
        for (const a of await store.accounts()) out(describeAccount(a));
        return 0;
      case 'accounts add': {
        const account = checkAccount(documentOf(values));
        await store.putAccount(account, 'admin');
        out(`Account "${account.id}" written\n`);
        if (
          !account.key_secret_arn.includes(`:secret:${ACCOUNT_SECRET_PREFIX}`) &&
          account.key_secret_arn !== settings.defaultKeySecretArn
        )
          out(
            `Warning: the report functions read key secrets named ${ACCOUNT_SECRET_PREFIX}<id> only; create it with aws secretsmanager create-secret --name ${ACCOUNT_SECRET_PREFIX}${account.id}\n`,
          );
        return 0;
      }
      case 'accounts remove': {
        const id = idOf(positionals, 'account');
        out(
          (await store.removeAccount(id))
            ? `Account "${id}" removed\n`
            : `No account "${id}"; nothing removed\n`,
        );
        return 0;
      }
      case 'subscriptions list': {
        const subs = (await store.subscriptions()).filter(
          (s) => !values.account || accountIdOf(s) === values.account,
        );
        for (const s of subs)
          out(values.format === 'json' ? `${JSON.stringify(s)}\n` : describeSubscription(s));
        return 0;
      }
      case 'subscriptions add': {
        const sub = checkSubscription(documentOf(values));
        await store.putSubscription(sub, 'admin');
        out(`Subscription "${sub.id}" written (account ${accountIdOf(sub)})\n`);
        await syncSchedules();
        return 0;
      }
      case 'subscriptions remove': {
        const id = idOf(positionals, 'subscription');
        const removed = await store.removeSubscription(id);
        out(removed ? `Subscription "${id}" removed\n` : `No subscription "${id}"; nothing removed\n`);
        if (removed) await syncSchedules();
        return 0;
      }
      case 'schedules sync':
        await syncSchedules();
        return 0;
      default:
        if (group === 'sync' && command === undefined) {
          const path = typeof values.config === 'string' ? values.config : deployConfigPath(env);
          const r = await syncCatalog(store, loadConfigFile(path), settings.defaultKeySecretArn);
          out(
            `Catalog: ${r.accounts.written} account(s) and ${r.subscriptions.written} subscription(s) from ${path}; removed ${r.subscriptions.removed.length} subscription(s) and ${r.accounts.removed.length} account(s) no longer in it\n`,
          );
          if (r.subscriptions.tookOver.length > 0)
            out(
              `Note: the file now owns subscription(s) added with the admin CLI: ${r.subscriptions.tookOver.join(', ')}\n`,
            );
          await syncSchedules();
          return 0;
        }
        throw new UsageError(`unknown command "${positionals.join(' ')}"`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof CatalogError || err instanceof ConfigError) {
      io.stderr.write(`Error: ${err.message}\n${err instanceof UsageError ? `${USAGE}\n` : ''}`);
      return 2;
    }
    io.stderr.write(`Error: ${(err as Error).name}: ${(err as Error).message}\n`);
    return 1;
  }
}
