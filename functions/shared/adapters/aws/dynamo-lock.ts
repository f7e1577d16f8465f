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
 * The lease is short and renewed while the run lives (see run-report.ts), so a
 * run that died (timeout, out of memory, killed) frees the report within one
 * lease, and the retry Lambda makes of that invocation can do the work.
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

  /** Extends our lease; false when the claim is no longer ours. */
  async renew(key: string, token: string, leaseMs: number): Promise<boolean> {
    const expires = Math.ceil((this.now() + leaseMs) / 1000);
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { pk: { S: key } },
          UpdateExpression: 'SET expires_at = :expires, #ttl = :ttl',
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':token': { S: token },
            ':expires': { N: String(expires) },
            ':ttl': { N: String(expires + 86_400) },
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
