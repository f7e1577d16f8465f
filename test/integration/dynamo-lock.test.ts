import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoReportLock } from '../../functions/shared/adapters/aws/dynamo-lock.ts';
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

  it('keeps a renewed claim past its first lease, and renews only its own', async () => {
    let now = Date.UTC(2024, 9, 22, 6);
    const lock = new DynamoReportLock({ client: db.client, table: db.table, now: () => now });
    const token = (await lock.acquire('report/d', 60_000)) ?? '';
    now += 50_000;
    expect(await lock.renew('report/d', token, 60_000)).toBe(true);
    expect(await lock.renew('report/d', 'not-ours', 60_000)).toBe(false);
    now += 50_000; // past the first lease, inside the renewed one
    expect(await lock.acquire('report/d', 60_000)).toBeNull();
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

  it('proves a claim that is ours and unexpired, extending it and recording the step', async () => {
    let now = Date.UTC(2024, 9, 22, 7);
    const lock = new DynamoReportLock({ client: db.client, table: db.table, now: () => now });
    const token = (await lock.acquire('report/e', 60_000)) ?? '';
    now += 50_000;
    expect(await lock.prove('report/e', token, 60_000, 'email')).toBe(true);
    now += 50_000; // past the first lease, inside the one the proof extended
    expect(await lock.acquire('report/e', 60_000)).toBeNull();
    expect(await lock.prove('report/e', 'not-ours', 60_000, 'email')).toBe(false);
  });

  it('never revives a lease that ran out, even when no other run took it', async () => {
    let now = Date.UTC(2024, 9, 22, 8);
    const lock = new DynamoReportLock({ client: db.client, table: db.table, now: () => now });
    const token = (await lock.acquire('report/f', 60_000)) ?? '';
    now += 62_000;
    expect(await lock.renew('report/f', token, 60_000)).toBe(false);
    expect(await lock.prove('report/f', token, 60_000, 'email')).toBe(false);
    expect(await lock.acquire('report/f', 60_000)).not.toBeNull();
  });
});
