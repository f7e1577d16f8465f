/**
 * The catalog table against dynalite: accounts and subscriptions written with
 * config.ts's checks, read back in their normal form, a subscription only for
 * an account that exists, an account kept while a subscription reads it, and
 * an item that no longer passes named when read.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoCatalog } from '../../functions/shared/adapters/aws/dynamo-catalog.ts';
import type { Account, Subscription } from '../../functions/shared/config.ts';
import { CatalogError } from '../../functions/shared/pipeline/catalog.ts';
import { createCatalogTable, testAccount } from '../support/catalog-table.ts';
import { type LocalDynamo, startDynalite } from '../support/dynalite.ts';

let db: LocalDynamo;
let catalog: DynamoCatalog;
beforeAll(async () => {
  db = await startDynalite();
  catalog = await createCatalogTable(db);
});
afterAll(async () => {
  await db.stop();
});

const sub = (id: string, extra: Record<string, unknown> = {}) =>
  ({ id, account: 'acme', recipients: [`${id}@example.com`], ...extra }) as unknown as Subscription;

describe('DynamoCatalog against dynalite', () => {
  it('keeps accounts and subscriptions in their checked, normal form, listed in id order', async () => {
    await catalog.putAccount(testAccount('acme') as Account, 'config');
    await catalog.putSubscription(sub('sales', { working_hours: 'Mon-Fri 9:00-18:00' }), 'admin');
    await catalog.putSubscription(sub('ops'), 'config');
    const entry = await catalog.entry('sales');
    expect(entry?.account).toMatchObject({ id: 'acme', minute_limit: 60 });
    expect(entry?.subscription).toMatchObject({
      id: 'sales',
      account: 'acme',
      working_hours: 'mon-fri 09:00-18:00',
      schedule: { time: '08:00' },
      timezone: 'Europe/Moscow',
    });
    expect((await catalog.subscriptions()).map((s) => s.id)).toEqual(['ops', 'sales']);
    expect(Object.fromEntries(await catalog.subscriptionSources())).toEqual({
      ops: 'config',
      sales: 'admin',
    });
    expect(await catalog.entry('nobody')).toBeNull();
  });

  it('refuses a subscription naming the key that is wrong and what is allowed', async () => {
    await expect(catalog.putSubscription(sub('bad', { schedule: { time: '8am' } }), 'admin')).rejects.toThrow(
      'Invalid subscription: bad.schedule.time: must be a local time HH:MM',
    );
    await expect(catalog.putSubscription(sub('Bad Id'), 'admin')).rejects.toThrow(
      /Invalid subscription: Bad Id\.id: must be 1–40 lowercase letters, digits or "-"/,
    );
    await expect(
      catalog.putAccount({ ...testAccount('x'), key_secret_arn: 'my-key' } as Account, 'admin'),
    ).rejects.toThrow(
      /Invalid account: x\.key_secret_arn: must be a Secrets Manager secret ARN, e\.g\. arn:aws:secretsmanager:/,
    );
    expect(await catalog.entry('bad')).toBeNull();
  });

  it('writes a subscription only for an account in the catalog, naming those there are', async () => {
    const err = await catalog.putSubscription(sub('lost', { account: 'nowhere' }), 'admin').catch((e) => e);
    expect(err).toBeInstanceOf(CatalogError);
    expect(err.message).toBe(
      'Subscription "lost": account "nowhere" is not in the catalog; add the account first (accounts add), or name one of: acme',
    );
  });

  it('keeps an account while a subscription reads it, and removes it after', async () => {
    await catalog.putAccount(testAccount('beta') as Account, 'admin');
    await catalog.putSubscription(sub('beta-team', { account: 'beta' }), 'admin');
    await expect(catalog.removeAccount('beta')).rejects.toThrow(
      'Account "beta" is read by 1 subscription(s) (beta-team); remove them or move them to another account first',
    );
    expect(await catalog.removeSubscription('beta-team')).toBe(true);
    expect(await catalog.removeSubscription('beta-team')).toBe(false);
    expect(await catalog.removeAccount('beta')).toBe(true);
    expect((await catalog.accounts()).map((a) => a.id)).toEqual(['acme']);
  });

  it('names an item that no longer passes its checks instead of using half of it', async () => {
    await db.client.send(
      new PutItemCommand({
        TableName: 'catalog',
        Item: {
          kind: { S: 'subscription' },
          id: { S: 'old' },
          account: { S: 'acme' },
          doc: { S: JSON.stringify({ id: 'old', account: 'acme', recipients: [] }) },
          source: { S: 'admin' },
        },
      }),
    );
    await expect(catalog.entry('old')).rejects.toThrow(
      'The catalog\'s subscription "old" no longer passes its checks: Invalid subscription: old.recipients: needs at least one recipient',
    );
  });
});
