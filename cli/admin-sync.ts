/**
 * `npm run admin -- sync --config <file>`, run by `npm run deploy` after `cdk
 * deploy`: the config file's accounts and subscriptions into the catalog (the
 * same checks as synth and as `… add`), the file's items that left it removed
 * (only those the file put there: what the admin CLI added stays), then the
 * schedules made to match the catalog.
 */
import type { Account } from '../functions/shared/config.ts';
import { CatalogError, type CatalogStore } from '../functions/shared/pipeline/catalog.ts';
import type { DeployConfig } from '../infra/config.ts';

export interface SyncResult {
  accounts: { written: number; removed: string[] };
  subscriptions: { written: number; removed: string[]; tookOver: string[] };
}

/** The file's accounts as the catalog keeps them: the default one's key secret is the stack's. */
export function configAccounts(config: DeployConfig, defaultKeySecretArn: string | null): Account[] {
  return config.accounts.map((a) => {
    if (a.key_secret_arn !== undefined) return a as Account;
    if (!defaultKeySecretArn)
      throw new CatalogError(
        `account "${a.id}" uses the stack's Data API key secret: give --outputs <cdk outputs file> (DataApiTokenSecretArn) or DATA_API_TOKEN_SECRET_ARN`,
      );
    return { ...a, key_secret_arn: defaultKeySecretArn };
  });
}

export async function syncCatalog(
  store: CatalogStore,
  config: DeployConfig,
  defaultKeySecretArn: string | null,
): Promise<SyncResult> {
  const accounts = configAccounts(config, defaultKeySecretArn);
  const [subSources, accountSources] = await Promise.all([
    store.subscriptionSources(),
    store.accountSources(),
  ]);
  for (const a of accounts) await store.putAccount(a, 'config');
  const tookOver: string[] = [];
  for (const s of config.subscriptions) {
    if (subSources.get(s.id) === 'admin') tookOver.push(s.id);
    await store.putSubscription(s, 'config');
  }
  const keepSubs = new Set(config.subscriptions.map((s) => s.id));
  const removedSubs = [...subSources]
    .filter(([id, source]) => source === 'config' && !keepSubs.has(id))
    .map(([id]) => id);
  for (const id of removedSubs) await store.removeSubscription(id);
  const keepAccounts = new Set(accounts.map((a) => a.id));
  const removedAccounts: string[] = [];
  for (const [id, source] of accountSources) {
    if (source !== 'config' || keepAccounts.has(id)) continue;
    await store.removeAccount(id); // refuses, naming them, while admin-added subscriptions read it
    removedAccounts.push(id);
  }
  return {
    accounts: { written: accounts.length, removed: removedAccounts },
    subscriptions: { written: config.subscriptions.length, removed: removedSubs, tookOver },
  };
}
