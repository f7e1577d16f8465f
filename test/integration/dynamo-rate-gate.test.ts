/**
 * The rate gate against dynalite, on a clock of the test's own: time moves only
 * when a gate waits, so which window a slot falls in never depends on how fast
 * the machine answers (a wall-clock window of a few hundred ms did, under load).
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRateGate } from '../../functions/shared/adapters/aws/dynamo-rate-gate.ts';
import { DataApiLimitError } from '../../functions/shared/dataapi/errors.ts';
import { sleep } from '../../functions/shared/dataapi/rpc/throttle.ts';
import { type LocalDynamo, startDynalite } from '../support/dynalite.ts';
import { steppedClock } from '../support/stepped-clock.ts';

const WINDOW_MS = 60_000;
/** The start of a window, some time in 2023. */
const T0 = 28_000_000 * WINDOW_MS;

let db: LocalDynamo;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.stop();
});

/** Slots the table holds for `account` in the windows from `first`, `count` of them. */
async function slotsTaken(account: string, first: number, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let w = first; w < first + count; w++) {
    const item = await db.client.send(
      new GetItemCommand({ TableName: db.table, Key: { pk: { S: `rate/${account}/${w}` } } }),
    );
    out.push(Number(item.Item?.n?.N ?? 0));
  }
  return out;
}

const gate = (
  account: string,
  limit: number,
  extra: Partial<ConstructorParameters<typeof DynamoRateGate>[0]>,
) =>
  new DynamoRateGate({ client: db.client, table: db.table, account, limit, windowMs: WINDOW_MS, ...extra });

describe('DynamoRateGate against dynalite', () => {
  it('gives each window under half the limit, shared by every gate of the account, and makes the rest wait', async () => {
    const clock = steppedClock(T0);
    const gates = [1, 2, 3].map(() =>
      gate('acct-a', 6, { now: clock.now, sleep: clock.sleep, random: () => 0 }),
    );
    expect(gates[0]?.slotsPerWindow).toBe(2); // 6 / 2 − 10 % of 6, rounded up
    expect(gate('x', 150, {}).slotsPerWindow).toBe(60);

    let through = 0;
    const takes = Array.from({ length: 6 }, (_, i) =>
      gates[i % 3]?.take().then(() => {
        through++;
        clock.poke();
      }),
    );
    // Each step: every take has either gone through or is waiting for the next window.
    const settled = () => clock.until(() => through + clock.parked === takes.length);
    const w0 = T0 / WINDOW_MS;
    await settled();
    expect([through, clock.parked]).toEqual([2, 4]);
    expect(clock.advance()).toBe(T0 + WINDOW_MS); // the waits end when the next window opens
    await settled();
    expect([through, clock.parked]).toEqual([4, 2]);
    expect(clock.advance()).toBe(T0 + 2 * WINDOW_MS);
    await Promise.all(takes);
    expect(clock.parked).toBe(0);
    expect(await slotsTaken('acct-a', w0, 4)).toEqual([2, 2, 2, 0]);
  });

  it('keeps accounts apart', async () => {
    const never = () => Promise.reject(new Error('waited for a slot'));
    const a = gate('acct-b', 2, { now: () => T0, sleep: never });
    const b = gate('acct-c', 2, { now: () => T0, sleep: never });
    await a.take();
    await b.take(); // would wait if the accounts shared slots
    await expect(a.take()).rejects.toThrow('waited for a slot'); // as a second take on one account does
  });

  it('stops waiting when its signal aborts', async () => {
    let waiting: (ms: number) => void = () => {};
    const waited = new Promise<number>((resolve) => {
      waiting = resolve;
    });
    const g = gate('acct-d', 2, {
      now: () => T0 + 1000,
      sleep: (ms, signal) => {
        waiting(ms);
        return sleep(ms, signal);
      },
    });
    await g.take();
    const abort = new AbortController();
    const second = g.take(abort.signal);
    expect(await waited).toBeGreaterThanOrEqual(WINDOW_MS - 1000); // it is waiting for the next window
    abort.abort(new Error('deadline'));
    await expect(second).rejects.toThrow('deadline');
  });

  it('serves the daily reports first: an on-demand request takes no slot of a window daily requests wait for', async () => {
    const clock = steppedClock(T0);
    const opts = { now: clock.now, sleep: clock.sleep, random: () => 0 };
    const daily = gate('acct-e', 6, opts); // 2 slots a window
    const onDemand = gate('acct-e', 6, { ...opts, priority: 'on-demand' });
    const order: string[] = [];
    const w0 = T0 / WINDOW_MS;
    await daily.take();
    await daily.take();
    let through = 0;
    const done = (who: string) => () => {
      order.push(`${who}@${Math.floor(clock.now() / WINDOW_MS) - w0}`);
      through++;
      clock.poke();
    };
    const year = onDemand.take().then(done('on-demand')); // w0 is full and a daily report was in it
    await clock.until(() => clock.parked === 1);
    const morning = daily.take().then(done('daily')); // w0 is full: it asks for w1
    const settled = (n: number) => clock.until(() => through + clock.parked === n);
    await settled(2);
    clock.advance(); // w1: a slot is free, but a daily report asked for it
    await settled(2);
    expect(order).toEqual(['daily@1']);
    clock.advance(); // w2: no daily demand, the on-demand run takes it
    await Promise.all([year, morning]);
    expect(order).toEqual(['daily@1', 'on-demand@2']);
    expect(await slotsTaken('acct-e', w0, 3)).toEqual([2, 1, 1]);
  });

  it('lets an on-demand request go beside daily ones while the window has room', async () => {
    const never = () => Promise.reject(new Error('waited for a slot'));
    const opts = { now: () => T0, sleep: never };
    await gate('acct-h', 6, opts).take();
    await gate('acct-h', 6, { ...opts, priority: 'on-demand' }).take(); // 2 slots: room for both
    expect(await slotsTaken('acct-h', T0 / WINDOW_MS, 1)).toEqual([2]);
  });

  it('counts the day limit and fails at once, saying when the quota resets, once it is used up', async () => {
    const at = Date.parse('2024-10-22T12:00:00Z');
    const never = () => Promise.reject(new Error('waited'));
    const g = gate('acct-f', 100, { now: () => at, sleep: never, dayLimit: 3 });
    for (let i = 0; i < 3; i++) await g.take();
    const err = await g.take().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataApiLimitError);
    expect(err).toMatchObject({ scope: 'day', retryable: false, resetSeconds: 9 * 3600 });
    expect((err as Error).message).toBe(
      "The account's daily API quota is used up (3 requests a day); it resets at 2024-10-23 00:00 Europe/Moscow (2024-10-22T21:00:00.000Z)",
    );
    // Another account's day is its own.
    await gate('acct-g', 100, { now: () => at, sleep: never, dayLimit: 3 }).take();
  });
});
