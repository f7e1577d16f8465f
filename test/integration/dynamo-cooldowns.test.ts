/** The cooldown slots in DynamoDB (dynalite, the stack's table shape): one of many at once, when it frees, giving back. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCooldowns } from '../../functions/shared/adapters/aws/dynamo-cooldowns.ts';
import { type LocalDynamo, startDynalite } from '../support/dynalite.ts';

const NOW = Date.UTC(2024, 9, 22, 6);
let dynamo: LocalDynamo;
let slots: DynamoCooldowns;

beforeAll(async () => {
  dynamo = await startDynalite();
  slots = new DynamoCooldowns({ client: dynamo.client, table: dynamo.table });
});
afterAll(() => dynamo.stop());

describe('DynamoCooldowns', () => {
  it('lets exactly one of five takes at the same moment through; the others learn when it frees', async () => {
    const takes = await Promise.all([0, 1, 2, 3, 4].map(() => slots.take('cool-a', NOW)));
    expect(takes.filter((t) => t.ok)).toHaveLength(1);
    expect(takes.filter((t) => !t.ok)).toEqual(Array(4).fill({ ok: false, retryAt: NOW + 600_000 }));
  });

  it('frees the slot when its window ends, not before', async () => {
    expect((await slots.take('cool-b', NOW)).ok).toBe(true);
    expect((await slots.take('cool-b', NOW + 599_999)).ok).toBe(false);
    expect((await slots.take('cool-b', NOW + 600_000)).ok).toBe(true);
  });

  it('gives the slot back only while it is still the holder’s', async () => {
    const first = await slots.take('cool-c', NOW);
    if (!first.ok) throw new Error('expected the slot');
    await first.release();
    const second = await slots.take('cool-c', NOW + 1000);
    if (!second.ok) throw new Error('expected the slot after the release');
    await first.release(); // a late release of the old holder does not free the new one's
    expect(await slots.take('cool-c', NOW + 2000)).toEqual({ ok: false, retryAt: NOW + 1000 + 600_000 });
  });
});
