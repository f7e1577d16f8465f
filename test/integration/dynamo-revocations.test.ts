/** The revocation list in DynamoDB (dynalite, the stack's table shape): what one open reads, what a revoke writes. */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRevocations, revocationPk } from '../../functions/shared/adapters/aws/dynamo-revocations.ts';
import { signReportLink } from '../../functions/shared/http/links.ts';
import { openLink } from '../../functions/shared/http/revocations.ts';
import { type LocalDynamo, startDynalite } from '../support/dynalite.ts';
import { RING_BEFORE } from '../support/links.ts';

const NOW = Date.UTC(2024, 9, 22, 6);
const DAY = 86_400_000;
let dynamo: LocalDynamo;
let list: DynamoRevocations;

beforeAll(async () => {
  dynamo = await startDynalite();
  list = new DynamoRevocations({ client: dynamo.client, table: dynamo.table, keepDays: 30 });
});
afterAll(() => dynamo.stop());

const link = (key: string, subscription: string, issued = NOW - DAY) =>
  signReportLink({ key, subscription, expiresAt: issued + 14 * DAY }, RING_BEFORE, issued);

describe('DynamoRevocations', () => {
  it('finds nothing for a link nobody revoked', async () => {
    expect(
      await list.lookup({
        id: 'AAAAAAAAAAAAAAAA',
        subscription: 'nobody',
        key: 'reports/nobody/x/report.xlsx',
      }),
    ).toEqual({});
  });

  it('revokes a report’s links by object key, read back in one open', async () => {
    const key = 'reports/rev-a/2024-10-21_2024-10-21/report.xlsx';
    const token = link(key, 'rev-a');
    await list.revoke({ kind: 'key', key }, NOW - 1000);
    expect(await openLink(token, { ring: RING_BEFORE, now: NOW, revocations: list })).toMatchObject({
      ok: false,
      reason: 'revoked',
      revokedAt: NOW - 1000,
    });
  });

  it('revokes one token by id and a whole subscription by instant', async () => {
    const key = 'reports/rev-b/2024-10-21_2024-10-21/report.xlsx';
    const [one, two] = [link(key, 'rev-b'), link(key, 'rev-b')];
    const check = await openLink(one, { ring: RING_BEFORE, now: NOW, revocations: list });
    const id = 'claims' in check ? check.claims.id : '';
    await list.revoke({ kind: 'token', tokenId: id }, NOW - 500);
    expect(await openLink(one, { ring: RING_BEFORE, now: NOW, revocations: list })).toMatchObject({
      reason: 'revoked',
    });
    expect(await openLink(two, { ring: RING_BEFORE, now: NOW, revocations: list })).toMatchObject({
      ok: true,
    });
    await list.revoke({ kind: 'subscription', subscription: 'rev-b' }, NOW - 400);
    expect(await openLink(two, { ring: RING_BEFORE, now: NOW, revocations: list })).toMatchObject({
      reason: 'revoked',
    });
  });

  it('moves a subscription’s instant forward, never back, and lets the table’s TTL remove it after the longest link life', async () => {
    await list.revoke({ kind: 'subscription', subscription: 'rev-c' }, NOW);
    await list.revoke({ kind: 'subscription', subscription: 'rev-c' }, NOW - DAY);
    expect(await list.lookup({ id: 'AAAAAAAAAAAAAAAA', subscription: 'rev-c' })).toEqual({
      subscription: NOW,
    });
    const item = await dynamo.client.send(
      new GetItemCommand({
        TableName: dynamo.table,
        Key: { pk: { S: revocationPk('subscription', 'rev-c') } },
      }),
    );
    expect(Number(item.Item?.ttl?.N)).toBe(Math.ceil((NOW + 30 * DAY) / 1000));
  });
});
