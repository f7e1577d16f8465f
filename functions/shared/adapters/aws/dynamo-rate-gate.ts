/**
 * Keeps every invocation of one Data API account, together, under the account's
 * per-minute limit: before each request a client takes a slot in the current
 * window with an atomic DynamoDB counter (`ADD n 1` if `n < slots`); a full
 * window means waiting for the next one. Each Lambda container has its own
 * client, so without this many concurrent reports would each think they had
 * the whole limit to themselves.
 *
 * Our windows are aligned to the clock, the API's are not: an API window of the
 * same length overlaps at most two of ours, so each of ours gets half the limit.
 * A tenth of the limit is held back besides, for requests that take their slot
 * at the end of one window and reach the API in the next (latency). Should the
 * API still refuse one, the client waits for `minute_reset` and tries again.
 */
import { type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { RateGate } from '../../dataapi/rpc/throttle.ts';
import { sleep } from '../../dataapi/rpc/throttle.ts';

export interface DynamoRateGateOptions {
  client: DynamoDBClient;
  table: string;
  /** Which account the slots belong to (e.g. a hash of the API URL and token); never the token itself. */
  account: string;
  /** The account's request limit per window (the API's `minute_limit`). */
  limit: number;
  /** The window, ms (60 000 for the API's minute). */
  windowMs?: number;
  /** The clock, the jitter and the wait, injectable for tests (Date.now, Math.random, a timer). */
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class DynamoRateGate implements RateGate {
  private readonly o: Required<DynamoRateGateOptions>;
  readonly slotsPerWindow: number;

  constructor(opts: DynamoRateGateOptions) {
    this.o = { windowMs: 60_000, now: Date.now, random: Math.random, sleep, ...opts };
    this.slotsPerWindow = Math.max(1, Math.floor(opts.limit / 2) - Math.ceil(opts.limit / 10));
  }

  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.o.now();
      const window = Math.floor(now / this.o.windowMs);
      if (await this.tryTake(window)) return;
      // Full: come back when the next window opens (spread a little so not everyone arrives at once).
      const wait =
        (window + 1) * this.o.windowMs -
        now +
        Math.floor(this.o.random() * Math.min(250, this.o.windowMs / 10));
      await this.o.sleep(wait, signal);
    }
  }

  private async tryTake(window: number): Promise<boolean> {
    const expires = Math.ceil(((window + 2) * this.o.windowMs) / 1000) + 3600;
    try {
      await this.o.client.send(
        new UpdateItemCommand({
          TableName: this.o.table,
          Key: { pk: { S: `rate/${this.o.account}/${window}` } },
          UpdateExpression: 'ADD #n :one SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :slots',
          ExpressionAttributeNames: { '#n': 'n', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':one': { N: '1' },
            ':slots': { N: String(this.slotsPerWindow) },
            ':ttl': { N: String(expires) },
          },
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }
}
