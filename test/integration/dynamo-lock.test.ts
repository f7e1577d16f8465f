import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoReportLock } from '../../functions/shared/delivery/dynamo-lock.ts';
import { type LocalDynamo, startDynalite } from '../support/dynalite.ts';

let db: LocalDynamo;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.stop();
});

describe('DynamoReportLock against dynalite', () => {
  it('gives a claim to exactly one of many concurrent callers', async () => {
    const lock = new DynamoReportLock({ client: db.client, table: db.table });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => lock.acquire('report/a', 60_000)));
    expect(tokens.filter((t) => t !== null)).toHaveLength(1);
  });

  it('frees the claim on release, and only for its holder', async () => {
    const lock = new DynamoReportLock({ client: db.client, table: db.table });
    const token = await lock.acquire('report/b', 60_000);
    expect(token).not.toBeNull();
    await lock.release('report/b', 'someone-else');
    expect(await lock.acquire('report/b', 60_000)).toBeNull();
    await lock.release('report/b', token ?? '');
    expect(await lock.acquire('report/b', 60_000)).not.toBeNull();
  });

  it('lets a new run take a claim whose lease ran out (its run died)', async () => {
    let now = Date.UTC(2024, 9, 22, 5);
    const lock = new DynamoReportLock({ client: db.client, table: db.table, now: () => now });
    expect(await lock.acquire('report/c', 60_000)).not.toBeNull();
    now += 30_000;
    expect(await lock.acquire('report/c', 60_000)).toBeNull();
    now += 40_000;
    expect(await lock.acquire('report/c', 60_000)).not.toBeNull();
  });
});
