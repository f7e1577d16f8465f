/**
 * The cooldown slots of forced and emailed runs (http/cooldown.ts) in the
 * stack's DynamoDB table: one item per subscription, pk `cooldown#<id>`,
 * `until` (ms) and a `holder` token. Taking it is one conditional put
 * (`attribute_not_exists(pk) OR until <= now`), so of two requests at the same
 * moment exactly one passes; the other learns `until`. Releasing (a run that
 * could not start) deletes it only while it is still ours.
 *
 * Why the table and not the job store: the job store is one S3 object per job,
 * with no index by subscription; "was there a forced or emailed run in the
 * last 10 minutes" would be a listing and a read per job, and two requests at
 * once would both see none. Here it is one atomic request, and TTL removes
 * the item a day after it frees.
 */
import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';

export const COOLDOWN_PREFIX = 'cooldown#';
const isConditionFailed = (err: unknown) =>
  err instanceof ConditionalCheckFailedException || (err as Error).name === 'ConditionalCheckFailedException';

export class DynamoCooldowns {
  private readonly client: DynamoDBClient;
  private readonly table: string;

  constructor(opts: { client: DynamoDBClient; table: string }) {
    this.client = opts.client;
    this.table = opts.table;
  }

  async take(
    subscription: string,
    now: number,
    ms = 600_000,
  ): Promise<{ ok: true; release: () => Promise<void> } | { ok: false; retryAt: number }> {
    const pk = `${COOLDOWN_PREFIX}${subscription}`;
    const holder = randomUUID();
    const until = Math.floor(now + ms);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            pk: { S: pk },
            until: { N: String(until) },
            holder: { S: holder },
            ttl: { N: String(Math.ceil(until / 1000) + 86_400) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #until <= :now',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':now': { N: String(Math.floor(now)) } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      // The holder's `until` comes with the refusal; a server that does not send it back is asked.
      const old =
        (err as { Item?: Record<string, { N?: string }> }).Item ??
        (
          await this.client.send(
            new GetItemCommand({ TableName: this.table, Key: { pk: { S: pk } }, ConsistentRead: true }),
          )
        ).Item;
      const retryAt = Number(old?.until?.N);
      return { ok: false, retryAt: Number.isFinite(retryAt) ? retryAt : until };
    }
    return {
      ok: true,
      release: async () => {
        try {
          await this.client.send(
            new DeleteItemCommand({
              TableName: this.table,
              Key: { pk: { S: pk } },
              ConditionExpression: 'holder = :holder',
              ExpressionAttributeValues: { ':holder': { S: holder } },
            }),
          );
        } catch (err) {
          if (!isConditionFailed(err)) throw err;
        }
      },
    };
  }
}
