/**
 * The catalog (pipeline/catalog.ts) in its own DynamoDB table: partition key
 * `kind` (`account` | `subscription`), sort key `id`, the checked document as
 * JSON in `doc`, its `source` (config | admin), a subscription's `account`, and
 * `updated_at`. One Query per kind lists them in id order (a page is 1 MB,
 * about 1 000 subscriptions); a report reads its subscription and account with
 * two strongly consistent GetItems.
 *
 * Every write goes through checkAccount / checkSubscription, and what is read
 * is checked again (an item written by an older version that no longer passes
 * is named, not half-used). A subscription is written only when its account
 * exists, and an account removed only when no subscription reads it: checked
 * with a consistent read just before the write (dynalite, the tests' DynamoDB,
 * has no transactions; two admins racing an account's removal against a
 * subscription's addition is the one gap, and the report then fails naming
 * the missing account).
 */
import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { Account, Subscription } from '../../config.ts';
import {
  accountIdOf,
  type CatalogEntry,
  CatalogError,
  type CatalogSource,
  type CatalogStore,
  checkAccount,
  checkSubscription,
} from '../../pipeline/catalog.ts';

type Kind = 'account' | 'subscription';
type Item = Record<string, AttributeValue>;

export interface DynamoCatalogOptions {
  client: DynamoDBClient;
  table: string;
  now?: () => number;
}

export class DynamoCatalog implements CatalogStore {
  private readonly o: Required<DynamoCatalogOptions>;

  constructor(opts: DynamoCatalogOptions) {
    this.o = { now: Date.now, ...opts };
  }

  async entry(id: string): Promise<CatalogEntry | null> {
    const subscription = await this.subscription(id);
    if (!subscription) return null;
    const account = await this.account(accountIdOf(subscription));
    if (!account)
      throw new CatalogError(
        `Subscription "${id}" reads account "${accountIdOf(subscription)}", which is not in the catalog: add it (npm run admin -- accounts add …)`,
      );
    return { subscription, account };
  }

  async subscription(id: string): Promise<Subscription | null> {
    const item = await this.get('subscription', id);
    return item ? this.read('subscription', item, checkSubscription) : null;
  }

  async account(id: string): Promise<Account | null> {
    const item = await this.get('account', id);
    return item ? this.read('account', item, checkAccount) : null;
  }

  async subscriptions(): Promise<Subscription[]> {
    return (await this.query('subscription')).map((i) => this.read('subscription', i, checkSubscription));
  }

  async accounts(): Promise<Account[]> {
    return (await this.query('account')).map((i) => this.read('account', i, checkAccount));
  }

  async subscriptionSources(): Promise<Map<string, CatalogSource>> {
    return sources(await this.query('subscription'));
  }

  async accountSources(): Promise<Map<string, CatalogSource>> {
    return sources(await this.query('account'));
  }

  async putAccount(raw: Account, source: CatalogSource): Promise<void> {
    const account = checkAccount(raw);
    await this.put('account', account.id, account, source, {});
  }

  async putSubscription(raw: Subscription, source: CatalogSource): Promise<void> {
    const subscription = checkSubscription(raw);
    const accountId = accountIdOf(subscription);
    if (!(await this.get('account', accountId)))
      throw new CatalogError(
        `Subscription "${subscription.id}": account "${accountId}" is not in the catalog; add the account first (accounts add), or name one of: ${
          (await this.accounts()).map((a) => a.id).join(', ') || '(none)'
        }`,
      );
    await this.put('subscription', subscription.id, subscription, source, { account: { S: accountId } });
  }

  async removeSubscription(id: string): Promise<boolean> {
    return this.remove('subscription', id);
  }

  async removeAccount(id: string): Promise<boolean> {
    const readers = (await this.query('subscription')).filter((i) => i.account?.S === id).map((i) => i.id?.S);
    if (readers.length > 0)
      throw new CatalogError(
        `Account "${id}" is read by ${readers.length} subscription(s) (${readers.slice(0, 5).join(', ')}${
          readers.length > 5 ? ', …' : ''
        }); remove them or move them to another account first`,
      );
    return this.remove('account', id);
  }

  private read<T>(kind: Kind, item: Item, check: (raw: unknown) => T): T {
    const id = item.id?.S ?? '?';
    let raw: unknown;
    try {
      raw = JSON.parse(item.doc?.S ?? '');
    } catch {
      throw new CatalogError(`The catalog's ${kind} "${id}" is not JSON; write it again with the admin CLI`);
    }
    try {
      return check(raw);
    } catch (err) {
      if (err instanceof CatalogError)
        throw new CatalogError(`The catalog's ${kind} "${id}" no longer passes its checks: ${err.message}`);
      throw err;
    }
  }

  private async get(kind: Kind, id: string): Promise<Item | null> {
    const out = await this.o.client.send(
      new GetItemCommand({
        TableName: this.o.table,
        Key: { kind: { S: kind }, id: { S: id } },
        ConsistentRead: true,
      }),
    );
    return out.Item ?? null;
  }

  private async query(kind: Kind): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.o.client.send(
        new QueryCommand({
          TableName: this.o.table,
          KeyConditionExpression: '#k = :k',
          ExpressionAttributeNames: { '#k': 'kind' },
          ExpressionAttributeValues: { ':k': { S: kind } },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private async put(kind: Kind, id: string, doc: unknown, source: CatalogSource, extra: Item): Promise<void> {
    await this.o.client.send(
      new PutItemCommand({
        TableName: this.o.table,
        Item: {
          kind: { S: kind },
          id: { S: id },
          doc: { S: JSON.stringify(doc) },
          source: { S: source },
          updated_at: { S: new Date(this.o.now()).toISOString() },
          ...extra,
        },
      }),
    );
  }

  private async remove(kind: Kind, id: string): Promise<boolean> {
    const out = await this.o.client.send(
      new DeleteItemCommand({
        TableName: this.o.table,
        Key: { kind: { S: kind }, id: { S: id } },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return out.Attributes !== undefined;
  }
}

function sources(items: Item[]): Map<string, CatalogSource> {
  return new Map(
    items.map(
      (i) => [i.id?.S ?? '', i.source?.S === 'config' ? 'config' : 'admin'] as [string, CatalogSource],
    ),
  );
}

/** The table as the stack defines it (infra/constructs/catalog-table.ts), for dynalite and the CLI's checks. */
export const CATALOG_KEY_SCHEMA = {
  AttributeDefinitions: [
    { AttributeName: 'kind', AttributeType: 'S' },
    { AttributeName: 'id', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'kind', KeyType: 'HASH' },
    { AttributeName: 'id', KeyType: 'RANGE' },
  ],
} as const;
