/** The catalog table (adapters/aws/dynamo-catalog.ts) in a local DynamoDB, with the stack's key schema. */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CATALOG_KEY_SCHEMA, DynamoCatalog } from '../../functions/shared/adapters/aws/dynamo-catalog.ts';
import type { LocalDynamo } from './dynalite.ts';

export async function createCatalogTable(db: LocalDynamo, table = 'catalog'): Promise<DynamoCatalog> {
  await db.client.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [...CATALOG_KEY_SCHEMA.AttributeDefinitions],
      KeySchema: [...CATALOG_KEY_SCHEMA.KeySchema],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return new DynamoCatalog({ client: db.client, table });
}

/** A valid account for the tests, its key secret under the accounts' prefix. */
export const testAccount = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  api_url: 'https://dataapi.comagic.ru/v2.0',
  key_secret_arn: `arn:aws:secretsmanager:eu-central-1:123456789012:secret:call-reports/data-api/${id}-AbCdEf`,
  minute_limit: 60,
  ...extra,
});
