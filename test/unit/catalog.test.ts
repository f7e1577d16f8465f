/** The catalog's cache and its one-account form (lambda/catalog.ts, pipeline/catalog.ts). */
import { describe, expect, it } from 'vitest';
import { type Subscription, subscriptionSchema } from '../../functions/shared/config.ts';
import { cachedCatalog, createCatalog } from '../../functions/shared/lambda/catalog.ts';
import { type CatalogReader, checkSubscription } from '../../functions/shared/pipeline/catalog.ts';

const sales = subscriptionSchema.parse({ id: 'sales', recipients: ['a@example.com'] });
const account = {
  id: 'default',
  api_url: 'https://dataapi.uiscom.ru/v2.0',
  key_secret_arn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:k',
  minute_limit: 150,
};

function counting(): CatalogReader & { reads: number } {
  const c = {
    reads: 0,
    entry: async (id: string) => {
      c.reads++;
      if (id === 'boom') throw new Error('table down');
      return id === 'sales' ? { subscription: sales, account } : null;
    },
    subscriptions: async () => {
      c.reads++;
      return [sales];
    },
  };
  return c;
}

describe('the cached catalog', () => {
  it('reads each subscription once a minute, shares a read in flight, and keeps no failure', async () => {
    let t = 0;
    const inner = counting();
    const catalog = cachedCatalog(inner, () => t);
    await Promise.all([catalog.entry('sales'), catalog.entry('sales')]);
    expect(inner.reads).toBe(1);
    t = 59_999;
    expect((await catalog.entry('sales'))?.subscription.id).toBe('sales');
    expect(inner.reads).toBe(1);
    t = 60_000; // a change made with the admin CLI is seen within the minute
    await catalog.entry('sales');
    expect(inner.reads).toBe(2);
    await expect(catalog.entry('boom')).rejects.toThrow('table down');
    await expect(catalog.entry('boom')).rejects.toThrow('table down');
    expect(inner.reads).toBe(4);
    await catalog.subscriptions();
    await catalog.subscriptions();
    expect(inner.reads).toBe(5);
  });
});

describe('a deployment without a catalog table', () => {
  const env = {
    CATALOG_TABLE: undefined,
    SUBSCRIPTIONS: [sales, { ...sales, id: 'other', account: 'acme' } as Subscription],
    MGF_API_URL: 'https://dataapi.comagic.ru/v2.0',
    MGF_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:k',
    DATA_API_MINUTE_LIMIT: 40,
  };
  it('has one account, the environment’s, and refuses a subscription of another', async () => {
    const catalog = createCatalog(env, {} as never);
    expect((await catalog.entry('sales'))?.account).toEqual({
      id: 'default',
      api_url: 'https://dataapi.comagic.ru/v2.0',
      key_secret_arn: env.MGF_TOKEN_SECRET_ARN,
      minute_limit: 40,
    });
    expect(await catalog.entry('nobody')).toBeNull();
    await expect(catalog.entry('other')).rejects.toThrow(
      'Subscription "other" reads account "acme", but without a catalog table there is only "default"',
    );
  });
});

describe('checkSubscription', () => {
  it('applies the list checks of config.ts to one subscription, named by its id', () => {
    expect(() =>
      checkSubscription({ id: 'tg', recipients: ['a@example.com'], telegram_workbook: true }),
    ).toThrow(
      'Invalid subscription: tg.telegram_workbook: posts the workbook to the "telegram" chats, but the subscription names none',
    );
    expect(checkSubscription({ id: 'ok', recipients: ['a@example.com'] })).toEqual({ ...sales, id: 'ok' });
  });
});
