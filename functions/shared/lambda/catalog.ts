/**
 * The catalog a function reads (pipeline/catalog.ts): the DynamoDB table the
 * stack names in CATALOG_TABLE, cached for a minute per container (a change
 * made with the admin CLI reaches every function within CATALOG_CACHE_SECONDS);
 * without a table, the one account of MGF_API_URL / MGF_TOKEN_SECRET_ARN /
 * DATA_API_MINUTE_LIMIT and the SUBSCRIPTIONS list.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoCatalog } from '../adapters/aws/dynamo-catalog.ts';
import { type Account, DEFAULT_ACCOUNT_ID, type RuntimeConfig } from '../config.ts';
import { type CatalogEntry, type CatalogReader, staticCatalog } from '../pipeline/catalog.ts';

export const CATALOG_CACHE_SECONDS = 60;

/** The account the environment describes: a deployment without a catalog table. */
export function environmentAccount(
  config: Pick<RuntimeConfig, 'MGF_API_URL' | 'MGF_TOKEN_SECRET_ARN' | 'DATA_API_MINUTE_LIMIT'>,
): Account {
  return {
    id: DEFAULT_ACCOUNT_ID,
    api_url: config.MGF_API_URL,
    key_secret_arn: config.MGF_TOKEN_SECRET_ARN,
    minute_limit: config.DATA_API_MINUTE_LIMIT,
  };
}

export function createCatalog(
  config: Pick<
    RuntimeConfig,
    'CATALOG_TABLE' | 'SUBSCRIPTIONS' | 'MGF_API_URL' | 'MGF_TOKEN_SECRET_ARN' | 'DATA_API_MINUTE_LIMIT'
  >,
  dynamo: DynamoDBClient,
  now: () => number = Date.now,
): CatalogReader {
  if (config.CATALOG_TABLE === undefined)
    return staticCatalog(config.SUBSCRIPTIONS, environmentAccount(config));
  return cachedCatalog(new DynamoCatalog({ client: dynamo, table: config.CATALOG_TABLE }), now);
}

/** Each answer kept `ttlSeconds`; concurrent asks for the same thing share one read; a failed read is not kept. */
export function cachedCatalog(
  inner: CatalogReader,
  now: () => number,
  ttlSeconds = CATALOG_CACHE_SECONDS,
): CatalogReader {
  const entries = new Map<string, { at: number; value: Promise<CatalogEntry | null> }>();
  let list: { at: number; value: ReturnType<CatalogReader['subscriptions']> } | null = null;
  const fresh = (at: number) => now() - at < ttlSeconds * 1000;
  return {
    entry(id) {
      const hit = entries.get(id);
      if (hit && fresh(hit.at)) return hit.value;
      const value = inner.entry(id);
      entries.set(id, { at: now(), value });
      value.catch(() => entries.delete(id));
      return value;
    },
    subscriptions() {
      if (list && fresh(list.at)) return list.value;
      const value = inner.subscriptions();
      list = { at: now(), value };
      value.catch(() => {
        list = null;
      });
      return value;
    },
  };
}

/** The subscriptions the Reports API lists (the table's, cached; or SUBSCRIPTIONS). */
export function subscriptionList(
  config: Pick<RuntimeConfig, 'CATALOG_TABLE' | 'SUBSCRIPTIONS'>,
  dynamo: DynamoDBClient,
  now: () => number = Date.now,
): CatalogReader['subscriptions'] {
  if (config.CATALOG_TABLE === undefined) return async () => config.SUBSCRIPTIONS;
  const catalog = cachedCatalog(new DynamoCatalog({ client: dynamo, table: config.CATALOG_TABLE }), now);
  return () => catalog.subscriptions();
}
