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
 *
 * Daily reports go first (issue 18): a daily request that finds its window
 * full marks the next window (`d`: daily reports are waiting for it), and an
 * on-demand request takes a slot only in a window not so marked. While the
 * budget suffices both go; once it is short, the on-demand runs (a year's
 * report) yield every window to the waiting morning reports and take what
 * they leave, so they delay a morning report by one window at most.
 *
 * The day limit (the tariff's `day_limit`, when the account states it) is
 * counted too: one counter per day of the account's zone, taken after the
 * minute slot; when it is used up the request fails at once (not retried) with
 * "the account's daily API quota is used up; it resets at …".
 */
import { type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DataApiLimitError } from '../../dataapi/errors.ts';
import type { RateGate } from '../../dataapi/rpc/throttle.ts';
import { sleep } from '../../dataapi/rpc/throttle.ts';
import { DAY_MS, DEFAULT_TIMEZONE, formatWall, toWall } from '../../time.ts';

/** Who asks: the scheduled daily reports go before on-demand ones. */
export type RatePriority = 'daily' | 'on-demand';

export interface DynamoRateGateOptions {
  client: DynamoDBClient;
  table: string;
  /** Which account the slots belong to (e.g. a hash of the API URL and token); never the token itself. */
  account: string;
  /** The account's request limit per window (the API's `minute_limit`). */
  limit: number;
  /** The window, ms (60 000 for the API's minute). */
  windowMs?: number;
  /** Daily (default) or on-demand: see above. */
  priority?: RatePriority;
  /** The account's requests per day; absent: not counted here. */
  dayLimit?: number;
  /** The zone whose midnight starts the account's day (default Europe/Moscow). */
  dayZone?: string;
  /** The clock, the jitter and the wait, injectable for tests (Date.now, Math.random, a timer). */
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class DynamoRateGate implements RateGate {
  private readonly o: Required<Omit<DynamoRateGateOptions, 'dayLimit'>> & { dayLimit?: number };
  readonly slotsPerWindow: number;

  constructor(opts: DynamoRateGateOptions) {
    this.o = {
      windowMs: 60_000,
      now: Date.now,
      random: Math.random,
      sleep,
      priority: 'daily',
      dayZone: DEFAULT_TIMEZONE,
      ...opts,
    };
    this.slotsPerWindow = Math.max(1, Math.floor(opts.limit / 2) - Math.ceil(opts.limit / 10));
  }

  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.o.now();
      const window = Math.floor(now / this.o.windowMs);
      if (await this.tryTake(window)) {
        await this.takeDay(now);
        return;
      }
      // A daily report waiting: the next window is the daily reports' first.
      if (this.o.priority === 'daily') await this.markDailyDemand(window + 1);
      // Full: come back when the next window opens (spread a little so not everyone arrives at once).
      const wait =
        (window + 1) * this.o.windowMs -
        now +
        Math.floor(this.o.random() * Math.min(250, this.o.windowMs / 10));
      await this.o.sleep(wait, signal);
    }
  }

  private expires(window: number): string {
    return String(Math.ceil(((window + 2) * this.o.windowMs) / 1000) + 3600);
  }

  private async tryTake(window: number): Promise<boolean> {
    const daily = this.o.priority === 'daily';
    return this.conditional(
      new UpdateItemCommand({
        TableName: this.o.table,
        Key: { pk: { S: `rate/${this.o.account}/${window}` } },
        // An on-demand request takes a slot only in a window no daily request waits for.
        UpdateExpression: 'ADD #n :one SET #ttl = :ttl',
        ConditionExpression: daily
          ? 'attribute_not_exists(#n) OR #n < :slots'
          : '(attribute_not_exists(#n) OR #n < :slots) AND attribute_not_exists(#d)',
        ExpressionAttributeNames: { '#n': 'n', '#ttl': 'ttl', ...(daily ? {} : { '#d': 'd' }) },
        ExpressionAttributeValues: {
          ':one': { N: '1' },
          ':slots': { N: String(this.slotsPerWindow) },
          ':ttl': { N: this.expires(window) },
        },
      }),
    );
  }

  private async markDailyDemand(window: number): Promise<void> {
    await this.o.client.send(
      new UpdateItemCommand({
        TableName: this.o.table,
        Key: { pk: { S: `rate/${this.o.account}/${window}` } },
        UpdateExpression: 'ADD #d :one SET #ttl = :ttl',
        ExpressionAttributeNames: { '#d': 'd', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': { N: '1' }, ':ttl': { N: this.expires(window) } },
      }),
    );
  }

  /** One of the day's requests, or DataApiLimitError (day) naming when the quota resets. */
  private async takeDay(now: number): Promise<void> {
    const limit = this.o.dayLimit;
    if (limit === undefined) return;
    const wall = toWall(now, this.o.dayZone);
    const day = formatWall(wall).slice(0, 10);
    const resetAt = now + (Math.floor(wall / DAY_MS) + 1) * DAY_MS - wall;
    const ok = await this.conditional(
      new UpdateItemCommand({
        TableName: this.o.table,
        Key: { pk: { S: `rate/${this.o.account}/day/${day}` } },
        UpdateExpression: 'ADD #n :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
        ExpressionAttributeNames: { '#n': 'n', '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':one': { N: '1' },
          ':limit': { N: String(limit) },
          ':ttl': { N: String(Math.ceil(resetAt / 1000) + 86_400) },
        },
      }),
    );
    if (ok) return;
    const local = formatWall(wall + (resetAt - now)).slice(0, 16);
    throw new DataApiLimitError(
      `The account's daily API quota is used up (${limit} request${limit === 1 ? '' : 's'} a day); it resets at ${local} ${this.o.dayZone} (${new Date(resetAt).toISOString()})`,
      { scope: 'day', resetSeconds: Math.ceil((resetAt - now) / 1000) },
    );
  }

  private async conditional(command: UpdateItemCommand): Promise<boolean> {
    try {
      await this.o.client.send(command);
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }
}
