/**
 * The links' revocation list in the stack's DynamoDB table (the one of report
 * claims and rate slots), one item per entry:
 *   pk `revoked#token#<token id>`          at = when revoked
 *   pk `revoked#key#<object key>`          at = links to it issued up to then are revoked
 *   pk `revoked#subscription#<id>`         at = links of it issued up to then are revoked
 * Opening a link reads its (at most) three items in one strongly consistent
 * BatchGetItem, so a revocation holds from the next open. A later revocation
 * of a key or subscription moves `at` forward, never back. Every item carries
 * `ttl` = at + the longest link life, after which no link it could name is
 * still in time, so the table's TTL removes it and the list stays small.
 *
 * Why DynamoDB rather than a JSON object in the reports bucket: a read per
 * open is one request of a few milliseconds either way, but revocations
 * written at the same time would race on one S3 object (a lost update
 * un-revokes a link), while here each is its own item; the TTL prunes it; and
 * the download function's IAM can be limited to `GetItem`-style reads of the
 * `revoked#` keys (dynamodb:LeadingKeys).
 */
import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { SETTING_LIMITS } from '../../config.ts';

export const REVOKED_PREFIX = 'revoked#';
const DAY_MS = 86_400_000;

type Entry = 'token' | 'key' | 'subscription';
export type RevocationTarget =
  | { kind: 'token'; tokenId: string }
  | { kind: 'key'; key: string }
  | { kind: 'subscription'; subscription: string };

export const revocationPk = (kind: Entry, name: string) => `${REVOKED_PREFIX}${kind}#${name}`;

export class DynamoRevocations {
  private readonly client: DynamoDBClient;
  private readonly table: string;
  private readonly keepMs: number;

  constructor(opts: { client: DynamoDBClient; table: string; keepDays?: number }) {
    this.client = opts.client;
    this.table = opts.table;
    this.keepMs = (opts.keepDays ?? SETTING_LIMITS.linkTtlDays.max) * DAY_MS;
  }

  async lookup(link: {
    id: string;
    subscription: string;
    key?: string | undefined;
  }): Promise<{ token?: number; key?: number; subscription?: number }> {
    const wanted = new Map<string, Entry>([
      [revocationPk('token', link.id), 'token'],
      [revocationPk('subscription', link.subscription), 'subscription'],
    ]);
    if (link.key !== undefined) wanted.set(revocationPk('key', link.key), 'key');
    const found: { token?: number; key?: number; subscription?: number } = {};
    let keys = [...wanted.keys()].map((pk) => ({ pk: { S: pk } }));
    for (let round = 0; keys.length > 0; round++) {
      if (round === 4) throw new Error('DynamoDB left revocation keys unprocessed four times; try again');
      const out: BatchGetItemCommandOutput = await this.client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [this.table]: {
              Keys: keys,
              ConsistentRead: true,
              ProjectionExpression: 'pk, #at',
              ExpressionAttributeNames: { '#at': 'at' },
            },
          },
        }),
      );
      for (const item of out.Responses?.[this.table] ?? []) {
        const kind = wanted.get(item.pk?.S ?? '');
        const at = Number(item.at?.N);
        if (kind && Number.isFinite(at)) found[kind] = at;
      }
      keys = (out.UnprocessedKeys?.[this.table]?.Keys ?? []) as Array<{ pk: { S: string } }>;
    }
    return found;
  }

  async revoke(what: RevocationTarget, at: number): Promise<void> {
    const pk =
      what.kind === 'token'
        ? revocationPk('token', what.tokenId)
        : what.kind === 'key'
          ? revocationPk('key', what.key)
          : revocationPk('subscription', what.subscription);
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { pk: { S: pk } },
          UpdateExpression: 'SET #at = :at, #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(#at) OR #at < :at',
          ExpressionAttributeNames: { '#at': 'at', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':at': { N: String(Math.floor(at)) },
            ':ttl': { N: String(Math.ceil((at + this.keepMs) / 1000)) },
          },
        }),
      );
    } catch (err) {
      // A later revocation is already there: it covers this one.
      if (
        err instanceof ConditionalCheckFailedException ||
        (err as Error).name === 'ConditionalCheckFailedException'
      )
        return;
      throw err;
    }
  }
}
