import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRateGate } from '../../functions/shared/delivery/dynamo-rate-gate.ts';
import { type LocalDynamo, startDynalite } from '../support/dynalite.ts';

let db: LocalDynamo;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.stop();
});

describe('DynamoRateGate against dynalite', () => {
  it('gives each window under half the limit, shared by every gate of the account, and makes the rest wait', async () => {
    const windowMs = 300;
    const gates = [1, 2, 3].map(
      () => new DynamoRateGate({ client: db.client, table: db.table, account: 'acct-a', limit: 6, windowMs }),
    );
    expect(gates[0]?.slotsPerWindow).toBe(2); // 6 / 2 − 10 % of 6, rounded up
    expect(
      new DynamoRateGate({ client: db.client, table: db.table, account: 'x', limit: 150 }).slotsPerWindow,
    ).toBe(60);
    const windows: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        await gates[i % 3]?.take();
        windows.push(Math.floor(Date.now() / windowMs));
      }),
    );
    const perWindow = new Map<number, number>();
    for (const w of windows) perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(2);
    expect(perWindow.size).toBeGreaterThanOrEqual(3);
  });

  it('keeps accounts apart', async () => {
    const a = new DynamoRateGate({
      client: db.client,
      table: db.table,
      account: 'acct-b',
      limit: 2,
      windowMs: 60_000,
    });
    const b = new DynamoRateGate({
      client: db.client,
      table: db.table,
      account: 'acct-c',
      limit: 2,
      windowMs: 60_000,
    });
    await a.take();
    await b.take(); // would wait a minute if the accounts shared slots
  });

  it('stops waiting when its signal aborts', async () => {
    const g = new DynamoRateGate({
      client: db.client,
      table: db.table,
      account: 'acct-d',
      limit: 2,
      windowMs: 60_000,
    });
    await g.take();
    await expect(g.take(AbortSignal.timeout(50))).rejects.toThrow();
  });
});
