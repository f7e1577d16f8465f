/**
 * The admin CLI (cli/admin-main.ts) against dynalite and the local Scheduler
 * API: accounts and subscriptions written with the config file's checks, a
 * subscription's schedule made and removed with it, the deploy's sync from a
 * config file (what the file put there follows the file; what the CLI added
 * stays), and exit code 2 with one line for every kind of bad input.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../cli/admin-main.ts';
import { createCatalogTable, testAccount } from '../support/catalog-table.ts';
import { type LocalDynamo, startDynalite } from '../support/dynalite.ts';
import { type FakeScheduler, startFakeScheduler } from '../support/fake-scheduler.ts';

const GROUP = 'reports';
let db: LocalDynamo;
let fake: FakeScheduler;
let scheduler: SchedulerClient;
let dir: string;
const env = {
  CATALOG_TABLE: 'catalog',
  SCHEDULE_GROUP: GROUP,
  DAILY_REPORT_FUNCTION_ARN: 'arn:aws:lambda:eu-central-1:123456789012:function:daily',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  SCHEDULE_DLQ_ARN: 'arn:aws:sqs:eu-central-1:123456789012:dlq',
  DATA_API_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:DataApiToken-AbCdEf',
};

beforeAll(async () => {
  db = await startDynalite();
  await createCatalogTable(db);
  fake = await startFakeScheduler({ groups: [GROUP] });
  scheduler = new SchedulerClient({
    endpoint: fake.url,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  dir = mkdtempSync(join(tmpdir(), 'admin-cli-'));
});
afterAll(async () => {
  scheduler.destroy();
  await Promise.all([db.stop(), fake.close()]);
});

async function admin(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runAdmin(
    argv,
    env,
    { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } },
    { dynamo: db.client, scheduler },
  );
  return { code, out, err };
}

describe('npm run admin', () => {
  it('adds, lists and removes accounts and subscriptions, each subscription with its schedule', async () => {
    expect(await admin('accounts', 'add', '--json', JSON.stringify(testAccount('acme')))).toMatchObject({
      code: 0,
      out: 'Account "acme" written\n',
    });
    expect((await admin('accounts', 'list')).out).toMatch(
      /^acme\thttps:\/\/dataapi\.comagic\.ru\/v2\.0\t60\/min\t-\t/,
    );
    const team = join(dir, 'team.json');
    writeFileSync(team, JSON.stringify({ id: 'sales', account: 'acme', recipients: ['a@example.com'] }));
    const added = await admin('subscriptions', 'add', '--file', team);
    expect(added.out).toBe(
      'Subscription "sales" written (account acme)\nSchedules: 1 created, 0 updated, 0 deleted, 0 unchanged\n',
    );
    expect(fake.schedules(GROUP).get('sales')?.Target.Arn).toBe(env.DAILY_REPORT_FUNCTION_ARN);
    expect((await admin('subscriptions', 'list', '--account', 'acme')).out).toBe(
      'sales\taccount=acme\t08:00 MON,TUE,WED,THU,FRI,SAT,SUN\tEurope/Moscow\t1 recipient(s)\n',
    );
    expect((await admin('accounts', 'remove', 'acme')).code).toBe(2); // still read by "sales"
    expect((await admin('subscriptions', 'remove', 'sales')).out).toBe(
      'Subscription "sales" removed\nSchedules: 0 created, 0 updated, 1 deleted, 0 unchanged\n',
    );
    expect(fake.schedules(GROUP).size).toBe(0);
    expect((await admin('accounts', 'remove', 'acme')).out).toBe('Account "acme" removed\n');
  });

  it('refuses bad input with exit code 2 and one line saying what is wrong and what is allowed', async () => {
    const cases: Array<[string[], string]> = [
      [
        [
          'subscriptions',
          'add',
          '--json',
          '{"id":"x","recipients":["a@example.com"],"schedule":{"time":"8am"}}',
        ],
        'Error: Invalid subscription: x.schedule.time: must be a local time HH:MM\n',
      ],
      [
        ['subscriptions', 'add', '--json', '{"id":"x","account":"nowhere","recipients":["a@example.com"]}'],
        'Error: Subscription "x": account "nowhere" is not in the catalog; add the account first (accounts add), or name one of: (none)\n',
      ],
      [
        [
          'accounts',
          'add',
          '--json',
          '{"id":"a","key_secret_arn":"arn:aws:secretsmanager:eu-central-1:123456789012:secret:k","minute_limit":0}',
        ],
        'Error: Invalid account: a.minute_limit: must be at least 1\n',
      ],
      [['subscriptions', 'add', '--json', '{'], 'Error: the item is not JSON:'],
      [['subscriptions', 'add'], "Error: give the item as --json '{…}' or --file <path to a JSON object>\n"],
      [
        ['subscriptions', 'add', '--file', '/nonexistent/team.json'],
        'Error: --file /nonexistent/team.json: cannot read it (ENOENT)\n',
      ],
      [['subscriptions', 'remove'], "Error: give the subscription's id: … subscriptions remove <id>\n"],
      [['teams', 'list'], 'Error: unknown command "teams list"\n'],
    ];
    for (const [argv, message] of cases) {
      const r = await admin(...argv);
      expect([r.code, r.err.startsWith(message)], argv.join(' ')).toEqual([2, true]);
    }
    // Without a table, before any request; the entry point as npm runs it.
    const child = spawnSync(process.execPath, ['cli/admin.ts', 'accounts', 'list'], {
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    expect(child.status).toBe(2);
    expect(child.stderr.split('\n')[0]).toBe(
      'Error: give the catalog table: --outputs <cdk outputs file>, --table <CatalogTableName output> or CATALOG_TABLE',
    );
  });

  it('syncs the config file: its items follow the file, what the CLI added stays, the schedules follow the catalog', async () => {
    const key = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:call-reports/data-api/beta-AbCdEf';
    const config = (subs: unknown[]) => {
      const path = join(dir, `config-${subs.length}.json`);
      writeFileSync(
        path,
        JSON.stringify({
          mailFrom: 'reports@example.com',
          accounts: [{ id: 'beta', key_secret_arn: key, minute_limit: 30 }],
          subscriptions: subs,
        }),
      );
      return path;
    };
    const first = config([
      { id: 'one', recipients: ['a@example.com'] },
      { id: 'two', account: 'beta', recipients: ['b@example.com'], schedule: { time: '07:00' } },
    ]);
    expect((await admin('sync', '--config', first)).out).toBe(
      `Catalog: 2 account(s) and 2 subscription(s) from ${first}; removed 0 subscription(s) and 0 account(s) no longer in it\nSchedules: 2 created, 0 updated, 0 deleted, 0 unchanged\n`,
    );
    expect((await admin('accounts', 'list')).out).toContain(
      `default\thttps://dataapi.uiscom.ru/v2.0\t150/min\t-\t${env.DATA_API_TOKEN_SECRET_ARN}`,
    );
    await admin(
      'subscriptions',
      'add',
      '--json',
      '{"id":"by-hand","account":"beta","recipients":["c@example.com"]}',
    );
    const second = config([{ id: 'one', recipients: ['a@example.com'], schedule: { time: '09:00' } }]);
    expect((await admin('sync', '--config', second)).out).toBe(
      `Catalog: 2 account(s) and 1 subscription(s) from ${second}; removed 1 subscription(s) and 0 account(s) no longer in it\nSchedules: 0 created, 1 updated, 1 deleted, 1 unchanged\n`,
    );
    expect([...fake.schedules(GROUP).keys()].sort()).toEqual(['by-hand', 'one']);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ mailFrom: 'x', subscriptions: [] }));
    const r = await admin('sync', '--config', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^Error: .*bad\.json: Invalid configuration: mailFrom: must be an email address; subscriptions: needs at least one subscription\n$/,
    );
  });
});
