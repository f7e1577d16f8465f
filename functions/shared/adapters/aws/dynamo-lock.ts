/**
 * An atomic claim on one report, so that deliveries of the same scheduled event
 * arriving at the same moment make one report and one email: a DynamoDB
 * conditional put (`attribute_not_exists(pk) OR expires_at < now`) succeeds for
 * exactly one of them. The claim is a lease: it is released when the run ends,
 * and one left by a run that died expires on its own (and by the table's TTL).
 *
 * Why DynamoDB rather than an S3 conditional write (`If-None-Match`): both are
 * atomic on AWS, but a lease needs a condition on the expiry as well as on
 * existence, which S3 cannot express, and the DynamoDB protocol has a faithful
 * local server (dynalite) for the tests.
 *
 * The lease is short and renewed while the run lives (see pipeline/claim.ts), so a
 * run that died (timeout, out of memory, killed) frees the report within one
 * lease, and the retry Lambda makes of that invocation can do the work. Before
 * a step others see, the run proves the claim with `prove` (the fence).
 */
import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ReportLock } from '../../pipeline/ports.ts';

export class DynamoReportLock implements ReportLock {
  private readonly client: DynamoDBClient;
  private readonly table: string;
  private readonly now: () => number;

  constructor(opts: { client: DynamoDBClient; table: string; now?: () => number }) {
    this.client = opts.client;
    this.table = opts.table;
    this.now = opts.now ?? Date.now;
  }

  async acquire(key: string, leaseMs: number): Promise<string | null> {
    const token = randomUUID();
    const now = this.now();
    const expires = Math.ceil((now + leaseMs) / 1000);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            pk: { S: key },
            token: { S: token },
            expires_at: { N: String(expires) },
            // TTL removes leftovers a day after the lease ended.
            ttl: { N: String(expires + 86_400) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expires_at < :now',
          ExpressionAttributeValues: { ':now': { N: String(Math.floor(now / 1000)) } },
        }),
      );
      return token;
    } catch (err) {
      if (
        err instanceof ConditionalCheckFailedException ||
        (err as Error).name === 'ConditionalCheckFailedException'
      ) {
        return null;
      }
      throw err;
    }
  }

  /** Extends our lease; false when the claim is no longer ours (another run's, or run out). */
  renew(key: string, token: string, leaseMs: number): Promise<boolean> {
    return this.extend(key, token, leaseMs, null);
  }

  /**
   * The fence before a step others see: the same conditional extension, which
   * also records the step and its time on the claim item (a "sending" marker
   * an operator can read), so it succeeds only while the claim is ours and
   * unexpired, and no other run can take it for a lease from now.
   */
  prove(key: string, token: string, leaseMs: number, step: string): Promise<boolean> {
    return this.extend(key, token, leaseMs, step);
  }

  /**
   * Extends the lease while the item holds our token and has not run out
   * (`expires_at >= now`, the complement of acquire's takeover condition): a
   * lease that ran out is never revived, even when no other run took it.
   */
  private async extend(key: string, token: string, leaseMs: number, step: string | null): Promise<boolean> {
    const now = this.now();
    const expires = Math.ceil((now + leaseMs) / 1000);
    const marker = step === null ? '' : ', #step = :step, #stepAt = :stepAt';
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { pk: { S: key } },
          UpdateExpression: `SET expires_at = :expires, #ttl = :ttl${marker}`,
          ConditionExpression: '#token = :token AND expires_at >= :now',
          ExpressionAttributeNames: {
            '#token': 'token',
            '#ttl': 'ttl',
            ...(step === null ? {} : { '#step': 'step', '#stepAt': 'step_at' }),
          },
          ExpressionAttributeValues: {
            ':token': { S: token },
            ':now': { N: String(Math.floor(now / 1000)) },
            ':expires': { N: String(expires) },
            ':ttl': { N: String(expires + 86_400) },
            ...(step === null ? {} : { ':step': { S: step }, ':stepAt': { S: new Date(now).toISOString() } }),
          },
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async release(key: string, token: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { pk: { S: key } },
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': { S: token } },
        }),
      );
    } catch (err) {
      // Someone else's lease now (ours expired): leave theirs alone.
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
    }
  }
}
