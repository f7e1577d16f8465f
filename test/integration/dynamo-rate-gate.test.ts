/**
 * The rate gate against dynalite, on a clock of the test's own: time moves only
 * when a gate waits, so which window a slot falls in never depends on how fast
 * the machine answers (a wall-clock window of a few hundred ms did, under load).
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRateGate } from '../../functions/shared/adapters/aws/dynamo-rate-gate.ts';
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
});
